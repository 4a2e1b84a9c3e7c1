from celery import shared_task

from tilskudd.documents.jobs import DOCUMENT_TASK_OPTIONS, run_document_job

from .documents import render_letter
from .models import AllocationLetter


@shared_task(name=AllocationLetter.task_name, **DOCUMENT_TASK_OPTIONS)
def render_allocation_letter(job_id: int) -> str:
    return run_document_job(AllocationLetter, job_id, render_letter)
