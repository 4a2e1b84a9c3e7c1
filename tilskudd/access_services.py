"""Managing who has access: invitations (sent, accepted, revoked) and changes to the
people who act for an organisation or work at an office. Who may do each is asked of
`tilskudd.access`; the grants themselves go through `tilskudd.services`'
membership_grant/revoke (audited there, and refusing to take away an organisation's last
signatory or an office's last administrator); every change is e-mailed to the person
concerned.

Decided: an invitation binds to whoever accepts it after signing in (the e-mail address
only carries the link), but is refused, and stays unused, if that person already has the
invited role or a higher one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .audit import AuditAction
from .errors import ServiceError
from .invitations import INVITATION_VALID_DAYS, Invitation, new_token, token_hash
from .links import absolute_url
from .models import Membership, MembershipRole, Office, OfficeMembership, OfficeRole, Organisation
from .outbox import queue_email
from .services import (
    audit,
    membership_grant,
    membership_locked,
    membership_revoke,
    office_membership_grant,
    office_membership_revoke,
)
from .users import User

_M = TypeVar("_M", Membership, OfficeMembership)


def _refuse_unless_manager(by: User, organisation: Organisation) -> None:
    if not access.may_manage_members(by, organisation):
        raise ServiceError(
            _("Bare den som har signaturrett for %(org)s kan gi, endre eller fjerne tilgang.")
            % {"org": organisation.name}, "not_signatory",
        )


def _refuse_unless_staff_manager(by: User, office: Office) -> None:
    if not access.may_manage_staff(by, office):
        raise ServiceError(
            _("Bare embetsadministratoren ved %(office)s kan gi, endre eller fjerne tilgang.")
            % {"office": office.name}, "not_office_administrator",
        )


def _target_name(invitation: Invitation) -> str:
    return (invitation.organisation or invitation.office).name


@transaction.atomic
def invitation_create(
    *, email: str, role: str, by: User,
    organisation: Organisation | None = None, office: Office | None = None,
) -> tuple[Invitation, str]:
    """Invite `email` to act for `organisation` (MembershipRole) or to work at `office`
    (OfficeRole); returns the invitation and the token its link carries (never stored)."""
    if organisation is not None:
        _refuse_unless_manager(by, organisation)
        valid_roles = MembershipRole.values
    else:
        _refuse_unless_staff_manager(by, office)
        valid_roles = OfficeRole.values
    if role not in valid_roles:
        raise ServiceError(_("Velg en rolle."), "invalid_role")
    token, now = new_token(), timezone.now()
    invitation = Invitation(
        created_at=now, expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
        organisation=organisation, office=office, email=email.strip().lower(), role=role,
        token_hash=token_hash(token), invited_by=by,
    )
    invitation.full_clean()
    invitation.save()
    audit(actor=by, action=AuditAction.INVITATION_CREATE, target=invitation,
          after={"email": invitation.email, "role": role},
          organisation=organisation.pk if organisation else None,
          office=office.pk if office else None)
    name = _target_name(invitation)
    queue_email(
        to=[invitation.email], kind="invitation", reference=name,
        subject=_("Invitasjon: tilgang til %(name)s i Tilskudd") % {"name": name},
        body=_(
            "%(inviter)s har invitert deg til å få tilgang til %(name)s som %(role)s.\n\n"
            "Logg inn og aksepter invitasjonen her (lenken kan brukes én gang og gjelder "
            "til %(expires)s):\n%(link)s\n"
        ) % {"inviter": by.full_name or by.email, "name": name, "role": invitation.role_label,
             "expires": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y %H:%M"),
             "link": absolute_url("access:accept", token)},
    )
    return invitation, token


def invitation_by_token(token: str) -> Invitation:
    """The invitation the link names, whatever its state; refuses an unknown link."""
    invitation = (
        Invitation.objects.select_related("organisation__county__office", "office", "invited_by")
        .filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise ServiceError(_("Invitasjonslenken er ugyldig."), "invitation_unknown")
    return invitation


def invitation_refusal(invitation: Invitation) -> ServiceError | None:
    """Why the invitation can no longer be accepted, if it cannot: it is spent, or the
    person who sent it may no longer give access there (removed, demoted, deactivated)."""
    return _spent(invitation) or _sender_refusal(invitation)


def _sender_may_grant(invitation: Invitation) -> bool:
    sender = invitation.invited_by
    if sender is None:
        return False
    access.forget_acting(sender)  # asked afresh: a removal earlier in this request counts
    if invitation.organisation_id:
        return access.may_manage_members(sender, invitation.organisation)
    return access.may_manage_staff(sender, invitation.office)


def _sender_refusal(invitation: Invitation) -> ServiceError | None:
    if _sender_may_grant(invitation):
        return None
    return ServiceError(
        _("Invitasjonen kan ikke brukes: den som sendte den, kan ikke lenger gi tilgang "
          "til %(name)s. Be om en ny invitasjon.") % {"name": _target_name(invitation)},
        "invitation_sender_lost_access",
    )


def _spent(invitation: Invitation) -> ServiceError | None:
    """Why the invitation's link is used up, taken back or out of date, if it is."""
    if invitation.revoked_at is not None:
        return ServiceError(_("Invitasjonen er trukket tilbake."), "invitation_revoked")
    if invitation.accepted_at is not None:
        return ServiceError(_("Invitasjonen er allerede brukt."), "invitation_used")
    if invitation.expires_at <= timezone.now():
        return ServiceError(
            _("Invitasjonen er utløpt. Be om en ny invitasjon."), "invitation_expired")
    return None


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership | OfficeMembership:
    """The signed-in `user` takes up the invitation: they get its role (the link is then
    used up)."""
    found = invitation_by_token(token)
    invitation = (Invitation.objects.select_for_update(of=("self",))
                  .select_related("organisation__county__office", "office", "invited_by")
                  .get(pk=found.pk))
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        raise refusal
    if invitation.organisation_id:
        organisation = found.organisation
        held = access.membership_for(user, organisation)
        if held is not None and access.ROLE_RANK[held.role] >= access.ROLE_RANK[invitation.role]:
            raise ServiceError(
                _("Du har allerede tilgang til %(org)s som %(role)s.")
                % {"org": organisation.name, "role": held.get_role_display().lower()},
                "already_member",
            )
        granted = membership_grant(organisation=organisation, user=user,
                                   role=invitation.role, granted_by=invitation.invited_by)
    else:
        office = found.office
        held = access.office_membership_for(user)
        if held is not None and (
            held.office_id != office.pk
            or access.OFFICE_ROLE_RANK[held.role] >= access.OFFICE_ROLE_RANK[invitation.role]
        ):
            raise ServiceError(
                _("Du har allerede tilgang som %(role)s ved %(office)s.")
                % {"role": held.get_role_display().lower(), "office": held.office.name},
                "already_staff",
            )
        granted = office_membership_grant(office=office, user=user, role=invitation.role,
                                          granted_by=invitation.invited_by)
    access.forget_acting(user)  # the header of this request shows the new access
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(actor=user, action=AuditAction.INVITATION_ACCEPT, target=invitation,
          after={"accepted_by": user.pk}, email=invitation.email)
    _tell(user, _target_name(found), _("Du har nå tilgang til %(name)s som %(role)s.")
          % {"name": _target_name(found), "role": invitation.role_label.lower()})
    return granted


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Take back an invitation not yet accepted; its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.organisation_id:
        _refuse_unless_manager(by, invitation.organisation)
    else:
        _refuse_unless_staff_manager(by, invitation.office)
    refusal = _spent(invitation)
    if refusal is not None:
        raise refusal
    _withdraw(invitation, by)
    return invitation


def _withdraw(invitation: Invitation, by: User, **why: str) -> None:
    """Take back the (pending, locked) invitation, audited as `by`'s and told to its
    address."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(actor=by, action=AuditAction.INVITATION_REVOKE, target=invitation,
          email=invitation.email, **why)
    queue_email(
        to=[invitation.email], kind="invitation", reference=_target_name(invitation),
        subject=_("Invitasjonen til %(name)s er trukket tilbake")
        % {"name": _target_name(invitation)},
        body=_("Invitasjonen du fikk til %(name)s i Tilskudd er trukket tilbake.\n")
        % {"name": _target_name(invitation)},
    )


def _withdraw_invitations_sent_by(user: User, by: User) -> None:
    """Once `user` was removed or demoted, the pending invitations they sent to where they
    may no longer give access are taken back (each audited as `by`'s)."""
    pending = (Invitation.objects.pending().select_for_update(of=("self",))
               .select_related("organisation__county__office", "office", "invited_by")
               .filter(invited_by=user).order_by("pk"))
    for invitation in pending:
        if not _sender_may_grant(invitation):
            _withdraw(invitation, by, reason="sender_lost_access")


@dataclass(frozen=True)
class _People:
    """What changing the people of an organisation or of an office differs in: the
    membership's field for the place (read with `related` under the lock), who may
    manage them, their roles, the grant and revoke services, and the place's placeholder
    in the e-mail's text."""

    field: str
    related: str
    refuse: Callable[[User, Any], None]
    roles: list[str]
    grant: Callable[..., Any]
    revoke: Callable[..., None]
    placeholder: str


_ORGANISATION = _People(field="organisation", related="organisation__county__office",
                        refuse=_refuse_unless_manager, roles=MembershipRole.values,
                        grant=membership_grant, revoke=membership_revoke, placeholder="org")
_OFFICE = _People(field="office", related="office", refuse=_refuse_unless_staff_manager,
                  roles=OfficeRole.values, grant=office_membership_grant,
                  revoke=office_membership_revoke, placeholder="office")


@transaction.atomic
def member_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Change what a person may do for the organisation (editor or signatory)."""
    return _change_role(_ORGANISATION, membership, role, by,
                        _("%(by)s har endret rollen din for %(org)s til %(role)s."))


@transaction.atomic
def member_remove(*, membership: Membership, by: User) -> None:
    """Take away a person's access to the organisation."""
    _remove(_ORGANISATION, membership, by, _("%(by)s har fjernet tilgangen din til %(org)s."))


@transaction.atomic
def staff_change_role(*, membership: OfficeMembership, role: str, by: User) -> OfficeMembership:
    """Change a person's role at the office (caseworker, approver, administrator)."""
    return _change_role(_OFFICE, membership, role, by,
                        _("%(by)s har endret rollen din ved %(office)s til %(role)s."))


@transaction.atomic
def staff_remove(*, membership: OfficeMembership, by: User) -> None:
    """Take away a person's access to the office."""
    _remove(_OFFICE, membership, by, _("%(by)s har fjernet tilgangen din til %(office)s."))


def _change_role(people: _People, membership: _M, role: str, by: User, text: str) -> _M:
    """The membership locked and the change refused unless `by` manages the place's
    people; a role not in its roles is refused; the role they hold already changes
    nothing (no audit row, no e-mail, also when an admin action names several people);
    otherwise the role is granted, the invitations they may no longer give are taken back
    and the person is told by `text` (the new role is %(role)s in it)."""
    membership = _locked(membership, people.related)
    place = getattr(membership, people.field)
    people.refuse(by, place)
    if role not in people.roles:
        raise ServiceError(_("Velg en rolle."), "invalid_role")
    if role == membership.role:
        return membership
    changed = people.grant(**{people.field: place}, user=membership.user, role=role,
                           granted_by=by)
    _withdraw_invitations_sent_by(membership.user, by)
    _tell_changed(membership.user, place.name, by, text,
                  role=changed.get_role_display().lower(), **{people.placeholder: place.name})
    return changed


def _remove(people: _People, membership: _M, by: User, text: str) -> None:
    """The membership locked, refused unless `by` manages the place's people, revoked,
    the invitations its person sent taken back, and the person told by `text`."""
    membership = _locked(membership, people.related)
    place = getattr(membership, people.field)
    people.refuse(by, place)
    people.revoke(membership=membership, revoked_by=by)
    _withdraw_invitations_sent_by(membership.user, by)
    _tell_changed(membership.user, place.name, by, text, **{people.placeholder: place.name})


def _locked(membership: Membership | OfficeMembership, *related: str):
    """The membership again, locked for the change, with its user and `related`, after the
    holders of the role its place keeps (services.membership_locked): two who remove each
    other at once take the rows in the same order, so the second waits for the first."""
    queryset = type(membership).objects.select_related(*related, "user").filter(
        pk=membership.pk)
    locked = membership_locked(queryset)
    if locked is None:
        raise type(membership).DoesNotExist
    return locked


def _tell_changed(user: User, name: str, by: User, text: str, **values: str) -> None:
    """Tell `user` that `by` changed their access to `name`: `text` names `by` as %(by)s."""
    _tell(user, name, text % {"by": by.full_name or by.email, **values})


def _tell(user: User, name: str, text: str) -> None:
    queue_email(to=[user.email], kind="access_change", reference=name,
                subject=_("Tilgangen din til %(name)s er endret") % {"name": name},
                body=text + "\n")
