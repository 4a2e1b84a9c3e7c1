"""Two at once on PostgreSQL, for the rest of the grant year: a claim cancelled and marked
paid at the same moment ends in one of the two; two corrections of one claim make one new
claim; a report sent back while the second person confirms its transfer proposal either
decides the transfer (and it stands) or withdraws it, never both."""

import pytest
from django.utils import timezone

from reporting import repayments, services, transfers
from reporting.models import UnusedChoice
from reporting.transfer_models import (
    ClaimStatus,
    RepaymentClaim,
    RepaymentEvent,
    TransferDecision,
    TransferStatus,
)
from tests.applications.test_concurrency import run_together
from tilskudd.errors import ServiceError

from .helpers import ready_report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def claim(report, signatory, caseworker):
    ready_report(report, signatory, used=lambda line: line.granted - 10_000,
                 unused_choice=UnusedChoice.REPAY)
    services.report_submit(report=report, user=signatory)
    services.report_approve(report=report, user=caseworker)
    return RepaymentClaim.objects.get()


def test_cancelled_and_marked_paid_at_once_is_one_of_them(claim, caseworker, approver):
    acts = [
        lambda: repayments.repayment_mark_paid(claim=claim, user=approver,
                                               paid_on=timezone.localdate()),
        lambda: repayments.repayment_claim_cancel(claim=claim, user=caseworker,
                                                  reason="Feil krav."),
    ]

    results = run_together(lambda: acts.pop()())

    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and refused[0].code == "not_open"
    claim.refresh_from_db()
    assert claim.status in (ClaimStatus.PAID, ClaimStatus.CANCELLED)
    # the one refused is told what the claim became, not that it was paid
    assert claim.get_status_display().lower() in refused[0].message
    assert RepaymentEvent.objects.count() == 1


def test_two_corrections_at_once_make_one_new_claim(claim, caseworker, approver):
    users = [caseworker, approver]

    results = run_together(lambda: repayments.repayment_claim_cancel(
        claim=claim, user=users.pop(), reason="Feil beløp.", new_amount="20000"))

    assert [r.code for r in results if isinstance(r, ServiceError)] == ["not_open"]
    assert RepaymentClaim.objects.filter(status=ClaimStatus.OPEN).count() == 1
    assert RepaymentClaim.objects.get(replaces=claim).amount == 20_000


def test_sent_back_while_the_proposal_is_confirmed(report, signatory, caseworker, approver):
    ready_report(report, signatory, used=lambda line: line.granted - 50_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kullet startet sent.")
    services.report_submit(report=report, user=signatory)
    transfers.transfer_decide(report=report, user=caseworker, outcome="approve", reason="Ja.")
    acts = [
        lambda: transfers.transfer_decide(report=report, user=approver, outcome="approve",
                                          reason="Enig."),
        lambda: services.report_return(report=report, user=caseworker, message="Rett tallene."),
    ]

    results = run_together(lambda: acts.pop()())

    transfer = TransferDecision.objects.get()
    refused = [r for r in results if isinstance(r, ServiceError)]
    if transfer.status == TransferStatus.APPROVED:  # confirmed first: the return still went
        assert refused == []
    else:  # sent back first: withdrawn, and the confirmation refused
        assert transfer.status == TransferStatus.WITHDRAWN
        assert [r.code for r in refused] == ["not_submitted"]
    report.refresh_from_db()
    assert report.status == "returned"
