from celery import shared_task
from django.utils.dateparse import parse_datetime

from tilskudd.documents.jobs import DOCUMENT_TASK_OPTIONS, run_document_job

from . import reminders
from .documents import render_receipt
from .models import ReceiptDocument


@shared_task(name=ReceiptDocument.task_name, **DOCUMENT_TASK_OPTIONS)
def render_receipt_pdf(job_id: int) -> str:
    return run_document_job(ReceiptDocument, job_id, render_receipt)


@shared_task(name="applications.tasks.deadline_reminders", acks_late=True)
def deadline_reminders(now: str | None = None) -> int:
    """Remind organisations with an unsent application 7 and 1 days before the deadline;
    safe to run again (each reminder goes once). `now`: an ISO moment, for tests."""
    return reminders.send_deadline_reminders(now=parse_datetime(now) if now else None)
