"""Every change to an application leaves one typed audit row that says what it was before
and after (tilskudd.audit.AuditAction), written by the service that makes the change."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application, ApplicationStatus, StatusChange
from tests.applications.conftest import competence_line, complete_header
from tests.pdf import blank_pdf
from tilskudd.audit import AuditAction
from tilskudd.models import AuditEvent


def events(application: Application) -> list[tuple[str, dict, dict]]:
    """The application's audit rows, oldest first: (action, before, after)."""
    return list(
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Application),
            target_id=application.pk,
        ).order_by("pk").values_list("action", "before", "after")
    )


def test_start_update_signature_submit_and_withdraw_each_write_one_typed_row(
    trondheim, open_round, editor, signatory
):
    # given a draft that was started and filled in
    application = services.application_start(
        organisation=trondheim, round=open_round, user=editor
    )
    services.application_update(application=application, user=editor,
                                header=complete_header(), competence=[competence_line()])
    # when it is sent to signature, submitted, withdrawn and submitted again
    services.application_request_signature(application=application, user=editor)
    first = services.application_submit(application=application, user=signatory)
    services.application_withdraw(application=application, user=signatory, reason="Feil tall")
    second = services.application_submit(application=application, user=signatory)

    # then each change is one row with the values before and after
    rows = events(application)
    application.refresh_from_db()
    requested_at = application.signature_requested_at
    assert [action for action, _before, _after in rows] == [
        AuditAction.APPLICATION_START,
        AuditAction.APPLICATION_UPDATE,
        AuditAction.APPLICATION_STATUS,
        AuditAction.APPLICATION_STATUS,
        AuditAction.APPLICATION_STATUS,
        AuditAction.APPLICATION_STATUS,
    ]
    assert rows[0][1:] == ({}, {"status": "draft"})
    assert rows[1][1]["contact_name"] == ""
    assert rows[1][2]["contact_name"] == "Kari Kontakt"
    assert (rows[1][1]["competence_lines"], rows[1][2]["competence_lines"]) == (0, 1)
    assert rows[2][1:] == (
        {"status": "draft", "signature_requested_at": None, "signature_requested_by": None},
        {"status": "to_sign", "signature_requested_at": requested_at.isoformat(),
         "signature_requested_by": editor.pk},
    )
    assert rows[3][1:] == ({"status": "to_sign"}, {"status": "submitted"})
    assert rows[4][1:] == ({"status": "submitted"}, {"status": "withdrawn"})
    assert rows[5][1:] == ({"status": "withdrawn"}, {"status": "submitted"})
    status_rows = AuditEvent.objects.filter(action=AuditAction.APPLICATION_STATUS).order_by("pk")
    assert [row.data.get("reference") for row in status_rows] == [
        None, first.reference, first.reference, second.reference
    ]
    assert [row.actor for row in status_rows] == [editor] + [signatory] * 3
    assert list(StatusChange.objects.filter(application=application).values_list(
        "from_status", "to_status", "by", "note"
    )) == [
        (ApplicationStatus.DRAFT, ApplicationStatus.TO_SIGN, editor.pk, ""),
        (ApplicationStatus.TO_SIGN, ApplicationStatus.SUBMITTED, signatory.pk, first.reference),
        (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN, signatory.pk, "Feil tall"),
        (ApplicationStatus.WITHDRAWN, ApplicationStatus.SUBMITTED, signatory.pk,
         second.reference),
    ]


def test_a_save_that_changes_nothing_says_so(draft, editor):
    # when the same header is saved again
    services.application_update(application=draft, user=editor, header=complete_header())

    # then its row names no changed field
    action, before, after = events(draft)[-1]
    assert (action, before, after) == (AuditAction.APPLICATION_UPDATE, {}, {})


def test_adding_and_removing_an_attachment_each_write_one_typed_row(draft, editor):
    attachment = services.attachment_add(
        application=draft, user=editor, kind="other", title="Plan",
        uploaded=SimpleUploadedFile("plan.pdf", blank_pdf(), content_type="application/pdf"),
    )
    services.attachment_remove(attachment=attachment, user=editor)

    assert events(draft)[-2:] == [
        (AuditAction.ATTACHMENT_ADD, {}, {"attachment": "Plan"}),
        (AuditAction.ATTACHMENT_REMOVE, {"attachment": "Plan"}, {}),
    ]
