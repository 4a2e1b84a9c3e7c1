"""A transfer decided while the next year's report opens, on PostgreSQL: the opening locks
the year before's report, as the decision does first, so either the opening reads the
decision or the decision finds the opened report and sets it (reporting.transfers)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from reporting import services, transfers
from reporting.models import UnusedChoice
from reporting.transfer_models import TransferOutcome
from tests.tilskudd.factories import OfficeBudgetFactory

from .helpers import decide, ready_report, submitted_application
from .test_opening_concurrency import _eager_tasks_one_thread_at_a_time

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_transfer_decided_while_the_next_report_opens_is_in_it(
    report, trondheim, next_round, signatory, caseworker, approver, monkeypatch
):
    ready_report(report, signatory, used=lambda line: line.granted - 10_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kullet startet i januar.")
    services.report_submit(report=report, user=signatory)
    application = submitted_application(trondheim, next_round, signatory, transferred_funds="0")
    OfficeBudgetFactory(round=next_round, office=trondheim.office, pot=Decimal("30667000"))
    decide(application, caseworker, approver)
    _eager_tasks_one_thread_at_a_time(monkeypatch)
    deciding: list[threading.Thread] = []

    def decision():
        try:
            transfers.transfer_decide(report=report, user=caseworker,
                                      outcome=TransferOutcome.APPROVE, reason="Godt begrunnet.")
        finally:
            connection.close()

    real = transfers.transferred_into

    def read_while_the_office_decides(app):
        # the opening has read the undecided transfer; the office decides now
        found = real(app)
        if not deciding:
            deciding.append(threading.Thread(target=decision))
            deciding[0].start()
            deciding[0].join(timeout=3)  # it waits for the opening, if the opening holds
        return found                     # the year before's report

    monkeypatch.setattr(transfers, "transferred_into", read_while_the_office_decides)
    opened = services.report_open(application=application, user=signatory)
    deciding[0].join(timeout=30)

    opened.refresh_from_db()
    assert opened.transferred_in == Decimal(30_000)
