"""Who may act for an organisation and who works at an office: the one interface every
permission check in every app uses.

The answers come from a source class named by the setting ACCESS_SOURCE (default
`tilskudd.access.LocalAccessSource`, the portal's own Membership and OfficeMembership
rows). An Altinn-backed source can replace it: a class with the same methods that asks
Altinn's authorised-parties API (with a Maskinporten token) and answers with unsaved
Membership objects built from what Altinn says (see the README, "Hvem som har tilgang")."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .errors import ServiceError
from .models import Membership, MembershipRole, Office, OfficeMembership, OfficeRole, Organisation
from .per_request import forget, in_request, remembered
from .users import User

DEFAULT_SOURCE = "tilskudd.access.LocalAccessSource"
# a signatory may do all an editor may (and sign); an invitation never lowers a role
ROLE_RANK = {MembershipRole.EDITOR: 1, MembershipRole.SIGNATORY: 2}
# at an office: an approver does casework and approves; an administrator does casework
# and manages the office's staff (gives anyone there any role), so ranks highest though
# it does not approve itself (OfficeMembership.may_approve); an invitation never lowers one
OFFICE_ROLE_RANK = {OfficeRole.CASEWORKER: 1, OfficeRole.APPROVER: 2,
                    OfficeRole.ADMINISTRATOR: 3}


class LocalAccessSource:
    """Access as the portal's own database records it."""

    def membership_for(self, user: User, organisation_id: int) -> Membership | None:
        if not user.is_authenticated or not user.is_active:
            return None
        return (
            Membership.objects.select_related("organisation__county__office")
            .filter(user=user, organisation_id=organisation_id).first()
        )

    def memberships_for(self, user: User) -> QuerySet[Membership]:
        if not user.is_authenticated or not user.is_active:
            return Membership.objects.none()
        return self.memberships_query(user.pk)

    @staticmethod
    def memberships_query(user_id: int) -> QuerySet[Membership]:
        """An active user's memberships, by the organisation's name, each with its
        organisation, county and office (tilskudd.auth_backends reads them with the user)."""
        return (
            Membership.objects.filter(user_id=user_id)
            .select_related("organisation__county__office")
            .order_by("organisation__name")
        )

    def members_of(self, organisation: Organisation) -> QuerySet[Membership]:
        return (
            Membership.objects.filter(organisation=organisation, user__is_active=True)
            .select_related("user").order_by("user__full_name", "user__email")
        )

    def office_membership_for(self, user: User) -> OfficeMembership | None:
        if not user.is_authenticated or not user.is_active:
            return None
        # the user's row with its office in one query, cached on the user (this request's
        # object) as Django caches a one-to-one
        reverse = User.office_membership.related
        if not reverse.is_cached(user):
            reverse.set_cached_value(
                user, OfficeMembership.objects.select_related("office").filter(user=user).first()
            )
        return getattr(user, "office_membership", None)

    def staff_of(self, office: Office) -> QuerySet[OfficeMembership]:
        return (
            OfficeMembership.objects.filter(office=office, user__is_active=True)
            .select_related("user").order_by("user__full_name", "user__email")
        )


@cache
def _source_class(path: str) -> type:
    return import_string(path)


def source() -> LocalAccessSource:
    """The configured source (ACCESS_SOURCE names its class)."""
    return _source_class(getattr(settings, "ACCESS_SOURCE", DEFAULT_SOURCE))()


# --- organisations -------------------------------------------------------------------

def membership_for(user: User, organisation: Organisation | int) -> Membership | None:
    """The user's membership of the organisation (an id will do), or None. In a request it
    is looked up in acting_memberships, so the page header asks nothing more."""
    organisation_id = getattr(organisation, "pk", organisation)
    if in_request() and user.is_authenticated:
        held = acting_memberships(user)
        return next((m for m in held if m.organisation_id == organisation_id), None)
    return source().membership_for(user, organisation_id)


def memberships_for(user: User) -> QuerySet[Membership]:
    """Every organisation the user acts for, by name, with its county and office."""
    return source().memberships_for(user)


#: Where a request's user holds the memberships read with it (tilskudd.auth_backends).
HELD = "_tilskudd_acting_memberships"


def acting_memberships(user: User) -> list[Membership]:
    """memberships_for as a list, read once per request (tilskudd.per_request): the page
    header, the view and its permission checks share it. The request's user comes with
    them (tilskudd.auth_backends, held on that object only). A service that changes the
    user's memberships during a request calls forget_acting()."""
    if not user.is_authenticated:
        return []
    held = getattr(user, HELD, None)
    if held is not None:
        return held
    return remembered(("acting_memberships", user.pk), lambda: list(memberships_for(user)))


def hold_acting(user: User, memberships: list[Membership]) -> None:
    """Keep on this user object (the request's) the memberships memberships_for would
    read; its office membership is cached on it by its query (select_related)."""
    setattr(user, HELD, memberships)


def forget_acting(user: User) -> None:
    """Drop what this request remembered of the user's memberships and office."""
    forget(("acting_memberships", user.pk))
    if hasattr(user, HELD):
        delattr(user, HELD)
    reverse = User.office_membership.related
    if user.is_authenticated and reverse.is_cached(user):
        reverse.delete_cached_value(user)


def roles_for(user: User, organisation: Organisation | int) -> frozenset[str]:
    """The roles (MembershipRole values) the user holds for the organisation; a
    signatory also holds the editor's role."""
    membership = membership_for(user, organisation)
    if membership is None:
        return frozenset()
    return frozenset(r for r, rank in ROLE_RANK.items() if rank <= ROLE_RANK[membership.role])


def organisations_for(user: User) -> list[Organisation]:
    return [m.organisation for m in memberships_for(user)]


def is_member(user: User, organisation: Organisation | int) -> bool:
    return MembershipRole.EDITOR in roles_for(user, organisation)


def is_signatory(user: User, organisation: Organisation | int) -> bool:
    return MembershipRole.SIGNATORY in roles_for(user, organisation)


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """Who may act for the organisation (active users), by name."""
    return source().members_of(organisation)


def signatory_emails(organisation: Organisation | int) -> list[str]:
    """The e-mail addresses of the organisation's active signatories, sorted."""
    organisation_id = getattr(organisation, "pk", organisation)
    members = source().members_of(Organisation(pk=organisation_id))
    return sorted(m.user.email for m in members if m.role == MembershipRole.SIGNATORY)


def require_membership(user: User, organisation: Organisation) -> Membership:
    """The user's membership of the organisation; refuses ("not_member") anyone else."""
    membership = membership_for(user, organisation)
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


# --- offices -------------------------------------------------------------------------

def office_membership_for(user: User) -> OfficeMembership | None:
    """Where the user works (a person works for one office), or None."""
    return source().office_membership_for(user)


def office_for(user: User) -> Office | None:
    """The office the user works for, if they are active office staff."""
    membership = office_membership_for(user)
    return membership.office if membership else None


def office_role_for(user: User, office: Office) -> str | None:
    """The user's OfficeRole value at `office`, or None when they do not work there."""
    membership = office_membership_for(user)
    return membership.role if membership and membership.office_id == office.pk else None


def is_office_staff(user: User, office: Office) -> bool:
    return office_role_for(user, office) is not None


def is_member_or_office_staff(user: User, organisation: Organisation) -> bool:
    """A member of the organisation or staff at its county's office: who may read the
    letters it is sent (a repayment claim's, a change decision's)."""
    return is_member(user, organisation) or is_office_staff(user, organisation.county.office)


def is_office_administrator(user: User, office: Office) -> bool:
    return office_role_for(user, office) == OfficeRole.ADMINISTRATOR


def staff_of(office: Office) -> QuerySet[OfficeMembership]:
    """Who works at the office (active users), by name."""
    return source().staff_of(office)


def require_office_staff(user: User, office: Office, *, refusal: str) -> OfficeMembership:
    """The membership of an active member of staff at `office`; refuses
    ("not_office_staff") anyone else with `refusal`, which may name the office as
    %(office)s."""
    membership = office_membership_for(user)
    if membership is None or membership.office_id != office.pk:
        raise ServiceError(str(refusal) % {"office": office.name}, "not_office_staff")
    return membership


def require_approver(user: User, office: Office, *, recommended_by_id: int | None,
                     refusal: str) -> OfficeMembership:
    """The four-eyes rule of every decision an office makes on a recommendation (an
    allocation, a change request): one of `office`'s staff who may approve (refused
    "not_approver") and did not make the recommendation ("own_recommendation"); `refusal`
    is for one who does not work there."""
    membership = require_office_staff(user, office, refusal=refusal)
    if not membership.may_approve:
        raise ServiceError(
            _("Bare en godkjenner ved embetet kan godkjenne eller sende tilbake en innstilling."),
            "not_approver",
        )
    if recommended_by_id == user.pk:
        raise ServiceError(
            _("Du kan ikke godkjenne eller sende tilbake din egen innstilling. En annen "
              "godkjenner ved embetet må gjøre det (fire øyne)."),
            "own_recommendation",
        )
    return membership


# --- who manages access --------------------------------------------------------------

def may_manage_members(user: User, organisation: Organisation) -> bool:
    """A signatory manages the organisation's people; its office (any of its staff) or
    a superuser may too, which is how the first signatory is registered."""
    return (
        is_signatory(user, organisation)
        or (user.is_active and user.is_superuser)
        or is_office_staff(user, organisation.county.office)
    )


def may_manage_staff(user: User, office: Office) -> bool:
    """An office administrator manages the office's caseworkers and approvers; a
    superuser manages every office."""
    return (user.is_active and user.is_superuser) or is_office_administrator(user, office)
