"""A change request's decision letter and a repayment letter whose job gave up (the storage
refused every attempt) are offered on the recipient's page with «Prøv å lage brevet igjen»
and made when clicked once the storage has room (tilskudd.documents.jobs.render_now); a
calm 503 while it still cannot be stored, with nothing audited."""

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import AuditEvent
from tilskudd.outbox import OutboundEmail

from .test_letters_on_click import pending  # noqa: F401 (the fixture)


@pytest.mark.django_db
def test_a_letter_the_worker_gave_up_on_is_offered_and_made_when_there_is_room(
    pending,  # noqa: F811
    application, signatory, caseworker, approver, client, monkeypatch,
    django_capture_on_commit_callbacks,
):
    # Given a decided letter whose job gave up, and a disk that is still full
    found = pending(
        application, signatory, caseworker, approver, django_capture_on_commit_callbacks
    )
    type(found.letter).objects.filter(pk=found.letter.pk).update(
        status=DocumentStatus.FAILED, attempts=3, error="OSError: [Errno 28] No space left")
    full = {"now": True}
    original = FileSystemStorage._save

    def save(self, name, content):
        if full["now"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    client.force_login(signatory)
    if found.reference:
        page_url = reverse("reporting:change_detail", args=[found.reference])
    else:
        page_url = reverse("reporting:repayment_claim", args=[found.letter.claim.pk])

    # Then the recipient's page offers to make it again, and the click answers 503 for now
    page = client.get(page_url).content.decode()
    assert f'<a href="{found.url}"' in page
    assert "Prøv å lage brevet igjen</a>" in page
    refused = client.get(found.url)
    assert refused.status_code == 503
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()

    # When there is room, the same click gets the letter
    full["now"] = False
    emails = OutboundEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(found.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    found.letter.refresh_from_db()
    assert found.letter.status == DocumentStatus.READY
    # And making it sends the recipients no second e-mail, and makes no new letter row
    assert OutboundEmail.objects.count() == emails
    assert type(found.letter).objects.count() == 1
