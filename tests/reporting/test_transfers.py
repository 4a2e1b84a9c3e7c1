"""The office's decision on a report's transfer request: approved or refused with a reason,
four eyes over the threshold, a refused transfer becomes a repayment claim, and an approved
one is next year's «overførte midler», prefilled and locked."""

from decimal import Decimal

import pytest

from applications import services as application_services
from applications.form_page import ApplicationForms
from reporting import services, transfers
from reporting.models import ReportingSettings, UnusedChoice
from reporting.transfer_models import (
    ClaimCause,
    RepaymentClaim,
    TransferDecision,
    TransferEvent,
    TransferOutcome,
    TransferStatus,
)
from tests.tilskudd.factories import office_staff
from tilskudd.audit import AuditAction
from tilskudd.carryover import carryover_for
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, OfficeRole
from tilskudd.outbox import OutboundEmail

from .helpers import complete_header, ready_report

APPROVE, REFUSE = TransferOutcome.APPROVE, TransferOutcome.REFUSE


def sent(report, signatory, unused_per_line: int, choice=UnusedChoice.TRANSFER):
    """Send the report with `unused_per_line` kroner left on each of its three lines."""
    ready_report(report, signatory, used=lambda line: line.granted - unused_per_line,
                 unused_choice=choice, transfer_reason="Kullet startet først i januar.")
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


@pytest.fixture
def small(report, signatory):
    """kr 30 000 asked to be transferred (under the kr 100 000 threshold)."""
    return sent(report, signatory, 10_000)


@pytest.fixture
def large(report, signatory):
    """kr 150 000 asked to be transferred (over the threshold)."""
    return sent(report, signatory, 50_000)


def nothing_written():
    return (TransferDecision.objects.count(), TransferEvent.objects.count(),
            RepaymentClaim.objects.count(),
            AuditEvent.objects.filter(action=AuditAction.TRANSFER_STATUS).count())


def test_a_small_transfer_is_approved_by_one_member_of_staff(small, caseworker):
    transfer = transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE,
                                         reason="Godt begrunnet.")

    transfer.refresh_from_db()
    assert (transfer.status, transfer.amount, transfer.decided_by, transfer.reason) == (
        TransferStatus.APPROVED, Decimal(30_000), caseworker, "Godt begrunnet.")
    assert [(e.from_status, e.to_status, e.by) for e in transfer.events.all()] == [
        (TransferStatus.PENDING, TransferStatus.APPROVED, caseworker)]
    row = AuditEvent.objects.get(action=AuditAction.TRANSFER_STATUS)
    assert (row.before, row.after["status"], row.actor) == (
        {"status": "pending"}, "approved", caseworker)
    assert not RepaymentClaim.objects.exists()
    email = OutboundEmail.objects.get(kind="transfer_decision")
    assert "Overføring av ubrukte midler godkjent" in email.subject
    assert "kr\u00a030\u00a0000" in email.body and "Godt begrunnet." in email.body


def test_a_refused_transfer_becomes_a_repayment_claim(small, caseworker):
    transfers.transfer_decide(report=small, user=caseworker, outcome=REFUSE,
                              reason="Midlene var ikke bundet.")

    claim = RepaymentClaim.objects.get()
    assert (claim.cause, claim.amount, claim.reason, claim.report) == (
        ClaimCause.TRANSFER_REFUSED, Decimal(30_000), "Midlene var ikke bundet.", small)
    assert small.transfer.status == TransferStatus.REFUSED


def test_over_the_threshold_one_proposes_and_another_decides(large, caseworker, approver):
    transfer = transfers.transfer_decide(report=large, user=caseworker, outcome=APPROVE,
                                         reason="Forslag: godkjenn.")
    assert (transfer.status, transfer.proposed_by, transfer.decided_by) == (
        TransferStatus.PROPOSED, caseworker, None)
    assert carryover_for(large.application.organisation, large.application.round) is None

    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=large, user=caseworker, outcome=APPROVE,
                                  reason="Jeg godkjenner selv.")
    assert refused.value.code == "not_approver"
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.PROPOSED, None)

    transfers.transfer_decide(report=large, user=approver, outcome=APPROVE, reason="Enig.")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.proposed_by, transfer.decided_by, transfer.reason) == (
        TransferStatus.APPROVED, caseworker, approver, "Enig.")
    assert [e.to_status for e in transfer.events.all()] == [
        TransferStatus.PROPOSED, TransferStatus.APPROVED]


def test_an_approver_does_not_confirm_their_own_proposal(large, approver):
    transfers.transfer_decide(report=large, user=approver, outcome=APPROVE, reason="Ja.")
    before = nothing_written()

    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=large, user=approver, outcome=APPROVE, reason="Ja.")

    assert refused.value.code == "own_recommendation"
    assert nothing_written() == before


def test_a_second_opinion_that_disagrees_sends_the_proposal_back(large, caseworker, approver):
    transfers.transfer_decide(report=large, user=caseworker, outcome=APPROVE, reason="Ja.")

    transfer = transfers.transfer_decide(report=large, user=approver, outcome=REFUSE,
                                         reason="Nei, ikke bundet.")

    transfer.refresh_from_db()
    assert (transfer.status, transfer.proposed_by, transfer.proposed_outcome) == (
        TransferStatus.PENDING, None, "")
    assert not RepaymentClaim.objects.exists()
    # decided again from the start: the caseworker now proposes to refuse, the approver agrees
    transfers.transfer_decide(report=large, user=caseworker, outcome=REFUSE, reason="Nei.")
    transfers.transfer_decide(report=large, user=approver, outcome=REFUSE, reason="Enig.")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED
    assert RepaymentClaim.objects.get().amount == Decimal(150_000)


def test_the_round_sets_the_threshold(large, caseworker, grant_round):
    ReportingSettings.objects.create(round=grant_round, transfer_four_eyes_from=200_000)

    transfer = transfers.transfer_decide(report=large, user=caseworker, outcome=APPROVE,
                                         reason="Under embetets grense.")

    assert transfer.status == TransferStatus.APPROVED


@pytest.mark.parametrize(("outcome", "reason", "code"), [
    ("", "Grunn.", "outcome_required"),
    ("maybe", "Grunn.", "outcome_required"),
    (APPROVE, "   ", "reason_required"),
])
def test_a_decision_needs_an_outcome_and_a_reason(small, caseworker, outcome, reason, code):
    before = nothing_written()

    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=small, user=caseworker, outcome=outcome,
                                  reason=reason)

    assert refused.value.code == code
    assert nothing_written() == before


def test_another_office_cannot_decide(small, rogaland_caseworker):
    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=small, user=rogaland_caseworker, outcome=APPROVE,
                                  reason="Fra feil embete.")
    assert refused.value.code == "not_office_staff"
    assert nothing_written() == (0, 0, 0, 0)


def test_a_report_that_asks_to_repay_has_no_transfer_to_decide(report, signatory, caseworker):
    sent(report, signatory, 10_000, choice=UnusedChoice.REPAY)

    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=report, user=caseworker, outcome=APPROVE,
                                  reason="Grunn.")
    assert refused.value.code == "no_transfer_requested"
    assert nothing_written() == (0, 0, 0, 0)


def test_a_draft_has_no_transfer_to_decide(report, signatory, caseworker):
    ready_report(report, signatory, used=lambda line: line.granted - 10_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Grunn.")

    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=report, user=caseworker, outcome=APPROVE,
                                  reason="Grunn.")
    assert refused.value.code == "not_submitted"
    assert nothing_written() == (0, 0, 0, 0)


def test_a_decided_transfer_is_not_decided_again(small, caseworker, approver):
    transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE, reason="Ja.")
    before = nothing_written()

    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=small, user=approver, outcome=REFUSE, reason="Nei.")

    assert refused.value.code == "already_decided"
    assert nothing_written() == before
    assert TransferDecision.objects.get().status == TransferStatus.APPROVED


def test_an_approved_transfer_is_next_years_transferred_funds_prefilled_and_locked(
    small, caseworker, trondheim, next_round, signatory
):
    transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE, reason="Ja.")

    application = application_services.application_start(
        organisation=trondheim, round=next_round, user=signatory)
    assert application.transferred_funds == Decimal(30_000)
    # typed over, the amount stays what the office approved
    application_services.application_update(
        application=application, user=signatory,
        header={**complete_header(), "transferred_funds": Decimal(999)})
    application.refresh_from_db()
    assert application.transferred_funds == Decimal(30_000)
    field = ApplicationForms(application).header["transferred_funds"]
    assert field.field.disabled
    assert field.value() == "30\u00a0000"
    assert "kan ikke endres" in str(field.help_text)


def test_a_refused_transfer_locks_the_field_at_kr_0(small, caseworker, trondheim, next_round,
                                                    signatory):
    # the office's decision, not the applicant's guess (test_transfer_decided_in_application)
    transfers.transfer_decide(report=small, user=caseworker, outcome=REFUSE, reason="Nei.")

    application = application_services.application_start(
        organisation=trondheim, round=next_round, user=signatory)

    assert application.transferred_funds == Decimal(0)
    assert ApplicationForms(application).header.fields["transferred_funds"].disabled


def test_a_transfer_approved_after_the_draft_was_saved_counts_when_it_is_sent(
    small, caseworker, trondheim, next_round, signatory, grant_round
):
    from .helpers import competence_line

    application = application_services.application_start(
        organisation=trondheim, round=next_round, user=signatory)
    application_services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()])
    transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE, reason="Ja.")
    small.refresh_from_db()
    services.report_approve(report=small, user=caseworker)
    # the draft says kr 0: the submit refuses it at the field (the signatory sees what is
    # sent), and saving the step sets what the office approved
    with pytest.raises(ServiceError) as refused:
        application_services.application_submit(application=application, user=signatory)
    assert [e.field for e in refused.value.errors] == ["transferred_funds"]
    application_services.application_update(
        application=application, user=signatory, header=complete_header())

    application_services.application_submit(application=application, user=signatory)

    application.refresh_from_db()
    assert application.transferred_funds == Decimal(30_000)


def test_the_second_opinion_is_an_approvers(large, caseworker, trondheim):
    colleague = office_staff(trondheim.office, OfficeRole.CASEWORKER,
                             email="kollega@sftl.example.no")
    transfers.transfer_decide(report=large, user=caseworker, outcome=REFUSE, reason="Nei.")
    before = nothing_written()

    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=large, user=colleague, outcome=REFUSE, reason="Enig.")

    assert refused.value.code == "not_approver"
    assert nothing_written() == before
    assert TransferDecision.objects.get().status == TransferStatus.PROPOSED


def test_the_caseworker_sees_the_approved_transfer_beside_the_new_application(
    client, small, caseworker, trondheim, next_round, signatory
):
    from django.urls import reverse

    from .helpers import submitted_application

    transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE, reason="Ja.")
    services.report_approve(report=small, user=caseworker)
    application = submitted_application(trondheim, next_round, signatory)
    client.force_login(caseworker)

    page = client.get(reverse("admin:assessment_submittedapplication_change",
                              args=[application.pk])).content.decode()

    assert (f"<strong>kr\u00a030\u00a0000</strong> – overføring fra "
            f"{small.application.round} godkjent") in page
    assert "Sara Saksbehandler" in page


def test_the_decided_carryover_is_read_by_sql_compiled_once_as_the_orm_reads_it(
    small, caseworker, trondheim, next_round, grant_round
):
    from django.db import DEFAULT_DB_ALIAS, connections

    from tests.tilskudd.compiles import counted_compiles

    transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE, reason="Ja.")
    transfer = TransferDecision.objects.select_related(
        "decided_by", "report__application__round__scheme").get()
    transfers.decided_carryover(trondheim.pk, next_round)  # compiled here

    with counted_compiles() as (compiles, queries):
        found = transfers.decided_carryover(trondheim.pk, next_round)
        # the same organisation and scheme, but not the year after the grant's round
        assert transfers.decided_carryover(trondheim.pk, grant_round) is None
        assert transfers.decided_carryover(trondheim.pk + 1000, next_round) is None

    assert transfers._DECIDED.prepared(connections[DEFAULT_DB_ALIAS]) is not None
    assert (found.amount, found.from_round, found.decided_at, found.decided_by,
            found.reason) == (
        Decimal(30_000), str(transfer.report.application.round), transfer.decided_at,
        str(transfer.decided_by), "Ja.")
    assert found.decided_at.tzinfo is not None  # the backend's converters ran
    assert len(queries) == 3 and compiles == []


def test_the_database_refuses_a_second_decision_on_one_reports_transfer(
    small, caseworker, next_round
):
    # one decided transfer per report, so «the latest decided» that next year's application
    # and report read (transfers.decided_carryover, by decided_at then pk) is the one there is
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE, reason="Ja.")

    with pytest.raises(IntegrityError), transaction.atomic():
        TransferDecision.objects.create(
            report=small, amount=Decimal(1), status=TransferStatus.REFUSED,
            decided_by=caseworker, decided_at=timezone.now(), reason="Nei.")

    assert list(TransferDecision.objects.values_list("status", flat=True)) == [
        TransferStatus.APPROVED]
    found = transfers.decided_carryover(small.application.organisation_id, next_round)
    assert (found.amount, found.refused) == (Decimal(30_000), False)


def test_the_caseworker_sees_a_refused_transfer_beside_the_new_application(
    client, small, caseworker, trondheim, next_round, signatory
):
    from django.urls import reverse

    from .helpers import submitted_application

    application = submitted_application(trondheim, next_round, signatory,
                                        transferred_funds="30000")
    transfers.transfer_decide(report=small, user=caseworker, outcome=REFUSE, reason="Nei.")
    client.force_login(caseworker)

    page = client.get(reverse("admin:assessment_submittedapplication_change",
                              args=[application.pk])).content.decode()

    assert (f"<strong>kr\u00a00</strong> – overføring fra {small.application.round} avslått"
            ) in page
    assert "Søknaden oppgir kr\u00a030\u00a0000." in page
    assert "godkjent" not in page.split('id="carryover"')[1].split("</dd>")[0]
