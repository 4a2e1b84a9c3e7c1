"""Who may do what with a case, checked by every service: staff of the application's
office, the four-eyes rule for approvers, a case that may still change, an application
still submitted; and the row lock every step takes on the case."""

from __future__ import annotations

from django.utils.translation import gettext as _

from applications.models import Application, ApplicationStatus
from tilskudd import access, workflow
from tilskudd.access import require_office_staff
from tilskudd.models import Office, OfficeMembership, User

from .models import Assessment


def office_of(assessment: Assessment) -> Office:
    return assessment.application.organisation.county.office


def require_staff(user: User, office: Office) -> OfficeMembership:
    return require_office_staff(user, office, refusal=_(
        "Du arbeider ikke ved %(office)s og kan ikke behandle denne søknaden."))


def require_approver(user: User, assessment: Assessment) -> None:
    """The four-eyes rule (tilskudd.access): an approver at the application's office who
    did not make the recommendation."""
    access.require_approver(
        user, office_of(assessment), recommended_by_id=assessment.recommended_by_id,
        refusal=_("Du arbeider ikke ved %(office)s og kan ikke behandle denne søknaden."))


def require_editable(assessment: Assessment) -> None:
    workflow.require_editable(assessment, _("Saken er %(status)s og kan ikke endres."))


def require_submitted(application: Application) -> None:
    workflow.require_status(
        application, ApplicationStatus.SUBMITTED,
        _("Søknaden er ikke sendt inn (status: %(status)s) og kan ikke behandles."),
        "not_submitted")


def lock_case(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("application__organisation__county__office", "application__round")
        .get(pk=assessment.pk)
    )
