"""Unused funds, decided: the office's decision on a report's request to transfer unused
funds to next year (TransferDecision, with its history), and the repayment claims
(tilbakebetalingskrav) that a refused transfer, a chosen repayment or misuse found in
review becomes, each with its PDF letter.

Imported at the end of reporting/models.py, so Django registers the models with the app;
it imports nothing from there (no import cycle)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilskudd.documents.jobs import LetterJob
from tilskudd.fields import acting_user, choice_known
from tilskudd.four_eyes import four_eyes
from tilskudd.money import money_field
from tilskudd.workflow import HistoryEntry, status_fields

from . import rules

#: reporting.models imports this module at its end, so it names Report by its label.
REPORT = "reporting.Report"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Venter på vedtak")
    PROPOSED = "proposed", _("Venter på godkjenning (fire øyne)")
    APPROVED = "approved", _("Overføring godkjent")
    REFUSED = "refused", _("Overføring avslått")
    WITHDRAWN = "withdrawn", _("Trukket tilbake (rapporten ble sendt tilbake)")


#: Which status may follow which (TRANSFER_WORKFLOW in reporting/transfers.py). A proposal
#: the second member of staff does not agree with goes back to pending. Sending the report
#: back for correction withdraws an undecided transfer; the report sent again with a
#: transfer request makes it pending again, with the amount of that sending.
TRANSFER_TRANSITIONS = {
    TransferStatus.PENDING: {TransferStatus.PROPOSED, TransferStatus.APPROVED,
                             TransferStatus.REFUSED, TransferStatus.WITHDRAWN},
    TransferStatus.PROPOSED: {TransferStatus.APPROVED, TransferStatus.REFUSED,
                              TransferStatus.PENDING, TransferStatus.WITHDRAWN},
    TransferStatus.WITHDRAWN: {TransferStatus.PENDING},
    TransferStatus.APPROVED: set(),
    TransferStatus.REFUSED: set(),
}


class TransferOutcome(models.TextChoices):
    APPROVE = "approve", _("Godkjenn overføringen")
    REFUSE = "refuse", _("Avslå overføringen")


class TransferDecision(models.Model):
    """The office's decision on one report's transfer request: the amount (the unused funds
    of the report as sent), the outcome and why. Above the round's threshold one member of
    staff proposes and another confirms."""

    report = models.OneToOneField(
        REPORT, on_delete=models.PROTECT, related_name="transfer", verbose_name=_("rapport")
    )
    amount = money_field(_("beløp (kr)"), validators=[MinValueValidator(0)])
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices,
        default=TransferStatus.PENDING,
    )
    proposed_outcome = models.CharField(
        _("foreslått vedtak"), max_length=8, choices=TransferOutcome.choices, blank=True
    )
    proposed_by = acting_user(_("foreslått av"), optional=True)
    proposed_at = models.DateTimeField(_("foreslått"), null=True, blank=True)
    proposed_reason = models.TextField(
        _("begrunnelse for forslaget"), blank=True, max_length=rules.MAX_TEXT_LENGTH
    )
    decided_by = acting_user(_("vedtatt av"), optional=True)
    decided_at = models.DateTimeField(_("vedtatt"), null=True, blank=True)
    reason = models.TextField(_("begrunnelse"), blank=True, max_length=rules.MAX_TEXT_LENGTH)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("sist endret"), default=timezone.now)

    class Meta:
        verbose_name = _("vedtak om overføring av ubrukte midler")
        verbose_name_plural = _("vedtak om overføring av ubrukte midler")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="transfer_amount_not_negative"),
            choice_known("status", TransferStatus, "transfer_status_known"),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"]) | Q(decided_by__isnull=False),
                name="transfer_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status="proposed") | Q(proposed_by__isnull=False),
                name="transfer_proposed_has_proposer",
            ),
            four_eyes("transfer_four_eyes", first="proposed_by"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_status_display()}"

    @property
    def is_decided(self) -> bool:
        return self.status in (TransferStatus.APPROVED, TransferStatus.REFUSED)


class TransferEvent(HistoryEntry):
    transfer = models.ForeignKey(
        TransferDecision, on_delete=models.CASCADE, related_name="events"
    )
    from_status, to_status = status_fields(TransferStatus)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("statusendring for overføring")
        verbose_name_plural = _("statusendringer for overføringer")


class ClaimCause(models.TextChoices):
    TRANSFER_REFUSED = "transfer_refused", _("Overføring avslått")
    REPAY_CHOSEN = "repay_chosen", _("Mottakeren valgte å betale tilbake")
    MISUSE = "misuse", _("Feil bruk av midlene")


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("Ikke betalt")
    PAID = "paid", _("Betalt")
    CANCELLED = "cancelled", _("Kansellert")


#: A claim not paid may be cancelled by the office, with a reason; a wrong amount is
#: corrected by cancelling it and making a new claim in its place (`replaces`).
CLAIM_TRANSITIONS = {ClaimStatus.OPEN: {ClaimStatus.PAID, ClaimStatus.CANCELLED},
                     ClaimStatus.PAID: set(), ClaimStatus.CANCELLED: set()}


class RepaymentClaim(models.Model):
    """A claim to repay part of a grant (tilbakebetalingskrav): how much, why, by when.
    A refused transfer and a chosen repayment make one claim each per report at most."""

    report = models.ForeignKey(
        REPORT, on_delete=models.PROTECT, related_name="repayment_claims",
        verbose_name=_("rapport"),
    )
    cause = models.CharField(_("årsak"), max_length=20, choices=ClaimCause.choices)
    amount = money_field(_("beløp (kr)"), validators=[MinValueValidator(Decimal(1))])
    reason = models.TextField(_("begrunnelse"), max_length=rules.MAX_TEXT_LENGTH)
    due_date = models.DateField(_("betalingsfrist"))
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.OPEN
    )
    created_by = acting_user(_("opprettet av"))
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    paid_on = models.DateField(_("betalt dato"), null=True, blank=True)
    paid_by = acting_user(_("registrert betalt av"), optional=True)
    cancelled_at = models.DateTimeField(_("kansellert"), null=True, blank=True)
    cancelled_by = acting_user(_("kansellert av"), optional=True)
    cancel_reason = models.TextField(_("begrunnelse for kanselleringen"), blank=True,
                                     max_length=rules.MAX_TEXT_LENGTH)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("erstatter kravet"),
    )
    updated_at = models.DateTimeField(_("sist endret"), default=timezone.now)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("tilbakebetalingskrav")
        verbose_name_plural = _("tilbakebetalingskrav")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            choice_known("status", ClaimStatus, "claim_status_known"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False, paid_by__isnull=False),
                name="claim_paid_has_date_and_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (
                    Q(cancelled_at__isnull=False, cancelled_by__isnull=False)
                    & ~Q(cancel_reason="")),
                name="claim_cancelled_has_reason_and_person",
            ),
            models.UniqueConstraint(
                fields=["report", "cause"],
                condition=Q(cause__in=["transfer_refused", "repay_chosen"])
                & ~Q(status="cancelled"),
                name="claim_once_per_report_for_unused_funds",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_cause_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == ClaimStatus.OPEN


class RepaymentEvent(HistoryEntry):
    claim = models.ForeignKey(RepaymentClaim, on_delete=models.CASCADE, related_name="events")
    from_status, to_status = status_fields(ClaimStatus)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("statusendring for tilbakebetalingskrav")
        verbose_name_plural = _("statusendringer for tilbakebetalingskrav")


class RepaymentLetter(LetterJob):
    """The claim's letter (PDF), made by a Celery job; its SHA-256 is in the archive."""

    recipient = "claim.report.application.organisation"
    task_name = "reporting.tasks.render_repayment_letter_pdf"
    renderer = "reporting.repayments.render_letter"  # made on the spot if clicked first

    claim = models.OneToOneField(
        RepaymentClaim, on_delete=models.PROTECT, related_name="letter"
    )

    class Meta:
        verbose_name = _("brev om tilbakebetaling (PDF)")
        verbose_name_plural = _("brev om tilbakebetaling (PDF)")


class TransferLetter(LetterJob):
    """The transfer decision's letter (PDF: approved or refused, with the grounds), made by
    a Celery job when the decision is made; its SHA-256 is in the archive."""

    recipient = "transfer.report.application.organisation"
    task_name = "reporting.tasks.render_transfer_letter_pdf"
    renderer = "reporting.transfer_letters.render_transfer_letter"  # on the spot if clicked

    transfer = models.OneToOneField(
        TransferDecision, on_delete=models.PROTECT, related_name="letter"
    )

    class Meta:
        verbose_name = _("brev om overføring av ubrukte midler (PDF)")
        verbose_name_plural = _("brev om overføring av ubrukte midler (PDF)")
