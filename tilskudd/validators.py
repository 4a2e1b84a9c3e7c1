"""Validators for Norwegian identifiers, shared by models and forms."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr


def validate_org_number(value: str) -> None:
    """Nine digits with a valid mod-11 check digit (Brønnøysundregistrene)."""
    if not value:
        return
    if not (len(value) == 9 and value.isdigit()):
        raise ValidationError(
            _("Organisasjonsnummeret må ha nøyaktig ni siffer."), code="org_number_format"
        )
    if not orgnr.is_valid(value):
        raise ValidationError(
            _("Organisasjonsnummeret %(value)s har feil kontrollsiffer."),
            code="org_number_checksum",
            params={"value": value},
        )


def normalise_org_number(value: str) -> str:
    """Accept '942 110 464' as typed and store '942110464'."""
    return orgnr.compact(value or "")


def validate_municipality_number(value: str) -> None:
    if value and not (len(value) == 4 and value.isdigit()):
        raise ValidationError(
            _("Kommunenummeret må ha fire siffer."), code="municipality_number_format"
        )
