from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist

from tilskudd.documents.jobs import run_document_job

from .documents import render_receipt
from .models import ReceiptDocument


@shared_task(
    name=ReceiptDocument.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist,),
    retry_backoff=5,
    max_retries=3,
)
def render_receipt_pdf(job_id: int) -> str:
    return run_document_job(ReceiptDocument, job_id, render_receipt)
