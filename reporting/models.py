"""A recipient's report on a grant: one per granted application, prefilled from the
decision, with a line per granted line, a financial account, the attachment the rules
require, the frozen submissions with their receipts and deadline extensions (the
reminders sent are tilskudd.reminders.SentReminder rows).

The choices (statuses, kinds, answers) live in choices.py, which rules.py reads too; they
are imported here as well, so `reporting.models.ReportStatus` still works."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, BpaLine, CompetenceLine, Project
from tilskudd.attachments import PdfAttachment, pdf_attachment_path
from tilskudd.documents.jobs import DocumentJob
from tilskudd.fields import acting_user, choice_known
from tilskudd.models import Round
from tilskudd.money import money_field
from tilskudd.submissions import FrozenSubmission, one_live, receipt_of
from tilskudd.workflow import EditableByStatus, HistoryEntry, status_fields

from . import rules
from .choices import (
    EDITABLE_STATUSES,
    AttachmentKind,
    Continuation,
    GoalAchievement,
    OverdueRule,
    ProjectStatus,
    ReportStatus,
    UnusedChoice,
)

PERSON_VALIDATORS = [MinValueValidator(0), MaxValueValidator(rules.MAX_PERSONS)]
USED_VALIDATORS = [MinValueValidator(0), MaxValueValidator(rules.MAX_AMOUNT)]


class Report(EditableByStatus, models.Model):
    editable_statuses = EDITABLE_STATUSES

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="report", verbose_name=_("søknad")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    #: From the decision when the report was opened.
    granted_total = money_field(_("innvilget (kr)"), validators=[MinValueValidator(0)])
    #: assessment.rules.auditor_required(granted_total), decided when the report was opened.
    auditor_required = models.BooleanField(_("krever revisorattestasjon"))
    #: Funds transferred from last year's grant, as stated in the application.
    transferred_in = money_field(
        _("overført fra i fjor (kr)"), validators=[MinValueValidator(0)], default=Decimal(0)
    )
    #: The sum of "used" over the lines, computed by the service on every save.
    used_total = money_field(
        _("brukt (kr)"), validators=[MinValueValidator(0)], default=Decimal(0)
    )
    text_report = models.TextField(
        _("tekstrapport"), blank=True, max_length=rules.MAX_TEXT_LENGTH,
        help_text=_("Hva tilskuddet er brukt til, og hva det har gitt."),
    )
    unused_choice = models.CharField(
        _("ubrukte midler"), max_length=16, choices=UnusedChoice.choices, blank=True
    )
    transfer_reason = models.TextField(
        _("begrunnelse for overføring"), blank=True, max_length=rules.MAX_TEXT_LENGTH
    )
    #: The deadline granted by an extension (see DeadlineExtension); empty: the round's.
    extended_deadline = models.DateTimeField(_("utsatt frist"), null=True, blank=True)
    #: The office's message when it last returned the report for correction.
    correction_message = models.TextField(_("melding om retting"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("sist endret"), default=timezone.now)

    class Meta:
        ordering = ["-application__round__year", "application__organisation__name"]
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_total__gte=0) & Q(transferred_in__gte=0)
                & Q(used_total__gte=0),
                name="report_amounts_not_negative",
            ),
            choice_known("unused_choice", UnusedChoice, "report_unused_choice_known", blank=True),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def available(self) -> Decimal:
        return self.granted_total + self.transferred_in

    @property
    def unused(self) -> Decimal:
        return self.available - self.used_total

    @property
    def deadline(self) -> datetime:
        """The deadline that applies: an extension's, or the round's."""
        return self.extended_deadline or self.application.round.reporting_deadline


class ReportLine(models.Model):
    """Abstract: one line of the report, for one granted line of the application
    (`source`, a one-to-one the subclass declares): what was granted and what was used."""

    granted = money_field(_("innvilget (kr)"))
    amount_used = money_field(_("brukt (kr)"), null=True, blank=True, validators=USED_VALIDATORS)

    class Meta:
        abstract = True
        ordering = ["source_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_used__isnull=True) | Q(amount_used__gte=0),
                name="%(app_label)s_%(class)s_used_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.source)


class ReportCompetenceLine(ReportLine):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="competence_lines")
    source = models.OneToOneField(
        CompetenceLine, on_delete=models.PROTECT, related_name="report_line"
    )
    completed = models.PositiveIntegerField(
        _("fullført utdanning"), null=True, blank=True, validators=PERSON_VALIDATORS
    )
    still_studying = models.PositiveIntegerField(
        _("studerer fortsatt"), null=True, blank=True, validators=PERSON_VALIDATORS
    )
    stopped = models.PositiveIntegerField(
        _("avbrutt"), null=True, blank=True, validators=PERSON_VALIDATORS
    )
    #: Why completed + still studying + stopped is not the line's persons (rules).
    persons_explanation = models.TextField(
        _("forklaring på antall personer"), blank=True, max_length=rules.MAX_TEXT_LENGTH
    )

    class Meta(ReportLine.Meta):
        verbose_name = _("rapport om kompetansetiltak")
        verbose_name_plural = _("rapport om kompetansetiltak")


class ReportBpaLine(ReportLine):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="bpa_lines")
    source = models.OneToOneField(BpaLine, on_delete=models.PROTECT, related_name="report_line")
    trained = models.PositiveIntegerField(
        _("antall opplært"), null=True, blank=True, validators=PERSON_VALIDATORS
    )

    class Meta(ReportLine.Meta):
        verbose_name = _("rapport om BPA-opplæring")
        verbose_name_plural = _("rapport om BPA-opplæring")


class ReportProject(ReportLine):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="projects")
    source = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="report_line")
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, blank=True
    )
    goal_achievement = models.CharField(
        _("måloppnåelse"), max_length=16, choices=GoalAchievement.choices, blank=True
    )
    results = models.TextField(_("resultater"), blank=True, max_length=rules.MAX_TEXT_LENGTH)
    continues = models.CharField(
        _("videreføres i ordinær drift"), max_length=8, choices=Continuation.choices,
        blank=True,
    )

    class Meta(ReportLine.Meta):
        verbose_name = _("rapport om prosjekt")
        verbose_name_plural = _("rapport om prosjekter")


#: The line model of each part of a report (the parts as the application names them).
LINE_MODELS = {"competence": ReportCompetenceLine, "bpa": ReportBpaLine, "projects": ReportProject}


def attachment_path(instance: ReportAttachment, filename: str) -> str:
    """Named by migration 0001; files are now named by tilskudd.attachments."""
    return pdf_attachment_path(instance, filename)


class ReportAttachment(PdfAttachment):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("type"), max_length=20, choices=AttachmentKind.choices)

    class Meta(PdfAttachment.Meta):
        verbose_name = _("vedlegg til rapport")
        verbose_name_plural = _("vedlegg til rapporter")

    @property
    def folder(self) -> str:
        return f"reports/{self.report_id}"


class ReportSubmission(FrozenSubmission):
    """One sending of a report: the frozen content (snapshot.report_snapshot), the
    reference, the receipt. A report returned for correction and sent again gets a new
    submission with a new reference."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="submissions")
    granted_total = money_field(_("innvilget (kr)"))
    used_total = money_field(_("brukt (kr)"))
    unused_total = money_field(_("ubrukt (kr)"))
    unused_choice = models.CharField(
        _("ubrukte midler"), max_length=16, choices=UnusedChoice.choices, blank=True
    )
    returned_at = models.DateTimeField(_("sendt tilbake"), null=True, blank=True)

    class Meta(FrozenSubmission.Meta):
        verbose_name = _("innsending av rapport")
        verbose_name_plural = _("innsendinger av rapporter")
        constraints = [one_live("report", "returned_at", "report_submission_one_live_per_report")]


class ReportReceipt(DocumentJob):
    """The PDF copy of a report submission."""

    task_name = "reporting.tasks.render_report_receipt_pdf"
    renderer = "reporting.documents.render_receipt"  # made on the spot if clicked first

    submission = receipt_of(ReportSubmission)

    class Meta:
        verbose_name = _("kvittering for rapport (PDF)")
        verbose_name_plural = _("kvitteringer for rapporter (PDF)")


class ReportEvent(HistoryEntry):
    """The history of a report: every status change, who made it, when and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    from_status, to_status = status_fields(ReportStatus)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("statusendring for rapport")
        verbose_name_plural = _("statusendringer for rapporter")


class DeadlineExtension(models.Model):
    """An office's extension of one organisation's reporting deadline: who, when, what and
    why. The newest one is the deadline (Report.extended_deadline)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="extensions")
    previous_deadline = models.DateTimeField(_("frist før utsettelsen"))
    new_deadline = models.DateTimeField(_("ny frist"))
    reason = models.TextField(_("begrunnelse"), max_length=rules.MAX_TEXT_LENGTH)
    granted_by = acting_user(_("innvilget av"))
    granted_at = models.DateTimeField(_("innvilget"), default=timezone.now)

    class Meta:
        ordering = ["granted_at", "pk"]
        verbose_name = _("utsatt rapporteringsfrist")
        verbose_name_plural = _("utsatte rapporteringsfrister")

    def __str__(self) -> str:
        return f"{self.report}: {timezone.localtime(self.new_deadline):%d.%m.%Y %H:%M}"


class ReportingSettings(models.Model):
    """Reporting rules a round may set: whether an organisation with an overdue report
    from an earlier round is stopped from submitting an application in this round."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="reporting_settings",
        verbose_name=_("runde"),
    )
    overdue_rule = models.CharField(
        _("forsinket rapport fra tidligere år"), max_length=8, choices=OverdueRule.choices,
        default=OverdueRule.BLOCK,
        help_text=_("Hva som skjer når en søker har en forsinket rapport fra en tidligere "
                    "runde og vil sende inn en søknad i denne runden."),
    )
    transfer_four_eyes_from = money_field(
        _("fire øyne på overføring over (kr)"), validators=[MinValueValidator(0)],
        default=rules.TRANSFER_FOUR_EYES_FROM,
        help_text=_("Vedtak om å overføre ubrukte midler over dette beløpet foreslås av én "
                    "ansatt og godkjennes av en annen ved embetet."),
    )
    repayment_days = models.PositiveSmallIntegerField(
        _("betalingsfrist for tilbakebetaling (dager)"), default=rules.REPAYMENT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("rapporteringsregel for runde")
        verbose_name_plural = _("rapporteringsregler for runder")

    def __str__(self) -> str:
        return f"{self.round}: {self.get_overdue_rule_display()}"


# The decisions on unused funds and the repayment claims live in a module of their own;
# imported here so Django registers them with the app.
from .transfer_models import (  # noqa: E402, F401, I001
    RepaymentClaim,
    RepaymentEvent,
    RepaymentLetter,
    TransferDecision,
    TransferEvent,
    TransferLetter,
)


# Change requests (endringssøknad) live in a package of their own; imported here so Django
# registers them with the app.
from .changes.models import (  # noqa: E402, F401
    ChangeLetter,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeRequestLine,
)
