"""A report sent back and sent again: an undecided transfer is withdrawn when the report
goes back (history and audit say so), pending again with the new sending's amount when it
comes back asking to transfer, and a decision is always on the live amount; a decided
transfer stands as it was."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting import services, transfers
from reporting.models import UnusedChoice
from reporting.repayment_inbox import office_items
from reporting.transfer_models import (
    RepaymentClaim,
    TransferDecision,
    TransferOutcome,
    TransferStatus,
)
from tests.tilskudd.factories import office_staff
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, OfficeRole

from .helpers import attach_required, fill

APPROVE, REFUSE = TransferOutcome.APPROVE, TransferOutcome.REFUSE


def send(report, signatory, unused_per_line: int, choice=UnusedChoice.TRANSFER):
    """Send (or send again) the report with `unused_per_line` kroner left on each of its
    three lines; the required attachment is added the first time."""
    fill(report, signatory, used=lambda line: line.granted - unused_per_line,
         unused_choice=choice, transfer_reason="Kullet startet først i januar.")
    if not report.attachments.exists():
        attach_required(report, signatory)
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


def send_back(report, caseworker):
    services.report_return(report=report, user=caseworker, message="Rett beløpene.")
    report.refresh_from_db()
    return report


@pytest.fixture
def proposed(report, signatory, caseworker):
    """kr 150 000 asked to be transferred, over the threshold: the caseworker proposes."""
    send(report, signatory, 50_000)
    transfers.transfer_decide(report=report, user=caseworker, outcome=APPROVE,
                              reason="Forslag: godkjenn.")
    return report


def test_sending_the_report_back_withdraws_the_proposal(proposed, caseworker):
    send_back(proposed, caseworker)

    transfer = TransferDecision.objects.get(report=proposed)
    assert (transfer.status, transfer.proposed_by, transfer.proposed_outcome) == (
        TransferStatus.WITHDRAWN, None, "")
    last = transfer.events.last()
    assert (last.from_status, last.to_status, last.by) == (
        TransferStatus.PROPOSED, TransferStatus.WITHDRAWN, caseworker)
    assert "Rett beløpene." in last.note
    row = AuditEvent.objects.filter(action=AuditAction.TRANSFER_STATUS).order_by("pk").last()
    assert (row.before, row.after, row.actor) == (
        {"status": "proposed", "proposed_outcome": "approve"},
        {"status": "withdrawn", "proposed_outcome": ""}, caseworker)


def test_the_withdrawn_proposal_leaves_the_approvers_inbox(proposed, caseworker, approver):
    membership = approver.office_membership
    assert [item.kind for item in office_items(approver, membership, proposed.updated_at)
            if item.kind == "transfer_decision"]

    send_back(proposed, caseworker)

    assert not [item for item in office_items(approver, membership, proposed.updated_at)
                if item.kind == "transfer_decision"]


def test_the_approver_decides_on_the_amount_sent_again_not_the_old_one(
        proposed, signatory, caseworker, approver, trondheim):
    second = office_staff(trondheim.county.office, OfficeRole.APPROVER)
    send_back(proposed, caseworker)
    send(proposed, signatory, 40_000)  # kr 120 000 now

    transfer = TransferDecision.objects.get(report=proposed)
    assert (transfer.status, transfer.amount) == (TransferStatus.PENDING, Decimal(120_000))
    # the approver's click is not a confirmation of the withdrawn kr 150 000 proposal:
    # it is the first opinion on kr 120 000 (still over the threshold), so a second is needed
    transfers.transfer_decide(report=proposed, user=approver, outcome=REFUSE, reason="Nei.")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.amount, transfer.proposed_by) == (
        TransferStatus.PROPOSED, Decimal(120_000), approver)
    transfers.transfer_decide(report=proposed, user=second, outcome=REFUSE, reason="Enig.")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.REFUSED, second)
    assert RepaymentClaim.objects.get().amount == Decimal(120_000)
    assert [(e.from_status, e.to_status) for e in transfer.events.all()] == [
        (TransferStatus.PENDING, TransferStatus.PROPOSED),
        (TransferStatus.PROPOSED, TransferStatus.WITHDRAWN),
        (TransferStatus.WITHDRAWN, TransferStatus.PENDING),
        (TransferStatus.PENDING, TransferStatus.PROPOSED),
        (TransferStatus.PROPOSED, TransferStatus.REFUSED),
    ]
    reopened = transfer.events.all()[2]
    assert "kr\u00a0120\u00a0000" in reopened.note
    row = AuditEvent.objects.filter(action=AuditAction.TRANSFER_STATUS,
                                    after__status="pending").get()
    assert (Decimal(row.before["amount"]), Decimal(row.after["amount"])) == (150_000, 120_000)


def test_under_the_threshold_when_sent_again_one_person_decides(
        proposed, signatory, caseworker):
    send_back(proposed, caseworker)
    send(proposed, signatory, 10_000)  # kr 30 000, under the kr 100 000 threshold

    transfers.transfer_decide(report=proposed, user=caseworker, outcome=APPROVE, reason="Ja.")

    transfer = TransferDecision.objects.get(report=proposed)
    assert (transfer.status, transfer.amount, transfer.decided_by) == (
        TransferStatus.APPROVED, Decimal(30_000), caseworker)


def test_sent_again_without_a_transfer_request_the_proposal_stays_withdrawn(
        proposed, signatory, caseworker, approver):
    send_back(proposed, caseworker)
    send(proposed, signatory, 50_000, choice=UnusedChoice.REPAY)

    transfer = TransferDecision.objects.get(report=proposed)
    assert transfer.status == TransferStatus.WITHDRAWN
    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=proposed, user=approver, outcome=APPROVE, reason="Ja.")
    assert refused.value.code == "no_transfer_requested"
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.WITHDRAWN, None)


def test_a_stale_proposal_is_never_confirmed(proposed, signatory, caseworker, approver):
    """A proposal on another amount than the live sending's (written before sending back
    withdrew it) is withdrawn by the next decision, which starts from the live amount."""
    send_back(proposed, caseworker)
    send(proposed, signatory, 40_000)
    # as the data was before this rule: the old proposal still standing on kr 150 000
    TransferDecision.objects.filter(report=proposed).update(
        status=TransferStatus.PROPOSED, amount=150_000, proposed_by=caseworker,
        proposed_outcome=APPROVE, proposed_reason="Gammelt forslag.")

    transfers.transfer_decide(report=proposed, user=approver, outcome=APPROVE, reason="Enig.")

    transfer = TransferDecision.objects.get(report=proposed)
    assert (transfer.status, transfer.amount, transfer.proposed_by, transfer.decided_by) == (
        TransferStatus.PROPOSED, Decimal(120_000), approver, None)
    assert [(e.from_status, e.to_status) for e in transfer.events.all()][-3:] == [
        (TransferStatus.PROPOSED, TransferStatus.WITHDRAWN),
        (TransferStatus.WITHDRAWN, TransferStatus.PENDING),
        (TransferStatus.PENDING, TransferStatus.PROPOSED),
    ]


def test_a_decided_transfer_does_not_change_when_the_report_is_sent_again(
        report, signatory, caseworker, client):
    send(report, signatory, 10_000)
    transfers.transfer_decide(report=report, user=caseworker, outcome=APPROVE, reason="Ja.")
    send_back(report, caseworker)
    send(report, signatory, 5_000)

    transfer = TransferDecision.objects.get(report=report)
    assert (transfer.status, transfer.amount) == (TransferStatus.APPROVED, Decimal(30_000))
    with pytest.raises(ServiceError) as refused:
        transfers.transfer_decide(report=report, user=caseworker, outcome=REFUSE, reason="Nei.")
    assert refused.value.code == "already_decided"
    # not silently: the report's page in the admin says the decision's amount and the new one
    client.force_login(caseworker)
    page = client.get(reverse("admin:reporting_report_change", args=[report.pk])).content.decode()
    assert 'id="transfer-amount-changed"' in page
    assert "kr\u00a030\u00a0000" in page and "kr\u00a015\u00a0000" in page


def test_sending_back_a_report_without_a_transfer_writes_nothing_of_one(
        report, signatory, caseworker):
    send(report, signatory, 10_000, choice=UnusedChoice.REPAY)
    send_back(report, caseworker)

    assert not TransferDecision.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TRANSFER_STATUS).exists()

