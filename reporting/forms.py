"""Forms of the recipient's report pages. Every field may be left blank while the report
is a draft (rules.check_report says what is missing before it is sent); the forms check
what is typed and hand clean dicts to the services, never saving anything themselves."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.counts import CountField
from tilskudd.money import NBSP, parse_nok

from . import rules
from .models import (
    AttachmentKind,
    Continuation,
    GoalAchievement,
    ProjectStatus,
    Report,
    ReportBpaLine,
    ReportCompetenceLine,
    ReportProject,
    UnusedChoice,
)


class UsedAmountField(forms.Field):
    """Whole kroner used, zero or more; blank while the report is a draft."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return f"{int(value):,}".replace(",", NBSP)
        return value

    def to_python(self, value):
        return parse_nok(value)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value != value.to_integral_value():
            raise ValidationError(_("Beløpet må være et helt antall kroner."), code="whole")
        if value < 0:
            raise ValidationError(_("Beløpet kan ikke være negativt."), code="negative")
        if value > rules.MAX_AMOUNT:
            raise ValidationError(
                _("Beløpet kan ikke være over kr %(max)s.")
                % {"max": f"{int(rules.MAX_AMOUNT):,}".replace(",", " ")},
                code="too_large",
            )


def persons_field(label) -> CountField:
    """A count of people, typed as amounts are («1 000»); the limit said grouped."""
    return CountField(label=label, required=False, max_value=rules.MAX_PERSONS)


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _choices(choices) -> list[tuple[str, str]]:
    return [("", _("Velg"))] + [(value, label) for value, label in choices.choices]


class HeaderForm(forms.Form):
    unused_choice = forms.ChoiceField(
        label=gettext_lazy("Hva skal skje med ubrukte midler?"),
        choices=UnusedChoice.choices, required=False, widget=forms.RadioSelect,
        help_text=gettext_lazy("Ubrukte midler kan etter søknad overføres ett år, ellers "
                               "betales de tilbake."),
    )
    transfer_reason = forms.CharField(
        label=gettext_lazy("Begrunnelse for å overføre ubrukte midler"), required=False,
        max_length=rules.MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
    )
    text_report = forms.CharField(
        label=gettext_lazy("Tekstrapport"), required=False, max_length=rules.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Hva tilskuddet er brukt til, og hva det har gitt tjenestene og "
                               "brukerne."),
    )

    def section_value(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class LineForm(forms.Form):
    """One line of a part; `line` is the report line it belongs to (fixed by the decision)."""

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line

    def clean(self):
        cleaned = super().clean()
        message = rules.unfunded_use(self.line, used=cleaned.get("amount_used"))
        if message:
            self.add_error("amount_used", message)
        return cleaned

    def section_value(self) -> dict[str, Any]:
        return {"id": self.line.pk, **self.cleaned_data}


class CompetenceForm(LineForm):
    completed = persons_field(_label(ReportCompetenceLine, "completed"))
    still_studying = persons_field(_label(ReportCompetenceLine, "still_studying"))
    stopped = persons_field(_label(ReportCompetenceLine, "stopped"))
    persons_explanation = forms.CharField(
        label=_label(ReportCompetenceLine, "persons_explanation"), required=False,
        max_length=rules.MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Bare når fullført, studerer fortsatt og avbrutt til sammen "
                               "ikke er antallet linjen gjelder."),
    )
    amount_used = UsedAmountField(label=gettext_lazy("Brukt (kr)"), required=False)

    def clean(self):
        cleaned = super().clean()
        message = rules.persons_mismatch(SimpleNamespace(**{
            name: cleaned.get(name) for name in (*rules.PERSON_COUNTS, "persons_explanation")
        }), persons=self.line.source.employees)
        if message:
            self.add_error("persons_explanation", message)
        return cleaned


class BpaForm(LineForm):
    trained = persons_field(_label(ReportBpaLine, "trained"))
    amount_used = UsedAmountField(label=gettext_lazy("Brukt (kr)"), required=False)


class ProjectForm(LineForm):
    status = forms.ChoiceField(label=_label(ReportProject, "status"), required=False,
                               choices=_choices(ProjectStatus))
    goal_achievement = forms.ChoiceField(label=_label(ReportProject, "goal_achievement"),
                                         required=False, choices=_choices(GoalAchievement))
    continues = forms.ChoiceField(label=_label(ReportProject, "continues"), required=False,
                                  choices=_choices(Continuation))
    results = forms.CharField(label=_label(ReportProject, "results"), required=False,
                              max_length=rules.MAX_TEXT_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 4}))
    amount_used = UsedAmountField(label=gettext_lazy("Brukt (kr)"), required=False)


#: part -> (form class, the report's related name)
PART_FORMS = {
    "competence": (CompetenceForm, "competence_lines"),
    "bpa": (BpaForm, "bpa_lines"),
    "projects": (ProjectForm, "projects"),
}


def line_prefix(part: str, line) -> str:
    return f"{part}-{line.pk}"


def build_forms(report: Report, data=None) -> dict[str, Any]:
    """The header form and one form per line of each part, bound to `data` if given."""
    header = HeaderForm(data, prefix="header", initial={
        "unused_choice": report.unused_choice, "transfer_reason": report.transfer_reason,
        "text_report": report.text_report,
    })
    forms_: dict[str, Any] = {"header": header}
    for part, (form_class, related) in PART_FORMS.items():
        fields = list(form_class.base_fields)
        forms_[part] = [
            form_class(data, line=line, prefix=line_prefix(part, line),
                       initial={name: getattr(line, name) for name in fields})
            for line in getattr(report, related).all()
        ]
    return forms_


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type vedlegg"), choices=AttachmentKind.choices)
    title = forms.CharField(label=gettext_lazy("Tittel"), max_length=200, required=False,
                            help_text=gettext_lazy("Tom: filnavnet brukes."))
    file = forms.FileField(
        label=gettext_lazy("Fil (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=gettext_lazy("Bare PDF-filer, høyst %(mb)d MB.")
        % {"mb": rules.MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args, required_kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if required_kind and not self.is_bound:
            self.fields["kind"].initial = required_kind


class ReturnForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Melding til mottakeren"), widget=forms.Textarea(attrs={"rows": 5}),
        max_length=rules.MAX_TEXT_LENGTH,
        help_text=gettext_lazy("Hva må rettes? Mottakeren ser meldingen på rapportsiden."),
    )


class ExtensionForm(forms.Form):
    new_date = forms.DateField(
        label=gettext_lazy("Ny frist (dato)"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Fristen gjelder til og med kl. 23:59 norsk tid denne dagen."),
    )
    reason = forms.CharField(label=gettext_lazy("Begrunnelse"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=rules.MAX_TEXT_LENGTH)

    def new_deadline(self) -> datetime:
        """The chosen day at 23:59 in Oslo."""
        return datetime.combine(self.cleaned_data["new_date"], time(23, 59),
                                tzinfo=timezone.get_default_timezone())
