"""Repayment claims (tilbakebetalingskrav): made when the office refuses a transfer, when
it approves a report whose recipient chose to repay unused funds, or when it finds misuse
in review; each gets a due date (the round's ReportingSettings.repayment_days, by default
rules.REPAYMENT_DAYS), a PDF letter made by a Celery job and an e-mail to the recipient.
The office marks a claim paid, or cancels one not paid (correcting a wrong amount by a new
claim in its place); an overdue claim is reminded once (repayment_reminders.py). A
cancelled claim's letter stays the file that was sent; its old links lead to the claim's
page, which says it is cancelled (repayment_views.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.audit import AuditAction
from tilskudd.documents.pdf import render_pdf
from tilskudd.errors import ServiceError
from tilskudd.languages import in_language_of
from tilskudd.links import absolute_url
from tilskudd.models import Round, User
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.services import audit
from tilskudd.workflow import Workflow

from . import mail, rules
from .access import lock, office_of, require_staff
from .models import Report, ReportingSettings, ReportStatus, UnusedChoice
from .transfer_models import (
    CLAIM_TRANSITIONS,
    ClaimCause,
    ClaimStatus,
    RepaymentClaim,
    RepaymentEvent,
    RepaymentLetter,
    TransferDecision,
)

REPAYMENT_WORKFLOW = Workflow(
    history=RepaymentEvent, subject="claim", allowed=CLAIM_TRANSITIONS,
    action=AuditAction.REPAYMENT_STATUS, status_choices=ClaimStatus,
    refusal=gettext_lazy("Tilbakebetalingskravet kan ikke gå fra «%(from)s» til «%(to)s»."),
)


def refusal(message: str, code: str, field: str) -> ServiceError:
    """A refusal that a form shows next to `field` (tilskudd.errors.add_to_form)."""
    return ServiceError(message, code, errors=[rules.RuleError("funds", message, field=field)])


def round_setting(rnd: Round, name: str, default):
    """One of the round's ReportingSettings, or `default` when the round sets none."""
    found = ReportingSettings.objects.filter(round=rnd).values_list(name, flat=True).first()
    return default if found is None else found


def repayment_days(rnd: Round) -> int:
    return round_setting(rnd, "repayment_days", rules.REPAYMENT_DAYS)


def claim_reference(claim: RepaymentClaim) -> str:
    """«TBK-2026-00042»: what the recipient writes on the payment."""
    return f"TBK-{claim.report.application.round.year}-{claim.pk:05d}"


#: The query that asks for a cancelled claim's letter itself (repayment_views), not the
#: claim's page that its old links lead to.
ORIGINAL = "original"


def letter_url(claim: RepaymentClaim) -> str:
    """Where the claim's letter is downloaded: a cancelled claim's as it was sent."""
    url = reverse("reporting:repayment_letter", args=[claim.pk])
    return f"{url}?{ORIGINAL}=1" if claim.status == ClaimStatus.CANCELLED else url


def claim_create(
    *, report: Report, user: User, cause: str, amount: Decimal, reason: str,
    now: datetime | None = None, replaces: RepaymentClaim | None = None,
    asked: Decimal | None = None,
) -> RepaymentClaim:
    """Write a claim, its letter job and its e-mail. The caller holds the report's lock
    and has checked the user (transfers, report approval, misuse, a correction); `asked`
    is the amount it was cut down from (capped_to_left), for the audit row."""
    now = now or timezone.now()
    due = rules.repayment_due(timezone.localdate(now),
                              repayment_days(report.application.round))
    claim = RepaymentClaim(report=report, cause=cause, amount=amount, reason=reason,
                           due_date=due, created_by=user, created_at=now, updated_at=now,
                           replaces=replaces)
    claim.full_clean()
    claim.save()
    letter = RepaymentLetter(claim=claim, created_at=now)
    letter.full_clean()
    letter.save()
    letter.enqueue_on_commit()
    audit(actor=user, action=AuditAction.REPAYMENT_CLAIM_CREATE, target=claim,
          after={"amount": str(amount), "due_date": due.isoformat(), "cause": cause,
                 "status": str(claim.status)},
          reason=reason, report=report.pk,
          **({"asked": str(asked)} if asked is not None else {}))
    _email_claim(claim, report)
    return claim


@transaction.atomic
def repayment_claim_create(
    *, report: Report, user: User, amount: Decimal | str | None, reason: str,
    now: datetime | None = None,
) -> RepaymentClaim:
    """The office claims money back for misuse found in its review of a report: at most
    what the recipient had (granted and transferred in)."""
    report = lock(report)
    require_staff(user, report)
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ServiceError(
            _("Det kan bare kreves tilbakebetaling på en innsendt rapport (rapporten er "
              "%(status)s).") % {"status": report.get_status_display().lower()},
            "not_submitted",
        )
    amount = claim_amount(report, amount)
    reason = (reason or "").strip()
    if not reason:
        raise refusal(_("Skriv hvorfor midlene kreves tilbake."), "reason_required", "reason")
    if report.repayment_claims.filter(cause=ClaimCause.MISUSE, status=ClaimStatus.OPEN,
                                      amount=amount, reason=reason).exists():
        raise ServiceError(  # the form sent twice (a double click, the back button)
            _("Et likt krav om tilbakebetaling (%(amount)s, samme begrunnelse) er allerede "
              "laget for rapporten.") % {"amount": format_nok(amount)}, "duplicate_claim")
    return claim_create(report=report, user=user, cause=ClaimCause.MISUSE, amount=amount,
                        reason=reason, now=now)


def claimed(report: Report, *, besides: RepaymentClaim | None = None) -> Decimal:
    """What the report's claims not cancelled (open or paid) ask back, `besides` one."""
    claims = report.repayment_claims.exclude(status=ClaimStatus.CANCELLED)
    if besides is not None:
        claims = claims.exclude(pk=besides.pk)
    return sum(claims.values_list("amount", flat=True), Decimal(0))


def claim_amount(report: Report, amount: Decimal | str | None, field: str = "amount",
                 *, besides: RepaymentClaim | None = None) -> Decimal:
    """`amount` as whole kroner above 0 and at most what is left to claim of what the
    recipient had (granted and transferred in, less the claims not cancelled `besides`
    the one being corrected), or a refusal shown next to `field`. The caller holds the
    report's lock, so two claims at once cannot both take what is left."""
    try:
        amount = Decimal(str(amount).replace(" ", "")) if amount not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or amount != amount.to_integral_value() or amount <= 0:
        raise refusal(_("Skriv beløpet i hele kroner, større enn 0."), "amount_invalid",
                      field)
    already = claimed(report, besides=besides)
    if amount > report.available - already:
        if not already:
            message = _("Beløpet kan ikke være mer enn tilskuddet og overførte midler til "
                        "sammen (%(available)s).") % {"available": format_nok(report.available)}
        else:
            message = _(
                "Beløpet kan ikke være mer enn det som er igjen å kreve tilbake: %(left)s "
                "(tilskuddet og overførte midler, %(available)s, minus %(claimed)s i krav "
                "som ikke er kansellert).") % {
                "left": format_nok(max(report.available - already, Decimal(0))),
                "available": format_nok(report.available), "claimed": format_nok(already)}
        raise refusal(message, "amount_too_high", field)
    return amount


def capped_to_left(report: Report, amount: Decimal) -> tuple[Decimal, str]:
    """What a claim the office does not type in (a chosen repayment, a refused transfer)
    may ask of `amount`: at most what is left to claim (claim_amount's rule, for the
    claims typed in), and, when that is less, a note saying so for the caseworker's message
    and the audit row ("" when all of it may be claimed). The caller holds the report's
    lock."""
    already = claimed(report)
    left = max(report.available - already, Decimal(0))
    if amount <= left:
        return amount, ""
    figures = {"asked": format_nok(amount), "left": format_nok(left),
               "available": format_nok(report.available), "claimed": format_nok(already)}
    if not left:
        return left, _(
            "Det er ikke laget noe krav om tilbakebetaling av %(asked)s: tilskuddet og "
            "overførte midler (%(available)s) er allerede krevd tilbake i krav som ikke er "
            "kansellert (%(claimed)s).") % figures
    return left, _(
        "Kravet om tilbakebetaling er på %(left)s, ikke %(asked)s: det er det som er igjen "
        "å kreve tilbake (tilskuddet og overførte midler, %(available)s, minus %(claimed)s "
        "i krav som ikke er kansellert).") % figures


def claim_for_repay_choice(*, report: Report, user: User) -> tuple[RepaymentClaim | None, str]:
    """Called when the office approves a report (the report is locked): the unused funds
    the recipient chose to repay become a claim, once, of at most what is left to claim
    (capped_to_left); returned with capped_to_left's note."""
    submission = report.submissions.filter(returned_at__isnull=True).first()
    if (submission is None or submission.unused_choice != UnusedChoice.REPAY
            or submission.unused_total <= 0):
        return None, ""
    if report.repayment_claims.filter(cause=ClaimCause.REPAY_CHOSEN).exists():
        return None, ""
    amount, note = capped_to_left(report, submission.unused_total)
    if not amount:
        return None, note
    return claim_create(
        report=report, user=user, cause=ClaimCause.REPAY_CHOSEN, amount=amount,
        reason=_("Ubrukte midler som mottakeren i rapporten valgte å betale tilbake."),
        asked=submission.unused_total if note else None,
    ), note


def _lock_claim(claim: RepaymentClaim) -> RepaymentClaim:
    return (RepaymentClaim.objects.select_for_update(of=("self",))
            .select_related("report__application__organisation__county__office")
            .get(pk=claim.pk))


@transaction.atomic
def repayment_mark_paid(
    *, claim: RepaymentClaim, user: User, paid_on: date | None, now: datetime | None = None
) -> RepaymentClaim:
    """The office records that a claim has been paid, and on which day."""
    now = now or timezone.now()
    claim = _lock_claim(claim)
    require_staff(user, claim.report)
    if claim.status == ClaimStatus.PAID:
        raise ServiceError(_("Kravet er allerede registrert som betalt."), "already_paid")
    if not claim.is_open:  # cancelled (and replaced) meanwhile
        raise ServiceError(
            _("Kravet er %(status)s og kan ikke registreres som betalt.")
            % {"status": claim.get_status_display().lower()}, "not_open")
    if paid_on is None:
        raise refusal(_("Skriv datoen beløpet ble betalt."), "paid_on_required", "paid_on")
    if paid_on > timezone.localdate(now):
        raise refusal(_("Betalingsdatoen kan ikke være frem i tid."), "paid_on_future",
                      "paid_on")
    if paid_on < timezone.localdate(claim.created_at):
        raise refusal(_("Betalingsdatoen kan ikke være før kravet ble laget."),
                      "paid_on_too_early", "paid_on")
    claim.paid_on = paid_on
    claim.paid_by = user
    REPAYMENT_WORKFLOW.transition(
        claim, ClaimStatus.PAID, by=user,
        also_changed={"paid_on": (None, paid_on.isoformat())},
    )
    return claim


@transaction.atomic
def repayment_claim_cancel(
    *, claim: RepaymentClaim, user: User, reason: str,
    new_amount: Decimal | str | None = None, now: datetime | None = None,
) -> RepaymentClaim | None:
    """The office cancels a claim not paid, with a reason the recipient is told by e-mail.
    With `new_amount` the claim is corrected: a new claim for that amount, with the same
    cause and reason, a new due date and letter, takes its place (`replaces`); returned."""
    now = now or timezone.now()
    report = lock(claim.report)
    claim = _lock_claim(claim)
    staff = require_staff(user, report)
    if _decided_with_four_eyes(claim) and not staff.may_approve:
        raise ServiceError(
            _("Kravet kommer av et vedtak fattet av to (fire øyne), og bare en godkjenner "
              "ved embetet kan kansellere eller rette det."), "not_approver")
    if not claim.is_open:
        raise ServiceError(
            _("Kravet er %(status)s og kan ikke kanselleres.")
            % {"status": claim.get_status_display().lower()}, "not_open")
    reason = (reason or "").strip()
    if not reason:
        raise refusal(_("Skriv hvorfor kravet kanselleres."), "reason_required", "reason")
    corrected = None
    if new_amount not in (None, ""):
        corrected = claim_amount(report, new_amount, "new_amount", besides=claim)
        if corrected == claim.amount:
            raise refusal(_("Det nye beløpet er det samme som kravet har."), "same_amount",
                          "new_amount")
    claim.cancelled_at = now
    claim.cancelled_by = user
    claim.cancel_reason = reason
    REPAYMENT_WORKFLOW.transition(
        claim, ClaimStatus.CANCELLED, by=user, note=reason,
        audit_data={"amount": str(claim.amount),
                    **({"new_amount": str(corrected)} if corrected else {})},
    )
    replacement = None
    if corrected is not None:
        replacement = claim_create(report=report, user=user, cause=claim.cause,
                                   amount=corrected, reason=claim.reason, now=now,
                                   replaces=claim)
    _email_cancelled(claim, report, replacement)
    return replacement


def _decided_with_four_eyes(claim: RepaymentClaim) -> bool:
    """A claim (or a correction of one) from a refused transfer that one of the staff
    proposed and another confirmed (rules.transfer_needs_four_eyes): undoing it is an
    approver's, as the decision was."""
    return (claim.cause == ClaimCause.TRANSFER_REFUSED
            and TransferDecision.objects.filter(report_id=claim.report_id,
                                                proposed_by__isnull=False).exists())


@in_language_of(lambda claim, report, replacement: report.application.organisation)
def _email_cancelled(claim: RepaymentClaim, report: Report,
                     replacement: RepaymentClaim | None) -> None:
    recipients = mail.recipient_emails(report)
    if not recipients:
        return
    subject = _("Krav om tilbakebetaling %(ref)s er kansellert: %(round)s") % {
        "ref": claim_reference(claim), "round": report.application.round}
    if replacement is None:
        then = _("Dere skal ikke betale dette kravet.")
    else:
        then = _("Det erstattes av krav %(ref)s på %(amount)s; brevet om det kommer i egen "
                 "e-post. Betal bare det nye kravet.") % {
            "ref": claim_reference(replacement), "amount": format_nok(replacement.amount)}
    body = _(
        "%(office)s har kansellert kravet om at %(org)s betaler tilbake %(amount)s av "
        "tilskuddet for %(round)s (%(ref)s).\n\nBegrunnelse: %(reason)s\n\n%(then)s"
    ) % {
        "office": office_of(report).name, "org": report.application.organisation.name,
        "amount": format_nok(claim.amount), "round": report.application.round,
        "ref": claim_reference(claim), "reason": claim.cancel_reason, "then": then,
    }
    body += "\n\n" + _("Kravet og det kansellerte brevet i portalen: %(url)s") % {
        "url": absolute_url("reporting:repayment_claim", claim.pk)}
    queue_email(to=recipients, subject=subject, body=body, kind="repayment_cancelled",
                reference=claim_reference(claim))


@in_language_of(lambda claim, report: report.application.organisation)
def _email_claim(claim: RepaymentClaim, report: Report) -> None:
    recipients = mail.recipient_emails(report)
    if not recipients:
        return
    subject = _("Krav om tilbakebetaling %(ref)s: %(round)s") % {
        "ref": claim_reference(claim), "round": report.application.round}
    body = _(
        "%(office)s krever at %(org)s betaler tilbake %(amount)s av tilskuddet for "
        "%(round)s.\n\nBegrunnelse: %(reason)s\nBetalingsfrist: %(due)s\n"
        "Merk innbetalingen med %(ref)s.\n\nBrevet ligger i portalen: %(url)s"
    ) % {
        "office": office_of(report).name, "org": report.application.organisation.name,
        "amount": format_nok(claim.amount), "round": report.application.round,
        "reason": claim.reason, "due": date_format(claim.due_date, "DATE_FORMAT"),
        "ref": claim_reference(claim),
        "url": absolute_url("reporting:repayment_letter", claim.pk),
    }
    queue_email(to=recipients, subject=subject, body=body, kind="repayment_claim",
                reference=claim_reference(claim))


def render_letter(job: RepaymentLetter) -> tuple[bytes, str]:
    claim = (RepaymentClaim.objects
             .select_related("report__application__organisation__county__office",
                             "report__application__round__scheme", "created_by",
                             "replaces__report__application__round")
             .get(pk=job.claim_id))
    report = claim.report
    reference = claim_reference(claim)
    pdf = render_pdf("reporting/repayment_letter_pdf.html", {
        "claim": claim, "report": report, "reference": reference,
        "application": report.application, "office": office_of(report),
        "created_at": timezone.localtime(claim.created_at),
        "replaces": claim.replaces,
        "replaces_reference": claim_reference(claim.replaces) if claim.replaces else "",
    })
    return pdf, f"{reference}.pdf"
