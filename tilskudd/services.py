"""Writes to the shared model. Every change records who made it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import AuditEvent, Membership, MembershipRole, Organisation, User


def audit(*, actor: User | None, action: str, target: models.Model, **data: Any) -> AuditEvent:
    """Record one audit row. Call it inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
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
