from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"

    def ready(self) -> None:
        from tilskudd.status import register_stage_provider

        from .status import application_stages

        register_stage_provider(application_stages)
