"""Documents and uploads on S3-compatible object storage, against a real S3 server on
localhost (tests/tilskudd/s3_server.py): an upload and a PDF job land in the bucket, the
download views stream them from it to whoever may see them and to no one else, and the
environment picks the backend (tilskudd/storage.py)."""

import hashlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Attachment, ReceiptDocument
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.pdf import blank_pdf
from tests.tilskudd.s3_server import ACCESS_KEY, REGION, SECRET_KEY
from tilskudd.audit import AuditAction
from tilskudd.models import AuditEvent
from tilskudd.storage import LOCAL_BACKEND, S3_BACKEND, default_storage_from_env
from tilskudd.storage_s3 import PrivateS3Storage

PDF = blank_pdf()


@pytest.fixture
def draft(trondheim, grant_round, signatory):
    application = services.application_start(
        organisation=trondheim, round=grant_round, user=signatory)
    return services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )


def download_rows():
    return list(AuditEvent.objects.filter(
        action__in=[AuditAction.DOCUMENT_DOWNLOAD, AuditAction.ATTACHMENT_DOWNLOAD]
    ).values_list("action", "actor__email", "target_id"))


def upload(client, draft):
    return client.post(reverse("applications:attachment_add", args=[draft.pk]), {
        "attachment-kind": "other", "attachment-title": "Plan for Leve hele livet",
        "attachment-file": SimpleUploadedFile("Plan.pdf", PDF, content_type="application/pdf"),
    })


def test_an_uploaded_attachment_is_an_object_in_the_bucket_streamed_to_its_owner(
    client, s3_storage, draft, signatory
):
    # Given the signatory uploads a PDF through the page
    client.force_login(signatory)
    assert upload(client, draft).status_code == 302
    attachment = Attachment.objects.get()
    assert type(default_storage._wrapped) is PrivateS3Storage

    # Then the object is in the bucket, as the S3 API lists it, byte for byte
    assert s3_storage.keys() == [attachment.file.name]
    assert attachment.file.name.startswith(f"attachments/{draft.pk}/")
    assert s3_storage.body(attachment.file.name) == PDF

    # When it is downloaded through the view, it is streamed from the bucket and audited
    response = client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(PDF))
    assert b"".join(response.streaming_content) == PDF
    assert download_rows() == [
        (AuditAction.ATTACHMENT_DOWNLOAD, signatory.email, attachment.pk)]


def test_another_organisation_gets_no_attachment_from_the_bucket(
    client, s3_storage, draft, signatory, stavanger_signatory
):
    attachment = services.attachment_add(
        application=draft, user=signatory, kind="other", title="",
        uploaded=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    client.force_login(stavanger_signatory)

    response = client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))

    assert response.status_code == 404
    assert PDF not in response.content
    assert download_rows() == []
    assert s3_storage.keys() == [attachment.file.name]


def test_a_removed_attachment_is_deleted_from_the_bucket(
    client, s3_storage, draft, signatory, django_capture_on_commit_callbacks
):
    client.force_login(signatory)
    upload(client, draft)
    attachment = Attachment.objects.get()

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        response = client.post(
            reverse("applications:attachment_remove", args=[draft.pk, attachment.pk]))

    assert response.status_code == 302
    assert Attachment.objects.count() == 0
    assert s3_storage.keys() == []


def test_a_receipt_job_writes_its_pdf_to_the_bucket_and_only_the_applicant_gets_it(
    client, s3_storage, draft, signatory, stavanger_signatory,
    django_capture_on_commit_callbacks,
):
    # Given a submitted application whose receipt job has run (eagerly)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.application_submit(application=draft, user=signatory)
    receipt = ReceiptDocument.objects.get(submission=submission)
    assert receipt.is_ready

    # Then its PDF is one object in the bucket, with the checksum the row keeps
    assert s3_storage.keys() == [receipt.file.name]
    assert receipt.file.name.startswith("documents/")
    stored = s3_storage.body(receipt.file.name)
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == receipt.sha256
    url = reverse("applications:receipt_pdf", args=[submission.reference])

    # When someone of another organisation asks for it: refused, nothing handed out or written
    client.force_login(stavanger_signatory)
    refused = client.get(url)
    assert refused.status_code == 404
    assert not refused.content.startswith(b"%PDF")
    assert download_rows() == []

    # When the signatory asks: the very bytes in the bucket, audited
    client.force_login(signatory)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert download_rows() == [(AuditAction.DOCUMENT_DOWNLOAD, signatory.email, receipt.pk)]


def test_a_name_already_taken_in_the_bucket_is_never_overwritten(s3_storage):
    first = default_storage.save("documents/kvittering.pdf", ContentFile(b"first"))
    second = default_storage.save("documents/kvittering.pdf", ContentFile(b"second"))

    assert first == "documents/kvittering.pdf"
    assert second != first
    assert s3_storage.keys() == sorted([first, second])
    assert s3_storage.body(first) == b"first"


def test_objects_are_private_and_a_url_is_signed_for_a_minute(s3_storage):
    import requests

    name = default_storage.save("attachments/1/plan.pdf", ContentFile(PDF))

    unsigned = requests.get(f"{s3_storage.server.endpoint_url}/{s3_storage.name}/{name}",
                            timeout=5)
    signed = default_storage.url(name)

    assert unsigned.status_code in (400, 403)  # refused: rclone answers 400, AWS 403
    assert PDF not in unsigned.content
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    assert requests.get(signed, timeout=5).content == PDF


# Which backend the environment picks (settings.STORAGES["default"]).

def test_nothing_set_keeps_the_local_disk():
    assert default_storage_from_env({}) == {"BACKEND": LOCAL_BACKEND}


def test_a_storage_url_names_the_server_bucket_prefix_and_credentials():
    url = "s3+http://key%2F1:se%40cret@127.0.0.1:9000/tilskudd/prod/?region=eu-north-1"

    assert default_storage_from_env({"DJANGO_STORAGE_URL": url}) == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": "tilskudd", "location": "prod",
            "endpoint_url": "http://127.0.0.1:9000", "addressing_style": "path",
            "access_key": "key/1", "secret_key": "se@cret", "region_name": "eu-north-1",
        },
    }


def test_a_storage_url_without_a_host_or_keys_is_aws_with_its_credential_chain():
    assert default_storage_from_env({"DJANGO_STORAGE_URL": "s3:///tilskudd-dokumenter"}) == {
        "BACKEND": S3_BACKEND, "OPTIONS": {"bucket_name": "tilskudd-dokumenter", "location": ""},
    }


def test_the_aws_variables_name_the_bucket_when_no_url_is_set():
    environ = {"AWS_STORAGE_BUCKET_NAME": "tilskudd", "AWS_S3_ENDPOINT_URL": "https://s3.example.no",
               "AWS_S3_REGION_NAME": "eu-north-1", "AWS_ACCESS_KEY_ID": "read by boto3"}

    assert default_storage_from_env(environ) == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {"bucket_name": "tilskudd", "endpoint_url": "https://s3.example.no",
                    "region_name": "eu-north-1"},
    }


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9000/tilskudd",  # not s3
    "s3://key:secret@127.0.0.1:9000/",  # no bucket
    "s3://127.0.0.1/tilskudd?acl=public-read",  # an option not offered
])
def test_a_storage_url_that_cannot_be_used_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured):
        default_storage_from_env({"DJANGO_STORAGE_URL": url})


def test_another_process_configured_by_the_url_alone_shares_the_bucket(s3_storage):
    # Given another host (a worker, say) with nothing but DJANGO_STORAGE_URL set
    host = s3_storage.server.endpoint_url.removeprefix("http://")
    url = f"s3+http://{ACCESS_KEY}:{SECRET_KEY}@{host}/{s3_storage.name}?region={REGION}"
    script = ("import django; django.setup(); "
              "from django.core.files.base import ContentFile; "
              "from django.core.files.storage import storages; s = storages['default']; "
              "print(type(s).__name__, "
              "s.save('documents/fra-arbeider.pdf', ContentFile(b'%PDF-1.7 fra arbeideren')))")

    # When it stores a file
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tilskudd.settings",
             "DJANGO_STORAGE_URL": url}, capture_output=True, text=True,
        timeout=60, check=True, cwd=settings.BASE_DIR,
    )

    # Then this process finds it in the same bucket, through its own storage
    assert result.stdout.split() == ["PrivateS3Storage", "documents/fra-arbeider.pdf"]
    assert s3_storage.keys() == ["documents/fra-arbeider.pdf"]
    with default_storage.open("documents/fra-arbeider.pdf") as stored:
        assert stored.read() == b"%PDF-1.7 fra arbeideren"
