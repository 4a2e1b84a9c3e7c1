from celery import shared_task

from .documents.jobs import sweep_pending


@shared_task(name="tilskudd.tasks.sweep_pending_documents")
def sweep_pending_documents() -> int:
    return sweep_pending()


@shared_task(name="tilskudd.tasks.ping")
def ping() -> str:
    """Health check: proves a worker is consuming from the broker."""
    return "pong"
