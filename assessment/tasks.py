from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist

from tilskudd.documents.jobs import run_document_job

from .documents import render_letter
from .models import AllocationLetter


@shared_task(
    name=AllocationLetter.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist,),
    retry_backoff=5,
    max_retries=3,
)
def render_allocation_letter(job_id: int) -> str:
    return run_document_job(AllocationLetter, job_id, render_letter)
