"""The report's receipt page (the shared tilskudd.receipts page): what it says while the
PDF copy is being made, when it is ready and when it failed; and every download of the
PDF copy or an attachment is written to the audit trail."""

import re

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import ReportReceipt, UnusedChoice
from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import AuditEvent

from .helpers import ready_report


@pytest.fixture
def submission(report, signatory):
    """Sent, with kr 10 000 unused per line to be repaid; the PDF job not yet run."""
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice=UnusedChoice.REPAY)
    return services.report_submit(report=report, user=signatory)


def _page(client, user, submission) -> str:
    client.force_login(user)
    response = client.get(reverse("reporting:receipt", args=[submission.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_receipt_says_what_was_sent_to_whom(client, submission, signatory):
    text = _text(_page(client, signatory, submission))

    assert "Rapporten er sendt inn" in text
    assert f"Referansenummer {submission.reference}" in text
    assert ("Oppgi referansenummeret i all kontakt med Statsforvalteren om rapporten."
            in text)
    assert "Avsender Trondheim - Tråante kommune (org.nr. " in text
    assert "Sendt av Sigurd Signatur" in text
    assert "Mottaker Statsforvalteren i Trøndelag" in text
    assert "Innvilget kr 260 000 Brukt kr 230 000 Ubrukt kr 30 000" in text
    assert "Ubrukte midler Betale tilbake ubrukte midler Status Sendt inn" in text
    assert "Se hva som ble sendt" in text
    assert "Til Mine rapporter" in text


def test_while_the_pdf_is_made_the_page_says_so(client, submission, signatory):
    html = _page(client, signatory, submission)

    assert 'data-status="pending"' in html
    assert "PDF-kopien lages …" in html
    assert f'href="/rapporter/kvittering/{submission.reference}/" data-reload-link' in html


def test_a_ready_pdf_is_offered_with_its_checksum(client, submission, signatory):
    receipt = ReportReceipt.objects.get(submission=submission)
    receipt.status, receipt.sha256 = DocumentStatus.READY, "ab" * 32
    receipt.save()

    text = _text(_page(client, signatory, submission))

    assert f"Last ned PDF-kopi Kontrollsum (SHA-256): {'ab' * 32}" in text


def test_a_failed_pdf_is_explained(client, submission, signatory):
    ReportReceipt.objects.filter(submission=submission).update(status=DocumentStatus.FAILED)

    text = _text(_page(client, signatory, submission))

    assert ("PDF-kopien kunne ikke lages. Rapporten er sendt inn og lagret, og kvitteringen "
            "med referansenummeret over gjelder.") in text


def test_downloading_the_receipt_pdf_is_audited(
    client, report, signatory, django_capture_on_commit_callbacks
):
    ready_report(report, signatory)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.report_submit(report=report, user=signatory)
    client.force_login(signatory)

    response = client.get(reverse("reporting:receipt_pdf", args=[submission.reference]))

    assert response.status_code == 200
    row = AuditEvent.objects.get(action=AuditAction.DOCUMENT_DOWNLOAD)
    assert (row.actor, row.target, row.data["filename"]) == (
        signatory, submission.receipt, f"{submission.reference}.pdf")


def test_downloading_an_attachment_is_audited(client, report, signatory):
    ready_report(report, signatory)
    attachment = report.attachments.get()
    client.force_login(signatory)

    response = client.get(reverse("reporting:attachment_download",
                                  args=[report.pk, attachment.pk]))

    assert response.status_code == 200
    row = AuditEvent.objects.get(action=AuditAction.ATTACHMENT_DOWNLOAD)
    assert (row.actor, row.target) == (signatory, attachment)
