"""Two at once on PostgreSQL: two approvers confirming one proposed refusal give one
decision and one repayment claim; two members of staff marking one claim paid record one
payment."""

import pytest
from django.utils import timezone

from reporting import repayments, services, transfers
from reporting.models import UnusedChoice
from reporting.transfer_models import (
    ClaimStatus,
    RepaymentClaim,
    RepaymentEvent,
    TransferDecision,
    TransferEvent,
    TransferStatus,
)
from tests.applications.test_concurrency import run_together
from tests.tilskudd.factories import office_staff
from tilskudd.errors import ServiceError
from tilskudd.models import OfficeRole

from .helpers import ready_report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_approvers_confirming_at_once_give_one_decision(report, signatory, caseworker,
                                                            approver, trondheim):
    second = office_staff(trondheim.office, OfficeRole.APPROVER, email="to@sftl.example.no")
    ready_report(report, signatory, used=lambda line: line.granted - 50_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kullet startet sent.")
    services.report_submit(report=report, user=signatory)
    transfers.transfer_decide(report=report, user=caseworker, outcome="refuse", reason="Nei.")
    users = [approver, second]

    results = run_together(lambda: transfers.transfer_decide(
        report=report, user=users.pop(), outcome="refuse", reason="Enig."))

    assert sorted(type(r).__name__ for r in results) == ["ServiceError", "TransferDecision"]
    assert [r.code for r in results if isinstance(r, ServiceError)] == ["already_decided"]
    assert TransferDecision.objects.get().status == TransferStatus.REFUSED
    assert TransferEvent.objects.count() == 2
    assert RepaymentClaim.objects.count() == 1


def test_two_at_once_mark_a_claim_paid_once(report, signatory, caseworker, approver):
    ready_report(report, signatory, used=lambda line: line.granted - 10_000,
                 unused_choice=UnusedChoice.REPAY)
    services.report_submit(report=report, user=signatory)
    services.report_approve(report=report, user=caseworker)
    claim = RepaymentClaim.objects.get()
    users = [caseworker, approver]

    results = run_together(lambda: repayments.repayment_mark_paid(
        claim=claim, user=users.pop(), paid_on=timezone.localdate()))

    assert sorted(type(r).__name__ for r in results) == ["RepaymentClaim", "ServiceError"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    assert RepaymentEvent.objects.count() == 1
