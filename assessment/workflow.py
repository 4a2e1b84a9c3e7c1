"""How a case moves: the allowed status changes as one Workflow (tilskudd.workflow) over
AssessmentEvent, and the steps recorded in the same history that keep the status."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tilskudd.audit import AuditAction
from tilskudd.models import User
from tilskudd.workflow import Workflow

from .models import ALLOWED_TRANSITIONS, Assessment, AssessmentEvent, AssessmentStatus, EventAction

#: The one place a case's status changes: refuses moves the workflow lacks, saves the case
#: (with whatever else the caller set on it), records the step in AssessmentEvent and one
#: typed audit row with the status (and what else changed) before and after.
ASSESSMENT_WORKFLOW = Workflow(
    history=AssessmentEvent, subject="assessment", allowed=ALLOWED_TRANSITIONS,
    action=AuditAction.ASSESSMENT_STATUS, status_choices=AssessmentStatus,
    refusal=gettext_lazy("Saken kan ikke gå fra «%(from)s» til «%(to)s»."),
)


def record_step(
    assessment: Assessment, action: EventAction, *, by: User, note: str = "",
    from_status: str = "", to_status: str = "",
) -> AssessmentEvent:
    """A step in the case's history that does not change its status."""
    return AssessmentEvent.objects.create(
        assessment=assessment, action=action, by=by, note=note,
        from_status=from_status, to_status=to_status,
    )
