"""Celery tasks of reporting: the receipt PDF, the repayment and transfer letters, and the
daily run that opens the reports whose period has started and sends the reminders (an
overdue repayment claim's among them)."""

from __future__ import annotations

from celery import shared_task
from django.utils.dateparse import parse_datetime

from tilskudd.documents.jobs import DOCUMENT_TASK_OPTIONS, run_document_job

from . import reminders, repayment_reminders, services
from .changes.tasks import render_change_letter_pdf  # noqa: F401 (registers the task)
from .documents import render_receipt
from .models import RepaymentLetter, ReportReceipt, TransferLetter
from .repayments import render_letter
from .transfer_letters import render_transfer_letter


@shared_task(name=ReportReceipt.task_name, **DOCUMENT_TASK_OPTIONS)
def render_report_receipt_pdf(job_id: int) -> str:
    return run_document_job(ReportReceipt, job_id, render_receipt)


@shared_task(name=RepaymentLetter.task_name, **DOCUMENT_TASK_OPTIONS)
def render_repayment_letter_pdf(job_id: int) -> str:
    return run_document_job(RepaymentLetter, job_id, render_letter)


@shared_task(name=TransferLetter.task_name, **DOCUMENT_TASK_OPTIONS)
def render_transfer_letter_pdf(job_id: int) -> str:
    return run_document_job(TransferLetter, job_id, render_transfer_letter)


@shared_task(name="reporting.tasks.daily", acks_late=True)
def daily(now: str | None = None) -> dict[str, int]:
    """Open the reports that are due and send the reminders; safe to run again (each
    report is opened once, each reminder is sent once). `now`: an ISO moment, for tests."""
    moment = parse_datetime(now) if now else None
    opened = services.reports_open_due(now=moment)
    sent = reminders.send_reminders(now=moment)
    claims = repayment_reminders.send_overdue_claim_reminders(now=moment)
    return {"opened": len(opened), **sent, "repayment_overdue": claims}
