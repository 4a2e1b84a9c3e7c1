"""A stored document the storage cannot give: a file not there (deleted behind the
portal's back, a wrong name) is a 404, logged as an error since it should not happen; only
a fault that may pass (a broken disk, S3 not answering or answering 5xx) gets the calm 503
that says the document is kept (tilskudd.documents.responses.storage_fault), also when it
comes at the first read, as S3's download does, and not at the open."""

import errno
import logging
import os

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from applications.models import Attachment
from tilskudd.audit import AuditAction, AuditEvent
from tilskudd.documents.responses import storage_fault

from .test_document_faults import (  # noqa: F401 (the fixtures)
    UNAVAILABLE_TEXT,
    draft,
    organisation,
    signatory,
    signatory_client,
    submit,
)
from .test_s3_storage import upload


def receipt_url(submission):
    return reverse("applications:receipt_pdf", args=[submission.reference])


def downloads():
    return AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).count()


def test_a_stored_file_gone_from_the_disk_is_a_404_logged_as_an_error(
    submit, signatory_client, caplog  # noqa: F811
):
    submission = submit()
    receipt = submission.receipt
    receipt.refresh_from_db()
    os.remove(receipt.file.path)

    with caplog.at_level(logging.ERROR, logger="tilskudd.documents.responses"):
        response = signatory_client.get(receipt_url(submission))

    assert response.status_code == 404
    assert UNAVAILABLE_TEXT not in response.content.decode()
    assert f"The stored file {receipt.file.name} is missing" in caplog.text
    assert downloads() == 0


class FailsAtFirstRead(File):
    """An opened file whose first seek or read fails, as S3's download does when the
    storage stops answering after the open."""

    def seek(self, *args):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    read = tell = seek


def test_a_fault_at_the_first_read_gets_the_calm_503(
        submit, signatory_client, monkeypatch):  # noqa: F811
    submission = submit()
    monkeypatch.setattr(FileSystemStorage, "_open",
                        lambda self, name, mode="rb": FailsAtFirstRead(None, name))
    signatory_client.raise_request_exception = False

    response = signatory_client.get(receipt_url(submission))

    assert response.status_code == 503
    assert UNAVAILABLE_TEXT in response.content.decode()
    assert downloads() == 0


def s3_error(status: int, code: str) -> ClientError:
    return ClientError({"Error": {"Code": code},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "HeadObject")


@pytest.mark.parametrize(("error", "fault"), [
    (FileNotFoundError(errno.ENOENT, "gone"), "missing"),
    (PermissionError(errno.EACCES, "no"), ""),
    (OSError(errno.EIO, "broken disk"), "transient"),
    (TimeoutError(), "transient"),
    (s3_error(404, "404"), "missing"),
    (s3_error(404, "NoSuchKey"), "missing"),
    (s3_error(403, "403"), ""),
    (s3_error(403, "AccessDenied"), ""),
    (s3_error(503, "SlowDown"), "transient"),
    (s3_error(500, "InternalError"), "transient"),
    (EndpointConnectionError(endpoint_url="http://s3"), "transient"),
    (ReadTimeoutError(endpoint_url="http://s3"), "transient"),
    (ValueError("a bug"), ""),
], ids=lambda value: type(value).__name__ if isinstance(value, Exception) else value)
def test_what_a_storage_fault_is(error, fault):
    assert storage_fault(error) == fault


def test_an_attachment_deleted_from_the_bucket_is_a_404(
    client, s3_storage, draft, signatory, caplog  # noqa: F811
):
    client.force_login(signatory)
    assert upload(client, draft).status_code == 302
    attachment = Attachment.objects.get()
    s3_storage.server.client().delete_object(Bucket=s3_storage.name, Key=attachment.file.name)

    with caplog.at_level(logging.ERROR, logger="tilskudd.documents.responses"):
        response = client.get(
            reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))

    assert response.status_code == 404
    assert "is missing" in caplog.text
