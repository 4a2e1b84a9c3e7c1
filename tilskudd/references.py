"""Reference numbers people can read aloud and quote: KKT-2027-5001-7F3K, RAP-2026-5001-…

A prefix (the scheme's code for applications, RAP for reports), the round's year, the
applicant (municipality number, or F + county number for a county municipality, or the
last four digits of the organisation number), and four characters from an alphabet
without look-alikes (no 0/O, 1/I/L, U)."""

from __future__ import annotations

import secrets

from .models import Organisation, OrganisationKind

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SUFFIX_LENGTH = 4


def applicant_code(organisation: Organisation) -> str:
    if organisation.municipality_number:
        return organisation.municipality_number
    if organisation.kind == OrganisationKind.COUNTY_MUNICIPALITY:
        return f"F{organisation.county.number}"
    if organisation.org_number:
        return organisation.org_number[-4:]
    return f"X{organisation.pk}"


def new_reference(prefix: str, year: int, organisation: Organisation) -> str:
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))
    return f"{prefix.upper()}-{year}-{applicant_code(organisation)}-{suffix}"
