"""What an applicant downloads (an attachment, the receipt's PDF copy) is in the audit trail,
and the shared attachment view hands out only the application's own files."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Attachment, ReceiptDocument
from tests.pdf import blank_pdf
from tests.tilskudd.factories import RoundFactory, member, stavanger
from tilskudd.audit import AuditAction
from tilskudd.models import AuditEvent, MembershipRole

PDF = blank_pdf()


def _attach(application, user, name="plan.pdf") -> Attachment:
    return services.attachment_add(
        application=application, user=user, kind="other", title="",
        uploaded=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
    )


def download_rows():
    return list(AuditEvent.objects.filter(
        action__in=[AuditAction.DOCUMENT_DOWNLOAD, AuditAction.ATTACHMENT_DOWNLOAD]
    ).values_list("action", "actor", "target_type", "target_id", "data"))


def test_store_pdf_keeps_the_name_size_checksum_and_a_generated_path(draft, editor):
    attachment = _attach(draft, editor, name="../Plan <2026>.pdf")

    assert (attachment.title, attachment.original_name) == ("Plan _2026_.pdf",
                                                            "Plan _2026_.pdf")
    assert attachment.size == len(PDF)
    assert len(attachment.sha256) == 64
    assert attachment.file.name.startswith(f"attachments/{draft.pk}/")
    assert "Plan" not in attachment.file.name


def test_an_attachment_download_is_audited(client, draft, editor):
    attachment = _attach(draft, editor)
    client.force_login(editor)

    response = client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk])
    )

    assert b"".join(response.streaming_content) == PDF
    assert download_rows() == [(
        AuditAction.ATTACHMENT_DOWNLOAD, editor.pk,
        ContentType.objects.get_for_model(Attachment).pk, attachment.pk,
        {"filename": "plan.pdf", "sha256": attachment.sha256},
    )]


def test_the_receipt_pdf_download_is_audited(
    client, draft, signatory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.application_submit(application=draft, user=signatory)
    receipt = ReceiptDocument.objects.get(submission=submission)
    client.force_login(signatory)

    response = client.get(reverse("applications:receipt_pdf", args=[submission.reference]))

    assert response.status_code == 200
    assert download_rows() == [(
        AuditAction.DOCUMENT_DOWNLOAD, signatory.pk,
        ContentType.objects.get_for_model(ReceiptDocument).pk, receipt.pk,
        {"filename": f"{submission.reference}.pdf", "sha256": receipt.sha256},
    )]


def test_another_applications_attachment_is_404_and_not_audited(client, draft, editor):
    # given: an attachment on Stavanger's application, and Trondheim's editor signed in
    rogaland = stavanger()
    owner = member(rogaland, MembershipRole.SIGNATORY)
    other = services.application_start(organisation=rogaland, round=RoundFactory(year=2027),
                                       user=owner)
    theirs = _attach(other, owner)
    client.force_login(editor)

    # when: the editor asks for it through their own application's address
    response = client.get(
        reverse("applications:attachment_download", args=[draft.pk, theirs.pk])
    )

    # then: nothing is handed out or written
    assert response.status_code == 404
    assert download_rows() == []
