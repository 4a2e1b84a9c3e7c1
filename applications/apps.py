from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"

    def ready(self) -> None:
        from tilskudd.inbox import register_inbox_provider
        from tilskudd.status import register_stage_provider

        from .inbox import application_events, application_items
        from .status import application_stages

        register_stage_provider(application_stages)
        register_inbox_provider(items=application_items, events=application_events)
