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
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


def translated(text, language: str | None = None):
    """`str(text)` for a lazy translation, remembered (in `language`, the active one: a
    caller translating many texts reads it once); anything else as it is."""
    if not isinstance(text, Promise):
        return text
    key = (id(text), language or get_language())
    found = _TRANSLATED.get(key)
    if found is None or found[0] is not text:
        if len(_TRANSLATED) > 5000:  # should a page ever make lazy texts of its own
            _TRANSLATED.clear()
        found = _TRANSLATED[key] = (text, str(text))
    return found[1]


#: What html.escape (and so Django's escape) replaces, and with what.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text) -> str:
    """conditional_escape(text): a plain str as html.escape escapes it, by one
    str.translate instead of keep_lazy's wrapper and five str.replace (a step escapes
    a thousand values); anything else by conditional_escape."""
    if type(text) is str:
        return text.translate(_ESCAPES)
    return conditional_escape(text)


def input_class(widget: forms.Widget) -> str:
    return next((css for kind, css in _INPUT_CLASSES.items() if isinstance(widget, kind)),
                "textinput form-control")


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _options(widget: forms.Select, value, language: str | None) -> list[str] | None:
    """select_option.html for each of a single select's choices, the first one whose value
    is among `value` (Select.format_value) selected, as ChoiceWidget.optgroups picks it; None
    for choices in groups (Django's optgroups then)."""
    values = widget.format_value(value)
    found, selected = [], False
    for option_value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None
        if option_value is None:
            option_value = ""
        chosen = not selected and str(option_value) in values
        selected |= chosen
        found.append(f'\n  <option value="{escape(option_value)}"'
                     f'{" selected" if chosen else ""}>'
                     f"{escape(translated(label, language))}</option>\n")
    return found


def _select(name: str, context: dict) -> str:
    """django/forms/widgets/select.html, with select_option.html for each option."""
    parts = [f'<select name="{name}"{_attrs(context["attrs"])}>']
    for group_name, group, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
            f'{escape(translated(option["label"]))}</option>\n' for option in group)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _widget_attrs(field: forms.BoundField, widget: forms.Widget, attrs: dict | None,
                  errors, help_text: str) -> dict:
    """BoundField.build_widget_attrs and as_widget's id, read once (`errors` and
    `help_text` are the field's): required, disabled, aria-invalid, aria-describedby."""
    attrs = dict(attrs) if attrs else {}
    bound_field = field.field
    if (bound_field.required and field.form.use_required_attribute
            and widget.use_required_attribute(field.initial)):
        attrs["required"] = True
    if bound_field.disabled:
        attrs["disabled"] = True
    if not widget.is_hidden and errors:
        attrs["aria-invalid"] = "true"
    auto_id = field.auto_id
    if (not attrs.get("aria-describedby") and not bound_field.widget.use_fieldset
            and not bound_field.widget.attrs.get("aria-describedby")
            and auto_id and not bound_field.widget.is_hidden):
        described = [f"{auto_id}_helptext"] if help_text else []
        if errors:
            described.append(f"{auto_id}_error")
        if described:
            attrs["aria-describedby"] = " ".join(described)
    if auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", auto_id)
    return attrs


#: Widgets whose context is Input's (type, value as Widget.format_value gives it, attrs).
_PLAIN_INPUTS = (forms.TextInput, forms.EmailInput, forms.NumberInput, forms.HiddenInput)


def render_widget(field: forms.BoundField, widget: forms.Widget | None = None,
                  attrs: dict | None = None, language: str | None = None) -> SafeString:
    """What `field.as_widget(widget, attrs)` renders (Django's renderer strips the
    template's output), character for character, for the inputs a line has (text, hidden,
    checkbox, textarea, select): the attributes as build_widget_attrs and the widget's
    get_context make them, written out without either."""
    widget = widget or field.field.widget
    if field.field.localize:
        widget.is_localized = True
    kind = type(widget)
    errors = field.form.errors.get(field.name)
    help_text = translated(field.help_text, language)
    if kind in _PLAIN_INPUTS or kind is forms.CheckboxInput or kind is forms.Textarea:
        attrs = _widget_attrs(field, widget, attrs, errors, help_text)
        value = field.value()
        name = escape(field.html_name)
        if kind is forms.CheckboxInput and widget.check_test(value):
            attrs["checked"] = True
        shown = widget.format_value(value)
        merged = _attrs({**widget.attrs, **attrs})
        if kind is forms.Textarea:
            return _textarea(name, merged, shown)
        return _input(widget.input_type, name, shown, merged)
    if kind is forms.Select:
        options = _options(widget, field.value(), language)
        if options is not None:
            built = _widget_attrs(field, widget, attrs, errors, help_text)
            name = escape(field.html_name)
            return mark_safe(  # noqa: S308 - every part escaped
                f'<select name="{name}"{_attrs({**widget.attrs, **built})}>'
                f'{"".join(options)}\n</select>')
    attrs = field.build_widget_attrs(attrs or {}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name, value = escape(field.html_name), context["value"]
    if isinstance(widget, forms.Select):
        return mark_safe(_select(name, context))  # noqa: S308 - every part escaped
    if isinstance(widget, forms.Textarea):
        return _textarea(name, _attrs(context["attrs"]), value)
    return _input(context["type"], name, value, _attrs(context["attrs"]))


def _textarea(name: str, attrs: str, value) -> SafeString:
    """Django's textarea.html: `name` and `attrs` escaped already, `value` not."""
    text = escape(value) if value else ""
    return mark_safe(  # noqa: S308 - every part escaped
        f'<textarea name="{name}"{attrs}>\n{text}</textarea>')


def _input(input_type: str, name: str, value, attrs: str) -> SafeString:
    """Django's input.html: `name` and `attrs` escaped already, `value` not."""
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return mark_safe(  # noqa: S308 - every part escaped
        f'<input type="{input_type}" name="{name}"{shown}{attrs}>')


class LineCell:
    """One field of a line, read once for the template: its column class (or none: the
    whole width), whether it opens or closes a row, its id, label, errors and help text,
    and its input with Bootstrap's classes ("is-invalid" with an error)."""

    __slots__ = ("checkbox", "column", "errors", "help_text", "id", "label", "required",
                 "row_end", "row_start", "widget")

    def __init__(self, field: forms.BoundField, column: str, row_start: bool, row_end: bool,
                 language: str | None = None):
        self.column = column
        self.row_start = row_start
        self.row_end = row_end
        self.checkbox = isinstance(field.field.widget, forms.CheckboxInput)
        self.id = field.auto_id
        self.label = translated(field.label, language)
        self.required = field.field.required
        self.errors = form_errors = field.form.errors.get(field.name) or ()
        self.help_text = translated(field.help_text, language)
        css = field.field.widget.attrs["class"]
        self.widget = render_widget(field, attrs={"class": f"{css} is-invalid"}
                                    if form_errors else None, language=language)


def cells(form: forms.Form, layout: tuple) -> list[LineCell]:
    """The cells of `layout`: each row a tuple of (field name, column class), each other
    entry the name of a field of the whole width."""
    found, language = [], get_language()
    for entry in layout:
        row = entry if isinstance(entry, tuple) else ((entry, ""),)
        for i, (name, column) in enumerate(row):
            found.append(LineCell(form[name], column, row_start=i == 0 and len(row) > 1,
                                  row_end=i == len(row) - 1 and len(row) > 1, language=language))
    return found


def fields_html(found: list[LineCell]) -> SafeString:
    """The cells of a line with the markup crispy gives the header's fields: label, input,
    the error next to it, the help text (each cell's text escaped; the help text is ours)."""
    out = []
    for cell in found:
        cid = escape(cell.id)
        required = " requiredField" if cell.required else ""
        if cell.row_start:
            out.append('<div class="row">')
        if cell.column:
            out.append(f'<div class="{escape(cell.column)}">')
        if cell.checkbox:
            out.append(f'\n<div class="mb-3"><div id="div_{cid}" class="form-check">{cell.widget}'
                       f' <label for="{cid}" class="form-check-label{required}">')
        else:
            out.append(f'\n<div id="div_{cid}" class="mb-3"> <label for="{cid}"'
                       f' class="form-label{required}">')
        out.append(escape(cell.label))
        if cell.required:
            out.append('<span class="asteriskField">*</span>')
        out.append("</label>")
        if not cell.checkbox:
            out.append(f" {cell.widget}")
        out.append("\n")
        if cell.errors:
            out.append(f' <div id="{cid}_error" class="invalid-feedback">')
            out.extend(f' <span id="error_{number}_{cid}"><strong>{escape(error)}'
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


def line_html(form) -> SafeString:
    """A line (forms.LineForm) as includes/line_form.html lays it out: its fieldset, legend,
    the line's error slot, its inputs and «Fjern linje», written out (a step holds up to a
    hundred lines, and an include a line was a tenth of the competence step);
    tests/applications/test_line_html.py holds the two to the same output. The formset
    gave the form its index (None: the empty form the page clones), prefix and legend."""
    index = form.line_index
    number = "__number__" if index is None else index + 1
    index = "__prefix__" if index is None else index
    esc = escape
    delete = form["DELETE"]
    return mark_safe(  # noqa: S308 - every text escaped, the inputs by render_widget
        f'\n<fieldset class="line border rounded p-3 mb-3" '
        f'id="{esc(form.line_prefix)}-line-{esc(index)}" data-line>\n'
        f'  <legend class="h5 float-none w-auto px-1 mb-2">'
        f"{esc(translated(form.line_legend))} {esc(number)}</legend>\n"
        f'  <div data-errors-for="{esc(form.prefix)}-__all__"></div>\n'
        f"  {form.id_input()}{form.fields_html()}\n"
        f'  <div class="form-check line-delete" data-delete>\n'
        f"    {render_widget(delete)}\n"
        f'    <label class="form-check-label" for="{esc(delete.id_for_label)}">'
        f'{esc(_("Fjern linje"))}</label>\n'
        f"  </div>\n</fieldset>\n")
