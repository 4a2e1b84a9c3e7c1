"""Who may do what to a report, and the one way its status changes: the checks every
service makes before it writes, the row lock, and REPORT_WORKFLOW."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd import workflow
from tilskudd.access import require_membership, require_office_staff
from tilskudd.access import require_signatory as organisation_signatory
from tilskudd.audit import AuditAction
from tilskudd.models import Office, OfficeMembership, User
from tilskudd.receipts import when
from tilskudd.workflow import Workflow

from .choices import ALLOWED_TRANSITIONS, ReportStatus
from .models import Report, ReportEvent

__all__ = ["REPORT_WORKFLOW", "ensure_editable", "lock", "office_of",
           "require_editable", "require_signatory", "require_staff", "transition", "when"]


def require_signatory(user: User, report: Report) -> None:
    organisation_signatory(
        user, report.application.organisation,
        refusal=_("Bare den som har signaturrett for %(org)s kan sende inn rapporten."),
    )


def require_editable(report: Report) -> None:
    workflow.require_editable(report, _("Rapporten er %(status)s og kan ikke endres."))


def ensure_editable(*, report: Report, user: User) -> None:
    """Raise ServiceError unless `user` may change the report now (an Excel upload asks
    before it reads the file)."""
    require_membership(user, report.application.organisation)
    require_editable(report)


def office_of(report: Report) -> Office:
    return report.application.organisation.county.office


def require_staff(user: User, report: Report) -> OfficeMembership:
    return require_office_staff(
        user, office_of(report),
        refusal=_("Du arbeider ikke ved %(office)s og kan ikke behandle denne rapporten."),
    )


def lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("application__organisation__county__office", "application__round")
        .get(pk=report.pk)
    )


#: The one place a report's status changes (see tilskudd.workflow): it refuses moves the
#: workflow lacks, saves the report (with whatever else the caller set on it) and records
#: the step and one audit row with the status before and after.
REPORT_WORKFLOW = Workflow(
    history=ReportEvent, subject="report", allowed=ALLOWED_TRANSITIONS,
    action=AuditAction.REPORT_STATUS, status_choices=ReportStatus,
    refusal=gettext_lazy("Rapporten kan ikke gå fra «%(from)s» til «%(to)s»."),
)


def transition(report: Report, to: ReportStatus, *, by: User, note: str = "",
               audit_data: dict | None = None) -> ReportEvent:
    return REPORT_WORKFLOW.transition(report, to, by=by, note=note, audit_data=audit_data)
