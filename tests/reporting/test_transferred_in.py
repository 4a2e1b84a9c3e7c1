"""The next year's report accounts for the funds the office decided to transfer into it
(«overførte midler»), not for what the application said before the decision: a transfer is
asked for in the report (due 1 March) and often decided after the next application is sent
(due 17 March), and funds are «overført ett år» only «etter søknad» (seeds/001, Prosess)."""

from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError

from reporting import services, transfers
from reporting.models import Report, UnusedChoice
from reporting.steps import TEXT, step_url
from reporting.transfer_models import TransferDecision, TransferOutcome, TransferStatus
from tests.tilskudd.factories import OfficeBudgetFactory
from tilskudd.audit import AuditAction
from tilskudd.models import AuditEvent
from tilskudd.money import format_nok

from .helpers import decide, ready_report, submitted_application


@pytest.fixture
def asked(report, signatory):
    """This year's report, sent asking to transfer kr 30 000."""
    ready_report(report, signatory, used=lambda line: line.granted - 10_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kullet startet i januar.")
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


def next_report(trondheim, next_round, signatory, caseworker, approver, application):
    OfficeBudgetFactory(round=next_round, office=trondheim.office, pot=Decimal("30667000"))
    decide(application, caseworker, approver)
    return services.report_open(application=application, user=signatory)


def test_a_transfer_approved_after_the_next_application_was_sent_is_in_its_report(
    asked, trondheim, next_round, signatory, caseworker, approver
):
    application = submitted_application(trondheim, next_round, signatory, transferred_funds="0")
    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.APPROVE,
                              reason="Godt begrunnet.")

    report = next_report(trondheim, next_round, signatory, caseworker, approver, application)

    assert report.transferred_in == Decimal(30_000)


def test_a_transfer_refused_after_the_next_application_was_sent_is_not_in_its_report(
    asked, trondheim, next_round, signatory, caseworker, approver
):
    # the application states what was asked for; the office then refuses and claims it back
    application = submitted_application(trondheim, next_round, signatory,
                                        transferred_funds="30000")
    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.REFUSE,
                              reason="Midlene var ikke bundet.")

    report = next_report(trondheim, next_round, signatory, caseworker, approver, application)

    assert report.transferred_in == Decimal(0)


def test_without_a_report_last_year_the_application_says_what_was_transferred(
    trondheim, next_round, signatory, caseworker, approver
):
    # a grant from before the portal: the application's statement is all there is
    application = submitted_application(trondheim, next_round, signatory,
                                        transferred_funds="25000")

    report = next_report(trondheim, next_round, signatory, caseworker, approver, application)

    assert report.transferred_in == Decimal(25_000)


def test_a_transfer_decided_after_the_next_report_was_opened_is_set_on_it_and_audited(
    asked, trondheim, next_round, signatory, caseworker, approver
):
    application = submitted_application(trondheim, next_round, signatory, transferred_funds="0")
    report = next_report(trondheim, next_round, signatory, caseworker, approver, application)
    assert report.transferred_in == Decimal(0)

    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.APPROVE,
                              reason="Godt begrunnet.")

    report.refresh_from_db()
    assert (report.transferred_in, report.available) == (Decimal(30_000),
                                                         report.granted_total + 30_000)
    row = AuditEvent.objects.get(action=AuditAction.REPORT_UPDATE, target_id=report.pk)
    assert (row.actor, row.before, row.after) == (
        caseworker, {"transferred_in": "0"}, {"transferred_in": "30000"})


def test_a_decision_set_on_the_next_report_moves_its_last_changed(
    asked, trondheim, next_round, signatory, caseworker, approver
):
    # «sist endret» is when the report last changed, the office's setting of it too
    application = submitted_application(trondheim, next_round, signatory, transferred_funds="0")
    report = next_report(trondheim, next_round, signatory, caseworker, approver, application)
    earlier = report.updated_at - timedelta(days=1)
    Report.objects.filter(pk=report.pk).update(updated_at=earlier)

    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.APPROVE,
                              reason="Godt begrunnet.")

    report.refresh_from_db()
    assert report.transferred_in == Decimal(30_000)
    assert report.updated_at > earlier + timedelta(hours=23)


def test_a_decision_set_on_the_next_report_is_validated_as_every_save_of_it(
    asked, trondheim, next_round, signatory, caseworker, approver
):
    application = submitted_application(trondheim, next_round, signatory, transferred_funds="0")
    report = next_report(trondheim, next_round, signatory, caseworker, approver, application)

    def refuse(self, *args, **kwargs):
        raise ValidationError({"transferred_in": "Ugyldig."})

    with patch.object(Report, "full_clean", refuse), pytest.raises(ValidationError):
        transfers.transfer_decide(report=asked, user=caseworker,
                                  outcome=TransferOutcome.APPROVE, reason="Godt begrunnet.")

    # nothing of the decision is kept: the report, the transfer, its letter
    report.refresh_from_db()
    assert report.transferred_in == Decimal(0)
    assert not TransferDecision.objects.filter(status=TransferStatus.APPROVED).exists()


def test_the_recipients_save_in_a_tab_opened_before_the_decision_keeps_both(
    asked, trondheim, next_round, signatory, caseworker, approver, client
):
    # the recipient has the next report's first step open; the office decides meanwhile;
    # their save keeps what they typed and the decided amount, and shows the new figures
    application = submitted_application(trondheim, next_round, signatory, transferred_funds="0")
    report = next_report(trondheim, next_round, signatory, caseworker, approver, application)
    client.force_login(signatory)
    url = step_url(report, TEXT)
    assert client.get(url).status_code == 200
    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.APPROVE,
                              reason="Godt begrunnet.")
    decided_at = Report.objects.get(pk=report.pk).updated_at

    answer = client.post(url, {"header-text_report": "Skrevet i fanen."},
                         HTTP_X_REQUESTED_WITH="fetch").json()

    report.refresh_from_db()
    assert (report.text_report, report.transferred_in) == ("Skrevet i fanen.", Decimal(30_000))
    assert report.updated_at > decided_at
    assert answer["account"]["transferred_in"] == format_nok(Decimal(30_000))
    assert answer["account"]["available"] == format_nok(report.granted_total + 30_000)
