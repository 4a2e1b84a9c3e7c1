"""Reference numbers people can read aloud and quote: KKT-2027-5001-7F3K.

scheme code, round year, the applicant (municipality number, or F + county number for a
county municipality, or the last four digits of the organisation number), and four
characters from an alphabet without look-alikes (no 0/O, 1/I/L, U)."""

from __future__ import annotations

import secrets

from tilskudd.models import Organisation, OrganisationKind, Round

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


def new_reference(organisation: Organisation, rnd: Round) -> str:
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))
    return f"{rnd.scheme.code.upper()}-{rnd.year}-{applicant_code(organisation)}-{suffix}"
