"""The change request's decision letter and the repayment letter, clicked before the worker
has made them, are made for the person asking, then and once, under the job's row lock (as
receipts and allocation letters are): the worker's run afterwards finds them ready, two
clicks at once make one file; someone else's letter (another organisation's member, another
office's caseworker) is still 404 with nothing made."""

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from reporting import services
from reporting.changes import services as change_services
from reporting.changes.models import ChangeLetter
from reporting.changes.tasks import render_change_letter_pdf
from reporting.models import UnusedChoice
from reporting.tasks import render_repayment_letter_pdf
from reporting.transfer_models import RepaymentClaim, RepaymentLetter
from tests.applications.test_concurrency import run_together
from tests.pdf import pdf_text
from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import AuditEvent

from .change_helpers import accept, ask, recommended
from .helpers import ready_report


@dataclass
class Pending:
    """A letter the worker has not made yet, where its owner downloads it, and the task."""

    letter: ChangeLetter | RepaymentLetter
    url: str
    reference: str
    task: object


@pytest.fixture(params=["change", "repayment"])
def pending(request, monkeypatch, renders):
    """Either letter, decided while no worker runs (renders counted from then on)."""

    def build(application, signatory, caseworker, approver, capture):
        if request.param == "change":
            accept(application, caseworker, signatory, capture)
            monkeypatch.setattr(ChangeLetter, "enqueue_on_commit", lambda job: None)
            change = recommended(ask(application, signatory), caseworker)
            change_services.change_request_decide(change_request=change, user=approver)
            letter = ChangeLetter.objects.get(change_request=change)
            found = Pending(
                letter,
                reverse("reporting:change_letter", args=[change.reference]),
                change.reference,
                render_change_letter_pdf,
            )
        else:
            monkeypatch.setattr(RepaymentLetter, "enqueue_on_commit", lambda job: None)
            report = services.report_open(application=application, user=signatory)
            ready_report(
                report,
                signatory,
                used=lambda line: line.granted - 10_000,
                unused_choice=UnusedChoice.REPAY,
            )
            services.report_submit(report=report, user=signatory)
            services.report_approve(report=report, user=caseworker)
            claim = RepaymentClaim.objects.get(report=report)
            found = Pending(
                claim.letter,
                reverse("reporting:repayment_letter", args=[claim.pk]),
                "",
                render_repayment_letter_pdf,
            )
        assert found.letter.status == DocumentStatus.PENDING
        renders.clear()
        return found

    return build


def body(response) -> bytes:
    """The file, read to its end (the test client closes the response then)."""
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_letter_clicked_before_the_worker_is_made_then_and_once(
    pending,
    application,
    signatory,
    caseworker,
    approver,
    client,
    renders,
    django_capture_on_commit_callbacks,
):
    # Given a decided letter the worker has not made yet
    found = pending(
        application, signatory, caseworker, approver, django_capture_on_commit_callbacks
    )
    letter = found.letter
    client.force_login(signatory)

    # When the recipient's signatory clicks it
    response = client.get(found.url)

    # Then it is made for them: a PDF, the row ready with its checksum, one download audited
    assert response.status_code == 200
    data = body(response)
    letter.refresh_from_db()
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    assert application.organisation.name in pdf_text(data)
    assert found.reference in pdf_text(data)
    assert letter.status == DocumentStatus.READY
    assert letter.sha256 == hashlib.sha256(data).hexdigest() == response["X-Content-SHA256"]
    assert renders == [1]
    assert (
        AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD, actor=signatory).count()
        == 1
    )

    # And the worker's run that comes afterwards leaves it as it is
    assert found.task(letter.pk) == DocumentStatus.READY
    assert renders == [1]
    again = type(letter).objects.get(pk=letter.pk)
    assert (again.file.name, again.sha256) == (letter.file.name, letter.sha256)


@pytest.mark.django_db
def test_someone_elses_pending_letter_is_not_made_for_them(
    pending,
    application,
    signatory,
    caseworker,
    approver,
    rogaland_signatory,
    rogaland_caseworker,
    client,
    renders,
    django_capture_on_commit_callbacks,
):
    found = pending(
        application, signatory, caseworker, approver, django_capture_on_commit_callbacks
    )

    # another organisation's member and another office's caseworker
    answers = []
    for outsider in (rogaland_signatory, rogaland_caseworker):
        client.force_login(outsider)
        answers.append(client.get(found.url).status_code)

    letter = type(found.letter).objects.get(pk=found.letter.pk)
    assert answers == [404, 404]
    assert (letter.status, letter.file.name, letter.sha256) == (DocumentStatus.PENDING, "", "")
    assert renders == []
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_file(
    pending,
    application,
    signatory,
    caseworker,
    approver,
    renders,
    settings,
    django_capture_on_commit_callbacks,
):
    # Given a pending letter, and the signatory in two browsers
    found = pending(
        application, signatory, caseworker, approver, django_capture_on_commit_callbacks
    )
    before = {p.name for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")}
    browsers = []
    for _ in range(2):
        browser = Client()
        browser.force_login(signatory)
        browsers.append(browser)
    turns = iter(browsers)

    def click():
        response = next(turns).get(found.url)
        return response.status_code, response["X-Content-SHA256"], body(response)

    # When both click at the same moment
    results = run_together(click)

    # Then it is made once, stored once, and both get the same file
    letter = type(found.letter).objects.get(pk=found.letter.pk)
    made = {p.name for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")} - before
    assert [r[0] for r in results] == [200, 200], results
    assert results[0][2] == results[1][2]
    assert results[0][1] == results[1][1] == letter.sha256
    assert letter.status == DocumentStatus.READY
    assert renders == [1]
    assert made == {Path(letter.file.name).name}
