"""The application form page as a whole: the header form and the three line formsets of
one application, shown from what is stored or from input kept when it did not validate,
bound to a POST section by section, with the error summary and the answers an autosave
gets (errors by field name, ids of new lines)."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.http import QueryDict
from django.utils.translation import gettext as _

from tilskudd.carryover import carryover_for

from . import rules
from .forms import PART_FORMS, AttachmentForm, LineFormSet, line_formset
from .header_form import HeaderForm
from .models import Application
from .services import HEADER_FIELDS

SECTIONS = ["header", *PART_FORMS]
LINES = {"competence": "competence_lines", "bpa": "bpa_lines", "projects": "projects"}


def _as_querydict(raw: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


def one_more_line(raw: dict[str, Any], section: str) -> dict[str, Any]:
    """Raw input of a part with one more (empty) line."""
    key = f"{section}-TOTAL_FORMS"
    try:
        total = int(raw[key][0])
    except (KeyError, TypeError, ValueError, IndexError):
        return raw
    return {**raw, key: [str(total + 1)]}


class _Sections(dict):
    """The page's forms by section; the header's made on first use."""

    def __init__(self, *, header):
        super().__init__()
        self._header = header

    def __missing__(self, section: str):
        if section != "header":
            raise KeyError(section)
        self[section] = form = self._header()
        return form


class ApplicationForms:
    """The form page: the header form and the three line formsets of one application.

    Unbound they show what is stored, except a section whose last input did not validate:
    that one is bound to the input kept in Application.draft_input, so the person sees what
    they typed and what is wrong with it. Bound to a POST, each section validates alone."""

    def __init__(self, application: Application, data: QueryDict | None = None,
                 add: str | None = None):
        self.data = data
        kept = application.draft_input if data is None else {}
        mental_health_only = rules.mental_health_only(application.organisation.kind)

        def bound(section: str) -> QueryDict | None:
            if data is not None:
                return data
            if section in kept:
                raw = kept[section]
                return _as_querydict(one_more_line(raw, section) if add == section else raw)
            return None

        # The header form (and its query for a carried-over amount) is made when it is
        # asked for: a step of lines shows no header, and an unbound one has no errors
        # for the summary. Bound, it is made now, so its errors are summarised.
        self.sections: dict[str, Any] = _Sections(header=lambda: HeaderForm(
            bound("header"), prefix="header",
            initial=model_to_dict(application, fields=HEADER_FIELDS),
            carryover=carryover_for(application.organisation_id, application.round)))
        if bound("header") is not None:
            self.sections["header"]  # noqa: B018 - made now
        for section, (formset_class, form_class) in PART_FORMS.items():
            lines = list(getattr(application, LINES[section]).all())
            closed = mental_health_only and bool(formset_class.closed_message)
            extra = 0 if closed else int(not lines) + int(add == section)
            section_data = bound(section)
            # Bound, a line is compared with a blank form, not with a stored line: a new
            # line that an autosave has stored must not look "untouched" and be dropped.
            initial = None if section_data is not None else [
                {"id": line.pk, **model_to_dict(line, fields=form_class._meta.fields)}
                for line in lines
            ]
            self.sections[section] = line_formset(formset_class, form_class, extra)(
                section_data, initial=initial, mental_health_only=mental_health_only
            )

    def __getitem__(self, section: str):
        return self.sections[section]

    @property
    def header(self) -> HeaderForm:
        return self.sections["header"]

    @property
    def parts(self) -> list[LineFormSet]:
        return [self.sections[section] for section in PART_FORMS]

    def posted(self) -> list[str]:
        """The sections the POST holds (a request may post only some of them)."""
        return [s for s in SECTIONS if any(key.startswith(f"{s}-") for key in self.data)]

    def raw(self, section: str) -> dict[str, list[str]]:
        """What was posted for one section, exactly as typed."""
        prefix = f"{section}-"
        return {key: self.data.getlist(key) for key in self.data if key.startswith(prefix)}

    def summary(self, attachment_form: AttachmentForm | None = None) -> list[dict[str, str]]:
        """Every error on the page, each linking to its field (or its line or section)."""
        entries: list[dict[str, str]] = []

        def add(href: str, text: str) -> None:
            entries.append({"href": href, "text": text})

        for form in (self.sections.get("header"), attachment_form):
            if form is None or not form.is_bound:
                continue
            for error in form.non_field_errors():
                add(f"#section-{'attachments' if form is attachment_form else 'header'}", error)
            for field in form:
                for error in field.errors:
                    add(f"#{field.auto_id}", _("%(field)s: %(error)s") % {
                        "field": field.label, "error": error})
        for formset in self.parts:
            if not formset.is_bound:
                continue
            for error in formset.non_form_errors():
                add(f"#section-{formset.prefix}", error)
            for i, form in enumerate(formset.forms):
                line = _("%(legend)s %(number)d") % {"legend": formset.legend, "number": i + 1}
                for error in form.non_field_errors():
                    add(f"#{formset.prefix}-line-{i}", _("%(field)s: %(error)s") % {
                        "field": line, "error": error})
                for field in form:
                    label = str(field.label)
                    href = f"#{formset.prefix}-line-{i}" if field.is_hidden else f"#{field.auto_id}"
                    for error in field.errors:
                        add(href, _("%(line)s, %(field)s: %(error)s") % {
                            "line": line, "field": f"{label[:1].lower()}{label[1:]}",
                            "error": error})
        return entries

    def errors_by_name(self, sections: list[str]) -> dict[str, list[str]]:
        """Errors by the field's HTML name ("competence-0-amount"); a whole line's or
        section's errors under "<prefix>-__all__"."""
        errors: dict[str, list[str]] = {}

        def add(form) -> None:
            for name, messages in form.errors.items():
                errors[form.add_prefix(name)] = [str(m) for m in messages]

        for section in sections:
            if section == "header":
                add(self.header)
                continue
            formset = self.sections[section]
            for form in formset.forms:
                add(form)
            if formset.non_form_errors():
                errors[f"{section}-__all__"] = [str(m) for m in formset.non_form_errors()]
        return errors

    def new_line_ids(self, before: Application, after: Application,
                     sections: list[str]) -> dict[str, int]:
        """The ids that lines created by this save got, by the HTML name of their hidden
        id field, so a page that saves in the background sends them along next time.
        Lines are created in form order, so new ids follow that order."""
        ids: dict[str, int] = {}
        for section in sections:
            if section not in PART_FORMS:
                continue
            existing = {line.pk for line in getattr(before, LINES[section]).all()}
            created = [line.pk for line in getattr(after, LINES[section]).all()
                       if line.pk not in existing]
            needing = [form for form, data in self.sections[section].lines()
                       if data.get("id") not in existing]
            for form, pk in zip(needing, created, strict=False):
                ids[form.add_prefix("id")] = pk
        return ids
