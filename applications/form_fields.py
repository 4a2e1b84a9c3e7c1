"""The amount fields and layout helpers the applicant's forms share: amounts are typed
the Norwegian way ("60 000") into a text input, and each field checks the rules' bounds
with the rules' own messages."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tilskudd.money import NBSP, parse_nok

from . import rules


def format_amount(value: Decimal | int) -> str:
    """60000 -> "60 000", as the field shows a stored amount."""
    return f"{int(value):,}".replace(",", NBSP)


class AmountField(forms.Field):
    """Whole, positive kroner up to rules.MAX_LINE_AMOUNT, with the rules' own messages.

    A text input (not type=number) so what was typed comes back to the server and gets a
    message of its own; used through a ModelForm's Meta.field_classes."""

    widget = forms.TextInput
    maximum = rules.MAX_LINE_AMOUNT

    def __init__(self, *, max_digits=None, decimal_places=None, **kwargs):
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return format_amount(value)
        return value

    def to_python(self, value):
        return parse_nok(value)

    def validate(self, value):
        if value is None and not self.required:
            return
        message = rules.amount_error(value, self.maximum)
        if message:
            raise ValidationError(message, code="amount")


class HeaderAmountField(AmountField):
    """Own and other financing, transferred funds: zero (or nothing typed) is allowed."""

    maximum = rules.MAX_HEADER_AMOUNT

    def __init__(self, **kwargs):
        kwargs["required"] = False  # nothing typed is zero
        super().__init__(**kwargs)

    def to_python(self, value):
        amount = parse_nok(value)
        return Decimal(0) if amount is None else amount

    def validate(self, value):
        if value < 0:
            raise ValidationError(_("Beløpet kan ikke være negativt."), code="negative")
        if value != 0:
            super().validate(value)


def form_helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


NUMBER_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
