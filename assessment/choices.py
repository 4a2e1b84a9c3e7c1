"""Values that both the models and the rules name, in a module that imports neither (so
models.py imports rules.py and never the other way round)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Innvilget")
    PARTLY_GRANTED = "partly_granted", _("Delvis innvilget")
    REJECTED = "rejected", _("Avslått")


#: The outcomes that give money: a decided case with one of these is a grant.
GRANT_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED)
