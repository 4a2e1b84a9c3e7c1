"""Reads of the shared model that more than one page uses."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from . import access
from .compiled import CompiledAt
from .models import Membership, Office, Round, User, open_round_moments


def memberships_for_user(user: User) -> list[Membership]:
    """Who the user acts for, read once per request (the header and the view share it)."""
    return access.acting_memberships(user)


def office_for_user(user: User) -> Office | None:
    """The office whose data this user may see in the admin (None for everyone else)."""
    if not user.is_authenticated:
        return None
    return access.office_for(user)


def open_rounds(at: datetime | None = None) -> QuerySet[Round]:
    return Round.objects.open_for_applications(at).select_related("scheme").order_by("year")


#: open_rounds compiled to SQL once a connection, run with the moments the rule itself says
#: it reads (tilskudd.models.open_round_moments, which open_for_applications filters by)
_open_rounds = CompiledAt(open_rounds, held=open_round_moments)


def open_round_list() -> list[Round]:
    """The rounds open now, as open_rounds() reads them (with their scheme), by SQL
    compiled once (tilskudd.compiled: it cost more to compile than to run)."""
    return _open_rounds(timezone.now())
