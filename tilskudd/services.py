"""Writes to the shared model: organisations, users and their memberships, budgets and
their earmarks. Every change is full_cleaned and records who made it, with the changed
fields' values before and after (Zulip's `do_*` actions); the admin calls these too."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import AuditAction, AuditEvent, changes, snapshot
from .budgets import Earmark, EarmarkPlan, OfficeBudget, budget_refusals
from .errors import ServiceError
from .models import Membership, MembershipRole, Office, OfficeMembership, OfficeRole, Organisation
from .users import User

_M = TypeVar("_M", Membership, OfficeMembership)

ORGANISATION_FIELDS = [
    "kind", "name", "org_number", "municipality_number", "county", "is_rural_district",
    "written_language",
]
USER_FIELDS = ["email", "full_name", "is_active", "is_staff", "is_superuser", "is_directorate"]
BUDGET_FIELDS = ["round", "office", "pot"]
EARMARK_FIELDS = ["name", "key", "amount"]


def audit(
    *, actor: User | None, action: str, target: models.Model,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None, **data: Any,
) -> AuditEvent:
    """Record one audit row: who (`actor`), what (`action`, an AuditAction), on which object,
    the changed fields' values `before` and `after`, and any other detail as `data`.
    Call it inside the transaction that makes the change."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}: add it to tilskudd.audit.AuditAction")
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        before=before or {},
        after=after or {},
        data=data,
    )


def _save_audited(obj: models.Model, *, fields: list[str], actor: User | None, action: str,
                  **data: Any) -> None:
    """full_clean and save `obj` (new or changed in memory), and audit the fields that
    differ from the stored row (all of them for a new one); a save that changes nothing
    writes no row."""
    stored = type(obj).objects.select_for_update().filter(pk=obj.pk).first() if obj.pk else None
    obj.full_clean()
    obj.save()
    # a new object is recorded whole; a changed one with only what changed
    before, after = (
        changes(snapshot(stored, fields), snapshot(obj, fields)) if stored
        else ({}, snapshot(obj, fields))
    )
    if after or data:
        audit(actor=actor, action=action, target=obj, before=before, after=after, **data)


@transaction.atomic
def reference_save(*, obj: models.Model, user: User) -> models.Model:
    """Save reference data the admin's form built (an office, a county, a scheme, a round
    and its deadlines), audited with every changed field."""
    fields = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
    _save_audited(obj, fields=fields, actor=user, action=AuditAction.REFERENCE_CHANGE)
    return obj


@transaction.atomic
def organisation_create(*, organisation: Organisation, user: User) -> Organisation:
    """Add an organisation built in memory (by the admin's form)."""
    _save_audited(organisation, fields=ORGANISATION_FIELDS, actor=user,
                  action=AuditAction.ORGANISATION_CHANGE)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, user: User, **fields: Any) -> Organisation:
    """Change an organisation's fields; the rural-district flag decides priority in the
    assessment, so every change is audited with its old and new value."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"not organisation fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(organisation, name, value)
    _save_audited(organisation, fields=ORGANISATION_FIELDS, actor=user,
                  action=AuditAction.ORGANISATION_CHANGE)
    return organisation


@transaction.atomic
def user_save(*, user: User, by: User | None) -> User:
    """Save a user the admin's forms built (a new password already hashed): audited with
    the changed fields, and whether the password changed (never the password itself)."""
    stored_password = (
        User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if user.pk else None
    )
    if not user.is_active and User.objects.filter(pk=user.pk, is_active=True).exists():
        _refuse(deactivation_refusal(user=user))
    action = AuditAction.USER_CHANGE if user.pk else AuditAction.USER_CREATE
    extra = {"password_changed": True} if stored_password != user.password else {}
    _save_audited(user, fields=USER_FIELDS, actor=by, action=action, **extra)
    return user


def user_language_choose(*, user: User, language: str) -> None:
    """Remember the portal language a user chose in the header (settings.LANGUAGES)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a portal language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_password_changed(*, user: User, by: User | None) -> None:
    """Record that the admin set a user's password (Django's own view saved it)."""
    audit(actor=by, action=AuditAction.USER_CHANGE, target=user, password_changed=True)


@transaction.atomic
def membership_grant(
    *, organisation: Organisation, user: User, role: MembershipRole, granted_by: User | None
) -> Membership:
    """Let `user` act for `organisation` in `role` (a new membership, or a changed role)."""
    membership = (
        membership_locked(Membership.objects.filter(user=user, organisation=organisation))
        or Membership(user=user, organisation=organisation)
    )
    if membership.pk:
        _refuse(membership_loss_refusal(membership=membership, role=role))
    before = {"role": membership.role} if membership.pk else {}
    membership.role = role
    membership.full_clean()
    membership.save()
    before, after = changes(before, {"role": str(role)})
    if after:
        audit(actor=granted_by, action=AuditAction.MEMBERSHIP_GRANT, target=membership,
              before=before, after=after, user=user.email, organisation=organisation.pk)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, revoked_by: User | None) -> None:
    _refuse(membership_loss_refusal(membership=membership))
    audit(actor=revoked_by, action=AuditAction.MEMBERSHIP_REVOKE, target=membership,
          before={"role": membership.role}, after={}, user=membership.user.email,
          organisation=membership.organisation_id)
    membership.delete()


@transaction.atomic
def office_membership_grant(
    *, office: Office, user: User, role: OfficeRole, granted_by: User | None
) -> OfficeMembership:
    """Make `user` staff of `office` in `role` (a person works for one office)."""
    membership = (
        membership_locked(OfficeMembership.objects.filter(user=user))
        or OfficeMembership(user=user)
    )
    if membership.pk:
        _refuse(office_membership_loss_refusal(membership=membership, office=office, role=role))
    before = snapshot(membership, ["office", "role"]) if membership.pk else {}
    membership.office, membership.role = office, role
    membership.full_clean()
    membership.save()
    before, after = changes(before, snapshot(membership, ["office", "role"]))
    if after:
        audit(actor=granted_by, action=AuditAction.OFFICE_MEMBERSHIP_GRANT, target=membership,
              before=before, after=after, user=user.email)
    return membership


@transaction.atomic
def office_membership_revoke(*, membership: OfficeMembership, revoked_by: User | None) -> None:
    _refuse(office_membership_loss_refusal(membership=membership))
    audit(actor=revoked_by, action=AuditAction.OFFICE_MEMBERSHIP_REVOKE, target=membership,
          before=snapshot(membership, ["office", "role"]), after={},
          user=membership.user.email)
    membership.delete()


def membership_loss_refusal(
    *, membership: Membership, role: str | None = None
) -> ServiceError | None:
    """Why the stored `membership` may not be revoked (no `role`) or changed to `role`:
    an organisation keeps at least one active signatory, whoever asks (the access pages,
    the admin's user page, a command)."""
    if role == MembershipRole.SIGNATORY:
        return None
    return _last_holder_refusal(membership, MembershipRole.SIGNATORY, "organisation_id", lambda: (
        _("%(org)s må ha minst én med signaturrett. Gi signaturrett til en annen før "
          "du fjerner eller endrer den siste.") % {"org": membership.organisation.name},
        "last_signatory",
    ))


def office_membership_loss_refusal(
    *, membership: OfficeMembership, office: Office | None = None, role: str | None = None
) -> ServiceError | None:
    """Why the stored `membership` may not be revoked (no `office`) or moved to `office`
    in `role`: an office keeps at least one active administrator, who manages its staff."""
    if office is not None and office.pk == membership.office_id \
            and role == OfficeRole.ADMINISTRATOR:
        return None
    return _last_holder_refusal(membership, OfficeRole.ADMINISTRATOR, "office_id", lambda: (
        _("%(office)s må ha minst én embetsadministrator. Gjør en annen til "
          "embetsadministrator før du fjerner eller endrer den siste.")
        % {"office": membership.office.name},
        "last_office_administrator",
    ))


def deactivation_refusal(*, user: User) -> ServiceError | None:
    """Why the stored `user` may not be made inactive: an inactive user cannot sign in, so
    counts as no signatory or administrator, and the last active one keeps the account.
    Its organisations are checked (and their holders locked) in one order, by id, so two
    deactivated at once who sign for the same two organisations do not lock them crosswise."""
    refusals = [
        *(membership_loss_refusal(membership=m)
          for m in Membership.objects.filter(user=user).select_related("organisation")
          .order_by("organisation_id")),
        *(office_membership_loss_refusal(membership=m)
          for m in OfficeMembership.objects.filter(user=user).select_related("office")),
    ]
    return next((refusal for refusal in refusals if refusal is not None), None)


def _last_holder_refusal(
    membership: Membership | OfficeMembership, role: str, place: str,
    refusal: Callable[[], tuple[str, str]],
) -> ServiceError | None:
    """The refusal (`refusal()`'s message and code) if `membership` is the last active
    holder of `role` at its `place` (its organisation or office, by that field's id).
    Every holder of the role there, and `membership`, is locked to the end of the
    transaction before it decides, all in one statement and in one order (by id), so two
    who take the last two away at once never each hold a row the other waits for (a
    deadlock): the second waits for the first, then finds its own the last and is refused.
    Only the memberships are locked, not their users (whose rows the admin's page saves);
    their «active» is read once the locks are held, by a statement of its own, so it sees
    what the change it waited for saved (the locking statement reads the users as they
    were when it began: two deactivated at once would both have found the other active)."""
    if membership.role != role:
        return None
    others = [m.user_id for m in _holders(membership, role, place)
              if m.pk != membership.pk and m.role == role]
    active = bool(others) and User.objects.filter(pk__in=others, is_active=True).exists()
    return None if active else ServiceError(*refusal())


#: the role each kind of membership's place must keep a holder of, and the place's field
_KEPT_ROLES = {Membership: (MembershipRole.SIGNATORY, "organisation_id"),
               OfficeMembership: (OfficeRole.ADMINISTRATOR, "office_id")}


def _holders(membership: Membership | OfficeMembership, role: str, place: str) -> list:
    """Every holder of `role` at `membership`'s `place`, and `membership`, locked in one
    statement in one order (by id), only the membership rows."""
    return list(
        type(membership).objects.select_for_update(of=("self",))
        .filter(models.Q(**{place: getattr(membership, place)}, role=role)
                | models.Q(pk=membership.pk))
        .only("role", "user_id").order_by("pk")
    )


def membership_locked(queryset: models.QuerySet[_M]) -> _M | None:
    """The membership `queryset` finds, locked for a change, or None: the holders of the role
    its place keeps (an organisation's signatories, an office's administrators) are locked
    first, as the last-holder check locks them, and the membership with them, so two
    changes at one place take their rows in the same order and the second waits for the
    first instead of each holding a row the other needs. A membership in another role (a
    caseworker, an editor) is no holder the check counts: only it is locked."""
    found = queryset.first()
    if found is None:
        return None
    role, place = _KEPT_ROLES[type(found)]
    if found.role == role:
        _holders(found, role, place)
    return queryset.select_for_update().first()


def _refuse(refusal: ServiceError | None) -> None:
    if refusal is not None:
        raise refusal


def _refuse_budget(budget: OfficeBudget, pot: Decimal, plans: list[EarmarkPlan]) -> None:
    refusals = budget_refusals(budget, pot=pot, earmarks=plans)
    if refusals:
        raise ServiceError(refusals[0].message, code="budget_refused", errors=refusals)


@transaction.atomic
def budget_create(*, budget: OfficeBudget, user: User) -> OfficeBudget:
    """Add an office's pot for a round (built in memory by the admin's form)."""
    _save_audited(budget, fields=BUDGET_FIELDS, actor=user, action=AuditAction.BUDGET_CHANGE)
    return budget


@transaction.atomic
def budget_update(
    *, budget: OfficeBudget, user: User, pot: Decimal | None = None,
    earmarks: Iterable[EarmarkPlan] = (),
) -> OfficeBudget:
    """Set the pot and add, change or delete earmarks (those not in `earmarks` stay as
    they are), all or nothing: the pot may not go below what is granted of it, and an
    earmark neither above the pot nor below what is granted of it (ServiceError)."""
    stored = OfficeBudget.objects.select_for_update().get(pk=budget.pk)
    pot = stored.pot if pot is None else pot
    plans = list(earmarks)
    touched = {plan.earmark.pk for plan in plans if plan.earmark is not None and plan.earmark.pk}
    untouched = [
        EarmarkPlan(name=e.name, key=e.key, amount=e.amount, earmark=e)
        for e in Earmark.objects.filter(budget=stored).exclude(pk__in=touched)
    ]
    _refuse_budget(stored, pot, plans + untouched)
    budget.pot = pot
    _save_audited(budget, fields=BUDGET_FIELDS, actor=user, action=AuditAction.BUDGET_CHANGE)
    for plan in sorted(plans, key=lambda p: not p.delete):  # deletes first: names free up
        _earmark_apply(budget, plan, user)
    return budget


def _earmark_apply(budget: OfficeBudget, plan: EarmarkPlan, user: User) -> None:
    earmark = plan.earmark or Earmark(budget=budget)
    if plan.delete:
        stored = Earmark.objects.filter(pk=earmark.pk).first() if earmark.pk else None
        if stored is not None:
            audit(actor=user, action=AuditAction.EARMARK_CHANGE, target=stored,
                  before=snapshot(stored, EARMARK_FIELDS), after={}, budget=budget.pk)
            stored.delete()
        return
    earmark.budget = budget
    earmark.name, earmark.key, earmark.amount = plan.name, plan.key, plan.amount
    _save_audited(earmark, fields=EARMARK_FIELDS, actor=user,
                  action=AuditAction.EARMARK_CHANGE)
