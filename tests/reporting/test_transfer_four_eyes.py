"""The database holds a transfer's four eyes as it holds a case's and a change request's
(tilskudd.four_eyes.four_eyes): who confirmed a proposal is not who proposed it, whatever
writes the row."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reporting import transfers
from reporting.transfer_models import TransferDecision, TransferOutcome, TransferStatus

from .test_transfers_resend import send


def decided_by(report, user):
    TransferDecision.objects.filter(report=report).update(
        status=TransferStatus.APPROVED, decided_by=user, decided_at=timezone.now())


def test_the_proposer_cannot_be_written_as_the_one_who_confirmed(report, signatory,
                                                                  caseworker):
    send(report, signatory, 50_000)  # kr 150 000: over the threshold, so proposed
    transfers.transfer_decide(report=report, user=caseworker,
                              outcome=TransferOutcome.APPROVE, reason="Forslag: godkjenn.")

    with pytest.raises(IntegrityError), transaction.atomic():
        decided_by(report, caseworker)

