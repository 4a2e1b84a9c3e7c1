"""Who may act for an organisation, once for every app: the checks a service makes before
it writes on an organisation's behalf (applications, reports, acceptances)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import ServiceError
from .models import Membership, MembershipRole, Office, OfficeMembership, Organisation, User


def require_membership(user: User, organisation: Organisation) -> Membership:
    """The user's membership of the organisation; refuses ("not_member") anyone else."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise ServiceError(_("Du har ikke tilgang til denne organisasjonen."), "not_member")
    return membership


def require_signatory(user: User, organisation: Organisation, *, refusal: str) -> Membership:
    """The membership of one who may sign for the organisation; refuses ("not_signatory")
    others with `refusal`, which may name the organisation as %(org)s."""
    membership = require_membership(user, organisation)
    if membership.role != MembershipRole.SIGNATORY:
        raise ServiceError(str(refusal) % {"org": organisation.name}, "not_signatory")
    return membership


def require_office_staff(user: User, office: Office, *, refusal: str) -> OfficeMembership:
    """The membership of an active member of staff at `office`; refuses
    ("not_office_staff") anyone else with `refusal`, which may name the office as
    %(office)s."""
    membership = (
        OfficeMembership.objects.filter(user=user, user__is_active=True)
        .select_related("office").first()
    )
    if membership is None or membership.office_id != office.pk:
        raise ServiceError(str(refusal) % {"office": office.name}, "not_office_staff")
    return membership
