"""An upload larger than any form takes is dropped while it streams in (LimitedUploadHandler),
before it reaches memory or disk, and the form says «Filen er for stor» next to the field
while keeping the rest of what was sent."""

import errno
import io
import logging
import os
import re

import pytest
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser
from django.urls import reverse

from applications import services
from applications.models import Application, Attachment
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd.documents.excel import MAX_UPLOAD_BYTES as MAX_EXCEL_BYTES
from tilskudd.models import MembershipRole
from tilskudd.uploads import (
    MAX_PDF_BYTES,
    UPLOAD_BODY_MARGIN_BYTES,
    LimitedUploadHandler,
    TemporaryFileUploadHandler,
    UploadRefusal,
)

MB = 1024 * 1024
TOO_LARGE = "Filen er for stor (høyst 10 MB)."


def _started(handler: LimitedUploadHandler, body_length: int, declared: int | None = None):
    handler.handle_raw_input(io.BytesIO(), {}, body_length, b"grense")
    handler.new_file("attachment-file", "plan.pdf", "application/pdf", declared)


def test_the_limit_is_the_largest_file_any_form_takes():
    assert LimitedUploadHandler().max_file_bytes == max(MAX_PDF_BYTES, MAX_EXCEL_BYTES) == 10 * MB


def test_chunks_up_to_the_limit_pass_through_unchanged():
    request = HttpRequest()
    handler = LimitedUploadHandler(request, max_file_bytes=100)
    _started(handler, body_length=150)

    passed = [handler.receive_data_chunk(b"x" * 60, 0), handler.receive_data_chunk(b"y" * 40, 60)]

    assert passed == [b"x" * 60, b"y" * 40]
    assert handler.file_complete(100) is None  # the next handler makes the file
    assert not hasattr(request, "upload_refused")


def test_a_file_is_skipped_as_soon_as_it_passes_the_limit():
    request = HttpRequest()
    handler = LimitedUploadHandler(request, max_file_bytes=100)
    _started(handler, body_length=150)
    handler.receive_data_chunk(b"x" * 60, 0)

    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 41, 60)

    assert request.upload_refused == {"attachment-file": UploadRefusal.TOO_LARGE}


def test_a_body_larger_than_a_file_and_its_form_drops_the_file_before_its_first_byte():
    request = HttpRequest()
    handler = LimitedUploadHandler(request, max_file_bytes=100)

    with pytest.raises(SkipFile):
        _started(handler, body_length=100 + UPLOAD_BODY_MARGIN_BYTES + 1)

    assert request.upload_refused == {"attachment-file": UploadRefusal.TOO_LARGE}


def test_a_file_declared_larger_than_the_limit_is_dropped_at_once():
    handler = LimitedUploadHandler(HttpRequest(), max_file_bytes=100)

    with pytest.raises(SkipFile):
        _started(handler, body_length=150, declared=101)


def test_the_parser_keeps_the_other_fields_of_a_request_whose_file_is_dropped():
    # given a multipart body with a title and a 200-byte file, and a 100-byte limit
    boundary = "grense"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachment-title\"\r\n\r\n"
        "Plan\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachment-file\"; "
        "filename=\"plan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    ).encode() + b"%PDF-" + b"0" * 195 + f"\r\n--{boundary}--\r\n".encode()
    request = HttpRequest()
    handlers = [LimitedUploadHandler(request, max_file_bytes=100),
                MemoryFileUploadHandler(request), TemporaryFileUploadHandler(request)]
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "CONTENT_LENGTH": str(len(body))}

    # when it is parsed
    post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()

    # then the file is gone, the title is kept, and the request says which field was dropped
    assert dict(post) == {"attachment-title": ["Plan"]}
    assert dict(files) == {}
    assert request.upload_refused == {"attachment-file": UploadRefusal.TOO_LARGE}


# --- through the pages ---------------------------------------------------------------------


@pytest.fixture
def trondheim(db):
    return OrganisationFactory()


@pytest.fixture
def editor(trondheim):
    return member(trondheim, MembershipRole.EDITOR, email="utfyller@example.no",
                  full_name="Ulrikke Utfyller")


@pytest.fixture
def draft(trondheim, editor):
    return services.application_start(organisation=trondheim, round=RoundFactory(), user=editor)


@pytest.fixture
def upload_temp_dir(settings, tmp_path):
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def bytes_to_disk(monkeypatch):
    """How many bytes Django's temporary-file handler was given to write."""
    written = []
    original = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        written.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return written


def field_errors(html: str, field_id: str) -> list[str]:
    match = re.search(rf'<div id="{field_id}_error" class="invalid-feedback">(.*?)</div>',
                      html, re.S)
    return re.findall(r"<strong>(.*?)</strong>", match.group(1)) if match else []


def _post_attachment(client, draft, size: int):
    return client.post(reverse("applications:attachment_add", args=[draft.pk]), {
        "attachment-kind": "other", "attachment-title": "Plan for Leve hele livet",
        "attachment-file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (size - 9),
                                              content_type="application/pdf"),
    })


def test_an_11_mb_attachment_is_refused_before_a_byte_is_written(
    client, editor, draft, settings, upload_temp_dir, bytes_to_disk
):
    client.force_login(editor)

    response = _post_attachment(client, draft, 11 * MB)

    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(html, "id_attachment-file") == [TOO_LARGE]
    assert 'value="Plan for Leve hele livet"' in html  # the rest of the form is kept
    assert sum(bytes_to_disk) == 0
    assert list(upload_temp_dir.iterdir()) == []
    assert Attachment.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "attachments").exists()


def test_a_file_just_over_the_limit_is_dropped_while_streaming_and_its_temp_file_removed(
    client, editor, draft, settings, upload_temp_dir, bytes_to_disk
):
    client.force_login(editor)

    response = _post_attachment(client, draft, 10 * MB + 1)

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "id_attachment-file") == [TOO_LARGE]
    assert 0 < sum(bytes_to_disk) <= 10 * MB  # never more than the limit
    assert list(upload_temp_dir.iterdir()) == []
    assert Attachment.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "attachments").exists()


def test_an_oversized_excel_upload_is_refused_with_the_excel_limit(client, editor, draft):
    client.force_login(editor)

    response = client.post(reverse("applications:excel_upload", args=[draft.pk]), {
        "file": SimpleUploadedFile("soknad.xlsx", b"PK\x03\x04" + b"0" * (11 * MB)),
    })

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "id_file") == [
        "Filen er for stor (høyst 5 MB)."]


def test_an_attachment_within_the_limit_still_goes_through(client, editor, draft):
    from tests.pdf import blank_pdf

    client.force_login(editor)

    response = client.post(reverse("applications:attachment_add", args=[draft.pk]), {
        "attachment-kind": "other", "attachment-title": "Plan",
        "attachment-file": SimpleUploadedFile("plan.pdf", blank_pdf(),
                                              content_type="application/pdf"),
    })

    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "plan.pdf"


# --- a temporary folder that cannot take the file ------------------------------------------

NO_ROOM = {
    "nb": "Filen kunne ikke tas imot akkurat nå fordi serveren mangler plass. Det du ellers "
          "har fylt ut, er tatt vare på. Prøv å laste opp filen igjen om litt.",
    "nn": "Fila kunne ikkje takast imot akkurat no fordi serveren manglar plass. Det du elles "
          "har fylt ut, er teke vare på. Prøv å laste opp fila igjen om litt.",
    "en": "The file could not be received right now because the server is out of space. "
          "Everything else you have filled in is kept. Try uploading the file again shortly.",
}
NOT_WRITABLE_NB = ("Filen kunne ikke tas imot akkurat nå på grunn av en feil på serveren. Det "
                   "du ellers har fylt ut, er tatt vare på. Prøv å laste opp filen igjen om "
                   "litt.")


class TempFolderDisk:
    """The disk under FILE_UPLOAD_TEMP_DIR, with room for `room` bytes of every temporary
    upload together: the write that passes it stores what fits, then fails with `errno`.
    `written` counts the bytes it stored."""

    def __init__(self, room: int, error: int = errno.ENOSPC) -> None:
        self.room = room
        self.errno = error
        self.written = 0


@pytest.fixture
def temp_folder_disk(monkeypatch, upload_temp_dir) -> TempFolderDisk:
    disk = TempFolderDisk(room=1 * MB)

    def write_on(uploaded: TemporaryUploadedFile):
        def write(data: bytes) -> int:
            fits = max(0, min(len(data), disk.room - disk.written))
            uploaded.file.write(data[:fits])
            disk.written += fits
            if fits < len(data):
                raise OSError(disk.errno, os.strerror(disk.errno))
            return fits
        return write

    monkeypatch.setattr(TemporaryUploadedFile, "write", property(write_on))
    return disk


def upload_errors(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records
            if record.name == "tilskudd.uploads" and record.levelno >= logging.ERROR]


def application_row(draft) -> dict:
    return Application.objects.filter(pk=draft.pk).values().get()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_a_3_mb_attachment_the_full_temporary_folder_cannot_take_is_refused_next_to_its_field(
    client, editor, draft, settings, upload_temp_dir, temp_folder_disk, caplog, language
):
    # given a draft, and a temporary folder with room for 1 MB of a 3 MB PDF
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = application_row(draft)

    # when the PDF is attached
    response = _post_attachment(client, draft, 3 * MB)

    # then the page says, next to the file field, that the server could not take it now
    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(html, "id_attachment-file") == [NO_ROOM[language]]
    assert 'value="Plan for Leve hele livet"' in html  # the rest of the form is kept
    # and nothing was stored, the draft is as it was, the partial file is gone
    assert Attachment.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "attachments").exists()
    assert application_row(draft) == before
    assert temp_folder_disk.written == 1 * MB
    assert list(upload_temp_dir.iterdir()) == []
    # and operations are told, once
    assert len(upload_errors(caplog)) == 1
    assert "No space left on device" in upload_errors(caplog)[0].getMessage()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_3_mb_excel_upload_the_full_temporary_folder_cannot_take_is_refused_next_to_its_field(
    client, editor, draft, settings, upload_temp_dir, temp_folder_disk, caplog, language
):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = application_row(draft)

    response = client.post(reverse("applications:excel_upload", args=[draft.pk]), {
        "file": SimpleUploadedFile("soknad.xlsx", b"PK\x03\x04" + b"0" * (3 * MB)),
    })

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "id_file") == [NO_ROOM[language]]
    assert application_row(draft) == before
    assert list(upload_temp_dir.iterdir()) == []
    assert len(upload_errors(caplog)) == 1


def test_a_temporary_folder_that_fails_otherwise_is_named_as_a_fault_of_the_server(
    client, editor, draft, upload_temp_dir, temp_folder_disk, caplog
):
    temp_folder_disk.errno = errno.EIO
    client.force_login(editor)

    response = _post_attachment(client, draft, 3 * MB)

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "id_attachment-file") == [NOT_WRITABLE_NB]
    assert Attachment.objects.count() == 0
    assert list(upload_temp_dir.iterdir()) == []
    assert len(upload_errors(caplog)) == 1


@pytest.mark.parametrize(("error", "refusal"), [
    (errno.ENOSPC, UploadRefusal.NO_ROOM), (errno.EDQUOT, UploadRefusal.NO_ROOM),
    (errno.EROFS, UploadRefusal.NOT_WRITABLE), (errno.EIO, UploadRefusal.NOT_WRITABLE),
])
def test_a_temporary_file_that_cannot_be_made_drops_the_file(monkeypatch, error, refusal):
    def cannot_make(**kwargs):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr("django.core.files.uploadedfile.tempfile.NamedTemporaryFile",
                        cannot_make)
    request = HttpRequest()
    handler = TemporaryFileUploadHandler(request)

    with pytest.raises(SkipFile):
        handler.new_file("attachment-file", "plan.pdf", "application/pdf", None)

    assert request.upload_refused == {"attachment-file": refusal}


def test_a_buffered_end_that_cannot_be_written_drops_the_file_and_removes_it(
    upload_temp_dir, caplog
):
    # given a temporary file whose last bytes are still in its buffer when the disk fills
    request = HttpRequest()
    handler = TemporaryFileUploadHandler(request)
    handler.new_file("attachment-file", "plan.pdf", "application/pdf", None)
    handler.receive_data_chunk(b"%PDF-", 0)
    raw = handler.file.file.file.raw

    def full(data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    raw.write = full

    # when the file is complete (its seek writes the buffer out)
    completed = handler.file_complete(5)

    # then there is no file, the request says why, and the temporary file is gone
    assert completed is None
    assert request.upload_refused == {"attachment-file": UploadRefusal.NO_ROOM}
    assert list(upload_temp_dir.iterdir()) == []
    assert len(upload_errors(caplog)) == 1

