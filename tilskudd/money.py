"""Money is whole kroner in Decimal, shown the Norwegian way ("kr 60 000") and read the
way people type it ("60 000", "kr 60 000", "60.000", "60 000,-")."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NBSP = "\u00a0"


def format_nok(value, prefix: bool = True) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal(1))
    sign = "−" if amount < 0 else ""
    grouped = f"{abs(amount):,.0f}".replace(",", NBSP)
    return f"kr{NBSP}{sign}{grouped}" if prefix else f"{sign}{grouped}"


_SPACES = re.compile(r"[\s\u00a0\u202f]")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_nok(value: Any) -> Decimal | None:
    """What people type for an amount. None for nothing typed; ValidationError for what
    is not a number (whether it is whole, positive and in range is the caller's rule)."""
    if value is None or isinstance(value, Decimal):
        return value
    text = _SPACES.sub("", str(value)).lower()
    text = text.removeprefix("kr").removeprefix(".").removesuffix(",-").removesuffix(",–")
    if not text:
        return None
    if _DOTTED_THOUSANDS.fullmatch(text):  # "60.000" is sixty thousand in Norwegian
        text = text.replace(".", "")
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(
            _("Skriv beløpet i hele kroner, med bare tall (for eksempel 60000)."),
            code="not_a_number",
        )
    return amount
