"""Repayment claims: made from a chosen repayment when the report is approved, or for misuse
found in review; a due date from the round's setting, a PDF letter (read back), an e-mail;
marked paid by the office; shown in the inbox, the admin index, the archive and the
national figures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import repayments, services
from reporting.models import ReportingSettings, UnusedChoice
from reporting.repayment_inbox import REPAYMENT, claim_items, funds_figures, office_items
from reporting.transfer_models import ClaimCause, ClaimStatus, RepaymentClaim, RepaymentEvent
from tests.pdf import pdf_text
from tilskudd.archive import archive_documents
from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.errors import ServiceError
from tilskudd.figures import FigureScope
from tilskudd.links import absolute_url
from tilskudd.models import AuditEvent, OfficeMembership
from tilskudd.outbox import OutboundEmail
from tilskudd.selectors import memberships_for_user

from .helpers import ready_report

MISUSE_REASON = "Kr 20 000 er brukt til kontorrekvisita, som ikke er et kompetansetiltak."


def sent(report, signatory, unused_per_line=0, choice=""):
    ready_report(report, signatory, used=lambda line: line.granted - unused_per_line,
                 unused_choice=choice)
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


@pytest.fixture
def repaid(report, signatory, caseworker, django_capture_on_commit_callbacks):
    """A report that repays kr 30 000, approved: one claim, its letter made."""
    sent(report, signatory, 10_000, UnusedChoice.REPAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=caseworker)
    return RepaymentClaim.objects.get()


def counts():
    return (RepaymentClaim.objects.count(), RepaymentEvent.objects.count(),
            AuditEvent.objects.filter(action__in=[AuditAction.REPAYMENT_CLAIM_CREATE,
                                                  AuditAction.REPAYMENT_STATUS]).count(),
            OutboundEmail.objects.filter(kind="repayment_claim").count())


def test_approving_a_report_that_repays_makes_a_claim_due_in_30_days(repaid, caseworker):
    assert (repaid.cause, repaid.amount, repaid.status, repaid.created_by) == (
        ClaimCause.REPAY_CHOSEN, Decimal(30_000), ClaimStatus.OPEN, caseworker)
    assert repaid.due_date == timezone.localdate() + timedelta(days=30)
    row = AuditEvent.objects.get(action=AuditAction.REPAYMENT_CLAIM_CREATE)
    assert row.after == {"amount": "30000", "due_date": repaid.due_date.isoformat(),
                         "cause": "repay_chosen", "status": "open"}
    email = OutboundEmail.objects.get(kind="repayment_claim")
    reference = repayments.claim_reference(repaid)
    assert email.subject.startswith(f"Krav om tilbakebetaling {reference}")
    assert absolute_url("reporting:repayment_letter", repaid.pk) in email.body
    assert "Betalingsfrist: " in email.body and "kr\u00a030\u00a0000" in email.body


def test_the_letter_says_amount_reason_and_due_date(repaid):
    letter = repaid.letter
    assert letter.status == DocumentStatus.READY
    assert len(letter.sha256) == 64
    with letter.file.open("rb") as fh:
        text = pdf_text(fh.read())
    year = repaid.report.application.round.year
    due = repaid.due_date
    months = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "desember"]
    for expected in [
        f"Krav om tilbakebetaling – Kompetanse- og tjenesteutviklingstilskudd {year}",
        "Statsforvalteren i Trøndelag krever at Trondheim - Tråante kommune betaler tilbake "
        f"kr 30 000 av tilskuddet for {year}.",
        "Beløp som skal betales tilbake kr 30 000",
        f"Betalingsfrist {due.day}. {months[due.month - 1]} {due.year}",
        "Ubrukte midler som mottakeren i rapporten valgte å betale tilbake.",
        f"Merk innbetalingen med {repayments.claim_reference(repaid)}.",
    ]:
        assert expected in text, expected


def test_a_report_that_used_everything_makes_no_claim(report, signatory, caseworker):
    sent(report, signatory)

    services.report_approve(report=report, user=caseworker)

    assert counts() == (0, 0, 0, 0)


def test_the_round_sets_the_days_to_pay(report, signatory, caseworker, grant_round):
    ReportingSettings.objects.create(round=grant_round, repayment_days=14)
    sent(report, signatory, 10_000, UnusedChoice.REPAY)

    services.report_approve(report=report, user=caseworker)

    assert RepaymentClaim.objects.get().due_date == timezone.localdate() + timedelta(days=14)


def test_misuse_found_in_review_becomes_a_claim(report, signatory, caseworker):
    sent(report, signatory)

    claim = repayments.repayment_claim_create(report=report, user=caseworker, amount="20000",
                                              reason=MISUSE_REASON)

    assert (claim.cause, claim.amount, claim.reason) == (
        ClaimCause.MISUSE, Decimal(20_000), MISUSE_REASON)


@pytest.mark.parametrize(("amount", "reason", "code", "field"), [
    ("", MISUSE_REASON, "amount_invalid", "amount"),
    ("0", MISUSE_REASON, "amount_invalid", "amount"),
    ("12,5", MISUSE_REASON, "amount_invalid", "amount"),
    ("-5", MISUSE_REASON, "amount_invalid", "amount"),
    ("260001", MISUSE_REASON, "amount_too_high", "amount"),
    ("1000", " ", "reason_required", "reason"),
])
def test_a_misuse_claim_is_refused_with_the_field_named(
    report, signatory, caseworker, amount, reason, code, field
):
    sent(report, signatory)
    before = counts()

    with pytest.raises(ServiceError) as refused:
        repayments.repayment_claim_create(report=report, user=caseworker, amount=amount,
                                          reason=reason)

    assert (refused.value.code, refused.value.errors[0].field) == (code, field)
    assert counts() == before


def test_no_claim_on_a_draft_nor_from_another_office(report, signatory, caseworker,
                                                     rogaland_caseworker):
    with pytest.raises(ServiceError) as draft:
        repayments.repayment_claim_create(report=report, user=caseworker, amount="100",
                                          reason=MISUSE_REASON)
    sent(report, signatory)
    with pytest.raises(ServiceError) as stranger:
        repayments.repayment_claim_create(report=report, user=rogaland_caseworker,
                                          amount="100", reason=MISUSE_REASON)

    assert (draft.value.code, stranger.value.code) == ("not_submitted", "not_office_staff")
    assert counts() == (0, 0, 0, 0)


def test_the_office_marks_a_claim_paid(repaid, approver):
    paid_on = timezone.localdate()

    repayments.repayment_mark_paid(claim=repaid, user=approver, paid_on=paid_on)

    repaid.refresh_from_db()
    assert (repaid.status, repaid.paid_on, repaid.paid_by) == (ClaimStatus.PAID, paid_on,
                                                                approver)
    assert [(e.from_status, e.to_status, e.by) for e in repaid.events.all()] == [
        (ClaimStatus.OPEN, ClaimStatus.PAID, approver)]
    row = AuditEvent.objects.get(action=AuditAction.REPAYMENT_STATUS)
    assert (row.before, row.after) == ({"status": "open", "paid_on": None},
                                       {"status": "paid", "paid_on": paid_on.isoformat()})


@pytest.mark.parametrize(("days", "code"), [
    (None, "paid_on_required"), (1, "paid_on_future"), (-1, "paid_on_too_early"),
])
def test_marking_paid_needs_a_date_that_can_be_true(repaid, approver, days, code):
    today = timezone.localdate()
    paid_on = None if days is None else today + timedelta(days=days)
    before = counts()

    with pytest.raises(ServiceError) as refused:
        repayments.repayment_mark_paid(claim=repaid, user=approver, paid_on=paid_on)

    assert refused.value.code == code
    repaid.refresh_from_db()
    assert (repaid.status, repaid.paid_on) == (ClaimStatus.OPEN, None)
    assert counts() == before


def test_a_paid_claim_is_not_paid_twice_and_strangers_cannot_mark_it(
    repaid, approver, rogaland_caseworker
):
    with pytest.raises(ServiceError) as stranger:
        repayments.repayment_mark_paid(claim=repaid, user=rogaland_caseworker,
                                       paid_on=timezone.localdate())
    assert stranger.value.code == "not_office_staff"
    repayments.repayment_mark_paid(claim=repaid, user=approver, paid_on=timezone.localdate())
    before = counts()

    with pytest.raises(ServiceError) as twice:
        repayments.repayment_mark_paid(claim=repaid, user=approver,
                                       paid_on=timezone.localdate())

    assert twice.value.code == "already_paid"
    assert counts() == before


def test_an_open_claim_is_in_the_inbox_and_on_the_admin_index_until_paid(
    repaid, signatory, approver
):
    now = timezone.now()
    mine = list(claim_items(signatory, list(memberships_for_user(signatory)), now))
    office = [item for item in office_items(
        approver, OfficeMembership.objects.get(user=approver), now) if item.kind == REPAYMENT]
    assert [(i.kind, i.title) for i in mine] == [
        (REPAYMENT, f"Betal tilbake kr\u00a030\u00a0000 av tilskuddet for "
                    f"{repaid.report.application.round}")]
    assert mine[0].url == reverse("reporting:repayment_letter", args=[repaid.pk])
    assert len(office) == 1 and "ikke betalt" in office[0].title

    repayments.repayment_mark_paid(claim=repaid, user=approver, paid_on=timezone.localdate())

    assert list(claim_items(signatory, list(memberships_for_user(signatory)), now)) == []
    assert [i for i in office_items(approver, OfficeMembership.objects.get(user=approver), now)
            if i.kind == REPAYMENT] == []


def test_the_letter_is_in_the_archive_with_its_checksum(repaid):
    documents = archive_documents([repaid.report.application_id])[repaid.report.application_id]
    letter = [d for d in documents if d.title.startswith("Krav om tilbakebetaling")]
    assert len(letter) == 1 and letter[0].sha256 == repaid.letter.sha256


def test_the_national_figures_count_open_and_paid_claims(repaid, approver, trondheim):
    def figures():
        group = next(g for g in funds_figures(FigureScope(
            round_id=repaid.report.application.round_id, now=timezone.now()))
            if g.key == "repayments")
        return {row.key: row.for_office(trondheim.office.pk) for row in group.rows}

    assert figures() == {"approved": 0, "waiting": 0, "open_count": 1,
                         "open_amount": Decimal(30_000), "paid_amount": 0}
    repayments.repayment_mark_paid(claim=repaid, user=approver, paid_on=timezone.localdate())
    assert figures() == {"approved": 0, "waiting": 0, "open_count": 0,
                         "open_amount": 0, "paid_amount": Decimal(30_000)}


def test_the_letter_is_for_the_organisation_and_its_office_only(
    repaid, client, signatory, caseworker, rogaland_signatory
):
    url = reverse("reporting:repayment_letter", args=[repaid.pk])
    client.force_login(rogaland_signatory)
    assert client.get(url).status_code == 404
    client.force_login(signatory)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-SHA256"] == repaid.letter.sha256
    client.force_login(caseworker)
    assert client.get(url).status_code == 200


def test_a_second_full_misuse_claim_is_refused_with_what_is_left_and_nothing_changes(
    report, signatory, caseworker
):
    # given: the whole kr 260 000 is already claimed back
    sent(report, signatory)
    repayments.repayment_claim_create(report=report, user=caseworker,
                                      amount=str(report.available), reason=MISUSE_REASON)
    before = counts()
    # when
    with pytest.raises(ServiceError) as refused:
        repayments.repayment_claim_create(report=report, user=caseworker,
                                          amount=str(report.available), reason="Mer misbruk.")
    # then
    assert (refused.value.code, refused.value.errors[0].field) == ("amount_too_high", "amount")
    assert refused.value.message == (
        "Beløpet kan ikke være mer enn det som er igjen å kreve tilbake: kr\u00a00 "
        "(tilskuddet og overførte midler, kr\u00a0260\u00a0000, minus kr\u00a0260\u00a0000 i "
        "krav som ikke er kansellert).")
    assert counts() == before


def test_a_misuse_claim_beside_a_chosen_repayment_may_take_only_what_is_left(
    repaid, report, caseworker
):
    # given: kr 30 000 the recipient chose to repay is claimed; kr 230 000 is left
    before = counts()

    with pytest.raises(ServiceError) as refused:
        repayments.repayment_claim_create(report=report, user=caseworker, amount="230001",
                                          reason=MISUSE_REASON)

    assert refused.value.code == "amount_too_high"
    assert "igjen å kreve tilbake: kr\u00a0230\u00a0000" in refused.value.message
    assert counts() == before
    claim = repayments.repayment_claim_create(report=report, user=caseworker,
                                              amount="230000", reason=MISUSE_REASON)
    assert claim.amount == Decimal(230_000)


def test_a_cancelled_claim_no_longer_counts_against_what_is_left(repaid, report, caseworker):
    repayments.repayment_claim_cancel(claim=repaid, user=caseworker, reason="Feil krav.")

    claim = repayments.repayment_claim_create(report=report, user=caseworker,
                                              amount="260000", reason=MISUSE_REASON)

    assert claim.amount == Decimal(260_000)


def test_the_claim_form_sent_twice_makes_one_claim(client, report, signatory, caseworker):
    sent(report, signatory)
    client.force_login(caseworker)
    url = reverse("admin:reporting_report_claim", args=[report.pk])
    first = client.post(url, {"amount": "20000", "reason": MISUSE_REASON})
    assert first.status_code == 302
    before = counts()

    again = client.post(url, {"amount": "20000", "reason": MISUSE_REASON})

    assert again.status_code == 200
    assert ("Et likt krav om tilbakebetaling (kr\u00a020\u00a0000, samme begrunnelse) er "
            "allerede laget for rapporten.") in again.content.decode()
    assert counts() == before
    assert RepaymentClaim.objects.get().amount == Decimal(20_000)


def test_a_letter_the_storage_cannot_give_gets_a_calm_503(repaid, signatory, client,
                                                          monkeypatch):
    from django.db.models.fields.files import FieldFile

    def down(self, mode="rb"):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(FieldFile, "open", down)
    client.raise_request_exception = False
    client.force_login(signatory)

    response = client.get(reverse("reporting:repayment_letter", args=[repaid.pk]))

    assert response.status_code == 503
    assert "Dokumentet er lagret, men lagringen svarer ikke akkurat nå." in (
        response.content.decode())
