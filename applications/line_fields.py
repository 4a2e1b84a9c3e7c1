"""The fields of the form's lines, laid out (`fields_html`) for includes/line_form.html.

A step of the form may hold a hundred lines' inputs, and rendering each through crispy's
templates and then Django's widget templates (a template an input, one more an option of a
select) was most of the page's time (issue 15). Here a line's inputs are written out
directly, from the same context Django's widgets build (`Widget.get_context`: the value as
the widget formats it, the attributes as BoundField gives them, with aria-invalid and
aria-describedby for the error and the help text), as the markup Django's templates
django/forms/widgets/{input,textarea,select,select_option}.html make of it;
tests/applications/test_line_fields.py holds the two to the same output. The cells around
the inputs (label, error, help text: the markup crispy gives the header's fields) are
written out here too: as a template loop they cost a fifth of the competence step."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

#: The Bootstrap class of each kind of input, as crispy gives it to the header's fields.
_INPUT_CLASSES = {
    forms.CheckboxInput: "checkboxinput form-check-input",
    forms.Select: "select form-select",
    forms.Textarea: "textarea form-control",
}


#: Lazy labels (of fields, of choices) translated, by the lazy object and the language: a
#: page has hundreds of them and each translation is a catalogue lookup. The lazy objects
#: are the models' and forms' own constants (a form's copies share them), so it stays small.
_TRANSLATED: dict[tuple[int, str | None], tuple[Promise, str]] = {}


def translated(text):
    """`str(text)` for a lazy translation, remembered; anything else as it is."""
    if not isinstance(text, Promise):
        return text
    key = (id(text), get_language())
    found = _TRANSLATED.get(key)
    if found is None or found[0] is not text:
        if len(_TRANSLATED) > 5000:  # should a page ever make lazy texts of its own
            _TRANSLATED.clear()
        found = _TRANSLATED[key] = (text, str(text))
    return found[1]


def input_class(widget: forms.Widget) -> str:
    return next((css for kind, css in _INPUT_CLASSES.items() if isinstance(widget, kind)),
                "textinput form-control")


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _select(name: str, context: dict) -> str:
    """django/forms/widgets/select.html, with select_option.html for each option."""
    parts = [f'<select name="{name}"{_attrs(context["attrs"])}>']
    for group_name, group, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f'{conditional_escape(translated(option["label"]))}</option>\n' for option in group)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_widget(field: forms.BoundField, widget: forms.Widget | None = None,
                  attrs: dict | None = None) -> SafeString:
    """What `field.as_widget(widget, attrs)` renders (Django's renderer strips the
    template's output), character for character, for the
    inputs a line has (text, hidden, checkbox, textarea, select)."""
    widget = widget or field.field.widget
    attrs = field.build_widget_attrs(attrs or {}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name, value = conditional_escape(field.html_name), context["value"]
    if isinstance(widget, forms.Select):
        return mark_safe(_select(name, context))  # noqa: S308 - every part escaped
    if isinstance(widget, forms.Textarea):
        text = conditional_escape(value) if value else ""
        return mark_safe(  # noqa: S308 - every part escaped
            f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{text}</textarea>')
    shown = "" if value is None else format_html(' value="{}"', str(value))
    return mark_safe(  # noqa: S308 - every part escaped
        f'<input type="{context["type"]}" name="{name}"{shown}{_attrs(context["attrs"])}>')


class LineCell:
    """One field of a line, read once for the template: its column class (or none: the
    whole width), whether it opens or closes a row, its id, label, errors and help text,
    and its input with Bootstrap's classes ("is-invalid" with an error)."""

    __slots__ = ("checkbox", "column", "errors", "help_text", "id", "label", "required",
                 "row_end", "row_start", "widget")

    def __init__(self, field: forms.BoundField, column: str, row_start: bool, row_end: bool):
        self.column = column
        self.row_start = row_start
        self.row_end = row_end
        self.checkbox = isinstance(field.field.widget, forms.CheckboxInput)
        self.id = field.auto_id
        self.label = translated(field.label)
        self.required = field.field.required
        self.errors = field.errors
        self.help_text = translated(field.help_text)
        css = field.field.widget.attrs["class"]
        self.widget = render_widget(field, attrs={"class": f"{css} is-invalid"}
                                    if self.errors else None)


def cells(form: forms.Form, layout: tuple) -> list[LineCell]:
    """The cells of `layout`: each row a tuple of (field name, column class), each other
    entry the name of a field of the whole width."""
    found = []
    for entry in layout:
        row = entry if isinstance(entry, tuple) else ((entry, ""),)
        for i, (name, column) in enumerate(row):
            found.append(LineCell(form[name], column, row_start=i == 0 and len(row) > 1,
                                  row_end=i == len(row) - 1 and len(row) > 1))
    return found


def fields_html(found: list[LineCell]) -> SafeString:
    """The cells of a line with the markup crispy gives the header's fields: label, input,
    the error next to it, the help text (each cell's text escaped; the help text is ours)."""
    out = []
    for cell in found:
        cid = conditional_escape(cell.id)
        required = " requiredField" if cell.required else ""
        if cell.row_start:
            out.append('<div class="row">')
        if cell.column:
            out.append(f'<div class="{conditional_escape(cell.column)}">')
        if cell.checkbox:
            out.append(f'\n<div class="mb-3"><div id="div_{cid}" class="form-check">{cell.widget}'
                       f' <label for="{cid}" class="form-check-label{required}">')
        else:
            out.append(f'\n<div id="div_{cid}" class="mb-3"> <label for="{cid}"'
                       f' class="form-label{required}">')
        out.append(conditional_escape(cell.label))
        if cell.required:
            out.append('<span class="asteriskField">*</span>')
        out.append("</label>")
        if not cell.checkbox:
            out.append(f" {cell.widget}")
        out.append("\n")
        if cell.errors:
            out.append(f' <div id="{cid}_error" class="invalid-feedback">')
            out.extend(f' <span id="error_{number}_{cid}"><strong>{conditional_escape(error)}'
                       "</strong></span>" for number, error in enumerate(cell.errors, 1))
            out.append(" </div>")
        if cell.help_text:
            out.append(f' <div id="{cid}_helptext" class="form-text">{cell.help_text}</div>')
        out.append(" </div>")
        if cell.checkbox:
            out.append("</div>")
        out.append("\n")
        if cell.column:
            out.append("</div>")
        if cell.row_end:
            out.append("</div>")
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every text escaped, help texts ours
