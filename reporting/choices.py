"""The choices of reporting (statuses, kinds, answers) and which status may follow which.

Both the models and the rules read them, so neither has to import the other."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Under arbeid")
    SUBMITTED = "submitted", _("Sendt inn")
    RETURNED = "returned", _("Sendt tilbake for retting")
    APPROVED = "approved", _("Godkjent")


#: Which status may follow which; see access.REPORT_WORKFLOW.
ALLOWED_TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.RETURNED, ReportStatus.APPROVED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.APPROVED: set(),
}
EDITABLE_STATUSES = {ReportStatus.DRAFT, ReportStatus.RETURNED}


class UnusedChoice(models.TextChoices):
    TRANSFER = "transfer", _("Søke om å overføre ubrukte midler til neste år")
    REPAY = "repay", _("Betale tilbake ubrukte midler")


class ProjectStatus(models.TextChoices):
    COMPLETED = "completed", _("Avsluttet")
    ONGOING = "ongoing", _("Pågår")
    NOT_STARTED = "not_started", _("Ikke startet")
    STOPPED = "stopped", _("Stanset")


class GoalAchievement(models.TextChoices):
    ACHIEVED = "achieved", _("Målene er nådd")
    PARTLY = "partly", _("Målene er delvis nådd")
    NOT_ACHIEVED = "not_achieved", _("Målene er ikke nådd")


class Continuation(models.TextChoices):
    YES = "yes", _("Ja")
    PARTLY = "partly", _("Delvis")
    NO = "no", _("Nei")


class AttachmentKind(models.TextChoices):
    AUDITOR_STATEMENT = "auditor_statement", _("Revisorattestasjon")
    PROJECT_ACCOUNTS = "project_accounts", _("Prosjektregnskap")
    OTHER = "other", _("Annet vedlegg")


class ReminderKind(models.TextChoices):
    DAYS_30 = "days_30", _("30 dager før fristen")
    DAYS_7 = "days_7", _("7 dager før fristen")
    DAYS_1 = "days_1", _("1 dag før fristen")
    OVERDUE = "overdue", _("Forsinket (varsel til embetet)")
    RETURNED = "returned", _("Sendt tilbake og ikke sendt inn igjen etter 7 dager")


class OverdueRule(models.TextChoices):
    BLOCK = "block", _("Stopp nye søknader")
    WARN = "warn", _("Vis bare en advarsel")
