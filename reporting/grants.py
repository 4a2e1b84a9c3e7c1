"""The one place reporting reads the assessment app: which applications were granted,
and how much per line.

It goes through assessment.selectors where a selector exists (`decisions_for`); the
functions marked "to move" read assessment's models directly only because no selector
does it yet, and belong in assessment/selectors.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from assessment import selectors as assessment_selectors
from assessment.models import Assessment, AssessmentStatus, Outcome

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


def granted_application_ids(
    *, organisation_ids: Iterable[int] | None = None, round_ids: Iterable[int] | None = None
) -> list[int]:
    """To move into assessment/selectors.py: the applications with a decided grant
    (granted or partly granted), optionally of some organisations or rounds."""
    qs = Assessment.objects.filter(
        status=AssessmentStatus.DECIDED, outcome__in=GRANT_OUTCOMES
    )
    if organisation_ids is not None:
        qs = qs.filter(application__organisation_id__in=list(organisation_ids))
    if round_ids is not None:
        qs = qs.filter(application__round_id__in=list(round_ids))
    return list(qs.order_by("application_id").values_list("application_id", flat=True))
