"""The audit trail of a report: every state change (open, submit, return, resubmit, approve)
writes exactly one typed row with the status before and after, and a refused move writes
none."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from reporting import services
from reporting.models import AttachmentKind, Report, ReportStatus
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent

from .helpers import pdf_upload, ready_report

STATE_ACTIONS = [AuditAction.REPORT_OPEN, AuditAction.REPORT_STATUS]


def _state_rows(report: Report) -> list[tuple[str, int | None, dict, dict]]:
    """The report's state-change audit rows, oldest first: (action, actor, before, after)."""
    rows = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Report), target_id=report.pk,
        action__in=STATE_ACTIONS,
    ).order_by("at", "pk")
    return [(row.action, row.actor_id, row.before, row.after) for row in rows]


def test_every_state_change_of_a_report_writes_one_typed_row(
    report, signatory, caseworker, deadline
):
    # given: an opened report
    opened = [(AuditAction.REPORT_OPEN, signatory.pk, {"status": ""}, {"status": "draft"})]
    assert _state_rows(report) == opened

    # when: it is submitted, returned, sent again and approved
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory)
    services.report_return(report=report, user=caseworker, message="Mangler signatur.",
                           now=deadline + timedelta(days=1))
    services.report_attachment_add(report=report, user=signatory, uploaded=pdf_upload(),
                                   kind=AttachmentKind.AUDITOR_STATEMENT, title="Signert")
    services.report_submit(report=report, user=signatory, now=deadline + timedelta(days=2))
    services.report_approve(report=report, user=caseworker, comment="Fint.")

    # then: one row for each change, with who did it and the status before and after
    status = AuditAction.REPORT_STATUS
    assert _state_rows(report) == [
        *opened,
        (status, signatory.pk, {"status": "draft"}, {"status": "submitted"}),
        (status, caseworker.pk, {"status": "submitted"}, {"status": "returned"}),
        (status, signatory.pk, {"status": "returned"}, {"status": "submitted"}),
        (status, caseworker.pk, {"status": "submitted"}, {"status": "approved"}),
    ]


def test_the_submit_row_names_the_reference_and_the_return_row_the_message(
    report, signatory, caseworker
):
    ready_report(report, signatory)
    submission = services.report_submit(report=report, user=signatory)
    services.report_return(report=report, user=caseworker, message="Mangler signatur.")

    notes = list(AuditEvent.objects.filter(
        action=AuditAction.REPORT_STATUS, target_id=report.pk,
    ).order_by("at", "pk").values_list("data__note", flat=True))

    assert notes == [submission.reference, "Mangler signatur."]


def test_a_refused_move_writes_no_audit_row(report, caseworker):
    before = AuditEvent.objects.count()

    with pytest.raises(ServiceError) as refused:
        services.REPORT_WORKFLOW.transition(report, ReportStatus.APPROVED, by=caseworker)

    assert refused.value.code == "illegal_transition"
    assert str(refused.value) == "Rapporten kan ikke gå fra «Under arbeid» til «Godkjent»."
    assert AuditEvent.objects.count() == before
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_saving_the_draft_records_the_changed_fields_before_and_after(report, editor):
    services.report_update(report=report, user=editor,
                           header={"text_report": "Brukt på utdanning."})

    row = AuditEvent.objects.get(action=AuditAction.REPORT_UPDATE, target_id=report.pk)
    assert (row.before, row.after) == ({"text_report": ""}, {"text_report": "Brukt på utdanning."})


def test_a_deadline_extension_records_the_deadline_before_and_after(report, caseworker, deadline):
    new = deadline + timedelta(days=14)

    services.report_extend_deadline(report=report, user=caseworker, new_deadline=new,
                                    reason="Sykdom.")

    row = AuditEvent.objects.get(action=AuditAction.REPORT_EXTEND_DEADLINE, target_id=report.pk)
    year = deadline.year
    assert (row.before, row.after) == ({"deadline": f"{year}-03-01T22:59:00+00:00"},
                                       {"deadline": f"{year}-03-15T22:59:00+00:00"})
    assert row.data == {"reason": "Sykdom."}
