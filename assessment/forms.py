"""Forms for the assessment page in the admin and the acceptance page in the portal.
They check what a person typed; the services check the rules again."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tilskudd.models import User
from tilskudd.money import format_nok

from . import rules
from .models import CRITERION_CHOICES, LineAssessment, Part
from .services import LineInput


def score_field_name(criterion: str) -> str:
    return f"score_{criterion}"


class LineForm(forms.Form):
    """One line of the application: the recommended amount and why; for a project also
    a score per criterion."""

    recommended = forms.DecimalField(
        label=_("Innstilt beløp (kr)"), required=False, min_value=Decimal(0),
        max_digits=12, decimal_places=0,
        widget=forms.NumberInput(attrs={"step": "1", "min": "0", "class": "vIntegerField"}),
    )
    justification = forms.CharField(
        label=_("Begrunnelse"), required=False, max_length=rules.JUSTIFICATION_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )

    def __init__(self, *args, line: LineAssessment, label: str, **kwargs):
        kwargs.setdefault("prefix", f"line-{line.pk}")
        initial = {"recommended": line.recommended, "justification": line.justification}
        if line.part == Part.PROJECTS:
            initial.update({score_field_name(s.criterion): s.score for s in line.scores.all()})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.line = line
        self.label = label
        self.fields["recommended"].widget.attrs.update(
            {"max": str(line.applied), "aria-label": _("Innstilt beløp for %(line)s")
             % {"line": label}}
        )
        self.fields["justification"].widget.attrs["aria-label"] = (
            _("Begrunnelse for %(line)s") % {"line": label}
        )
        if line.part == Part.PROJECTS:
            for criterion, criterion_label in CRITERION_CHOICES:
                self.fields[score_field_name(criterion)] = forms.IntegerField(
                    label=criterion_label, required=False, min_value=0, max_value=rules.MAX_SCORE,
                    widget=forms.NumberInput(attrs={
                        "min": "0", "max": str(rules.MAX_SCORE), "class": "score",
                        "aria-label": _("%(criterion)s, poeng for %(line)s")
                        % {"criterion": criterion_label, "line": label},
                    }),
                )

    def clean_recommended(self):
        value = self.cleaned_data["recommended"]
        if value is not None and value > self.line.applied:
            raise forms.ValidationError(
                _("Kan ikke være høyere enn søkt beløp (%(applied)s).")
                % {"applied": format_nok(self.line.applied)}
            )
        return value

    def score_rows(self):
        """(score field, the applicant's answer) per criterion, for a project."""
        if self.line.part != Part.PROJECTS:
            return []
        return [(self[score_field_name(c)], getattr(self.line.project, c))
                for c, _label in CRITERION_CHOICES]

    def score_total(self) -> int:
        return sum(s.score for s in self.line.scores.all())

    def to_input(self) -> LineInput:
        scores = None
        if self.line.part == Part.PROJECTS:
            scores = {c: self.cleaned_data.get(score_field_name(c)) for c, _l in CRITERION_CHOICES}
        return LineInput(
            id=self.line.pk,
            recommended=self.cleaned_data["recommended"],
            justification=self.cleaned_data["justification"],
            scores=scores,
        )


class CaseForm(forms.Form):
    """Who handles the case, and the office's internal notes."""

    assigned_to = forms.ModelChoiceField(
        label=_("Saksbehandler"), queryset=User.objects.none(), required=False,
        empty_label=_("(ingen)"),
    )
    internal_notes = forms.CharField(
        label=_("Interne notater"), required=False, max_length=10000,
        help_text=_("Bare for embetet. Søkeren ser aldri disse notatene."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
    )

    def __init__(self, *args, staff: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff
        self.fields["assigned_to"].label_from_instance = lambda u: u.full_name or u.email


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
    )


class AcceptForm(forms.Form):
    """The signatory accepts the grant on the terms of the letter version shown."""

    letter = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Jeg aksepterer tilskuddet på vilkårene i tilskuddsbrevet, på vegne av "
                "organisasjonen."),
        required=True,
        error_messages={"required": _("Kryss av for å akseptere tilskuddet.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
