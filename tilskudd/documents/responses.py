"""What the views of every app answer about a generated document: its state for a page
that polls, and the file itself to those the view has already let through. A download
made for a signed-in person (`user=`) is written to the audit trail."""

from __future__ import annotations

import logging
import os
import sys

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from ..audit import AuditAction
from ..errors import Unavailable, is_background
from ..services import audit
from .jobs import DocumentJob, render_now

logger = logging.getLogger(__name__)

#: A background request from the page's own script (autosave, polling); one rule with
#: the refusal middleware's.
is_fetch = is_background


def job_state(job: DocumentJob | None, url: str) -> dict[str, str]:
    """{"status", "url", "sha256"} for a page that polls; url and checksum once ready."""
    if job is None:
        return {"status": "pending", "url": "", "sha256": ""}
    ready = job.is_ready
    return {
        "status": job.status,
        "url": url if ready else "",
        "sha256": job.sha256 if ready else "",
    }


#: What a storage says of a stored file that is not there (a wrong name, a file deleted
#: behind the portal's back): the disk's errors and S3's codes (HEAD answers a bare 404).
MISSING_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError)
MISSING_S3_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
#: S3's answers that pass: throttling and timeouts (and any 5xx, botocore's retries spent).
TRANSIENT_S3_CODES = frozenset({"RequestTimeout", "SlowDown", "Throttling",
                                "ThrottlingException", "RequestLimitExceeded"})


def storage_fault(error: BaseException) -> str:
    """What a fault reading a stored file is: "missing" (the file is not there, which
    should not happen for a stored document), "transient" (the disk's other OSErrors,
    S3's connection faults, timeouts and 5xx: it may pass) or "" (anything else, such as
    no permission or S3's 403: a fault of the set-up, left to raise). botocore's errors
    are known when the S3 backend (tilskudd.storage_s3) is loaded, which it is whenever it
    is the storage in use (botocore is not imported for the local disk)."""
    if isinstance(error, MISSING_ERRORS):
        return "missing"
    if isinstance(error, PermissionError):
        return ""
    if isinstance(error, OSError):
        return "transient"
    botocore = sys.modules.get("botocore.exceptions")
    if botocore is None:
        return ""
    if isinstance(error, botocore.ClientError):
        answer = getattr(error, "response", None) or {}
        code = str(answer.get("Error", {}).get("Code", ""))
        status = answer.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if code in MISSING_S3_CODES or status == 404:
            return "missing"
        if code in TRANSIENT_S3_CODES or status >= 500 or code.startswith("5"):
            return "transient"
        return ""
    if isinstance(error, (botocore.ConnectionError, botocore.HTTPClientError)):
        return "transient"  # no answer: refused, timed out, closed, a proxy's fault
    return ""


def opened(file: FieldFile) -> FieldFile:
    """The stored file opened and read from (so that S3's download, which starts at the
    first read or seek, happens here and not when the FileResponse measures it), or: a
    missing file logged as an error and a 404; a fault that may pass logged and the person
    told on a calm page (503) that the document is kept (storage_fault)."""
    try:
        file.open("rb")
        file.seek(0)
        return file
    except Exception as error:
        fault = storage_fault(error)
        if fault == "missing":
            logger.error("The stored file %s is missing", file.name, exc_info=True)
            raise Http404 from error
        if not fault:
            raise
        logger.exception("The storage did not give %s", file.name)
        raise Unavailable(
            _("Dokumentet kan ikke hentes akkurat nå"),
            _("Dokumentet er lagret, men lagringen svarer ikke akkurat nå. Ingenting er "
              "endret. Prøv igjen om litt."),
        ) from error


def document_download(
    job: DocumentJob | None, filename: str | None = None, *, as_attachment: bool = True,
    user=None,
) -> FileResponse:
    """The PDF of a job, with its checksum in a header; one not ready whose model has a
    renderer is made for the person asking now (jobs.render_now), and if that fails too
    (the storage down) the person is told on a calm page (503) to try again; one without a
    renderer is 404 until it is ready. Given the `user` it is handed to, one
    DOCUMENT_DOWNLOAD audit row on the job."""
    if job is not None and not job.is_ready:
        job = render_now(job)
        if not job.is_ready and type(job).renderer:
            raise Unavailable(
                _("Dokumentet kan ikke lages akkurat nå"),
                _("Dokumentet er ikke laget ennå, og det kan ikke lages akkurat nå. Ingenting "
                  "er tapt. Prøv igjen om litt."),
            )
    if job is None or not job.is_ready or not job.file:
        raise Http404
    filename = filename or os.path.basename(job.file.name)
    response = FileResponse(
        opened(job.file), as_attachment=as_attachment,
        filename=filename, content_type="application/pdf",
    )
    response["X-Content-SHA256"] = job.sha256
    if user is not None:
        audit(actor=user, action=AuditAction.DOCUMENT_DOWNLOAD, target=job,
              filename=filename, sha256=job.sha256)
    return response


def attachment_download(attachment, *, user=None) -> FileResponse:
    """An uploaded PDF attachment (any model with `file` and `download_name`), offered
    under the sanitised name it was uploaded with, never shown inline; given the `user`
    it is handed to, one ATTACHMENT_DOWNLOAD audit row on the attachment."""
    response = FileResponse(
        opened(attachment.file), as_attachment=True, filename=attachment.download_name,
        content_type="application/pdf",
    )
    if user is not None:  # once the file is opened: a download that failed is not one
        audit(actor=user, action=AuditAction.ATTACHMENT_DOWNLOAD, target=attachment,
              filename=attachment.download_name, sha256=getattr(attachment, "sha256", ""))
    response["X-Content-Type-Options"] = "nosniff"
    return response
