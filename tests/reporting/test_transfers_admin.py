"""Unused funds in the admin: the report's page shows the request and its decision, the
decision form and the claim form show a refusal next to the field and change nothing, a
claim is marked paid from its page, and another office reaches none of it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services, transfers
from reporting.models import UnusedChoice
from reporting.transfer_models import ClaimStatus, RepaymentClaim, TransferDecision

from .helpers import ready_report


@pytest.fixture
def asking(report, signatory):
    """A report sent in asking to transfer kr 30 000."""
    ready_report(report, signatory, used=lambda line: line.granted - 10_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kullet startet sent.")
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


def test_the_report_page_shows_the_request_and_links_to_the_decision(client, asking,
                                                                      caseworker):
    client.force_login(caseworker)

    page = client.get(reverse("admin:reporting_report_change", args=[asking.pk])).content
    text = page.decode()

    assert "Mottakeren søker om å overføre kr\u00a030\u00a0000" in text
    assert "Venter på vedtak" in text
    assert reverse("admin:reporting_report_transfer", args=[asking.pk]) in text


def test_the_decision_form_approves_and_the_page_says_so(client, asking, caseworker):
    client.force_login(caseworker)
    url = reverse("admin:reporting_report_transfer", args=[asking.pk])

    response = client.post(url, {"outcome": "approve", "reason": "Godt begrunnet."})

    assert response.status_code == 302
    assert TransferDecision.objects.get().status == "approved"
    page = client.get(response["Location"]).content.decode()
    assert "Overføring godkjent" in page
    assert reverse("admin:reporting_report_transfer", args=[asking.pk]) not in page


def test_the_decision_form_without_a_reason_says_so_and_changes_nothing(client, asking,
                                                                        caseworker):
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_transfer", args=[asking.pk]),
                           {"outcome": "approve", "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Skriv en begrunnelse for vedtaket."]
    assert "Rett feilene markert under." in response.content.decode()
    assert not TransferDecision.objects.exists()


def test_the_claim_form_shows_a_too_high_amount_next_to_the_field(client, asking,
                                                                   caseworker):
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_claim", args=[asking.pk]),
                           {"amount": "999999", "reason": "Feil bruk."})

    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Beløpet kan ikke være mer enn tilskuddet og overførte midler til sammen "
        "(kr\u00a0260\u00a0000)."]
    assert not RepaymentClaim.objects.exists()


def test_a_claim_is_marked_paid_from_its_page(client, asking, caseworker):
    transfers.transfer_decide(report=asking, user=caseworker, outcome="refuse",
                              reason="Ikke bundet.")
    claim = RepaymentClaim.objects.get()
    client.force_login(caseworker)
    change = client.get(reverse("admin:reporting_repaymentclaim_change", args=[claim.pk]))
    paid_url = reverse("admin:reporting_repaymentclaim_paid", args=[claim.pk])
    assert paid_url in change.content.decode()

    future = client.post(paid_url, {"paid_on": (timezone.localdate() + timedelta(days=2))
                                    .isoformat()})
    assert future.context["form"].errors["paid_on"] == [
        "Betalingsdatoen kan ikke være frem i tid."]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN

    done = client.post(paid_url, {"paid_on": timezone.localdate().isoformat()})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.paid_by) == (ClaimStatus.PAID, caseworker)


def test_another_office_reaches_neither_the_forms_nor_the_claims(
    client, asking, caseworker, rogaland_caseworker
):
    transfers.transfer_decide(report=asking, user=caseworker, outcome="refuse",
                              reason="Ikke bundet.")
    claim = RepaymentClaim.objects.get()
    client.force_login(rogaland_caseworker)

    for url in [reverse("admin:reporting_report_transfer", args=[asking.pk]),
                reverse("admin:reporting_report_claim", args=[asking.pk]),
                reverse("admin:reporting_repaymentclaim_paid", args=[claim.pk])]:
        assert client.post(url, {"outcome": "approve", "reason": "x", "amount": "1",
                                 "paid_on": timezone.localdate().isoformat()}
                           ).status_code == 404, url
    listed = client.get(reverse("admin:reporting_repaymentclaim_changelist"))
    assert list(listed.context["cl"].result_list) == []
    claim.refresh_from_db()
    assert (claim.status, claim.amount) == (ClaimStatus.OPEN, Decimal(30_000))


@pytest.mark.parametrize(("outcome", "words"), [
    ("approve", "foreslår å godkjenne overføringen"),
    ("refuse", "foreslår å avslå overføringen"),
])
def test_a_proposal_over_the_threshold_is_said_in_a_whole_sentence(
    client, report, signatory, caseworker, outcome, words
):
    # given: kr 150 000 asked to be transferred (over the threshold) and a proposal on it
    from tests.reporting.test_transfers import sent

    large = sent(report, signatory, 50_000)
    transfers.transfer_decide(report=large, user=caseworker, outcome=outcome,
                              reason="Forslag fra saksbehandler.")
    client.force_login(caseworker)

    # when
    page = client.get(reverse("admin:reporting_report_change", args=[large.pk])).content

    # then: «… foreslår å godkjenne overføringen», never the imperative «… å godkjenn …»
    text = page.decode()
    assert f"{caseworker} {words}" in text
    assert "å godkjenn " not in text
    assert TransferDecision.objects.get().status == "proposed"


@pytest.mark.parametrize(("typed", "amount"), [
    ("60 000", 60_000), ("kr 60 000", 60_000), ("20.000", 20_000), ("60\u00a0000", 60_000)])
def test_the_claim_form_takes_an_amount_typed_the_norwegian_way(client, asking, caseworker,
                                                                typed, amount):
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_claim", args=[asking.pk]),
                           {"amount": typed, "reason": "Feil bruk."})

    assert response.status_code == 302
    assert RepaymentClaim.objects.get().amount == Decimal(amount)


@pytest.mark.parametrize(("typed", "message"), [
    ("seksti", "Skriv beløpet i hele kroner, med bare tall (for eksempel 60000)."),
    ("0", "Skriv beløpet i hele kroner, større enn 0."),
    ("", "Skriv beløpet som kreves tilbake."),
])
def test_the_claim_form_says_what_is_wrong_with_an_amount_and_changes_nothing(
    client, asking, caseworker, typed, message
):
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_claim", args=[asking.pk]),
                           {"amount": typed, "reason": "Feil bruk."})

    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [message]
    assert not RepaymentClaim.objects.exists()


def test_the_cancel_form_takes_a_new_amount_typed_the_norwegian_way(client, asking,
                                                                    caseworker):
    transfers.transfer_decide(report=asking, user=caseworker, outcome="refuse",
                              reason="Ikke bundet.")
    claim = RepaymentClaim.objects.get()
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_repaymentclaim_cancel", args=[claim.pk]),
                           {"reason": "Feil beløp.", "new_amount": "kr 25 000"})

    assert response.status_code == 302
    assert RepaymentClaim.objects.get(replaces=claim).amount == Decimal(25_000)
