"""What a report's claims ask back never passes what the recipient had (granted and
transferred in, kr 260 000 here), in whichever order they come: a claim typed in (misuse, a
correction) is refused over what is left; one made by a decision (the repayment the
recipient chose, on approval; a refused transfer) asks what is left, or nothing, and the
caseworker is told so in the message and the audit row."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reporting import repayments, services, transfers
from reporting.models import UnusedChoice
from reporting.transfer_models import ClaimCause, ClaimStatus
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent

from .test_repayments import MISUSE_REASON, sent
from .test_transfers import REFUSE
from .test_transfers import sent as sent_for_transfer


def open_total(report):
    return sum(report.repayment_claims.exclude(status=ClaimStatus.CANCELLED)
               .values_list("amount", flat=True), Decimal(0))


def misuse(report, user, amount):
    return repayments.repayment_claim_create(report=report, user=user, amount=str(amount),
                                             reason=MISUSE_REASON)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def repaying(report, signatory):
    """Sent, choosing to repay kr 30 000; not approved yet."""
    return sent(report, signatory, 10_000, UnusedChoice.REPAY)


def test_a_chosen_repayment_after_a_full_misuse_claim_makes_no_claim_and_says_so(
        repaying, caseworker, client):
    # given: the whole kr 260 000 claimed for misuse before the report is approved
    misuse(repaying, caseworker, repaying.available)
    client.force_login(caseworker)
    # when
    response = client.post(reverse("admin:reporting_report_approve", args=[repaying.pk]))
    # then: nothing more is claimed, and the caseworker reads why
    assert list(repaying.repayment_claims.values_list("cause", flat=True)) == [
        ClaimCause.MISUSE]
    note = ("Det er ikke laget noe krav om tilbakebetaling av kr\u00a030\u00a0000: "
            "tilskuddet og overførte midler (kr\u00a0260\u00a0000) er allerede krevd tilbake "
            "i krav som ikke er kansellert (kr\u00a0260\u00a0000).")
    assert messages_of(response) == ["Rapporten er godkjent.", note]
    approval = AuditEvent.objects.filter(action=AuditAction.REPORT_STATUS,
                                         after__status="approved").get()
    assert approval.data["repayment_note"] == note


def test_a_chosen_repayment_after_a_misuse_claim_asks_only_what_is_left(
        repaying, caseworker):
    misuse(repaying, caseworker, 240_000)

    approved = services.report_approve(report=repaying, user=caseworker)

    chosen = repaying.repayment_claims.get(cause=ClaimCause.REPAY_CHOSEN)
    assert chosen.amount == Decimal(20_000)
    assert open_total(repaying) == repaying.available
    assert approved.repayment_note.startswith(
        "Kravet om tilbakebetaling er på kr\u00a020\u00a0000, ikke kr\u00a030\u00a0000")
    created = AuditEvent.objects.get(action=AuditAction.REPAYMENT_CLAIM_CREATE,
                                     target_id=chosen.pk)
    assert (created.after["amount"], created.data["asked"]) == ("20000", "30000")


def test_a_chosen_repayment_with_room_is_claimed_in_full_without_a_note(
        repaying, caseworker):
    misuse(repaying, caseworker, 230_000)

    approved = services.report_approve(report=repaying, user=caseworker)

    assert repaying.repayment_claims.get(cause=ClaimCause.REPAY_CHOSEN).amount == 30_000
    assert approved.repayment_note == ""
    assert "asked" not in AuditEvent.objects.filter(
        action=AuditAction.REPAYMENT_CLAIM_CREATE).last().data


def test_a_full_misuse_claim_after_a_chosen_repayment_is_refused(repaying, caseworker):
    services.report_approve(report=repaying, user=caseworker)

    with pytest.raises(ServiceError) as refused:
        misuse(repaying, caseworker, repaying.available)

    assert refused.value.code == "amount_too_high"
    assert open_total(repaying) == Decimal(30_000)


@pytest.fixture
def asking(report, signatory):
    """Sent, asking to transfer kr 30 000 (decided by one member of staff)."""
    return sent_for_transfer(report, signatory, 10_000)


def test_a_refused_transfer_after_a_full_misuse_claim_makes_no_claim_and_says_so(
        asking, caseworker, client):
    misuse(asking, caseworker, asking.available)
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_transfer", args=[asking.pk]),
                           {"outcome": "refuse", "reason": "Midlene var ikke bundet."})

    assert response.status_code == 302
    assert list(asking.repayment_claims.values_list("cause", flat=True)) == [
        ClaimCause.MISUSE]
    [message] = messages_of(response)
    assert message.startswith("Vedtaket om overføring er lagret. Det er ikke laget noe krav")
    decided = AuditEvent.objects.get(action=AuditAction.TRANSFER_STATUS)
    assert decided.data["repayment_note"] in message


def test_a_refused_transfer_after_a_misuse_claim_asks_only_what_is_left(asking, caseworker):
    misuse(asking, caseworker, 250_000)

    transfer = transfers.transfer_decide(report=asking, user=caseworker, outcome=REFUSE,
                                         reason="Midlene var ikke bundet.")

    refused = asking.repayment_claims.get(cause=ClaimCause.TRANSFER_REFUSED)
    assert refused.amount == Decimal(10_000)
    assert open_total(asking) == asking.available
    assert "kr\u00a010\u00a0000, ikke kr\u00a030\u00a0000" in transfer.repayment_note


def test_a_full_misuse_claim_after_a_refused_transfer_is_refused(asking, caseworker):
    transfers.transfer_decide(report=asking, user=caseworker, outcome=REFUSE,
                              reason="Midlene var ikke bundet.")

    with pytest.raises(ServiceError) as refused:
        misuse(asking, caseworker, asking.available)

    assert refused.value.code == "amount_too_high"
    assert open_total(asking) == Decimal(30_000)


def test_a_full_claim_may_be_corrected_down_as_it_no_longer_counts_against_itself(
        report, signatory, caseworker):
    sent(report, signatory)
    full = misuse(report, caseworker, report.available)

    new = repayments.repayment_claim_cancel(claim=full, user=caseworker, reason="Feil beløp.",
                                            new_amount="250000")

    assert new.amount == Decimal(250_000) and new.replaces == full
    assert open_total(report) == Decimal(250_000)
