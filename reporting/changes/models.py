"""A change request with its lines (each granted line's amount before and asked for), its
history and the decision letter. Imported by reporting.models so Django registers them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from tilskudd.documents.jobs import LetterJob
from tilskudd.fields import acting_user
from tilskudd.four_eyes import FourEyesDecision, four_eyes
from tilskudd.money import money_field
from tilskudd.workflow import HistoryEntry, status_fields

from .. import rules as report_rules


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Sendt, venter på behandling")
    RECOMMENDED = "recommended", _("Innstilt, venter på godkjenning")
    APPROVED = "approved", _("Innvilget")
    REFUSED = "refused", _("Avslått")


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Innvilge endringen")
    REFUSE = "refuse", _("Avslå endringen")


#: Status -> where it may go: a caseworker recommends; another approves the
#: recommendation (it becomes the decision) or sends it back.
ALLOWED_TRANSITIONS = {
    ChangeStatus.SUBMITTED: {ChangeStatus.RECOMMENDED},
    ChangeStatus.RECOMMENDED: {ChangeStatus.SUBMITTED, ChangeStatus.APPROVED,
                               ChangeStatus.REFUSED},
}
PENDING_STATUSES = [ChangeStatus.SUBMITTED, ChangeStatus.RECOMMENDED]
DECIDED_STATUSES = [ChangeStatus.APPROVED, ChangeStatus.REFUSED]


class ChangeRequest(FourEyesDecision):
    """A recipient's request to move granted money between lines; a caseworker recommends,
    an approver decides (FourEyesDecision)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="change_requests",
        verbose_name=_("søknad"),
    )
    reference = models.CharField(_("referanse"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=ChangeStatus.choices,
                              default=ChangeStatus.SUBMITTED)
    #: The grant when asked (the lines' sum must stay this).
    granted_total = money_field(_("innvilget (kr)"))
    reason = models.TextField(_("begrunnelse"), max_length=report_rules.MAX_TEXT_LENGTH)
    requested_by = acting_user(_("søkt av"))
    requested_at = models.DateTimeField(_("sendt"), default=timezone.now)
    recommendation = models.CharField(_("innstilling"), max_length=8, blank=True,
                                      choices=Recommendation.choices)
    recommendation_note = models.TextField(_("begrunnelse for innstillingen"), blank=True,
                                           max_length=report_rules.MAX_TEXT_LENGTH)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("endringssøknad")
        verbose_name_plural = _("endringssøknader")
        constraints = [
            # one change request at a time per grant
            models.UniqueConstraint(
                fields=["application"], condition=Q(status__in=PENDING_STATUSES),
                name="change_request_one_pending_per_application",
            ),
            # four eyes: who recommends does not approve
            four_eyes("change_request_four_eyes"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "recommended"])
                | Q(decided_by__isnull=False),
                name="change_request_decided_has_decider",
            ),
            models.CheckConstraint(condition=Q(granted_total__gte=0),
                                   name="change_request_granted_not_negative"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def requested_total(self) -> Decimal:
        return sum((line.requested for line in self.lines.all()), Decimal(0))


class ChangeRequestLine(models.Model):
    """One line of the decision: granted before, the amount asked for, and for a project
    the new content asked for (empty: unchanged)."""

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE,
                                       related_name="lines")
    part = models.CharField(_("del"), max_length=16)
    line_id = models.PositiveBigIntegerField(_("linje"))
    label = models.CharField(_("tiltak"), max_length=300)
    granted = money_field(_("innvilget (kr)"))
    requested = money_field(_("nytt beløp (kr)"), validators=[MinValueValidator(0)])
    new_content = models.TextField(_("endret innhold"), blank=True,
                                   max_length=report_rules.MAX_TEXT_LENGTH)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("linje i endringssøknad")
        verbose_name_plural = _("linjer i endringssøknad")
        constraints = [
            models.UniqueConstraint(fields=["change_request", "part", "line_id"],
                                    name="change_line_once_per_request"),
            models.CheckConstraint(condition=Q(requested__gte=0) & Q(granted__gte=0),
                                   name="change_line_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def difference(self) -> Decimal:
        return self.requested - self.granted


class ChangeRequestEvent(HistoryEntry):
    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE,
                                       related_name="events")
    from_status, to_status = status_fields(ChangeStatus)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("statusendring for endringssøknad")
        verbose_name_plural = _("statusendringer for endringssøknader")


class ChangeLetter(LetterJob):
    """The decision on a change request as a PDF (approved or refused)."""

    recipient = "change_request.application.organisation"
    task_name = "reporting.tasks.render_change_letter_pdf"
    renderer = "reporting.changes.letters.render_change_letter"  # made on the spot if clicked first

    change_request = models.OneToOneField(ChangeRequest, on_delete=models.PROTECT,
                                          related_name="letter")

    class Meta:
        verbose_name = _("brev om endringssøknad (PDF)")
        verbose_name_plural = _("brev om endringssøknader (PDF)")
