"""The office's assessment of a submitted application: an amount and a justification per
line, scores per project criterion, the four-eyes workflow from recommendation
(innstilling) to decision (vedtak), the allocation letters and the recipient's acceptance."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import (
    PROJECT_CRITERIA,
    Application,
    BpaLine,
    CompetenceLine,
    Project,
)
from tilskudd.documents.jobs import LetterJob
from tilskudd.fields import acting_user
from tilskudd.four_eyes import FourEyesDecision, four_eyes
from tilskudd.models import OfficeBudget
from tilskudd.money import money_field
from tilskudd.workflow import EditableByStatus, HistoryEntry, status_fields

from . import rules
from .choices import GRANT_OUTCOMES, Outcome


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Under behandling")
    RECOMMENDED = "recommended", _("Innstilt, venter på godkjenning")
    RETURNED = "returned", _("Sendt tilbake")
    DECIDED = "decided", _("Vedtatt")


#: Which status may follow which; see services.transition().
ALLOWED_TRANSITIONS = {
    AssessmentStatus.OPEN: {AssessmentStatus.RECOMMENDED},
    AssessmentStatus.RETURNED: {AssessmentStatus.RECOMMENDED},
    AssessmentStatus.RECOMMENDED: {AssessmentStatus.DECIDED, AssessmentStatus.RETURNED},
    AssessmentStatus.DECIDED: set(),
}
EDITABLE_STATUSES = {AssessmentStatus.OPEN, AssessmentStatus.RETURNED}


class Part(models.TextChoices):
    COMPETENCE = "competence", _("Kompetansetiltak")
    BPA = "bpa", _("BPA-opplæring")
    PROJECTS = "projects", _("Tjenesteutvikling")


class Assessment(EditableByStatus, FourEyesDecision):
    """The office's case for one application, created when a caseworker first opens it;
    a caseworker recommends, an approver decides (FourEyesDecision)."""

    editable_statuses = EDITABLE_STATUSES

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="assessment",
        verbose_name=_("søknad"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices,
        default=AssessmentStatus.OPEN,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("saksbehandler"),
    )
    internal_notes = models.TextField(
        _("interne notater"), blank=True, max_length=10000,
        help_text=_("Bare for embetet. Søkeren ser aldri disse notatene."),
    )
    outcome = models.CharField(_("vedtak"), max_length=16, choices=Outcome.choices, blank=True)
    #: The sums of the lines' recommended and granted amounts, stored by the services that
    #: change them (amounts.store_case_totals) so the caseworkers' list reads columns.
    #: Never in a form (so no label of their own to translate).
    recommended_total = models.DecimalField(max_digits=14, decimal_places=0, default=0,
                                            editable=False)
    granted_total = models.DecimalField(max_digits=14, decimal_places=0, default=0,
                                        editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=AssessmentStatus.DECIDED, decided_by__isnull=False,
                      decided_at__isnull=False)
                    & ~Q(outcome="")
                )
                | (~Q(status=AssessmentStatus.DECIDED) & Q(outcome="")),
                name="assessment_outcome_iff_decided",
            ),
            four_eyes("assessment_four_eyes"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def is_decided(self) -> bool:
        return self.status == AssessmentStatus.DECIDED

    @property
    def is_grant(self) -> bool:
        return self.outcome in GRANT_OUTCOMES


class LineAssessment(models.Model):
    """The recommended amount for one line of the application, and why.

    `applied` is copied from the line so the database can hold recommended ≤ applied;
    `granted` is set from `recommended` when the recommendation is approved."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="lines")
    part = models.CharField(_("del"), max_length=16, choices=Part.choices)
    competence_line = models.OneToOneField(
        CompetenceLine, on_delete=models.CASCADE, null=True, blank=True,
        related_name="line_assessment",
    )
    bpa_line = models.OneToOneField(
        BpaLine, on_delete=models.CASCADE, null=True, blank=True, related_name="line_assessment"
    )
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="line_assessment"
    )
    applied = money_field(_("søkt (kr)"))
    recommended = money_field(_("innstilt (kr)"), null=True, blank=True,
                              validators=[MinValueValidator(0)])
    granted = money_field(_("innvilget (kr)"), null=True, blank=True)
    justification = models.CharField(
        _("begrunnelse"), max_length=rules.JUSTIFICATION_MAX_LENGTH, blank=True,
        help_text=_("Kort begrunnelse. Står i tilskuddsbrevet."),
    )

    class Meta:
        ordering = ["part", "pk"]
        verbose_name = _("vurdering av linje")
        verbose_name_plural = _("vurderinger av linjer")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(part=Part.COMPETENCE, competence_line__isnull=False,
                      bpa_line__isnull=True, project__isnull=True)
                    | Q(part=Part.BPA, competence_line__isnull=True,
                        bpa_line__isnull=False, project__isnull=True)
                    | Q(part=Part.PROJECTS, competence_line__isnull=True,
                        bpa_line__isnull=True, project__isnull=False)
                ),
                name="line_assessment_one_line_of_its_part",
            ),
            models.CheckConstraint(
                condition=Q(applied__gt=0), name="line_assessment_applied_positive"
            ),
            models.CheckConstraint(
                condition=Q(recommended__isnull=True)
                | (Q(recommended__gte=0) & Q(recommended__lte=F("applied"))),
                name="line_assessment_recommended_within_applied",
            ),
            models.CheckConstraint(
                condition=Q(granted__isnull=True)
                | (Q(granted__gte=0) & Q(granted__lte=F("applied"))),
                name="line_assessment_granted_within_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()}: {self.line}"

    @property
    def line(self) -> CompetenceLine | BpaLine | Project:
        return self.competence_line or self.bpa_line or self.project

    @property
    def line_id(self) -> int:
        return self.competence_line_id or self.bpa_line_id or self.project_id

    def clean(self) -> None:
        if self.recommended is not None and self.applied is not None:
            if self.recommended != self.recommended.to_integral_value():
                raise ValidationError(
                    {"recommended": _("Beløpet må være et helt antall kroner.")}
                )
            if self.recommended > self.applied:
                raise ValidationError({"recommended": _(
                    "Innstilt beløp kan ikke være høyere enn søkt beløp (kr %(applied)s)."
                ) % {"applied": f"{self.applied:,.0f}".replace(",", " ")}})


CRITERION_CHOICES = [(key, label) for key, label in PROJECT_CRITERIA]


class ProjectScore(models.Model):
    """The caseworker's score of one project on one of the nine criteria."""

    line = models.ForeignKey(LineAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("kriterium"), max_length=24, choices=CRITERION_CHOICES)
    score = models.PositiveSmallIntegerField(
        _("poeng"), validators=[MinValueValidator(0), MaxValueValidator(rules.MAX_SCORE)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("poeng")
        verbose_name_plural = _("poeng")
        constraints = [
            models.UniqueConstraint(fields=["line", "criterion"], name="project_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=rules.MAX_SCORE),
                name="project_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.score}"


class EventAction(models.TextChoices):
    OPENED = "opened", _("Saken ble opprettet")
    SAVED = "saved", _("Vurdering lagret")
    ASSIGNED = "assigned", _("Saksbehandler tildelt")
    RECOMMENDED = "recommended", _("Innstilling sendt til godkjenning")
    RETURNED = "returned", _("Innstilling sendt tilbake")
    APPROVED = "approved", _("Innstilling godkjent – vedtak fattet")
    LETTER = "letter", _("Tilskuddsbrev laget")
    ACCEPTED = "accepted", _("Tilskudd akseptert")


class AssessmentEvent(HistoryEntry):
    """The history of a case: every step, who took it and when (a status change through
    services.ASSESSMENT_WORKFLOW, or a step that keeps the status: assigned, letter,
    accepted)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("hendelse"), max_length=16, choices=EventAction.choices)
    from_status, to_status = status_fields(AssessmentStatus, blank=True)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("hendelse i saken")
        verbose_name_plural = _("historikk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class LetterKind(models.TextChoices):
    GRANT = "grant", _("Tilskuddsbrev")
    REJECTION = "rejection", _("Avslag")


class AllocationLetter(LetterJob):
    """One version of the letter for a decision. A new version is a new row."""

    recipient = "assessment.application.organisation"
    task_name = "assessment.tasks.render_allocation_letter"
    renderer = "assessment.documents.render_letter"  # made on the spot if clicked first

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="letters"
    )
    version = models.PositiveSmallIntegerField(_("versjon"))
    kind = models.CharField(_("type"), max_length=16, choices=LetterKind.choices)
    created_by = acting_user(_("laget av"))

    class Meta:
        ordering = ["assessment", "-version"]
        verbose_name = _("tilskuddsbrev")
        verbose_name_plural = _("tilskuddsbrev")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="letter_one_row_per_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="letter_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Acceptance(models.Model):
    """The recipient's acceptance of the grant (akseptbrev), by a signatory."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="acceptance"
    )
    letter = models.ForeignKey(
        AllocationLetter, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("akseptert brev"),
    )
    accepted_by = acting_user(_("akseptert av"))
    accepted_name = models.CharField(_("navn"), max_length=150)
    accepted_at = models.DateTimeField(_("akseptert"), default=timezone.now)

    class Meta:
        verbose_name = _("aksept")
        verbose_name_plural = _("aksepter")

    def __str__(self) -> str:
        return f"{self.accepted_name} {self.accepted_at:%Y-%m-%d}"


class SubmittedApplication(Application):
    """The caseworker's view of an application in the admin (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("søknad til behandling")
        verbose_name_plural = _("søknader til behandling")


class Pot(OfficeBudget):
    """An office's pot for a round, seen as what is recommended, approved and left."""

    class Meta:
        proxy = True
        verbose_name = _("ramme og forbruk")
        verbose_name_plural = _("rammer og forbruk")



class PublishedRecipient(models.Model):
    """The id an organisation was first published under as a grant's recipient in the open
    data (assessment.opendata.recipients): written once, by the build of the files that
    first holds it, and never changed, so that its grants keep one recipient id from one
    publication to the next even once its organisation number is filled in."""

    organisation = models.OneToOneField(
        "tilskudd.Organisation", on_delete=models.CASCADE, primary_key=True,
        related_name="published_recipient", verbose_name=_("organisasjon"),
    )
    identifier = models.CharField(_("id i åpne data"), max_length=64)
    first_published_at = models.DateTimeField(_("først publisert"), default=timezone.now)

    class Meta:
        verbose_name = _("mottaker i åpne data")
        verbose_name_plural = _("mottakere i åpne data")

    def __str__(self) -> str:
        return self.identifier
