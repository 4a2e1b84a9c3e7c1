"""The application's own fields (HeaderForm), and the form written out as crispy's
bootstrap5 templates lay it out, character for character: its rows and columns, each
field's label, input, errors and help text, and the form's own errors above them.

Rendering the header through crispy (a template a field, another a column and a row, and
Django's widget templates under them) was half of the header's step (issue 15). The
inputs are line_fields.render_widget's and the texts LineCell's, as for the lines; the
markup around them is what crispy's field.html, row.html, column.html and errors.html
make, after crispy's own `specialspaceless` (a run of three or more whitespace characters
between tags made one space). tests/applications/test_header_form.py holds the two to
the same output: stored, typed with errors, a carried-over amount, required fields, the
form's own errors, nb, nn, en."""

from __future__ import annotations

from typing import Any

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tilskudd.carryover import Carryover
from tilskudd.money import format_nok

from . import rules
from .form_fields import CopiedFields, HeaderAmountField, form_helper
from .line_fields import LineCell, escape
from .models import Application
from .services import HEADER_FIELDS

#: The class crispy's bootstrap5 field.html gives each kind of input (with "is-invalid"
#: added when the field has an error), after the widget's own name, as crispy_field adds it.
_TEMPLATE_CLASSES = {forms.CheckboxInput: "form-check-input", forms.Select: "form-select"}


def input_class(widget: forms.Widget) -> str:
    """The class attribute crispy's {% crispy_field %} gives a widget without one."""
    css = next((css for kind, css in _TEMPLATE_CLASSES.items() if isinstance(widget, kind)),
               "form-control")
    return f"{type(widget).__name__.lower()} {css}"


def _errors(cell: LineCell, cid: str) -> str:
    """field_errors.html (crispy's error_text_inline)."""
    if not cell.errors:
        return ""
    spans = "".join(f' <span id="error_{number}_{cid}"><strong>{escape(error)}</strong></span>'
                    for number, error in enumerate(cell.errors, 1))
    return f' <div id="{cid}_error" class="invalid-feedback">{spans} </div>'


def _help(cell: LineCell, cid: str) -> str:
    """help_text.html: the help text is ours, not escaped (crispy's `|safe`)."""
    if not cell.help_text:
        return ""
    return f' <div id="{cid}_helptext" class="form-text">{cell.help_text}</div>'


def _label_text(cell: LineCell, indent: str) -> str:
    """The label's text as field.html writes it (the asterisk's span then ends in a run of
    whitespace before </label>, which specialspaceless makes one space)."""
    if cell.required:
        return f'\n{indent}    {escape(cell.label)}<span class="asteriskField">*</span> '
    return f"\n{indent}    {escape(cell.label)}\n{indent}"


def field_html(cell: LineCell) -> str:
    """field.html for one field (not hidden)."""
    cid = escape(cell.id)
    required = " requiredField" if cell.required else ""
    if cell.checkbox:
        return (f'<div class="mb-3"> <div id="div_{cid}" class="form-check"> {cell.widget}'
                f' <label for="{cid}" class="form-check-label{required}">'
                f"{_label_text(cell, ' ' * 16)}</label>{_errors(cell, cid)}"
                f"{_help(cell, cid)} </div> </div>")
    return (f'<div id="div_{cid}" class="mb-3"> <label\n                for="{cid}"'
            f' class="form-label{required}">{_label_text(cell, " " * 12)}</label>'
            f" {cell.widget}{_errors(cell, cid)}{_help(cell, cid)} </div>")


def _column_class(css: str) -> str:
    """column.html's class: "col-md" before a class that names no column."""
    return css if "col" in css else f"col-md {css}"


def form_html(form: forms.Form, layout: tuple) -> SafeString:
    """What {% crispy form %} renders for a form whose helper has no form tag and no CSRF
    token and whose layout is `layout`: each row a tuple of (field name, column class), as
    Row(Column(name, css_class=…), …) lays it out, each other entry a field of the whole
    width; the layout begins with a row (what crispy writes before a first field of the
    whole width is not written here). Errors of the whole form first, as errors.html shows
    them."""
    language = get_language()
    parts = ["\n\n"]
    errors = form.non_field_errors()
    if errors:
        items = "\n".join(f"\t<li>{conditional_escape(error)}</li>" for error in errors)
        parts.append('<div class="alert alert-block alert-danger"> <ul class="m-0"> '
                     f"{items.lstrip()} </ul> </div> ")
    previous = None  # "row" or "field": what came before (a row after a row: a newline)
    for entry in layout:
        row = isinstance(entry, tuple)
        if previous is not None:
            parts.append("\n" if row and previous == "row" else " ")
        if row:
            columns = " ".join(
                f'<div \n     class="{escape(_column_class(css))}" > '
                f"{field_html(_cell(form, name, language))} </div>" for name, css in entry)
            parts.append(f'<div  class="row " > {columns} </div>')
        else:
            parts.append(field_html(_cell(form, entry, language)))
        previous = "row" if row else "field"
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped, help texts ours


def _cell(form: forms.Form, name: str, language: str | None) -> LineCell:
    return LineCell(form[name], "", row_start=False, row_end=False, language=language)


HEADER_AMOUNT_FIELDS = ["own_financing", "other_financing", "transferred_funds"]


def decided_text(carryover: Carryover, stated) -> str:
    """What the field of funds transferred from last year says once the office decided
    (help texts are written as they are, crispy's |safe: the data in them is escaped):
    the decision, its letter when refused, and, when the draft was saved with another
    amount before the decision, that saving the step corrects it (rules.py)."""
    values = {"date": date_format(timezone.localtime(carryover.decided_at), "DATE_FORMAT"),
              "amount": format_nok(carryover.amount),
              "requested": format_nok(carryover.requested or 0),
              "round": conditional_escape(carryover.from_round)}
    if not carryover.refused:
        text = _("Statsforvalteren godkjente %(date)s at %(amount)s i ubrukte midler fra "
                 "%(round)s overføres. Beløpet er fylt inn og kan ikke endres.") % values
    else:
        text = _("Statsforvalteren avslo %(date)s å overføre %(requested)s i ubrukte midler "
                 "fra %(round)s. Overførte midler er derfor kr 0 og kan ikke endres.") % values
        if carryover.letter_url:
            text += " " + _("Les vedtaksbrevet %(letter)s.") % {"letter": format_html(
                '<a href="{}">{}</a>', carryover.letter_url, carryover.reference)}
    contradiction = rules.transferred_funds_error(stated, carryover) if stated is not None else None
    if contradiction:
        text += " " + conditional_escape(contradiction)
    return text


class HeaderForm(forms.ModelForm):
    """The application's own fields. Built without an instance (initial holds the stored
    values), so validating it never touches the application that is shown."""

    section = "header"

    class Meta:
        model = Application
        fields = HEADER_FIELDS
        field_classes = dict.fromkeys(HEADER_AMOUNT_FIELDS, HeaderAmountField)
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "control_measures": forms.Textarea(attrs={"rows": 4}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "purpose": gettext_lazy("Hva skal tilskuddet brukes til, og hva vil kommunen oppnå?"),
            "own_financing": gettext_lazy("Kommunens egen andel. Hele kroner."),
            "other_financing": gettext_lazy("Hele kroner. Skriv 0 om det ikke er noen."),
        }

    def __init__(self, *args, carryover: Carryover | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if carryover is not None:  # decided by the office: shown, not typed
            field = self.fields["transferred_funds"]
            field.disabled = True
            stated = self.initial.get("transferred_funds")
            self.initial["transferred_funds"] = carryover.amount
            field.help_text = decided_text(carryover, stated)

    #: The fields' rows and columns (form_html): each row a tuple of (field, column
    #: class), each other entry a field of the whole width.
    layout: tuple = (
        (("contact_name", ""), ("contact_email", ""), ("contact_phone", "")),
        (("signatory_name", ""), ("signatory_title", "")),
        "purpose",
        (("own_financing", ""), ("other_financing", ""), ("other_financing_source", "")),
        (("transferred_funds", "col-md-4"),),
        "control_measures",
        "has_leve_hele_livet_plan",
    )

    @classmethod
    def prepare(cls) -> None:
        """Once for the class: the inputs' classes as crispy's {% crispy_field %} gives
        them, and the fields copied for each form by form_fields.copy_field."""
        for field in cls.base_fields.values():
            field.widget.attrs["class"] = input_class(field.widget)
        cls.base_fields = CopiedFields(cls.base_fields)

    def html(self) -> SafeString:
        """The form as {% crispy form %} renders it with `helper` (form_html)."""
        return form_html(self, self.layout)

    @property
    def helper(self):
        """crispy's layout of the same rows: what `html` writes out."""
        return form_helper(*[
            Row(*[Column(name, css_class=css) if css else Column(name) for name, css in entry])
            if isinstance(entry, tuple) else entry for entry in self.layout])

    def section_value(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


HeaderForm.prepare()
