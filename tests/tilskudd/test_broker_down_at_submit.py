"""The whole deadline path with the broker down: the signatory submits, sees the receipt,
the submission stands, the outbox holds the receipt e-mail and the PDF job waits; once a
worker runs again both the PDF and the e-mail go out, each once."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ReceiptDocument, Submission
from tests.tilskudd.test_document_faults import draft, organisation, signatory  # noqa: F401
from tests.tilskudd.test_outbox import broker_down  # noqa: F401
from tilskudd import outbox
from tilskudd.celery import app as celery_app
from tilskudd.documents import jobs
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.outbox import EmailStatus, OutboundEmail


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_submit_shows_the_receipt_and_loses_neither_pdf_nor_email(
    client, draft, signatory, broker_down, mailoutbox  # noqa: F811
):
    client.force_login(signatory)

    started = time.monotonic()
    response = client.post(reverse("applications:submit", args=[draft.pk]), follow=True)
    elapsed = time.monotonic() - started

    submission = Submission.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "applications:receipt", args=[submission.reference])
    assert submission.reference in response.content.decode()
    assert "PDF-kopien lages" in response.content.decode()
    assert elapsed < 15, f"the request waited {elapsed:.1f} s for the broker"
    draft.refresh_from_db()
    assert draft.status == "submitted"
    receipt = ReceiptDocument.objects.get(submission=submission)
    assert (receipt.status, receipt.enqueued_at, bool(receipt.file)) == (
        DocumentStatus.PENDING, None, False)
    email = OutboundEmail.objects.get()
    assert (email.status, email.reference) == (EmailStatus.PENDING, submission.reference)
    assert mailoutbox == []

    # The broker is back (eager here: the task runs as a worker would) and the sweeps run.
    celery_app.conf.task_always_eager = True
    later = timezone.now() + timedelta(minutes=5)
    assert jobs.sweep_pending(now=later) == 1
    assert outbox.sweep_pending(now=later) == 1

    receipt.refresh_from_db()
    email.refresh_from_db()
    assert receipt.status == DocumentStatus.READY and receipt.file
    assert email.status == EmailStatus.SENT
    assert [m.to for m in mailoutbox] == [email.to]
    # A second round of sweeps sends nothing again.
    assert jobs.sweep_pending(now=later) == 0
    assert outbox.sweep_pending(now=later) == 0
    assert len(mailoutbox) == 1
