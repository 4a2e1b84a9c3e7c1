"""The receipt PDF made by a real Celery worker, through Redis, on PostgreSQL."""

import time

import pytest

from applications import services
from applications.models import ReceiptDocument
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.pdf import pdf_text
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import MembershipRole

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_receipt_pdf_is_made_by_the_worker(celery_worker_process, settings):
    settings.MEDIA_ROOT = celery_worker_process.media_root
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    application = services.application_start(organisation=org, round=RoundFactory(),
                                             user=signatory)
    services.application_update(application=application, user=signatory,
                                header=complete_header(), competence=[competence_line()],
                                bpa=[bpa_line()], projects=[project()])

    submission = services.application_submit(application=application, user=signatory)

    deadline = time.monotonic() + 90
    job = ReceiptDocument.objects.get(submission=submission)
    while job.status == DocumentStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == DocumentStatus.READY, job.error
    assert job.enqueued_at is not None
    text = pdf_text(job.file.read())
    assert submission.reference in text
    assert "Trondheim - Tråante kommune" in text
