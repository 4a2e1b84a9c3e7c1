from celery import shared_task
from django.utils.dateparse import parse_datetime

from tilskudd.documents.jobs import DOCUMENT_TASK_OPTIONS, run_document_job

from . import reminders
from .documents import render_letter
from .models import AllocationLetter


@shared_task(name=AllocationLetter.task_name, **DOCUMENT_TASK_OPTIONS)
def render_allocation_letter(job_id: int) -> str:
    return run_document_job(AllocationLetter, job_id, render_letter)


@shared_task(name="assessment.tasks.letter_reminders", acks_late=True)
def letter_reminders(now: str | None = None) -> int:
    """Remind recipients whose grant letter is not accepted after 14 days; safe to run
    again (each reminder goes once). `now`: an ISO moment, for tests."""
    return reminders.send_letter_reminders(now=parse_datetime(now) if now else None)
