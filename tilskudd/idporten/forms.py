from django import forms
from django.utils.translation import gettext_lazy as _


class DetailsForm(forms.Form):
    """What ID-porten does not tell us: the person's name and e-mail address."""

    full_name = forms.CharField(label=_("Fullt navn"), max_length=150)
    email = forms.EmailField(
        label=_("E-post"),
        help_text=_("Vi sender en lenke du må åpne for å bekrefte adressen."),
    )


class VerifyEmailForm(forms.Form):
    """One button: the link in the e-mail only shows it, so a link scanner cannot use it."""
