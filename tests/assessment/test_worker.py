"""The allocation letter made by a real Celery worker, through Redis, on PostgreSQL."""

import time

import pytest

from assessment import services
from assessment.models import AllocationLetter
from tests.pdf import pdf_text
from tilskudd.documents.jobs import DocumentStatus

from .helpers import decide

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_letter_is_made_by_the_worker(
    celery_worker_process, settings, application, caseworker, approver
):
    settings.MEDIA_ROOT = celery_worker_process.media_root
    assessment = decide(application, caseworker, approver)

    letter = services.letter_generate(assessment=assessment, user=caseworker)

    deadline = time.monotonic() + 90
    job = AllocationLetter.objects.get(pk=letter.pk)
    while job.status == DocumentStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == DocumentStatus.READY, job.error
    assert job.enqueued_at is not None
    text = pdf_text(job.file.read())
    assert application.submissions.get().reference in text
    assert "kr 60 000" in text.replace("\xa0", " ")
