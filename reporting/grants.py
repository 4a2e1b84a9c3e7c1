"""The one place reporting reads the assessment app: which applications were granted,
and how much per line.

It goes through assessment.selectors only; this module shapes what they return into
what reporting needs (a grant and its amount per line).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from assessment import selectors as assessment_selectors
from assessment.models import Outcome

#: The parts of a decision, as assessment names them (assessment.models.Part values).
COMPETENCE, BPA, PROJECTS = "competence", "bpa", "projects"
GRANT_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Grant:
    """A decision that grants money: the total and the amount per line of the application
    ({"competence": {line_id: amount}, "bpa": {...}, "projects": {...}})."""

    application_id: int
    granted_total: Decimal
    amounts: dict[str, dict[int, Decimal]]

    def granted_for(self, part: str, line_id: int) -> Decimal:
        return self.amounts.get(part, {}).get(line_id, ZERO)


def grants_for(application_ids: Iterable[int]) -> dict[int, Grant]:
    """The grants among the decisions on these applications (rejections left out)."""
    found: dict[int, Grant] = {}
    for application_id, decision in assessment_selectors.decisions_for(application_ids).items():
        if decision.outcome not in GRANT_OUTCOMES:
            continue
        amounts: dict[str, dict[int, Decimal]] = {COMPETENCE: {}, BPA: {}, PROJECTS: {}}
        for line in decision.lines:
            amounts.setdefault(line.part, {})[line.line_id] = line.granted
        found[application_id] = Grant(
            application_id=application_id, granted_total=decision.granted_total,
            amounts=amounts,
        )
    return found


def grant_for(application_id: int) -> Grant | None:
    return grants_for([application_id]).get(application_id)


#: The applications with a decided grant, optionally of some organisations or rounds.
granted_application_ids = assessment_selectors.granted_application_ids
