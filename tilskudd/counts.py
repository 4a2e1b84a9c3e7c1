"""Counts of people (employees, persons, completed ...) in the web forms, typed as amounts
are: «1 000», «1 000» (no-break space) or «1.000» is a thousand (tilskudd.money's
GROUPED_DIGITS), and a limit is shown grouped as amounts are («10 000»)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .money import GROUPED_DIGITS, format_nok

_COUNT = re.compile(r"(?P<minus>[-\u2212][ ]?)?(?P<whole>" + GROUPED_DIGITS + ")", re.VERBOSE)
#: Longer than any count a person types.
_MAX_TYPED = 20


def parse_count(value: Any) -> int | None:
    """What people type for a count. None for nothing typed; ValueError for what is not a
    whole number (whether it is in range is the field's rule)."""
    if value is None or isinstance(value, int):
        return value
    text = " ".join(str(value).split())  # any run of (no-break) spaces is one
    if not text:
        return None
    match = _COUNT.fullmatch(text) if len(text) <= _MAX_TYPED else None
    if match is None:
        raise ValueError(text)
    number = int(match["whole"].replace(" ", "").replace(".", ""))
    return -number if match["minus"] else number


class CountField(forms.IntegerField):
    """A whole number of people in a text input, read by `parse_count`: zero or more, up
    to max_value, which the message says grouped. (A model field's formfield() passes
    min_value=0, which is the rule anyway.)"""

    widget = forms.TextInput
    default_error_messages = {"invalid": gettext_lazy("Skriv et helt tall, for eksempel 3.")}

    def __init__(self, *, max_value: int | None = None, min_value: int | None = 0, **kwargs):
        # Django's range validators would say the limit ungrouped («10000»): ours, below.
        super().__init__(**kwargs)
        self.max_value = max_value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value):
        try:
            return parse_count(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise ValidationError(_("Tallet kan ikke være negativt."), code="min_value")
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(_("Tallet kan ikke være over %(max)s.")
                                  % {"max": format_nok(self.max_value, prefix=False)},
                                  code="max_value")
