import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")

app = Celery("tilskudd")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def pool_process_started(**_kwargs) -> None:
    """A worker's pool process (prefork, or the solo pool's one process, which sends this
    signal too) runs one task at a time in one thread, so its PDFs may pause the garbage
    collector while they are made (tilskudd.documents.pdf)."""
    from tilskudd.documents.pdf import pause_collector_while_rendering

    pause_collector_while_rendering()
