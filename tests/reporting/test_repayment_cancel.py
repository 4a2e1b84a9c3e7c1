"""An office user cancels a repayment claim not paid, with a reason (history, audit, an
e-mail to the recipient through the outbox); a wrong amount is corrected by cancelling and
making a new claim in its place (same cause, new due date and letter, `replaces`), in one
step from the claim's admin page, whose form says so."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import repayments
from reporting.repayment_inbox import REPAYMENT, office_items
from reporting.transfer_models import ClaimCause, ClaimStatus, RepaymentClaim, RepaymentLetter
from tests.pdf import pdf_text
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, OfficeMembership
from tilskudd.outbox import OutboundEmail

from .test_repayments import counts, repaid  # noqa: F401 (the fixture)


def cancel_url(claim):
    return reverse("admin:reporting_repaymentclaim_cancel", args=[claim.pk])


def test_the_office_cancels_a_claim_with_a_reason(repaid, caseworker, approver):  # noqa: F811
    replacement = repayments.repayment_claim_cancel(
        claim=repaid, user=caseworker, reason="Beløpet er betalt via motregning.")

    assert replacement is None
    repaid.refresh_from_db()
    assert (repaid.status, repaid.cancelled_by, repaid.cancel_reason) == (
        ClaimStatus.CANCELLED, caseworker, "Beløpet er betalt via motregning.")
    assert [(e.from_status, e.to_status, e.by, e.note) for e in repaid.events.all()] == [
        (ClaimStatus.OPEN, ClaimStatus.CANCELLED, caseworker,
         "Beløpet er betalt via motregning.")]
    row = AuditEvent.objects.get(action=AuditAction.REPAYMENT_STATUS)
    assert (row.before, row.after, row.actor) == (
        {"status": "open"}, {"status": "cancelled"}, caseworker)
    email = OutboundEmail.objects.get(kind="repayment_cancelled")
    reference = repayments.claim_reference(repaid)
    assert reference in email.subject and "kansellert" in email.subject
    assert "Beløpet er betalt via motregning." in email.body
    assert "Dere skal ikke betale dette kravet." in email.body
    assert set(email.to) >= {repaid.report.application.contact_email}
    # gone from the office's list of claims not paid
    assert not [i for i in office_items(approver, OfficeMembership.objects.get(user=approver),
                                        timezone.now()) if i.kind == REPAYMENT]


def test_a_wrong_amount_is_corrected_by_a_new_claim_in_its_place(
        repaid, caseworker, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        new = repayments.repayment_claim_cancel(
            claim=repaid, user=caseworker, reason="Feil beløp: kr 5 000 var brukt.",
            new_amount="25000")

    repaid.refresh_from_db()
    assert repaid.status == ClaimStatus.CANCELLED
    assert (new.status, new.amount, new.cause, new.reason, new.replaces) == (
        ClaimStatus.OPEN, Decimal(25_000), ClaimCause.REPAY_CHOSEN, repaid.reason, repaid)
    assert new.due_date == timezone.localdate() + timedelta(days=30)
    assert repaid.replaced_by == new
    row = AuditEvent.objects.get(action=AuditAction.REPAYMENT_STATUS)
    assert (Decimal(row.data["amount"]), Decimal(row.data["new_amount"])) == (30_000, 25_000)
    cancelled = OutboundEmail.objects.get(kind="repayment_cancelled")
    assert repayments.claim_reference(new) in cancelled.body
    assert "kr\u00a025\u00a0000" in cancelled.body
    assert OutboundEmail.objects.filter(kind="repayment_claim").count() == 2  # old and new
    letter = RepaymentLetter.objects.get(claim=new)
    text = pdf_text(letter.file.open("rb").read())
    assert f"erstatter krav {repayments.claim_reference(repaid)}" in text


@pytest.mark.parametrize(("reason", "amount", "code"), [
    ("", None, "reason_required"), ("Feil.", "0", "amount_invalid"),
    ("Feil.", "1 000 000", "amount_too_high"), ("Feil.", "30000", "same_amount"),
])
def test_a_cancellation_needs_a_reason_and_a_new_amount_that_can_be_right(
        repaid, caseworker, reason, amount, code):  # noqa: F811
    before = counts()

    with pytest.raises(ServiceError) as refused:
        repayments.repayment_claim_cancel(claim=repaid, user=caseworker, reason=reason,
                                          new_amount=amount)

    assert refused.value.code == code
    repaid.refresh_from_db()
    assert repaid.status == ClaimStatus.OPEN
    assert counts() == before
    assert not OutboundEmail.objects.filter(kind="repayment_cancelled").exists()


def test_a_paid_claim_is_not_cancelled_nor_by_another_office(
        repaid, caseworker, rogaland_caseworker):  # noqa: F811
    before = counts()
    with pytest.raises(ServiceError) as stranger:
        repayments.repayment_claim_cancel(claim=repaid, user=rogaland_caseworker,
                                          reason="Nei.")
    assert stranger.value.code == "not_office_staff"
    repaid.refresh_from_db()
    assert repaid.status == ClaimStatus.OPEN
    assert counts() == before
    assert not OutboundEmail.objects.filter(kind="repayment_cancelled").exists()
    repayments.repayment_mark_paid(claim=repaid, user=caseworker,
                                   paid_on=timezone.localdate())
    before = counts()

    with pytest.raises(ServiceError) as paid:
        repayments.repayment_claim_cancel(claim=repaid, user=caseworker, reason="For sent.")

    assert paid.value.code == "not_open"
    assert counts() == before


def test_the_claims_page_offers_cancelling_and_says_how_to_correct(
        repaid, caseworker, client):  # noqa: F811
    client.force_login(caseworker)
    page = client.get(reverse("admin:reporting_repaymentclaim_change", args=[repaid.pk]))
    assert f'href="{cancel_url(repaid)}"' in page.content.decode()

    form = client.get(cancel_url(repaid)).content.decode()
    assert '<label for="id_reason"' in form and '<label for="id_new_amount"' in form
    assert "Et krav kan ikke endres. Er beløpet feil" in form


def test_a_too_high_new_amount_is_said_next_to_the_field(repaid, caseworker, client):  # noqa: F811
    client.force_login(caseworker)

    response = client.post(cancel_url(repaid), {"reason": "Feil.", "new_amount": "999999"})

    html = response.content.decode()
    assert response.status_code == 200
    error_at = html.index("Beløpet kan ikke være mer enn")
    assert html.index('<label for="id_reason"') < error_at < html.index(
        '<label for="id_new_amount"')
    repaid.refresh_from_db()
    assert repaid.status == ClaimStatus.OPEN


def test_the_form_corrects_and_goes_to_the_new_claim(repaid, caseworker, client):  # noqa: F811
    client.force_login(caseworker)

    response = client.post(cancel_url(repaid), {"reason": "Feil beløp.",
                                                "new_amount": "20000"})

    new = RepaymentClaim.objects.get(replaces=repaid)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reporting_repaymentclaim_change",
                                           args=[new.pk])
    page = client.get(response["Location"]).content.decode()
    assert repayments.claim_reference(repaid) in page  # «erstatter kravet»
    assert f'href="{cancel_url(new)}"' in page


def test_another_office_cannot_open_the_form(repaid, rogaland_caseworker, client):  # noqa: F811
    client.force_login(rogaland_caseworker)

    before = counts()

    assert client.get(cancel_url(repaid)).status_code == 404
    assert client.post(cancel_url(repaid), {"reason": "x"}).status_code == 404
    repaid.refresh_from_db()
    assert repaid.status == ClaimStatus.OPEN
    assert counts() == before
    assert not OutboundEmail.objects.filter(kind="repayment_cancelled").exists()


@pytest.fixture
def four_eyes_claim(report, signatory, caseworker, approver):
    """A kr 120 000 transfer (above the kr 100 000 threshold) refused by two: its claim."""
    from reporting import services, transfers
    from reporting.models import UnusedChoice
    from reporting.transfer_models import TransferStatus

    from .helpers import ready_report
    ready_report(report, signatory, used=lambda line: line.granted - 40_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Sent start.")
    services.report_submit(report=report, user=signatory)
    transfers.transfer_decide(report=report, user=caseworker, outcome="refuse",
                              reason="Ikke grunnlag.")
    decided = transfers.transfer_decide(report=report, user=approver, outcome="refuse",
                                        reason="Enig.")
    assert decided.status == TransferStatus.REFUSED
    return RepaymentClaim.objects.get()


def test_a_caseworker_alone_cannot_undo_a_four_eyes_claim_and_nothing_changes(
    four_eyes_claim, caseworker
):
    before = counts()

    with pytest.raises(ServiceError) as refused:
        repayments.repayment_claim_cancel(claim=four_eyes_claim, user=caseworker,
                                          reason="Feil.", new_amount="1")

    assert refused.value.code == "not_approver"
    assert refused.value.message == (
        "Kravet kommer av et vedtak fattet av to (fire øyne), og bare en godkjenner ved "
        "embetet kan kansellere eller rette det.")
    assert counts() == before
    four_eyes_claim.refresh_from_db()
    assert (four_eyes_claim.status, four_eyes_claim.amount) == (ClaimStatus.OPEN,
                                                                Decimal(120_000))


def test_an_approver_may_correct_a_four_eyes_claim_and_the_correction_stays_theirs(
    four_eyes_claim, caseworker, approver
):
    new = repayments.repayment_claim_cancel(claim=four_eyes_claim, user=approver,
                                            reason="Feil beløp.", new_amount="100000")

    assert (new.amount, new.cause, new.created_by) == (
        Decimal(100_000), ClaimCause.TRANSFER_REFUSED, approver)
    with pytest.raises(ServiceError) as refused:
        repayments.repayment_claim_cancel(claim=new, user=caseworker, reason="Feil.")
    assert refused.value.code == "not_approver"


def test_a_caseworker_still_cancels_a_claim_decided_by_one(repaid, caseworker):  # noqa: F811
    repayments.repayment_claim_cancel(claim=repaid, user=caseworker, reason="Feil krav.")

    repaid.refresh_from_db()
    assert repaid.status == ClaimStatus.CANCELLED
