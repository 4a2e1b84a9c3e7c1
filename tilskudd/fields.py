"""Model fields that mean the same in every app, and their constraints, declared once
(money is tilskudd.money)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


def acting_user(verbose_name, *, optional: bool = False) -> models.ForeignKey:
    """The person a record names for what they did (sent, decided, uploaded, paid...): a
    user who cannot be deleted while a record names them (PROTECT), with no reverse accessor
    on the user. `optional` for a step not taken yet (empty until it is)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=verbose_name, **({"null": True, "blank": True} if optional else {}),
    )


def choice_known(field: str, choices: type[models.TextChoices], name: str, *,
                 blank: bool = False) -> models.CheckConstraint:
    """The database's half of a field's choices: the column holds one of their values (or
    is empty, with `blank`), whatever wrote the row."""
    values = ["", *choices.values] if blank else choices.values
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)
