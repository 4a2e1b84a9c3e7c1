from celery import shared_task

from tilskudd.documents.jobs import DOCUMENT_TASK_OPTIONS, run_document_job

from .documents import render_receipt
from .models import ReceiptDocument


@shared_task(name=ReceiptDocument.task_name, **DOCUMENT_TASK_OPTIONS)
def render_receipt_pdf(job_id: int) -> str:
    return run_document_job(ReceiptDocument, job_id, render_receipt)
