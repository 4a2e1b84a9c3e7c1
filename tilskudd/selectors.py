"""Reads of the shared model that more than one page uses."""

from __future__ import annotations

from django.db.models import QuerySet

from . import access
from .models import Membership, Office, Round, User


def memberships_for_user(user: User) -> list[Membership]:
    """Who the user acts for, read once per request (the header and the view share it)."""
    return access.acting_memberships(user)


def office_for_user(user: User) -> Office | None:
    """The office whose data this user may see in the admin (None for everyone else)."""
    if not user.is_authenticated:
        return None
    return access.office_for(user)


def open_rounds() -> QuerySet[Round]:
    return Round.objects.open_for_applications().select_related("scheme").order_by("year")
