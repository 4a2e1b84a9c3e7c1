"""A report's attachment uploaded while the document storage refuses writes (a full disk)
or does not answer (the S3 server stopped): the report's page comes back with the message
next to the file field in the person's language, the title and kind kept, and nothing of
the file, the row or the report's «saved» time changed; no server error. A report sent
while the disk is full is kept, and its PDF is made when asked for once there is room."""

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import ReportAttachment
from tests.tilskudd.s3_server import _free_port
from tilskudd.audit import AuditAction, AuditEvent

from .helpers import pdf_bytes

NOT_SAVED = {
    "nb": "Filen ble ikke lagret fordi lagringen ikke svarer akkurat nå. Det du ellers har "
          "fylt ut, er tatt vare på. Prøv å laste opp filen igjen om litt.",
    "en": "The file was not saved because the storage is not answering right now. "
          "Everything else you have filled in is kept. Try uploading the file again shortly.",
}




def field_errors(html: str) -> list[str]:
    match = re.search(r'<div id="id_file_error" class="invalid-feedback">(.*?)</div>', html, re.S)
    return re.findall(r"<strong>(.*?)</strong>", match.group(1)) if match else []


def upload(client, report, language):
    return client.post(reverse("reporting:attachment_add", args=[report.pk]), {
        "kind": "auditor_statement", "title": "Revisors uttalelse 2027",
        "file": SimpleUploadedFile("revisor.pdf", pdf_bytes(), content_type="application/pdf"),
    }, headers={"Accept-Language": language})


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_report_attachment_to_a_full_disk_is_refused_next_to_the_field(
    client, report, signatory, full_disk, settings, language
):
    client.force_login(signatory)
    saved_at = report.updated_at

    response = upload(client, report, language)

    html = response.content.decode()
    assert response.status_code == 422
    assert field_errors(html) == [NOT_SAVED[language]]
    assert 'value="Revisors uttalelse 2027"' in html
    assert ReportAttachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.REPORT_ATTACHMENT_ADD).exists()
    assert [n for _, _, names in os.walk(settings.MEDIA_ROOT) for n in names] == []
    report.refresh_from_db()
    assert report.updated_at == saved_at


def test_a_report_attachment_while_the_object_storage_is_stopped_is_refused(
    client, report, signatory, s3_down
):
    client.force_login(signatory)

    response = upload(client, report, "nb")

    assert response.status_code == 422
    assert field_errors(response.content.decode()) == [NOT_SAVED["nb"]]
    assert ReportAttachment.objects.count() == 0


def test_a_report_sent_while_the_disk_is_full_is_kept_and_its_pdf_comes_once_there_is_room(
    client, report, signatory, full_disk, django_capture_on_commit_callbacks
):
    from reporting.models import ReportReceipt
    from tilskudd.documents.jobs import DocumentStatus

    from .helpers import ready_report

    # Given a complete report (its attachment stored while there was room), sent while
    # every write to the disk fails
    full_disk.full = False
    ready_report(report, signatory)
    full_disk.full = True
    client.force_login(signatory)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("reporting:submit", args=[report.pk]))

    # Then the report is sent: its receipt page has the reference, its PDF job gave up
    submission = report.submissions.get()
    assert sent["Location"] == reverse("reporting:receipt", args=[submission.reference])
    assert submission.reference in client.get(sent["Location"]).content.decode()
    assert ReportReceipt.objects.get(submission=submission).status == DocumentStatus.FAILED
    pdf_url = reverse("reporting:receipt_pdf", args=[submission.reference])
    assert client.get(pdf_url).status_code == 503

    # And once there is room, asking for the PDF makes it
    full_disk.full = False
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ReportReceipt.objects.get(submission=submission).status == DocumentStatus.READY


def test_a_report_attachment_removed_while_the_s3_server_is_stopped_is_removed(
    client, report, signatory, s3_storage, settings, django_capture_on_commit_callbacks
):
    # Given an attachment in the bucket, and then the server stops
    client.force_login(signatory)
    assert upload(client, report, "nb").status_code == 302
    attachment = ReportAttachment.objects.get()
    running = settings.STORAGES
    settings.STORAGES = {**running, "default": {**running["default"], "OPTIONS": {
        **running["default"]["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{_free_port()}"}}}

    # When the person removes it, the removal is done (the file is left, logged)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:attachment_remove", args=[report.pk, attachment.pk]))

    assert response.status_code == 302
    assert ReportAttachment.objects.count() == 0
    settings.STORAGES = running
    assert s3_storage.keys() == [attachment.file.name]
