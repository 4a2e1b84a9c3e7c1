"""The signatory's change request form (a new amount for every line of the decision, a
new content for a project, a reason) and the office's recommendation and decision forms.
The forms check what is typed; the rules (the sum) are the service's (rules.py)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms import UsedAmountField
from ..rules import MAX_TEXT_LENGTH
from .models import Recommendation
from .rules import CONTENT_PARTS, amount_field, content_field
from .selectors import GrantedLine
from .services import LineChange


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse"), max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Hvorfor trenger dere endringen, og hva betyr den for tiltakene?"),
        error_messages={"required": gettext_lazy("Skriv hvorfor dere søker om endringen.")},
    )

    def __init__(self, *args, lines: Sequence[GrantedLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[amount_field(line.part, line.line_id)] = UsedAmountField(
                label=_("Nytt beløp: %(line)s") % {"line": line.label}, initial=line.granted,
                error_messages={"required": _("Skriv det nye beløpet (0 hvis linjen ikke skal "
                                              "ha penger).")},
            )
            if line.part in CONTENT_PARTS:
                self.fields[content_field(line.line_id)] = forms.CharField(
                    label=_("Endret innhold i prosjektet «%(line)s» (valgfritt)")
                    % {"line": line.label}, required=False, max_length=MAX_TEXT_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        self.order_fields([*(f for f in self.fields if f != "reason"), "reason"])

    def rows(self):
        """Each line with its bound amount field (and content field), for the table."""
        for line in self.lines:
            content = (self[content_field(line.line_id)] if line.part in CONTENT_PARTS
                       else None)
            yield line, self[amount_field(line.part, line.line_id)], content

    def changes(self) -> list[LineChange]:
        data = self.cleaned_data
        return [
            LineChange(part=line.part, line_id=line.line_id,
                       requested=data[amount_field(line.part, line.line_id)],
                       new_content=data.get(content_field(line.line_id), "") or "")
            for line in self.lines
        ]


class RecommendForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=gettext_lazy("Innstilling"), choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Velg om endringen skal innvilges eller "
                                                 "avslås.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Begrunnelse (står i brevet)"), max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Skriv en begrunnelse for innstillingen.")},
    )


class DecideForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Merknad (valgfritt)"), required=False, max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
