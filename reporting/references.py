"""Report reference numbers, readable aloud and quotable: RAP-2026-5001-7F3K.

"RAP", the round's year, the applicant as in application references (municipality number,
F + county number, or the last digits of the organisation number), and four characters
from the same alphabet without look-alikes."""

from __future__ import annotations

import secrets

from applications.references import ALPHABET, SUFFIX_LENGTH, applicant_code
from tilskudd.models import Organisation, Round

PREFIX = "RAP"


def new_reference(organisation: Organisation, rnd: Round) -> str:
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))
    return f"{PREFIX}-{rnd.year}-{applicant_code(organisation)}-{suffix}"
