"""Every document and attachment handed to a signed-in person is in the audit trail: who,
which file (the job or the attachment row), under what name and with which checksum."""

import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Attachment, ReceiptDocument
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member, stavanger
from tests.tilskudd.test_hostile_pdf import build_pdf
from tilskudd.audit import AuditAction
from tilskudd.documents.responses import attachment_download, document_download
from tilskudd.errors import Unavailable
from tilskudd.models import AuditEvent, MembershipRole


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def signatory(organisation):
    return member(organisation, MembershipRole.SIGNATORY, email="signatar@example.no")


@pytest.fixture
def draft(organisation, signatory):
    application = services.application_start(
        organisation=organisation, round=RoundFactory(), user=signatory
    )
    return services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )


@pytest.fixture
def receipt(draft, signatory, django_capture_on_commit_callbacks) -> ReceiptDocument:
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.application_submit(application=draft, user=signatory)
    return ReceiptDocument.objects.get(submission=submission)


def download_rows():
    return list(AuditEvent.objects.filter(
        action__in=[AuditAction.DOCUMENT_DOWNLOAD, AuditAction.ATTACHMENT_DOWNLOAD]
    ).values_list("action", "actor__email", "target_type", "target_id", "data"))


def test_a_document_handed_to_a_person_writes_one_audit_row(receipt, signatory):
    # Given a ready receipt PDF
    assert receipt.is_ready

    # When it is downloaded for the signatory
    response = document_download(receipt, "SØK-kvittering.pdf", user=signatory)

    # Then one row says who got which job, under which name, with its checksum
    assert response["X-Content-SHA256"] == receipt.sha256
    assert download_rows() == [(
        AuditAction.DOCUMENT_DOWNLOAD, "signatar@example.no",
        ContentType.objects.get_for_model(ReceiptDocument).pk, receipt.pk,
        {"filename": "SØK-kvittering.pdf", "sha256": receipt.sha256},
    )]


def test_a_document_without_a_name_is_audited_under_its_stored_name(receipt, signatory):
    document_download(receipt, user=signatory)

    [(_, _, _, _, data)] = download_rows()
    assert data == {"filename": receipt.file.name.rsplit("/", 1)[1], "sha256": receipt.sha256}


def _cannot_render(job):
    raise OSError("No space left on device")


def test_a_document_that_cannot_be_made_yet_is_not_audited(receipt, signatory, monkeypatch):
    # Given a job whose PDF is still being made, and making it now fails (disk full)
    ReceiptDocument.objects.filter(pk=receipt.pk).update(status="pending", file="", sha256="")
    receipt.refresh_from_db()
    monkeypatch.setattr(ReceiptDocument, "renderer",
                        "tests.tilskudd.test_download_audit._cannot_render")

    # When a download is asked for, there is nothing to hand out (the person is told to try
    # again) and nothing is written
    with pytest.raises(Unavailable):
        document_download(receipt, user=signatory)
    assert download_rows() == []
    receipt.refresh_from_db()
    assert (receipt.status, receipt.file.name) == ("pending", "")


def test_a_document_made_on_click_is_audited_once_with_its_checksum(receipt, signatory):
    # Given a job whose PDF the worker has not made yet
    ReceiptDocument.objects.filter(pk=receipt.pk).update(status="pending", file="", sha256="")
    receipt.refresh_from_db()

    # When the signatory clicks the download, it is made for them then
    document_download(receipt, user=signatory)

    # Then one row names the file that was handed out
    receipt.refresh_from_db()
    assert receipt.status == "ready"
    [(_, _, _, _, data)] = download_rows()
    assert data == {"filename": receipt.file.name.rsplit("/", 1)[1], "sha256": receipt.sha256}


def test_a_download_for_no_person_writes_nothing(receipt):
    document_download(receipt)

    assert download_rows() == []


def test_an_attachment_handed_to_a_person_writes_one_audit_row(draft, signatory):
    # Given an uploaded attachment
    data = build_pdf()
    services.attachment_add(
        application=draft, user=signatory, kind="other", title="Plan",
        uploaded=SimpleUploadedFile("Årsplan.pdf", data, content_type="application/pdf"),
    )
    attachment = Attachment.objects.get()

    # When it is downloaded for the signatory
    attachment_download(attachment, user=signatory)

    # Then one row names the attachment row, its name and its checksum
    assert download_rows() == [(
        AuditAction.ATTACHMENT_DOWNLOAD, "signatar@example.no",
        ContentType.objects.get_for_model(Attachment).pk, attachment.pk,
        {"filename": "Årsplan.pdf", "sha256": hashlib.sha256(data).hexdigest()},
    )]


def test_the_signatory_downloading_the_receipt_writes_one_audit_row(client, receipt, signatory):
    # Given the signatory, signed in
    client.force_login(signatory)
    reference = receipt.submission.reference

    # When the receipt's PDF is fetched through the page's link
    response = client.get(reverse("applications:receipt_pdf", args=[reference]))

    # Then the file is handed out and one row says who got it
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert download_rows() == [(
        AuditAction.DOCUMENT_DOWNLOAD, "signatar@example.no",
        ContentType.objects.get_for_model(ReceiptDocument).pk, receipt.pk,
        {"filename": f"{reference}.pdf", "sha256": receipt.sha256},
    )]


def test_someone_else_asking_for_the_receipt_gets_nothing_and_nothing_is_written(
    client, receipt
):
    client.force_login(member(stavanger(), MembershipRole.SIGNATORY))

    response = client.get(
        reverse("applications:receipt_pdf", args=[receipt.submission.reference]))

    assert response.status_code == 404
    assert download_rows() == []


def test_an_attachment_downloaded_through_the_page_writes_one_audit_row(
    client, draft, signatory
):
    services.attachment_add(
        application=draft, user=signatory, kind="other", title="Plan",
        uploaded=SimpleUploadedFile("plan.pdf", build_pdf(), content_type="application/pdf"),
    )
    attachment = Attachment.objects.get()
    client.force_login(signatory)

    response = client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))

    assert response.status_code == 200
    assert [(action, email, target) for action, email, _, target, _ in download_rows()] == [
        (AuditAction.ATTACHMENT_DOWNLOAD, "signatar@example.no", attachment.pk)]
