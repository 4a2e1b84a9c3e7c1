"""The amount fields and layout helpers the applicant's forms share: amounts are typed
the Norwegian way ("60 000") into a text input, and each field checks the rules' bounds
with the rules' own messages."""

from __future__ import annotations

import copy
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tilskudd.counts import CountField
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


class PersonsField(CountField):
    """Employees or persons on a line, typed as amounts are («1 000»), up to
    rules.MAX_PERSONS (said grouped); used through Meta.field_classes."""

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "max_value": rules.MAX_PERSONS})


def _shallow(obj):
    """copy.copy(obj) for a plain object (what its __reduce_ex__ makes: a new instance of
    its class with the same __dict__), without the copy module's dispatch."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _plainly_copied(obj, copies) -> bool:
    kind = type(obj)
    return (kind.__deepcopy__ in copies and kind.__reduce_ex__ is object.__reduce_ex__
            and getattr(kind, "__copy__", None) is None and not hasattr(kind, "__slots__"))


_FIELD_COPIES = (forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__)
_WIDGET_COPIES = (forms.Widget.__deepcopy__, forms.widgets.ChoiceWidget.__deepcopy__)


def copy_field(field: forms.Field, memo: dict) -> forms.Field:
    """What copy.deepcopy(field) makes (Field.__deepcopy__: a copy with its own widget,
    error messages and validators), written out; a choice field's choices are shared, not
    deep-copied (nothing changes them in place; a new list is assigned). Other kinds of
    field or widget: copy.deepcopy."""
    widget = field.widget
    if not (_plainly_copied(field, _FIELD_COPIES) and _plainly_copied(widget, _WIDGET_COPIES)):
        return copy.deepcopy(field, memo)
    new = _shallow(field)
    new.widget = _shallow(widget)
    new.widget.attrs = widget.attrs.copy()
    if isinstance(widget, forms.widgets.ChoiceWidget):
        new.widget.choices = copy.copy(widget.choices)
    new.error_messages = field.error_messages.copy()
    new.validators = field.validators[:]
    memo[id(field)] = new
    return new


class CopiedFields(dict):
    """A form class's base_fields that BaseForm.__init__ copies (`copy.deepcopy`) with
    copy_field: a step makes a form for each of up to a hundred lines, and the copy module
    copying each field, widget and choice was a third of making one (issue 15)."""

    def __deepcopy__(self, memo):
        return {name: copy_field(field, memo) for name, field in self.items()}


def form_helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper

