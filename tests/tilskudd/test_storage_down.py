"""What an applicant and a caseworker meet when the document storage refuses writes (a
full disk) or does not answer (the S3 server stopped): an upload says next to its field
that the file was not saved and to try again, with the form's other fields kept and
nothing half-stored; a submit is kept and its PDF is made when asked for once the storage
is back (503 until then); a download gets the calm page and no audit row; /helse/klar/
names the storage. No server error."""

import errno
import io
import logging
import os
import re

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from applications import services
from applications.models import Attachment
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.pdf import blank_pdf
from tests.tilskudd.s3_server import _free_port
from tilskudd.audit import AuditAction, AuditEvent

PDF = blank_pdf()
NOT_SAVED = {
    "nb": "Filen ble ikke lagret fordi lagringen ikke svarer akkurat nå. Det du ellers har "
          "fylt ut, er tatt vare på. Prøv å laste opp filen igjen om litt.",
    "nn": "Fila vart ikkje lagra fordi lagringa ikkje svarar akkurat no. Det du elles har "
          "fylt ut, er teke vare på. Prøv å laste opp fila igjen om litt.",
    "en": "The file was not saved because the storage is not answering right now. "
          "Everything else you have filled in is kept. Try uploading the file again shortly.",
}


@pytest.fixture
def draft(trondheim, grant_round, signatory):
    application = services.application_start(
        organisation=trondheim, round=grant_round, user=signatory)
    return services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )


def files_under(root) -> list[str]:
    return [os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names]


def file_errors(html: str) -> list[str]:
    match = re.search(r'<div id="id_attachment-file_error" class="invalid-feedback">(.*?)</div>',
                      html, re.S)
    return re.findall(r"<strong>(.*?)</strong>", match.group(1)) if match else []


def upload(client, draft, language="nb"):
    return client.post(reverse("applications:attachment_add", args=[draft.pk]), {
        "attachment-kind": "other", "attachment-title": "Plan for Leve hele livet",
        "attachment-file": SimpleUploadedFile("Plan.pdf", PDF, content_type="application/pdf"),
    }, headers={"Accept-Language": language})


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_an_upload_to_a_full_disk_is_refused_next_to_the_field_and_nothing_is_left(
    client, draft, signatory, full_disk, settings, language, caplog
):
    # Given a signatory on the attachments step, and a disk that fills during the write
    client.force_login(signatory)

    # When a PDF is uploaded
    with caplog.at_level(logging.ERROR, logger="tilskudd.attachments"):
        response = upload(client, draft, language)

    # Then the page comes back with the message next to the file field, the title kept
    html = response.content.decode()
    assert response.status_code == 200
    assert file_errors(html) == [NOT_SAVED[language]]
    assert 'value="Plan for Leve hele livet"' in html
    # And nothing was kept: no row, no audit row, no half-written file
    assert len(full_disk.tried) == 1
    assert Attachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_ADD).exists()
    assert files_under(settings.MEDIA_ROOT) == []
    assert "The storage did not take the attachment" in caplog.text


def test_an_upload_while_the_object_storage_is_stopped_is_refused_next_to_the_field(
    client, draft, signatory, s3_down
):
    client.force_login(signatory)

    response = upload(client, draft)

    assert response.status_code == 200
    assert file_errors(response.content.decode()) == [NOT_SAVED["nb"]]
    assert Attachment.objects.count() == 0
    assert type(default_storage._wrapped).__name__ == "PrivateS3Storage"


def test_an_upload_after_the_disk_has_room_again_is_kept(
    client, draft, signatory, monkeypatch, settings
):
    # Given a disk that was full for the first try only
    original = FileSystemStorage._save
    tries = []

    def full_once(self, name, content):
        tries.append(name)
        if len(tries) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_once)
    client.force_login(signatory)

    # When the person uploads again as the page asks
    assert upload(client, draft).status_code == 200
    assert upload(client, draft).status_code == 302

    # Then the second try is the one file kept, whole
    attachment = Attachment.objects.get()
    assert files_under(settings.MEDIA_ROOT) == [attachment.file.path]
    assert attachment.file.read() == PDF


# A submit while the storage is down: the submission is kept, the PDF comes when it is back.

UNMADE = {
    "nb": "Dokumentet er ikke laget ennå, og det kan ikke lages akkurat nå. Ingenting er "
          "tapt. Prøv igjen om litt.",
    "en": "The document has not been made yet, and it cannot be made right now. Nothing is "
          "lost. Try again shortly.",
}


def submit_through_the_page(client, draft, capture):
    with capture(execute=True):
        response = client.post(reverse("applications:submit", args=[draft.pk]))
    assert response.status_code == 302
    return draft.submissions.get()


def downloads() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).count()


def test_a_submit_to_a_full_disk_is_kept_and_its_pdf_is_made_when_asked_once_there_is_room(
    client, draft, signatory, full_disk, django_capture_on_commit_callbacks
):
    from applications.models import ReceiptDocument
    from tilskudd.documents.jobs import MAX_ATTEMPTS, DocumentStatus

    # Given the signatory submits while the disk is full
    client.force_login(signatory)
    submission = submit_through_the_page(client, draft, django_capture_on_commit_callbacks)

    # Then the submission is kept and its receipt page shows the reference; the worker's
    # attempts all failed, and the page offers to make the PDF on the spot
    job = ReceiptDocument.objects.get(submission=submission)
    assert (job.status, job.attempts, full_disk.writes) == (DocumentStatus.FAILED, MAX_ATTEMPTS,
                                                       MAX_ATTEMPTS)
    pdf_url = reverse("applications:receipt_pdf", args=[submission.reference])
    page = client.get(reverse("applications:receipt", args=[submission.reference]))
    html = page.content.decode()
    assert page.status_code == 200
    assert submission.reference in html
    assert f'<a href="{pdf_url}" id="pdf-now">Prøv å lage PDF-kopien igjen</a>' in html

    # When it is asked for while the disk is still full: a calm 503 in the person's
    # language, no download written to the audit trail, the row as it was
    for language in ("nb", "en"):
        refused = client.get(pdf_url, headers={"Accept-Language": language})
        assert (refused.status_code, refused["Retry-After"]) == (503, "30")
        assert UNMADE[language] in refused.content.decode()
    assert downloads() == 0
    job.refresh_from_db()
    assert (job.status, job.attempts, job.file.name) == (DocumentStatus.FAILED, MAX_ATTEMPTS, "")

    # When the disk has room again and the PDF is asked for: it is made, handed out, audited
    full_disk.full = False
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    job.refresh_from_db()
    assert (job.status, job.error) == (DocumentStatus.READY, "")
    assert downloads() == 1
    assert "Last ned PDF-kopi" in client.get(
        reverse("applications:receipt", args=[submission.reference])).content.decode()


def test_a_submit_while_the_object_storage_is_stopped_gets_its_pdf_once_it_is_back(
    client, draft, signatory, s3_storage, settings, django_capture_on_commit_callbacks
):
    from applications.models import ReceiptDocument
    from tilskudd.documents.jobs import DocumentStatus

    # Given the bucket's server stops before the signatory submits
    running = settings.STORAGES
    settings.STORAGES = {**running, "default": {**running["default"], "OPTIONS": {
        **running["default"]["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{_free_port()}"}}}
    client.force_login(signatory)
    submission = submit_through_the_page(client, draft, django_capture_on_commit_callbacks)
    pdf_url = reverse("applications:receipt_pdf", args=[submission.reference])

    # Then the submission is kept; asking for its PDF gets the calm page, nothing audited
    assert client.get(reverse("applications:receipt", args=[submission.reference])
                      ).status_code == 200
    assert ReceiptDocument.objects.get(submission=submission).status == DocumentStatus.FAILED
    refused = client.get(pdf_url)
    assert refused.status_code == 503
    assert UNMADE["nb"] in refused.content.decode()
    assert downloads() == 0

    # When the server answers again, the PDF is made into the bucket and handed out
    settings.STORAGES = running
    response = client.get(pdf_url)
    assert response.status_code == 200
    job = ReceiptDocument.objects.get(submission=submission)
    assert s3_storage.keys() == [job.file.name]
    assert b"".join(response.streaming_content) == s3_storage.body(job.file.name)
    assert downloads() == 1


# Downloads and the readiness probe while the S3 server is stopped.


def stop(settings):
    """The S3 server the default storage uses stops answering (nothing listens any more)."""
    running = settings.STORAGES
    settings.STORAGES = {**running, "default": {**running["default"], "OPTIONS": {
        **running["default"]["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{_free_port()}"}}}
    return running


def test_an_attachment_asked_for_while_the_s3_server_is_stopped_gets_the_calm_page(
    client, draft, signatory, s3_storage, settings
):
    # Given an attachment kept in the bucket
    client.force_login(signatory)
    assert upload(client, draft).status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("applications:attachment_download", args=[draft.pk, attachment.pk])

    # When the server has stopped: a calm 503 in the person's language, nothing audited
    running = stop(settings)
    english = client.get(url, headers={"Accept-Language": "en"})
    nynorsk = client.get(url, headers={"Accept-Language": "nn"})
    assert (english.status_code, nynorsk.status_code) == (503, 503)
    assert ("The document is stored, but the storage is not answering right now. Nothing "
            "has changed. Try again shortly.") in english.content.decode()
    assert ("Dokumentet er lagra, men lagringa svarer ikkje akkurat no. Ingenting er endra. "
            "Prøv igjen om litt.") in nynorsk.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DOWNLOAD).exists()

    # And when it answers again the file is there, whole, and the download is audited
    settings.STORAGES = running
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DOWNLOAD).count() == 1


def test_ready_names_the_storage_within_seconds_when_the_s3_server_is_stopped(
    client, db, s3_storage, settings
):
    import time

    stop(settings)
    started = time.monotonic()

    response = client.get("/helse/klar/")

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_an_attachment_removed_while_the_s3_server_is_stopped_is_removed(
    client, draft, signatory, s3_storage, settings, django_capture_on_commit_callbacks, caplog
):
    # Given an attachment kept in the bucket, and then the server stops
    client.force_login(signatory)
    assert upload(client, draft).status_code == 302
    attachment = Attachment.objects.get()
    running = stop(settings)

    # When the person removes it
    with (caplog.at_level(logging.ERROR, logger="tilskudd.storage"),
          django_capture_on_commit_callbacks(execute=True)):
        response = client.post(
            reverse("applications:attachment_remove", args=[draft.pk, attachment.pk]))

    # Then it is removed from the application, and the file the storage could not delete is
    # logged for the operators (left in the bucket, named by no row)
    assert response.status_code == 302
    assert Attachment.objects.count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_REMOVE).count() == 1
    assert f"Could not delete the file {attachment.file.name}" in caplog.text
    settings.STORAGES = running
    assert s3_storage.keys() == [attachment.file.name]


def _client_error(code: str, status: int):
    from botocore.exceptions import ClientError

    return ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
                       "PutObject")


@pytest.mark.parametrize(("error", "refused"), [
    (OSError(errno.ENOSPC, "No space left on device"), True),
    (OSError(errno.EROFS, "Read-only file system"), True),
    (PermissionError(errno.EACCES, "Permission denied"), True),
    (FileExistsError(errno.EEXIST, "File exists"), True),
    ("endpoint", True),
    ("read timeout", True),
    (_client_error("SlowDown", 503), True),
    (_client_error("AccessDenied", 403), True),
    (ValueError("not a storage's"), False),
    (io.UnsupportedOperation("read"), False),
    ("bad parameter", False),
    (RuntimeError("Pango mangler"), False),
    (DatabaseError("server closed the connection unexpectedly"), False),
])
def test_what_a_storage_refusing_a_write_is(error, refused):
    from botocore.exceptions import (
        EndpointConnectionError,
        ParamValidationError,
        ReadTimeoutError,
    )

    from tilskudd.storage import is_storage_error

    error = {
        "endpoint": lambda: EndpointConnectionError(endpoint_url="http://s3"),
        "read timeout": lambda: ReadTimeoutError(endpoint_url="http://s3"),
        "bad parameter": lambda: ParamValidationError(report="Unknown parameter Bukket"),
    }.get(error if isinstance(error, str) else "", lambda: error)()
    assert is_storage_error(error) is refused
