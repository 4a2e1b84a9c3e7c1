"""Forms of the applicant's pages. They check what can be checked while the form is
filled in (amounts, the county municipality rule, at most five projects) and hand clean
dicts to the services; they never save anything themselves. The header's form is
header_form.py; the form page as a whole (all sections of one application, bound to a POST
or to kept input) is form_page.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crispy_forms.layout import Column, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import line_fields, rules
from .form_fields import AmountField, CopiedFields, PersonsField, form_helper
from .models import PROJECT_CRITERIA, AttachmentKind, BpaLine, CompetenceLine, Project


class LineForm(forms.ModelForm):
    """One line of a part. `id` is the stored line's id, empty for a new line.

    A page may hold a hundred lines' fields, so a line is laid out by a plain template
    (line_fields.fields_html, from `layout`, in includes/line_form.html) rather than by crispy:
    each row a tuple of (field, column class), each other entry a field of the whole
    width."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    layout: tuple = ()

    def __init__(self, *args, mental_health_only: bool = False, **kwargs):
        self.mental_health_only = mental_health_only
        super().__init__(*args, **kwargs)

    @classmethod
    def prepare(cls) -> None:
        """Done once for each kind of line, rather than for each form: the inputs' Bootstrap
        classes, and the fields copied for each form by form_fields.copy_field."""
        for field in cls.base_fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["class"] = line_fields.input_class(field.widget)
        cls.base_fields = CopiedFields(cls.base_fields)

    def cells(self) -> list[line_fields.LineCell]:
        return line_fields.cells(self, self.layout)

    def fields_html(self) -> str:
        return line_fields.fields_html(self.cells())

    def id_input(self) -> str:
        return line_fields.render_widget(self["id"])

    def delete_input(self) -> str:
        return line_fields.render_widget(self["DELETE"])

    def line_html(self) -> SafeString:
        """The line laid out as includes/line_form.html (line_fields.line_html)."""
        return line_fields.line_html(self)

    def hidden_inputs(self) -> str:
        """Every field as a hidden input (a project shown on another page)."""
        return mark_safe("".join(  # noqa: S308 - render_widget escapes
            line_fields.render_widget(field, field.field.hidden_widget()) for field in self))


class CompetenceLineForm(LineForm):
    layout = (
        (("education_type", "col-md-6"), ("employees", "col-md-3"), ("amount", "col-md-3")),
        "description", "is_mental_health", "is_decentralised", "in_supported_programme",
    )

    class Meta:
        model = CompetenceLine
        fields = ["education_type", "description", "employees", "amount", "is_mental_health",
                  "is_decentralised", "in_supported_programme"]
        field_classes = {"amount": AmountField, "employees": PersonsField}
        help_texts = {
            "description": gettext_lazy("F.eks. «Videreutdanning i psykisk helsearbeid»."),
            "in_supported_programme": gettext_lazy(
                "Ansatte som allerede er i gang med utdanning støttet av ordningen prioriteres."
            ),
        }

    def __init__(self, *args, **kwargs):
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        if self.mental_health_only and "is_mental_health" not in given:
            self.initial["is_mental_health"] = True

    def clean(self):
        cleaned = super().clean()
        if self.mental_health_only and not cleaned.get("is_mental_health"):
            self.add_error(
                "is_mental_health", str(rules.MENTAL_HEALTH_ONLY_MESSAGES["competence"])
            )
        return cleaned


class BpaLineForm(LineForm):
    layout = ((("role", "col-md-6"), ("persons", "col-md-3"), ("amount", "col-md-3")),)

    class Meta:
        model = BpaLine
        fields = ["role", "persons", "amount"]
        field_classes = {"amount": AmountField, "persons": PersonsField}
        help_texts = {
            "role": gettext_lazy("Prioritert rekkefølge: arbeidsledere, saksbehandlere, "
                                 "assistenter."),
        }


class ProjectForm(LineForm):
    layout = (
        (("title", "col-md-6"), ("topic", "col-md-4"), ("amount", "col-md-2")),
        "is_continuation", *[field for field, _label in PROJECT_CRITERIA],
    )

    class Meta:
        model = Project
        fields = ["title", "topic", "amount", "is_continuation"] + [
            field for field, _label in PROJECT_CRITERIA
        ]
        field_classes = {"amount": AmountField}
        widgets = {field: forms.Textarea(attrs={"rows": 3}) for field, _label in PROJECT_CRITERIA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_later = _("Må fylles ut før søknaden sendes, minst %(min)d tegn.") % {
            "min": rules.MIN_CRITERION_LENGTH
        }
        for field, _label in PROJECT_CRITERIA:
            self.fields[field].help_text = required_later


class LineFormSet(forms.BaseFormSet):
    """The lines of one part. A plain formset: lines are read from the prefetched
    application and written by services.application_update, never by the formset."""

    section: str
    title = ""
    intro = ""
    legend = ""
    add_label = ""
    sum_label = ""
    max_lines = rules.MAX_LINES_PER_PART
    #: Why this part is closed to the organisation (county municipalities), or "".
    closed_message = ""

    def __init__(self, *args, mental_health_only: bool = False, **kwargs):
        self.mental_health_only = mental_health_only
        kwargs["form_kwargs"] = {"mental_health_only": mental_health_only}
        super().__init__(*args, **kwargs)

    @classmethod
    def get_default_prefix(cls):
        return cls.section

    @property
    def limit_note(self) -> str:
        return _("Denne delen kan ha høyst %(max)d linjer.") % {"max": self.max_lines}

    @property
    def closed(self) -> bool:
        return self.mental_health_only and bool(self.closed_message)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # what LineForm.line_html writes in its fieldset's id and legend (index None: the
        # empty form the page clones)
        form.line_index, form.line_prefix, form.line_legend = index, self.prefix, self.legend
        delete = form.fields["DELETE"]
        delete.label = _("Fjern linje")
        delete.widget.attrs["class"] = "form-check-input"

    def lines(self) -> Iterator[tuple[forms.Form, dict[str, Any]]]:
        """The forms that hold a line to keep, each with its data for the service."""
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            if form.empty_permitted and not form.has_changed():
                continue  # an empty extra line nobody touched
            data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            if not data.get("id"):
                data.pop("id", None)
            yield form, data

    def section_value(self) -> list[dict[str, Any]]:
        return [data for _form, data in self.lines()]

    def known_ids(self) -> set[int]:
        """The ids of the stored lines the page holds, kept or marked to remove: the only
        lines its save may remove (a line added elsewhere since it was loaded is not
        among them)."""
        return {form.cleaned_data.get("id") for form in self.forms
                if hasattr(form, "cleaned_data")} - {None}

    def kept_count(self) -> int:
        """Lines that will be kept, counted also while some of them are invalid
        (call it from clean(), when every form has been cleaned)."""
        return sum(
            1 for form in self.forms
            if not self._should_delete_form(form)
            and (form.has_changed() or not form.empty_permitted)
        )

    def clean(self):
        count = self.kept_count()
        if self.closed and count:
            raise ValidationError(self.closed_message)
        if count > self.max_lines:
            raise ValidationError(
                _("Høyst %(max)d linjer per del.") % {"max": self.max_lines}, code="too_many"
            )


class CompetenceFormSet(LineFormSet):
    section = "competence"
    title = gettext_lazy("1. Kompetansetiltak")
    intro = gettext_lazy(
        "Utdanning og opplæring for ansatte, ett tiltak per linje. Eksempel: kr 60 000 til tre "
        "ansatte som tar videreutdanning i psykisk helsearbeid."
    )
    legend = gettext_lazy("Kompetansetiltak")
    add_label = gettext_lazy("Legg til kompetansetiltak")
    sum_label = gettext_lazy("Sum kompetansetiltak")


class BpaFormSet(LineFormSet):
    section = "bpa"
    title = gettext_lazy("2. Opplæring i brukerstyrt personlig assistanse (BPA)")
    intro = gettext_lazy(
        "Opplæring i prioritert rekkefølge: 1. arbeidsledere (brukere), 2. kommunens "
        "saksbehandlere, 3. assistenter."
    )
    legend = gettext_lazy("BPA-linje")
    add_label = gettext_lazy("Legg til BPA-linje")
    sum_label = gettext_lazy("Sum BPA-opplæring")
    closed_message = rules.MENTAL_HEALTH_ONLY_MESSAGES["bpa"]


class ProjectFormSet(LineFormSet):
    section = "projects"
    title = gettext_lazy("3. Tjenesteutviklingsprosjekter")
    intro = gettext_lazy(
        "Nye eller videreførte prosjekter, høyst fem. Svar på alle de ni vurderingskriteriene. "
        "Ordinært utviklingsarbeid får ikke tilskudd."
    )
    legend = gettext_lazy("Prosjekt")
    add_label = gettext_lazy("Legg til prosjekt")
    sum_label = gettext_lazy("Sum prosjekter")
    closed_message = rules.MENTAL_HEALTH_ONLY_MESSAGES["projects"]
    max_lines = rules.MAX_PROJECTS

    @property
    def limit_note(self) -> str:
        return rules.too_many_projects_message()

    def clean(self):
        if not self.closed and self.kept_count() > rules.MAX_PROJECTS:
            raise ValidationError(
                rules.too_many_projects_message(), code="too_many_projects",
            )
        super().clean()


def line_formset(formset: type[LineFormSet], form: type[LineForm], extra: int):
    return forms.formset_factory(
        form, formset=formset, extra=extra, can_delete=True,
        max_num=formset.max_lines, absolute_max=rules.MAX_LINES_PER_PART + 10,
    )


PART_FORMS: dict[str, tuple[type[LineFormSet], type[LineForm]]] = {
    "competence": (CompetenceFormSet, CompetenceLineForm),
    "bpa": (BpaFormSet, BpaLineForm),
    "projects": (ProjectFormSet, ProjectForm),
}
for _formset, _form in PART_FORMS.values():
    _form.prepare()


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type vedlegg"), choices=AttachmentKind.choices)
    title = forms.CharField(
        label=gettext_lazy("Tittel"), max_length=200, required=False,
        help_text=gettext_lazy("Står tittelen tom, brukes filnavnet."),
    )
    file = forms.FileField(
        label=gettext_lazy("Fil (PDF)"),
        help_text=gettext_lazy("Bare PDF-filer, høyst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "attachment")
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(Column("kind", css_class="col-md-4"), Column("title", css_class="col-md-8")),
            "file",
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Hvorfor trekkes søknaden?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.MAX_TEXT_LENGTH,
        help_text=gettext_lazy("Begrunnelsen lagres sammen med søknaden og vises for "
                               "Statsforvalteren."),
        error_messages={"required": gettext_lazy("Skriv hvorfor søknaden trekkes.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason")


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Hva må endres?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=rules.MAX_TEXT_LENGTH,
        help_text=gettext_lazy("Den som sendte søknaden til signering, får kommentaren på "
                               "e-post og ser den i søknaden."),
        error_messages={"required": gettext_lazy(
            "Skriv hva som må endres før søknaden kan sendes inn.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("comment")
