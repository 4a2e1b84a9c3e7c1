"""The rules of assessment and allocation, each in one named place.

Other apps import from here: reporting asks `auditor_required(total)` for a grant.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy

from .choices import Outcome

#: A grant of this many kroner or more must be reported with an auditor's attestation
#: (below it, a print of the project accounts is enough).
AUDITOR_THRESHOLD = Decimal("200000")

#: Score per project criterion: 0 (not answered) up to MAX_SCORE (excellent).
MAX_SCORE = 5

#: A justification is a sentence or two, shown to the applicant in the letter.
JUSTIFICATION_MAX_LENGTH = 500

#: No allocation or rejection under this scheme can be appealed, whoever applied
#: (municipality, county municipality, company, university or university college): the
#: scheme's rules say «Det kan ikke klages på tildeling/avslag på tilskudd i hht.
#: Forvaltningsloven §28». One rule for every kind; the letter says so.
NO_APPEAL_TEXT = gettext_lazy(
    "Det kan ikke klages på tildeling eller avslag på tilskudd under denne ordningen, "
    "jf. forvaltningsloven § 28."
)

#: A grant letter not accepted this many days after it was made is followed up: in the
#: office's inbox, and by a reminder to the recipient (assessment/reminders.py).
LETTER_FOLLOW_UP_DAYS = 14

#: The part whose lines may be counted against an earmark: a project whose topic equals
#: an earmark's key (e.g. "respite") uses that earmark; every other line uses the rest.
EARMARKABLE_PART = "projects"
#: The name of the bucket for lines that are not earmarked.
GENERAL = ""


def auditor_required(total: Decimal | int | None) -> bool:
    """Whether a grant of `total` kroner must be reported with an auditor's attestation."""
    return Decimal(total or 0) >= AUDITOR_THRESHOLD


def outcome_for(*, applied: Decimal, granted: Decimal) -> str:
    """Granted in full, partly granted, or rejected: derived from the amounts."""
    if granted <= 0:
        return Outcome.REJECTED
    if granted >= applied:
        return Outcome.GRANTED
    return Outcome.PARTLY_GRANTED


def earmark_bucket(*, part: str, topic: str | None, earmark_keys: set[str]) -> str:
    """Which part of the pot a line is counted against: an earmark's key, or GENERAL."""
    if part == EARMARKABLE_PART and topic and topic in earmark_keys:
        return topic
    return GENERAL


def justification_required(*, applied: Decimal, recommended: Decimal | None) -> bool:
    """A line that is cut (less than applied for) must say why."""
    return recommended is not None and recommended < applied

