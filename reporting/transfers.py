"""The office's decision on a report's request to transfer unused funds to next year.

A member of staff approves or refuses with a reason. Where the amount is over the round's
threshold (ReportingSettings.transfer_four_eyes_from, by default rules.TRANSFER_FOUR_EYES_FROM)
the first decision is a proposal and an approver at the same office who did not make it
decides (tilskudd.access.require_approver, the allocation's four-eyes rule): agreeing makes
it the decision, disagreeing sends it back to be decided again. A refused
transfer becomes a repayment claim. An approved one is the next round's «overførte midler»
(`decided_carryover`, registered with tilskudd.carryover; a refused one is kr 0)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd import access
from tilskudd.audit import AuditAction
from tilskudd.carryover import Carryover
from tilskudd.compiled import Compiled
from tilskudd.errors import ServiceError
from tilskudd.languages import BOKMAL, in_language_of
from tilskudd.models import Office, Round, User
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.services import audit
from tilskudd.workflow import Workflow

from . import mail, repayments, rules, transfer_letters
from .access import lock, office_of, require_staff
from .models import Report, ReportStatus, ReportSubmission, UnusedChoice
from .transfer_models import (
    TRANSFER_TRANSITIONS,
    ClaimCause,
    TransferDecision,
    TransferEvent,
    TransferOutcome,
    TransferStatus,
)

TRANSFER_WORKFLOW = Workflow(
    history=TransferEvent, subject="transfer", allowed=TRANSFER_TRANSITIONS,
    action=AuditAction.TRANSFER_STATUS, status_choices=TransferStatus,
    refusal=gettext_lazy("Vedtaket om overføring kan ikke gå fra «%(from)s» til «%(to)s»."),
)

#: The report statuses in which the office decides on a transfer.
DECIDABLE_REPORT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def four_eyes_threshold(rnd: Round) -> Decimal:
    return repayments.round_setting(rnd, "transfer_four_eyes_from",
                                    rules.TRANSFER_FOUR_EYES_FROM)


def requested_submission(report: Report) -> ReportSubmission | None:
    """The live sending of the report, if it asks to transfer unused funds."""
    submission = report.submissions.filter(returned_at__isnull=True).first()
    if submission is None or submission.unused_choice != UnusedChoice.TRANSFER:
        return None
    return submission if submission.unused_total > 0 else None


def _refuse_unless_decidable(report: Report) -> ReportSubmission:
    if report.status not in DECIDABLE_REPORT_STATUSES:
        raise ServiceError(
            _("Det kan bare fattes vedtak om overføring for en innsendt rapport (rapporten er "
              "%(status)s).") % {"status": report.get_status_display().lower()},
            "not_submitted",
        )
    submission = requested_submission(report)
    if submission is None:
        raise ServiceError(
            _("Rapporten søker ikke om å overføre ubrukte midler."), "no_transfer_requested"
        )
    return submission


@transaction.atomic
def transfer_decide(
    *, report: Report, user: User, outcome: str, reason: str, now: datetime | None = None
) -> TransferDecision:
    """Approve or refuse (`outcome`, a TransferOutcome) the report's transfer request with a
    reason; over the threshold the first call proposes and a second person decides."""
    now = now or timezone.now()
    report = lock(report)
    require_staff(user, report)
    reason = (reason or "").strip()
    if outcome not in TransferOutcome.values:
        raise repayments.refusal(_("Velg om overføringen skal godkjennes eller avslås."),
                                 "outcome_required", "outcome")
    if not reason:
        raise repayments.refusal(_("Skriv en begrunnelse for vedtaket."), "reason_required",
                                 "reason")
    submission = _refuse_unless_decidable(report)
    transfer = TransferDecision.objects.select_for_update().filter(report=report).first()
    if transfer is None:
        transfer = TransferDecision(report=report, amount=submission.unused_total,
                                    created_at=now, updated_at=now)
        transfer.full_clean()
        transfer.save()
    if transfer.is_decided:
        raise ServiceError(
            _("Det er allerede fattet vedtak om overføringen (%(status)s).")
            % {"status": transfer.get_status_display().lower()},
            "already_decided",
        )
    if transfer.status == TransferStatus.WITHDRAWN or transfer.amount != submission.unused_total:
        # Not left by report_return/report_submit (they keep it in step); a proposal on
        # another amount than the live sending's is never confirmed: decided from the start.
        _restart(transfer, submission, user, now)
    if transfer.status == TransferStatus.PROPOSED:
        return _second_opinion(transfer, user, outcome, reason, now)
    if rules.transfer_needs_four_eyes(transfer.amount, four_eyes_threshold(
            report.application.round)):
        return _propose(transfer, user, outcome, reason, now)
    return _decide(transfer, user, outcome, reason, now)


def _restart(transfer: TransferDecision, submission: ReportSubmission, user: User,
             now: datetime, note: str = "") -> None:
    """Make the undecided `transfer` pending again with the amount of `submission`, any
    proposal on it withdrawn (a history row and audit with the amount before and after,
    and `note`, by default that the report was sent again with that amount)."""
    before = transfer.amount
    proposed = _clear_proposal(transfer)
    transfer.amount = submission.unused_total
    note = note or _("Rapporten er sendt inn på nytt (%(ref)s) med %(amount)s ubrukt.") % {
        "ref": submission.reference, "amount": format_nok(submission.unused_total)}
    changed = {"amount": (str(before), str(transfer.amount))}
    if proposed:
        changed["proposed_outcome"] = (proposed, "")
    if transfer.status == TransferStatus.PENDING:  # nothing proposed: only the amount moves
        transfer.updated_at = now
        transfer.full_clean()
        transfer.save()
        audit(actor=user, action=AuditAction.TRANSFER_STATUS, target=transfer,
              before={"status": transfer.status, "amount": str(before)},
              after={"status": transfer.status, "amount": str(transfer.amount)}, note=note)
        return
    if transfer.status == TransferStatus.PROPOSED:  # a stale proposal: withdrawn first
        TRANSFER_WORKFLOW.transition(transfer, TransferStatus.WITHDRAWN, by=user, note=note,
                                     also_changed=changed)
        changed = {}
    TRANSFER_WORKFLOW.transition(transfer, TransferStatus.PENDING, by=user, note=note,
                                 also_changed=changed)


def transfer_withdraw_on_return(*, report: Report, user: User, message: str) -> None:
    """Called by report_return (the report locked): an undecided transfer is withdrawn,
    since the recipient may send the report again with another unused amount or none; a
    decided one stands as it is."""
    transfer = (TransferDecision.objects.select_for_update()
                .filter(report=report, status__in=[TransferStatus.PENDING,
                                                   TransferStatus.PROPOSED]).first())
    if transfer is None:
        return
    proposed = _clear_proposal(transfer)
    TRANSFER_WORKFLOW.transition(
        transfer, TransferStatus.WITHDRAWN, by=user,
        note=_("Rapporten er sendt tilbake til mottakeren: %(message)s") % {"message": message},
        also_changed={"proposed_outcome": (proposed, "")} if proposed else None,
        audit_data={"amount": str(transfer.amount)},
    )


def _clear_proposal(transfer: TransferDecision) -> str:
    """Forget the first person's proposal (the caller's transition saves it); its outcome."""
    proposed = transfer.proposed_outcome
    transfer.proposed_outcome = ""
    transfer.proposed_by = None
    transfer.proposed_at = None
    transfer.proposed_reason = ""
    return proposed


def transfer_reopen_on_submit(*, report: Report, submission: ReportSubmission,
                              user: User, now: datetime | None = None) -> None:
    """Called by report_submit (the report locked): a withdrawn transfer is pending again
    when the report sent again asks to transfer, with that sending's amount."""
    if submission.unused_choice != UnusedChoice.TRANSFER or submission.unused_total <= 0:
        return
    transfer = (TransferDecision.objects.select_for_update()
                .filter(report=report, status=TransferStatus.WITHDRAWN).first())
    if transfer is not None:
        _restart(transfer, submission, user, now or timezone.now(),
                 note=_reopened_note(submission, user, office_of(report)))


def _reopened_note(submission: ReportSubmission, user: User, office: Office) -> str:
    """What the history row (`by` the signatory who sent the report) says to the office,
    in the office's own language form, whatever the language the signatory sent it in."""
    with translation.override(office.default_written_language or BOKMAL):
        return _("Vedtaket er åpnet igjen fordi rapporten er sendt inn på nytt av "
                 "%(who)s (%(ref)s), med %(amount)s ubrukt. Det skal fattes vedtak om "
                 "dette beløpet.") % {
            "who": user, "ref": submission.reference,
            "amount": format_nok(submission.unused_total)}


def _propose(transfer: TransferDecision, user: User, outcome: str, reason: str,
             now: datetime) -> TransferDecision:
    transfer.proposed_outcome = outcome
    transfer.proposed_by = user
    transfer.proposed_at = now
    transfer.proposed_reason = reason
    TRANSFER_WORKFLOW.transition(
        transfer, TransferStatus.PROPOSED, by=user, note=reason,
        also_changed={"proposed_outcome": ("", outcome)},
        audit_data={"amount": str(transfer.amount)},
    )
    return transfer


def _second_opinion(transfer: TransferDecision, user: User, outcome: str, reason: str,
                    now: datetime) -> TransferDecision:
    access.require_approver(
        user, office_of(transfer.report), recommended_by_id=transfer.proposed_by_id,
        refusal=_("Du arbeider ikke ved %(office)s og kan ikke behandle denne rapporten."))
    if outcome == transfer.proposed_outcome:
        return _decide(transfer, user, outcome, reason, now)
    proposed = _clear_proposal(transfer)
    TRANSFER_WORKFLOW.transition(
        transfer, TransferStatus.PENDING, by=user, note=reason,
        also_changed={"proposed_outcome": (proposed, "")},
    )
    return transfer


def _decide(transfer: TransferDecision, user: User, outcome: str, reason: str,
            now: datetime) -> TransferDecision:
    to = TransferStatus.APPROVED if outcome == TransferOutcome.APPROVE else (
        TransferStatus.REFUSED)
    transfer.decided_by = user
    transfer.decided_at = now
    transfer.reason = reason
    report = transfer.report
    # A refusal claims the funds back, at most what is left to claim (the office may have
    # claimed some for misuse already); the note saying so goes in the audit row and, as
    # `repayment_note` on the decision returned, in the caseworker's message.
    claim, note = (repayments.capped_to_left(report, transfer.amount)
                   if to == TransferStatus.REFUSED else (Decimal(0), ""))
    TRANSFER_WORKFLOW.transition(
        transfer, to, by=user, note=reason, audit_data={
            "amount": str(transfer.amount), **({"repayment_note": note} if note else {})},
    )
    # the decision's letter (archived like the other letters), made by the
    # document queue once committed, with the claim made below in the same transaction
    transfer_letters.letter_create(transfer)
    _settle_next_report(report, user)
    _email_decision(transfer, report, claimed=claim)
    if claim:
        repayments.claim_create(
            report=report, user=user, cause=ClaimCause.TRANSFER_REFUSED,
            amount=claim, reason=reason, now=now, asked=transfer.amount if note else None,
        )
    transfer.repayment_note = note
    return transfer


@in_language_of(lambda transfer, report, **kw: report.application.organisation)
def _email_decision(transfer: TransferDecision, report: Report, *, claimed: Decimal) -> None:
    """Tell the recipient, with a link to the decision's letter; a refusal says what is
    claimed back (`claimed`, capped_to_left's amount): all of it, a part (the rest was
    claimed already), or nothing, and then no repayment letter."""
    recipients = mail.recipient_emails(report)
    if not recipients:
        return
    approved = transfer.status == TransferStatus.APPROVED
    subject = (_("Overføring av ubrukte midler godkjent: %(round)s") if approved
               else _("Overføring av ubrukte midler avslått: %(round)s")) % {
        "round": report.application.round}
    body = _(
        "%(office)s har %(outcome)s søknaden fra %(org)s om å overføre %(amount)s i "
        "ubrukte midler til neste år.\n\nBegrunnelse: %(reason)s\n\n%(next)s"
    ) % {
        "office": office_of(report).name,
        "outcome": _("godkjent") if approved else _("avslått"),
        "org": report.application.organisation.name,
        "amount": format_nok(transfer.amount),
        "reason": transfer.reason,
        # the letter first, so the e-mail still ends with what follows the decision
        "next": "\n\n".join([
            transfer_letters.letter_sentence(transfer),
            _("Beløpet står som overførte midler i neste års søknad.") if approved
            else _refused_next(transfer.amount, claimed)]),
    }
    queue_email(to=recipients, subject=subject, body=body, kind="transfer_decision",
                reference=str(report.pk))


def _refused_next(amount: Decimal, claimed: Decimal) -> str:
    """What follows a refusal of `amount` of which `claimed` is claimed back."""
    if not claimed:
        return _("Det blir ikke laget noe krav om tilbakebetaling, fordi tilskuddet og "
                 "overførte midler allerede er krevd tilbake i tidligere krav. Det kommer "
                 "ikke noe brev om tilbakebetaling.")
    if claimed < amount:
        return _("Det kreves tilbake %(claimed)s, ikke %(amount)s, fordi resten allerede er "
                 "krevd tilbake i tidligere krav. Brevet om tilbakebetaling kommer i egen "
                 "e-post.") % {"claimed": format_nok(claimed), "amount": format_nok(amount)}
    return _("Midlene skal betales tilbake; brevet om tilbakebetaling kommer i egen e-post.")


# --- reading ---------------------------------------------------------------------------

def transfer_of(report: Report) -> TransferDecision | None:
    return (TransferDecision.objects.filter(report=report)
            .select_related("proposed_by", "decided_by").first())


#: The decided transfer (approved or refused) on an organisation's report in a scheme's
#: round of a year, the latest decided (by decided_at, then pk) should there ever be more
#: than one (there is not: one report per application, one application per organisation
#: and round, one round per scheme and year, one transfer per report), compiled to SQL
#: once a connection (tilskudd.compiled): its five joined tables cost more to compile
#: than to run, on every save and submit of an application (issue 15). The year is given as
#: a Value, since Django refuses a small integer field's probe, which no year is.
_DECIDED = Compiled(lambda organisation_id, scheme_id, year: (
    TransferDecision.objects.filter(
        status__in=[TransferStatus.APPROVED, TransferStatus.REFUSED],
        report__application__organisation_id=organisation_id,
        report__application__round__scheme_id=scheme_id,
        report__application__round__year=Value(year),
    )
    .select_related("decided_by", "report__application__round__scheme")
    .order_by("-decided_at", "-pk")[:1]
), arity=3)


def decided_carryover(organisation_id: int, rnd: Round) -> Carryover | None:
    """The transfer decided on the organisation's report for the scheme's round the year
    before `rnd` (registered with tilskudd.carryover): approved, its amount; refused, kr 0.
    One query."""
    found = _DECIDED(organisation_id, rnd.scheme_id, rnd.year - 1)
    if not found:
        return None
    transfer = found[0]
    refused = transfer.status == TransferStatus.REFUSED
    return Carryover(
        amount=Decimal(0) if refused else transfer.amount,
        from_round=str(transfer.report.application.round),
        decided_at=transfer.decided_at, decided_by=str(transfer.decided_by),
        reason=transfer.reason, refused=refused, requested=transfer.amount,
        reference=transfer_letters.transfer_reference(transfer),
        letter_url=transfer_letters.letter_url(transfer),
    )


def transferred_into(application) -> Decimal:
    """The funds transferred into the application's grant from the organisation's grant the
    year before, as its report accounts for them: what the office decided on the transfer
    asked for in that year's report (often after this application was sent, so its
    statement was a guess), or, undecided or without such a report in the portal, what
    the application says (regelverket: unused funds «kan etter søknad overføres ett år»)."""
    decided = decided_carryover(application.organisation_id, application.round)
    return application.transferred_funds if decided is None else decided.amount


def _reports_of_year(application, offset: int):
    """The organisation's reports in the scheme's round `offset` years from the application's."""
    return Report.objects.select_for_update(of=("self",)).filter(
        application__organisation_id=application.organisation_id,
        application__round__scheme_id=application.round.scheme_id,
        application__round__year=application.round.year + offset)


def lock_year_before(application) -> None:
    """Lock the report of the year before, as its transfer's decision does first, before
    report_open reads `transferred_into`: an opening and a decision at once wait for each
    other, so the opening reads the decision or the decision finds the opened report."""
    list(_reports_of_year(application, -1).only("pk"))


def _settle_next_report(report: Report, user: User) -> None:
    """Set the decided transfer on the year after's report, if opened and not yet sent
    (a sent report keeps what it was sent with), with an audit row."""
    following = _reports_of_year(report.application, 1).select_related(
        "application__round").first()
    if following is None or not following.is_editable:
        return
    was = following.transferred_in
    following.transferred_in = transferred_into(following.application)
    if following.transferred_in == was:
        return
    # as report_update saves it: validated, and «sist endret» moved, so the recipient's
    # page shows when (their own save re-reads the report under its lock, keeping this)
    following.updated_at = timezone.now()
    following.full_clean()
    following.save()
    audit(actor=user, action=AuditAction.REPORT_UPDATE, target=following,
          before={"transferred_in": str(was)},
          after={"transferred_in": str(following.transferred_in)}, transfer=report.pk)
