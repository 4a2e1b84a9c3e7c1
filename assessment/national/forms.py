"""The national view's filters: a GET form, so the page works without JavaScript and a
filtered view is a link that can be shared."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tilskudd.models import Office, OrganisationKind, Round

from .selectors import Filters, rounds

RURAL_CHOICES = [
    ("", _("Alle kommuner")),
    ("ja", _("Bare distriktskommuner")),
    ("nei", _("Ikke distriktskommuner")),
]


class FilterForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Runde"), queryset=Round.objects.none(), empty_label=None, required=False
    )
    office = forms.ModelChoiceField(
        label=_("Embete"), queryset=Office.objects.order_by("name"), required=False,
        empty_label=_("Alle embeter"),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Type organisasjon"), required=False,
        choices=[("", _("Alle typer")), *OrganisationKind.choices],
    )
    rural_district = forms.ChoiceField(
        label=_("Distriktskommune"), required=False, choices=RURAL_CHOICES
    )

    def __init__(self, data=None, *, own_office: Office | None = None) -> None:
        super().__init__(data)
        self.own_office = own_office
        self.fields["round"].queryset = rounds()
        if own_office is not None:
            # Office staff see their own office only.
            del self.fields["office"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> Filters | None:
        """The filters asked for, the newest round when none is; None without rounds."""
        data = self.cleaned_data if self.is_valid() else {}
        round = data.get("round") or rounds().first()
        if round is None:
            return None
        rural = data.get("rural_district", "")
        return Filters(
            round=round,
            office=self.own_office or data.get("office"),
            organisation_kind=data.get("organisation_kind", ""),
            rural_district=None if not rural else rural == "ja",
        )
