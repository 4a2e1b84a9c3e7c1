"""An allocation letter clicked before the worker has made it is made for the person asking,
then and once, under the job's row lock (as a receipt is): the recipient's signatory and
the office's caseworker get the PDF, the worker's run afterwards finds it ready, two clicks
at once make one file; someone else's letter is still 404 with nothing made."""

import hashlib
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessment import services
from assessment.models import AllocationLetter
from assessment.tasks import render_allocation_letter
from tests.applications.test_concurrency import run_together
from tests.pdf import pdf_text
from tests.tilskudd.factories import member
from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import AuditEvent, MembershipRole

from .helpers import decide


@pytest.fixture
def no_worker(monkeypatch):
    """The letter's job is never sent to the worker: it stays pending until clicked."""
    monkeypatch.setattr(AllocationLetter, "enqueue_on_commit", lambda job: None)


def pending_letter(application, caseworker, approver) -> AllocationLetter:
    assessment = decide(application, caseworker, approver)
    letter = services.letter_generate(assessment=assessment, user=caseworker)
    assert AllocationLetter.objects.get(pk=letter.pk).status == DocumentStatus.PENDING
    return letter


def body(response) -> bytes:
    """The file, read to its end (the test client closes the response then)."""
    return b"".join(response.streaming_content)


def stored_files(media_root) -> list[Path]:
    """The letters' files (the application's receipt is stored there too)."""
    return list(Path(media_root).rglob("tilskuddsbrev-*.pdf"))


def admin_letter_url(letter: AllocationLetter) -> str:
    return reverse(
        "admin:assessment_submittedapplication_letter",
        args=[letter.assessment.application_id, letter.pk],
    )


@pytest.mark.django_db
def test_the_signatory_clicking_before_the_worker_gets_the_letter_made_then(
    application, caseworker, approver, signatory, client, renders, no_worker, settings
):
    # Given a decision whose letter the worker has not made yet
    letter = pending_letter(application, caseworker, approver)
    client.force_login(signatory)

    # When the recipient's signatory clicks it
    response = client.get(reverse("assessment:letter", args=[letter.pk]))

    # Then it is made for them: a PDF of the decision, the row ready with its checksum
    assert response.status_code == 200
    data = body(response)
    letter.refresh_from_db()
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    assert application.submissions.get().reference in pdf_text(data)
    assert letter.status == DocumentStatus.READY
    assert letter.sha256 == hashlib.sha256(data).hexdigest() == response["X-Content-SHA256"]
    assert letter.attempts == 0
    assert renders == [1]
    assert (
        AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD, actor=signatory).count()
        == 1
    )

    # And the worker's run that comes afterwards leaves it as it is
    assert render_allocation_letter(letter.pk) == DocumentStatus.READY
    assert renders == [1]
    again = AllocationLetter.objects.get(pk=letter.pk)
    assert (again.file.name, again.sha256) == (letter.file.name, letter.sha256)
    assert len(stored_files(settings.MEDIA_ROOT)) == 1


@pytest.mark.django_db
def test_the_decision_page_and_the_case_page_link_a_letter_still_being_made(
    application, caseworker, approver, signatory, client, renders, no_worker
):
    letter = pending_letter(application, caseworker, approver)

    client.force_login(signatory)
    decision = client.get(reverse("assessment:decision", args=[application.pk]))
    client.force_login(caseworker)
    case = client.get(
        reverse("admin:assessment_submittedapplication_change", args=[application.pk])
    )

    letter.refresh_from_db()
    assert f'href="{reverse("assessment:letter", args=[letter.pk])}"' in decision.content.decode()
    assert "Tilskuddsbrev, versjon 1</a>: lages" in decision.content.decode()
    assert f'href="{admin_letter_url(letter)}"' in case.content.decode()
    assert (letter.status, renders) == (DocumentStatus.PENDING, [])  # made only when clicked


@pytest.mark.django_db
def test_the_caseworker_clicking_in_the_admin_gets_it_made_once(
    application, caseworker, approver, client, renders, no_worker
):
    letter = pending_letter(application, caseworker, approver)
    client.force_login(caseworker)

    first = client.get(admin_letter_url(letter))
    second = client.get(admin_letter_url(letter))

    letter.refresh_from_db()
    assert (first.status_code, second.status_code) == (200, 200)
    assert body(first) == body(second)
    assert first["X-Content-SHA256"] == second["X-Content-SHA256"] == letter.sha256
    assert letter.status == DocumentStatus.READY
    assert renders == [1]


@pytest.mark.django_db
def test_someone_elses_pending_letter_is_not_made_for_them(
    application,
    caseworker,
    approver,
    rogaland_application,
    rogaland_caseworker,
    client,
    renders,
    no_worker,
    settings,
):
    # Given Trondheim's pending letter
    letter = pending_letter(application, caseworker, approver)
    stranger = member(
        rogaland_application.organisation,
        MembershipRole.SIGNATORY,
        email="fremmed@stavanger.example.no",
    )

    # When a signatory of another organisation and another office's caseworker click it
    client.force_login(stranger)
    as_stranger = client.get(reverse("assessment:letter", args=[letter.pk]))
    client.force_login(rogaland_caseworker)
    as_other_office = client.get(admin_letter_url(letter))

    # Then both are refused, and nothing was made, stored or audited
    assert as_stranger.status_code == 404
    assert as_other_office.status_code == 404
    letter.refresh_from_db()
    assert (letter.status, letter.file.name, letter.sha256) == (DocumentStatus.PENDING, "", "")
    assert renders == []
    assert stored_files(settings.MEDIA_ROOT) == []
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_file(
    application, caseworker, approver, signatory, renders, no_worker, settings
):
    # Given a pending letter, and the signatory and the caseworker in two browsers
    letter = pending_letter(application, caseworker, approver)
    urls = iter(
        [
            (signatory, reverse("assessment:letter", args=[letter.pk])),
            (caseworker, admin_letter_url(letter)),
        ]
    )
    clients = []
    for user, url in urls:
        browser = Client()
        browser.force_login(user)
        clients.append((browser, url))
    turns = iter(clients)

    def click():
        browser, url = next(turns)
        response = browser.get(url)
        return response.status_code, response["X-Content-SHA256"], body(response)

    # When both click at the same moment
    results = run_together(click)

    # Then it is made once, stored once, and both get the same file
    letter.refresh_from_db()
    assert [r[0] for r in results] == [200, 200], results
    assert results[0][2] == results[1][2]
    assert results[0][1] == results[1][1] == letter.sha256
    assert letter.status == DocumentStatus.READY
    assert renders == [1]
    assert len(stored_files(settings.MEDIA_ROOT)) == 1
