"""The national view's transfer figures (reporting.repayment_inbox.funds_figures): an
approved transfer stands while its report is sent back for correction, as next year's
«overførte midler» (tilskudd.carryover) do."""

from decimal import Decimal

import pytest
from django.utils import timezone

from reporting import review, transfers
from reporting.repayment_inbox import funds_figures
from reporting.transfer_models import TransferOutcome, TransferStatus
from tilskudd.carryover import carryover_for
from tilskudd.figures import FigureScope

from .test_transfers import sent

pytestmark = pytest.mark.django_db


def transfer_figures(rnd, office) -> dict[str, Decimal | int]:
    [group] = funds_figures(FigureScope(round_id=rnd.pk, now=timezone.now()))
    return {row.key: row.for_office(office.pk) for row in group.rows[:2]}


def test_an_approved_transfer_stays_on_the_view_while_the_report_is_corrected(
    report, signatory, caseworker, grant_round, next_round, trondheim,
):
    # Given kr 30 000 approved for transfer
    small = sent(report, signatory, 10_000)
    transfers.transfer_decide(report=small, user=caseworker, outcome=TransferOutcome.APPROVE,
                              reason="Godt begrunnet.")
    decided = transfer_figures(grant_round, trondheim.office)

    # When the report is sent back for correction
    review.report_return(report=small, user=caseworker, message="Rett opp antall personer.")

    # Then the view and next year's carryover both still have it
    assert decided == {"approved": Decimal(30_000), "waiting": 0}
    assert transfer_figures(grant_round, trondheim.office) == {
        "approved": Decimal(30_000), "waiting": 0}
    assert transfers.transfer_of(small).status == TransferStatus.APPROVED
    assert carryover_for(trondheim.pk, next_round).amount == Decimal(30_000)

