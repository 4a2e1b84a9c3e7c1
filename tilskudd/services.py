"""Writes to the shared model. Every change records who made it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .audit import AuditAction
from .models import AuditEvent, Membership, MembershipRole, Organisation, User


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


@transaction.atomic
def membership_grant(
    *, organisation: Organisation, user: User, role: MembershipRole, granted_by: User | None
) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    membership.full_clean()
    audit(actor=granted_by, action="membership_grant", target=membership, role=str(role))
    return membership
