"""Reporting services: opening a report from the decision, the auditor threshold, unused
funds, submitting (and every refusal, which changes nothing), return for correction,
approval and deadline extensions."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting import rules, services
from reporting.models import (
    AttachmentKind,
    DeadlineExtension,
    Report,
    ReportEvent,
    ReportStatus,
    ReportSubmission,
    UnusedChoice,
)
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, MembershipRole

from .helpers import (
    attach_required,
    bpa_line,
    competence_line,
    fill,
    granted,
    pdf_upload,
    ready_report,
    submitted_application,
)

REFERENCE = re.compile(r"^RAP-\d{4}-5001-[2-9A-HJKMNP-TV-Z]{4}$")


def _state(report: Report) -> tuple:
    """What a refusal must leave as it was."""
    report.refresh_from_db()
    return (
        report.status, report.updated_at, report.used_total, report.extended_deadline,
        report.correction_message,
        ReportSubmission.objects.filter(report=report).count(),
        ReportEvent.objects.filter(report=report).count(),
        DeadlineExtension.objects.filter(report=report).count(),
        report.attachments.count(),
    )


# --- opening --------------------------------------------------------------------------------


def test_report_is_opened_prefilled_from_the_decision(report, application):
    # then: a line per granted line, with what was granted; the account is computed
    competence = list(report.competence_lines.select_related("source"))
    assert [(line.source.description, line.granted) for line in competence] == [
        ("Videreutdanning i psykisk helsearbeid", Decimal("60000")),
        ("Fagbrev", Decimal("140000")),
    ]
    assert [(line.source.role, line.granted) for line in report.bpa_lines.all()] == [
        ("work_leader", Decimal("60000"))]
    assert report.projects.count() == 0
    assert report.status == ReportStatus.DRAFT
    assert report.granted_total == Decimal("260000")
    assert report.transferred_in == Decimal("0")
    assert report.used_total == Decimal("0")
    assert report.unused == Decimal("260000")
    assert [line.completed for line in competence] == [None, None]


def test_opening_twice_gives_the_same_report(report, application, signatory):
    again = services.report_open(application=application, user=signatory)

    assert again.pk == report.pk
    assert Report.objects.count() == 1


def test_lines_granted_nothing_are_left_out_and_transferred_funds_come_in(
    trondheim, grant_round, budget, signatory, caseworker, approver
):
    # given: a partly granted application (the BPA line cut to 0), with funds from last year
    application = submitted_application(
        trondheim, grant_round, signatory, competence=[competence_line()], bpa=[bpa_line()],
        transferred_funds="25000")
    from .helpers import decide

    decide(application, caseworker, approver,
           amount=lambda line: Decimal(0) if line.part == "bpa" else line.applied)

    # when
    report = services.report_open(application=application, user=signatory)

    # then
    assert report.bpa_lines.count() == 0
    assert report.competence_lines.count() == 1
    assert report.granted_total == Decimal("60000")
    assert report.transferred_in == Decimal("25000")
    assert report.available == Decimal("85000")


def test_a_rejected_application_has_no_report(
    trondheim, grant_round, budget, signatory, caseworker, approver
):
    application = granted(trondheim, grant_round, signatory, caseworker, approver,
                          amount=lambda line: Decimal(0))

    with pytest.raises(ServiceError) as refused:
        services.report_open(application=application, user=signatory)

    assert refused.value.code == "no_grant"
    assert Report.objects.count() == 0


def test_a_report_is_not_opened_before_the_reporting_period(application, signatory, grant_round):
    # given: reporting opens 1 November of the grant year
    from datetime import datetime

    from .conftest import OSLO

    grant_round.reporting_opens_at = datetime(grant_round.year, 11, 1, tzinfo=OSLO)
    grant_round.save()

    # when: the day before
    with pytest.raises(ServiceError) as refused:
        services.report_open(application=application, user=signatory,
                             now=datetime(grant_round.year, 10, 31, 23, 59, tzinfo=OSLO))

    # then
    assert refused.value.code == "not_open"
    assert "1. november" in refused.value.message
    assert Report.objects.count() == 0
    # and on the day it opens
    report = services.report_open(application=application, user=signatory,
                                  now=datetime(grant_round.year, 11, 1, tzinfo=OSLO))
    assert report.status == ReportStatus.DRAFT


def test_only_members_open_a_report(application, rogaland_signatory):
    with pytest.raises(ServiceError) as refused:
        services.report_open(application=application, user=rogaland_signatory)

    assert refused.value.code == "not_member"
    assert Report.objects.count() == 0


def test_the_daily_run_opens_the_reports_that_are_due(application, grant_round):
    # when
    opened = services.reports_open_due()

    # then
    assert [r.application_id for r in opened] == [application.pk]
    assert services.reports_open_due() == []


# --- the auditor threshold ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "auditor", "kind", "message"),
    [
        ("199999", False, AttachmentKind.PROJECT_ACCOUNTS,
         "Last opp en utskrift av prosjektregnskapet (PDF) før du sender inn."),
        ("200000", True, AttachmentKind.AUDITOR_STATEMENT,
         "må rapporteres med revisorattestasjon"),
    ],
)
def test_auditor_attestation_from_200000(
    trondheim, grant_round, budget, signatory, caseworker, approver, amount, auditor, kind,
    message,
):
    # given: a grant of exactly `amount`
    application = granted(trondheim, grant_round, signatory, caseworker, approver,
                          competence=[competence_line(amount=Decimal(amount))])
    report = services.report_open(application=application, user=signatory)
    fill(report, signatory)
    before = _state(report)

    # then: the rule of assessment decided it, and the attachment required follows
    assert report.auditor_required is auditor
    assert rules.required_attachment_kind(report) == kind

    # when: sent without the attachment
    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory)

    # then: refused with a clear message, nothing changed
    assert refused.value.code == "rules"
    assert [e.section for e in refused.value.errors] == ["attachments"]
    assert message in refused.value.errors[0].message
    assert _state(report) == before

    # and with the right attachment it goes
    attach_required(report, signatory)
    submission = services.report_submit(report=report, user=signatory)
    assert submission.granted_total == Decimal(amount)


def test_the_wrong_attachment_does_not_count(report, signatory):
    # given: a grant of kr 260 000 with only project accounts attached
    fill(report, signatory)
    services.report_attachment_add(report=report, user=signatory, uploaded=pdf_upload(),
                                   kind=AttachmentKind.PROJECT_ACCOUNTS)
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory)

    assert [e.message for e in refused.value.errors] == [
        "Tilskuddet er på kr\xa0260\xa0000. Tilskudd på kr\xa0200\xa0000 eller mer må "
        "rapporteres med revisorattestasjon: last opp revisorens attestasjon (PDF) før du "
        "sender inn."
    ]
    assert _state(report) == before


# --- the account and unused funds ----------------------------------------------------------


def test_the_account_is_computed_on_the_server(report, signatory):
    fill(report, signatory, used=lambda line: line.granted - 10000)

    report.refresh_from_db()
    assert report.used_total == Decimal("230000")
    assert report.unused == Decimal("30000")


def test_unused_funds_need_a_choice(report, signatory):
    ready_report(report, signatory, used=lambda line: line.granted - 10000)
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory)

    assert [(e.field, e.message) for e in refused.value.errors] == [(
        "unused_choice",
        "Du har kr\xa030\xa0000 i ubrukte midler. Velg om du vil søke om å overføre dem til "
        "neste år eller betale dem tilbake.",
    )]
    assert _state(report) == before


def test_a_transfer_needs_a_reason(report, signatory):
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice=UnusedChoice.TRANSFER)
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory)

    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("transfer_reason", "Skriv hvorfor du søker om å overføre ubrukte midler.")]
    assert _state(report) == before


def test_a_transfer_with_a_reason_is_on_the_receipt(report, signatory):
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice=UnusedChoice.TRANSFER,
                 transfer_reason="Kullet startet først i januar.")

    submission = services.report_submit(report=report, user=signatory)

    assert submission.unused_total == Decimal("30000")
    assert submission.unused_choice == UnusedChoice.TRANSFER
    assert submission.content["unused_choice"] == (
        "Søke om å overføre ubrukte midler til neste år")
    assert submission.content["transfer_reason"] == "Kullet startet først i januar."


def test_repaying_needs_no_reason(report, signatory):
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice=UnusedChoice.REPAY)

    submission = services.report_submit(report=report, user=signatory)

    assert submission.unused_choice == UnusedChoice.REPAY
    assert submission.content["unused_choice"] == "Betale tilbake ubrukte midler"


def test_a_choice_means_nothing_when_all_is_used(report, signatory):
    ready_report(report, signatory, unused_choice=UnusedChoice.REPAY)

    submission = services.report_submit(report=report, user=signatory)

    assert submission.unused_total == Decimal("0")
    assert submission.unused_choice == ""
    assert submission.content["unused_choice"] == ""


def test_more_used_than_granted_is_refused(report, signatory):
    ready_report(report, signatory, used=lambda line: line.granted + 1)
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory)

    assert [e.section for e in refused.value.errors] == ["account"]
    assert refused.value.errors[0].message.startswith("Brukt (kr\xa0260\xa0003) er mer enn")
    assert _state(report) == before


# --- saving ---------------------------------------------------------------------------------


def test_the_lines_are_fixed(report, signatory, editor):
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_update(report=report, user=editor,
                               competence=[{"id": 999999, "completed": 1}])

    assert refused.value.code == "unknown_line"
    assert _state(report) == before


def test_an_editor_saves_a_draft(report, editor):
    line = report.competence_lines.first()

    services.report_update(report=report, user=editor,
                           competence=[{"id": line.pk, "completed": 3, "amount_used": 1000}])

    line.refresh_from_db()
    report.refresh_from_db()
    assert (line.completed, line.amount_used) == (3, Decimal("1000"))
    assert report.used_total == Decimal("1000")
    assert AuditEvent.objects.filter(action="report_update", actor=editor).count() == 1


def test_a_stranger_cannot_save(report, rogaland_signatory):
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_update(report=report, user=rogaland_signatory, header={"text_report": "x"})

    assert refused.value.code == "not_member"
    assert _state(report) == before


def test_attachments_are_checked_by_content_and_size(report, signatory, settings):
    before = _state(report)
    not_pdf = SimpleUploadedFile("revisor.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    too_big = SimpleUploadedFile(
        "stor.pdf", b"%PDF-1.4\n" + b"0" * rules.MAX_ATTACHMENT_BYTES,
        content_type="application/pdf")

    for upload, message in [(not_pdf, "Vedlegg må være PDF-filer."),
                            (too_big, "Filen er for stor (høyst 10 MB).")]:
        with pytest.raises(Exception) as refused:
            services.report_attachment_add(report=report, user=signatory, uploaded=upload,
                                           kind=AttachmentKind.AUDITOR_STATEMENT)
        assert refused.value.message_dict == {"file": [message]}
    assert _state(report) == before

    attachment = services.report_attachment_add(
        report=report, user=signatory, uploaded=pdf_upload(),
        kind=AttachmentKind.AUDITOR_STATEMENT)
    assert attachment.file.name.startswith(f"reports/{report.pk}/")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert len(attachment.sha256) == 64


# --- submitting -------------------------------------------------------------------------------


def test_a_signatory_submits_and_gets_a_reference(
    report, signatory, mailoutbox, django_capture_on_commit_callbacks
):
    ready_report(report, signatory)

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.report_submit(report=report, user=signatory)

    report.refresh_from_db()
    assert REFERENCE.match(submission.reference)
    assert submission.reference.startswith(f"RAP-{report.application.round.year}-5001-")
    assert report.status == ReportStatus.SUBMITTED
    assert submission.used_total == Decimal("260000")
    submission.receipt.refresh_from_db()
    assert submission.receipt.status == "ready"
    assert [m.subject for m in mailoutbox] == [
        f"Kvittering: rapport sendt inn ({submission.reference})"]
    assert sorted(mailoutbox[0].to) == ["kari@trondheim.example.no",
                                        "signatur@trondheim.example.no"]


def test_a_reference_another_submission_has_is_drawn_again(
    report, rogaland_report, signatory, rogaland_signatory, monkeypatch
):
    # given: Stavanger's report was sent under a reference
    ready_report(rogaland_report, rogaland_signatory)
    taken = services.report_submit(report=rogaland_report, user=rogaland_signatory).reference
    draws = iter([taken, "RAP-2026-5001-ABCD"])
    monkeypatch.setattr("tilskudd.submissions.new_reference", lambda *args: next(draws))
    ready_report(report, signatory)

    # when: Trondheim's first draw is the same reference
    submission = services.report_submit(report=report, user=signatory)

    # then: it is sent under the second draw
    assert submission.reference == "RAP-2026-5001-ABCD"
    assert ReportSubmission.objects.filter(reference=taken).count() == 1


def test_a_double_click_submits_once(report, signatory):
    ready_report(report, signatory)

    first = services.report_submit(report=report, user=signatory)
    second = services.report_submit(report=report, user=signatory)

    assert first.pk == second.pk
    assert ReportSubmission.objects.count() == 1


def test_an_editor_may_not_submit(report, signatory, editor):
    ready_report(report, signatory)
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=editor)

    assert refused.value.code == "not_signatory"
    assert refused.value.message == (
        "Bare den som har signaturrett for Trondheim - Tråante kommune kan sende inn rapporten.")
    assert _state(report) == before


def test_no_submission_after_the_deadline_in_oslo_time(report, signatory, deadline):
    # given: the deadline is 1 March 23:59 Oslo time
    ready_report(report, signatory)
    before = _state(report)

    # when: one minute after
    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory,
                               now=deadline + timedelta(minutes=1))

    # then
    assert refused.value.code == "deadline_passed"
    assert refused.value.message.startswith(
        f"Fristen for rapporten gikk ut 1. mars {deadline.year} kl. 23:59.")
    assert _state(report) == before
    # and one minute before it goes
    submission = services.report_submit(report=report, user=signatory,
                                        now=deadline - timedelta(minutes=1))
    assert submission.submitted_at == deadline - timedelta(minutes=1)


def test_an_incomplete_report_lists_what_is_missing(report, signatory):
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory)

    assert refused.value.code == "rules"
    assert [(e.section, e.field) for e in refused.value.errors] == [
        ("competence", "completed"), ("competence", "still_studying"),
        ("competence", "stopped"), ("competence", "amount_used"),
        ("competence", "completed"), ("competence", "still_studying"),
        ("competence", "stopped"), ("competence", "amount_used"),
        ("bpa", "trained"), ("bpa", "amount_used"),
        ("header", "text_report"),
        ("header", "unused_choice"),
        ("attachments", None),
    ]
    assert _state(report) == before


# --- the office's review ------------------------------------------------------------------------


@pytest.fixture
def submitted(report, signatory):
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


def test_returned_for_correction_then_corrected_and_sent_again(
    submitted, signatory, caseworker, deadline, mailoutbox, django_capture_on_commit_callbacks
):
    first = submitted.submissions.get()

    # when: the caseworker returns it, after the deadline
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=submitted, user=caseworker,
                               message="Revisorattestasjonen mangler signatur.",
                               now=deadline + timedelta(days=2))

    # then: the recipient sees the message and may change the report again
    submitted.refresh_from_db()
    first.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.correction_message == "Revisorattestasjonen mangler signatur."
    assert first.returned_at == deadline + timedelta(days=2)
    assert mailoutbox[-1].subject == (
        f"Rapporten må rettes: {submitted.application.round}")
    assert "Revisorattestasjonen mangler signatur." in mailoutbox[-1].body
    assert f"{settings.SITE_URL.rstrip('/')}/rapporter/{submitted.pk}/" in mailoutbox[-1].body

    # when: corrected and sent again, after the deadline (the office asked for it)
    services.report_attachment_add(report=submitted, user=signatory, uploaded=pdf_upload(),
                                   kind=AttachmentKind.AUDITOR_STATEMENT, title="Signert")
    second = services.report_submit(report=submitted, user=signatory,
                                    now=deadline + timedelta(days=5))

    # then: a new submission with a new reference; the message is gone
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    assert second.reference != first.reference
    assert submitted.correction_message == ""
    assert [(e.from_status, e.to_status) for e in submitted.events.all()] == [
        ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted")]


def test_returning_needs_a_message(submitted, caseworker):
    before = _state(submitted)

    with pytest.raises(ServiceError) as refused:
        services.report_return(report=submitted, user=caseworker, message="  ")

    assert refused.value.code == "message_required"
    assert _state(submitted) == before


def test_another_office_cannot_return_or_approve(submitted, rogaland_caseworker):
    before = _state(submitted)

    for call in (
        lambda: services.report_return(report=submitted, user=rogaland_caseworker,
                                       message="Feil."),
        lambda: services.report_approve(report=submitted, user=rogaland_caseworker),
    ):
        with pytest.raises(ServiceError) as refused:
            call()
        assert refused.value.code == "not_office_staff"
    assert _state(submitted) == before


def test_a_draft_can_be_neither_returned_nor_approved(report, caseworker):
    before = _state(report)

    for call in (
        lambda: services.report_return(report=report, user=caseworker, message="Feil."),
        lambda: services.report_approve(report=report, user=caseworker),
    ):
        with pytest.raises(ServiceError) as refused:
            call()
        assert refused.value.code == "not_submitted"
    assert _state(report) == before


def test_a_caseworker_approves(submitted, caseworker):
    services.report_approve(report=submitted, user=caseworker, comment="Fint.")

    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    assert submitted.events.last().note == "Fint."
    with pytest.raises(ServiceError):
        services.report_update(report=submitted, user=caseworker, header={})


# --- extensions -----------------------------------------------------------------------------------


def test_an_office_extends_one_organisations_deadline(report, signatory, caseworker, deadline):
    # when
    new = deadline + timedelta(days=14)
    extension = services.report_extend_deadline(
        report=report, user=caseworker, new_deadline=new, reason="Sykdom i staben.",
        now=deadline - timedelta(days=3))

    # then: recorded with who, when, what and why
    report.refresh_from_db()
    assert (extension.granted_by, extension.previous_deadline, extension.new_deadline,
            extension.reason) == (caseworker, deadline, new, "Sykdom i staben.")
    assert extension.granted_at == deadline - timedelta(days=3)
    assert report.deadline == new
    # and the recipient may submit after the round's deadline
    ready_report(report, signatory)
    submission = services.report_submit(report=report, user=signatory,
                                        now=deadline + timedelta(days=1))
    assert submission.report_id == report.pk


def test_extension_refusals_change_nothing(report, caseworker, rogaland_caseworker, deadline):
    before = _state(report)
    cases = [
        (rogaland_caseworker, deadline + timedelta(days=14), "Grunn.", "not_office_staff"),
        (caseworker, deadline + timedelta(days=14), " ", "reason_required"),
        (caseworker, deadline - timedelta(days=1), "Grunn.", "not_later"),
        (caseworker, deadline + timedelta(days=800), "Grunn.", "too_late"),
    ]
    for user, new, reason, code in cases:
        with pytest.raises(ServiceError) as refused:
            services.report_extend_deadline(report=report, user=user, new_deadline=new,
                                            reason=reason, now=deadline - timedelta(days=30))
        assert refused.value.code == code
    assert _state(report) == before


def test_a_signatory_of_another_organisation_is_not_a_signatory_here(report, trondheim):
    # given: a signatory of Malvik, and an editor at Trondheim
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="")
    outsider = member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=outsider)

    assert refused.value.code == "not_member"
    assert _state(report) == before


def test_an_emptied_choice_is_stored_as_empty(
    trondheim, grant_round, budget, signatory, caseworker, approver
):
    from .helpers import project

    application = granted(trondheim, grant_round, signatory, caseworker, approver,
                          competence=[], projects=[project(amount=Decimal("100000"))])
    report = services.report_open(application=application, user=signatory)
    line = report.projects.get()
    services.report_update(report=report, user=signatory,
                           projects=[{"id": line.pk, "status": "ongoing"}])

    services.report_update(report=report, user=signatory,
                           projects=[{"id": line.pk, "status": None, "amount_used": None}])

    line.refresh_from_db()
    assert (line.status, line.amount_used) == ("", None)
