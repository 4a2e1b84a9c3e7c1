"""Money is whole kroner in Decimal, shown the Norwegian way ("kr 60 000") and read the
way people type it ("60 000", "kr 60 000", "60.000", "60 000,-")."""

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

NBSP = "\u00a0"


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """A stored amount, in every app: whole kroner, up to 12 digits."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=0, **kwargs)


def format_nok(value, prefix: bool = True, currency: str | None = None) -> str:
    """The amount the Norwegian way; `currency` (nok_currency()) for a caller that shows
    many amounts in one language."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal(1))
    sign = "−" if amount < 0 else ""
    grouped = f"{abs(amount):,.0f}".replace(",", NBSP)
    if not prefix:
        return f"{sign}{grouped}"
    return f"{currency or nok_currency()}{NBSP}{sign}{grouped}"


def nok_currency() -> str:
    """«kr», or «NOK» in English: English readers know the currency by its code (the
    grouping stays, SI spaces)."""
    return "NOK" if (get_language() or "").startswith("en") else "kr"


#: A whole number as people type it (in a verbose pattern), once its spaces are single
#: ASCII spaces: grouped by spaces or by dots, or not at all (tilskudd.counts reads
#: counts of people by it too).
GROUPED_DIGITS = r"[0-9]{1,3}(?:[ ][0-9]{3})+ | [0-9]{1,3}(?:\.[0-9]{3})+ | [0-9]+"

#: What an amount may look like once its spaces are single ASCII spaces and it is in
#: lower case: ASCII digits only (no exponent, no other script's digits), grouped by
#: spaces or by dots ("60.000" is sixty thousand in Norwegian) or not at all, a minus
#: only in front, "kr" before or after, and ",-" or decimals behind (whether the amount
#: is whole is the caller's rule, so it can say so).
_AMOUNT = re.compile(
    r"""
    (?:kr\.?[ ]?)?
    (?P<minus>[-\u2212][ ]?)?
    (?P<whole>""" + GROUPED_DIGITS + r""")
    (?:[,.](?P<decimals>[0-9]+) | ,[-\u2013])?
    (?:[ ]?kr)?
    """,
    re.VERBOSE,
)
#: Longer than any amount a person types ("kr 20 000 000,00" is 16 characters).
_MAX_TYPED = 40


def parse_nok(value: Any) -> Decimal | None:
    """What people type for an amount. None for nothing typed; ValidationError for what
    is not a number (whether it is whole, positive and in range is the caller's rule)."""
    if value is None or isinstance(value, Decimal):
        return value
    text = " ".join(str(value).split()).lower()  # any run of (no-break) spaces is one
    if text in ("", "kr", "kr."):
        return None
    match = _AMOUNT.fullmatch(text) if len(text) <= _MAX_TYPED else None
    if match is None:
        raise ValidationError(
            _("Skriv beløpet i hele kroner, med bare tall (for eksempel 60000)."),
            code="not_a_number",
        )
    whole = match["whole"].replace(" ", "").replace(".", "")
    amount = Decimal(f"{whole}.{match['decimals']}" if match["decimals"] else whole)
    return -amount if match["minus"] else amount
