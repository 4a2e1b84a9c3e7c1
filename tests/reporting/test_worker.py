"""The report receipt PDF made by a real Celery worker, through Redis, on PostgreSQL."""

import time

import pytest

from reporting import services
from reporting.models import ReportReceipt
from tests.pdf import pdf_text
from tilskudd.documents.jobs import DocumentStatus

from .helpers import ready_report

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_report_receipt_pdf_is_made_by_the_worker(celery_worker_process, settings, report,
                                                   signatory):
    settings.MEDIA_ROOT = celery_worker_process.media_root
    ready_report(report, signatory)

    submission = services.report_submit(report=report, user=signatory)

    deadline = time.monotonic() + 90
    job = ReportReceipt.objects.get(submission=submission)
    while job.status == DocumentStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == DocumentStatus.READY, job.error
    assert job.enqueued_at is not None
    text = pdf_text(job.file.read())
    assert submission.reference in text
    assert "Trondheim - Tråante kommune" in text
