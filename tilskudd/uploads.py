"""Uploaded files, once for every app.

- `LimitedUploadHandler` (first in FILE_UPLOAD_HANDLERS) counts each file's bytes as they
  stream in and drops a file as soon as it is larger than any form takes, so an oversized
  upload never fills memory or disk; `note_refused_uploads` then says so next to the field.
- `TemporaryFileUploadHandler` (last) writes a file larger than FILE_UPLOAD_MAX_MEMORY_SIZE
  to the temporary folder, as Django's does, but drops the file when the folder cannot take
  it (full, over quota, read-only, failing): its partial file removed, the fault logged as
  an error, and `note_refused_uploads` says next to the field to try again shortly.
- `checked_pdf_sha256` accepts a PDF attachment by its content (it must parse, and may not
  carry scripts, automatic actions, embedded files, encryption or a second format such as
  HTML), not by its name or the browser's content type, and returns its SHA-256.
- Attachments are stored under a generated name (`generated_pdf_name`); the name the person
  gave is kept, made harmless (`safe_original_name`), for pages and downloads.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import hashlib
import logging
import os
import re
import tempfile
import unicodedata
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import uploadhandler
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from tilskudd.documents.excel.common import MAX_UPLOAD_BYTES as MAX_EXCEL_BYTES

from .pdf_inspection import PdfRefusal, inspect_pdf

logger = logging.getLogger(__name__)

MAX_PDF_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
#: The largest file any form takes; the upload handler drops a file past this size.
MAX_UPLOAD_FILE_BYTES = max(MAX_PDF_BYTES, MAX_EXCEL_BYTES)
#: Room for a form's other fields and the multipart framing beside its one file. A request
#: body larger than file + this has every file in it dropped before a byte is stored.
UPLOAD_BODY_MARGIN_BYTES = 1024 * 1024
#: How far into the file "%PDF-" may start (readers accept up to 1 KB of leading junk,
#: which is exactly where a polyglot hides its other format).
MAX_PDF_HEADER_OFFSET = 4
#: The head of the file searched for another format's markers.
POLYGLOT_SCAN_BYTES = 4096
POLYGLOT_MARKERS = (b"<html", b"<!doctype", b"<script", b"<body", b"<iframe", b"<svg",
                    b"<object", b"<embed")
#: Longest original name kept (with ".pdf"); longer names are cut in the middle of the stem.
MAX_ORIGINAL_NAME_LENGTH = 120
#: Characters kept in an original name besides letters and digits (any script).
_NAME_PUNCTUATION = frozenset(" ._-()+,&'")


def size_message(max_bytes: int) -> str:
    return _("Filen er for stor (høyst %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)}


class UploadRefusal(enum.Enum):
    """Why the upload handlers dropped a file: request.upload_refused = {field name: this}."""

    TOO_LARGE = "too large"
    NO_ROOM = "no room"  # the temporary folder is full or over its quota
    NOT_WRITABLE = "not writable"  # the temporary folder is read-only or failing

    def message(self, max_bytes: int) -> str:
        """What the person reads next to the field; `max_bytes`: the form's largest file."""
        if self is UploadRefusal.TOO_LARGE:
            return size_message(max_bytes)
        if self is UploadRefusal.NO_ROOM:
            return _("Filen kunne ikke tas imot akkurat nå fordi serveren mangler plass. Det "
                     "du ellers har fylt ut, er tatt vare på. Prøv å laste opp filen igjen "
                     "om litt.")
        return _("Filen kunne ikke tas imot akkurat nå på grunn av en feil på serveren. Det "
                 "du ellers har fylt ut, er tatt vare på. Prøv å laste opp filen igjen om "
                 "litt.")


def _messages() -> dict[PdfRefusal, str]:
    return {
        PdfRefusal.UNREADABLE: _(
            "Filen kan ikke leses som PDF. Lagre dokumentet som PDF på nytt og prøv igjen."),
        PdfRefusal.ENCRYPTED: _(
            "PDF-filen er kryptert eller passordbeskyttet. Last opp en versjon uten passord."),
        PdfRefusal.SCRIPT: _(
            "PDF-filen inneholder JavaScript eller handlinger som kjøres automatisk, og kan "
            "ikke lastes opp. Lagre den som en vanlig PDF (for eksempel med «Skriv ut til "
            "PDF») og prøv igjen."),
        PdfRefusal.EMBEDDED: _(
            "PDF-filen inneholder innebygde filer eller starter andre programmer, og kan ikke "
            "lastes opp. Last opp dokumentet uten innebygde filer."),
        PdfRefusal.TOO_COMPLEX: _(
            "PDF-filen er for sammensatt til å kontrolleres. Lagre den som PDF på nytt (for "
            "eksempel med «Skriv ut til PDF») og prøv igjen."),
    }


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def checked_pdf_sha256(uploaded: UploadedFile, max_bytes: int = MAX_PDF_BYTES) -> str:
    """Raise ValidationError({"file": ...}) unless `uploaded` is a harmless PDF of at most
    `max_bytes`; otherwise return its SHA-256, leaving the file at its start."""
    if uploaded.size > max_bytes:
        raise _refuse(size_message(max_bytes))
    uploaded.seek(0)
    head = uploaded.read(POLYGLOT_SCAN_BYTES)
    offset = head.find(PDF_MAGIC)
    if offset < 0:
        raise _refuse(_("Vedlegg må være PDF-filer."))
    lowered = head.lower()
    if offset > MAX_PDF_HEADER_OFFSET or any(marker in lowered for marker in POLYGLOT_MARKERS):
        raise _refuse(_("Filen er ikke en ren PDF-fil: den inneholder også noe annet (for "
                        "eksempel en nettside). Lagre dokumentet som PDF på nytt og prøv igjen."))
    uploaded.seek(0)
    refusal = inspect_pdf(uploaded)
    if refusal is not None:
        logger.info("PDF upload %r refused: %s", safe_original_name(uploaded.name or ""),
                    refusal.value)
        raise _refuse(_messages()[refusal])
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


# --- names ---------------------------------------------------------------------------------


def generated_pdf_name() -> str:
    """The stored file's name: says nothing about the person's name for it."""
    return f"{uuid.uuid4().hex}.pdf"


def _name_char(char: str) -> str:
    category = unicodedata.category(char)
    if category[0] == "C":  # Cc, Cf (U+202E and the other bidi marks), Cs, Co, Cn
        return ""
    if category == "Pd":  # en and em dashes
        return "-"
    if char.isalnum() or char in _NAME_PUNCTUATION:
        return char
    return "_"


def safe_original_name(name: str) -> str:
    """The name a person gave their file, fit to show and to offer as a download name: no
    folders, no control, format or bidirectional characters, only letters, digits and a
    little punctuation, at most MAX_ORIGINAL_NAME_LENGTH long, ending in ".pdf"."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(_name_char(char) for char in name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"_{2,}", "_", name).strip(" ._")
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = stem.rstrip(" .") or _("vedlegg")
    return stem[: MAX_ORIGINAL_NAME_LENGTH - 4] + ".pdf"


def download_name(original_name: str, stored_name: str) -> str:
    """What an attachment is called on pages and when downloaded; rows from before the
    original name was kept fall back to the stored file's own name."""
    return original_name or os.path.basename(stored_name)


# --- the upload handler --------------------------------------------------------------------


def _note_refusal(request, field_name: str, refusal: UploadRefusal) -> None:
    if request is not None:
        refused = getattr(request, "upload_refused", None)
        if refused is None:
            refused = request.upload_refused = {}
        refused[field_name] = refusal


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they stream in and drops (SkipFile) a file as soon as it
    is larger than MAX_UPLOAD_FILE_BYTES, or at once when the whole request body is larger
    than a file and its form could be, so the handlers after it (memory, then a temporary
    file) never hold more than the limit and close what they held. The request remembers
    each refused field: request.upload_refused = {field name: UploadRefusal.TOO_LARGE}."""

    def __init__(self, request=None, max_file_bytes: int | None = None):
        super().__init__(request)
        self.max_file_bytes = max_file_bytes or MAX_UPLOAD_FILE_BYTES
        self.body_too_large = False
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body_too_large = (content_length or 0) > (
            self.max_file_bytes + UPLOAD_BODY_MARGIN_BYTES)
        return None  # the parsing itself is left to Django

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        self.received = 0
        if self.body_too_large or (content_length or 0) > self.max_file_bytes:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_file_bytes:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler makes the file

    def _refuse(self):
        logger.info("Upload of field %r refused while streaming: larger than %d bytes",
                    self.field_name, self.max_file_bytes)
        _note_refusal(self.request, self.field_name, UploadRefusal.TOO_LARGE)
        raise SkipFile


#: The temporary folder's faults that mean it has no room (the rest: read-only, failing).
NO_ROOM_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler of a file too large for memory (it is streamed to a temporary file in
    FILE_UPLOAD_TEMP_DIR), except that a folder that cannot take the file (an OSError:
    full, over quota, read-only, failing) drops the file instead of failing the request:
    the partial temporary file is removed (a full disk is not made fuller), the fault is
    logged as an error, and the request remembers the field (UploadRefusal.NO_ROOM or
    NOT_WRITABLE), which `note_refused_uploads` says next to it."""

    def new_file(self, *args, **kwargs):
        try:
            super().new_file(*args, **kwargs)  # creates the temporary file
        except OSError as error:
            self._note_fault(error)
            raise SkipFile from error

    def receive_data_chunk(self, raw_data, start):
        try:
            super().receive_data_chunk(raw_data, start)  # writes the chunk to the file
        except OSError as error:
            self._drop(error)
            raise SkipFile from error

    def file_complete(self, file_size):
        try:
            return super().file_complete(file_size)  # its seek writes the buffered end
        except OSError as error:
            self._drop(error)
            return None  # no file (the parser takes SkipFile only while a file streams in)

    def _drop(self, error: OSError) -> None:
        with contextlib.suppress(OSError):  # it raises if its buffered end cannot be
            self.file.close()               # written, but removes the file all the same
        self._note_fault(error)

    def _note_fault(self, error: OSError) -> None:
        logger.error("Upload of field %r dropped: the temporary folder %s did not take it: %s",
                     self.field_name, settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir(),
                     error)
        _note_refusal(self.request, self.field_name, UploadRefusal.NO_ROOM
                      if error.errno in NO_ROOM_ERRNOS else UploadRefusal.NOT_WRITABLE)


def note_refused_uploads(request, form: Any, *, max_bytes: int = MAX_PDF_BYTES) -> None:
    """Put why next to each of a bound form's file fields whose upload the handlers dropped
    (instead of «required»): «Filen er for stor» with the form's own `max_bytes`, or that
    the server could not take the file now; the rest of the form is kept as sent."""
    refused = getattr(request, "upload_refused", None)
    if not refused or not form.is_bound:
        return
    for name in form.fields:
        refusal = refused.get(form.add_prefix(name))
        if refusal is not None:
            form.errors.pop(name, None)
            form.add_error(name, refusal.message(max_bytes))
