from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TilskuddConfig(AppConfig):
    name = "tilskudd"
    verbose_name = _("Felles: kontorer, kommuner, ordninger og runder")

    def ready(self) -> None:
        # Register every app's tasks in web processes too (Celery otherwise only
        # autodiscovers in the worker), so jobs can be enqueued by name, or run eagerly.
        from .celery import app

        app.autodiscover_tasks(force=True)

        # Sign-ins, sign-outs, failures and lockouts go in the audit log (tilskudd.auth).
        from .auth import connect_signals

        connect_signals()

        # A sign-in notes when its session starts (the session warning, session_views).
        from .session_views import connect_signals as connect_session_signals

        connect_session_signals()
