from celery import shared_task

from . import outbox
from .documents.jobs import sweep_pending


@shared_task(name="tilskudd.tasks.sweep_pending_documents")
def sweep_pending_documents() -> int:
    return sweep_pending()


@shared_task(
    bind=True, name=outbox.SEND_TASK, acks_late=True, max_retries=outbox.MAX_ATTEMPTS
)
def send_outbox_email(self, email_id: int) -> str:
    """Send one outbox row; a failed try is retried after the delay the row records."""
    try:
        return outbox.deliver(email_id)
    except outbox.DeliveryFailed as exc:
        raise self.retry(exc=exc, countdown=exc.retry_in) from exc


@shared_task(name="tilskudd.tasks.sweep_pending_emails")
def sweep_pending_emails() -> int:
    return outbox.sweep_pending()


@shared_task(name="tilskudd.tasks.ping")
def ping() -> str:
    """Health check: proves a worker is consuming from the broker."""
    return "pong"
