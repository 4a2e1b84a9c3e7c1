"""The one place reporting reads the assessment app: which applications were granted,
and how much per line.

It goes through assessment.selectors only: a grant is a decision (`Decision`) that grants
money; `granted_total` and `granted_for(part, line_id)` are the decision's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from assessment import selectors as assessment_selectors

#: A decision that grants money (assessment.selectors.Decision with is_grant).
Grant = assessment_selectors.Decision


def grants_for(application_ids: Iterable[int]) -> dict[int, Grant]:
    """The grants among the decisions on these applications (rejections left out)."""
    return {
        application_id: decision
        for application_id, decision in assessment_selectors.decisions_for(
            application_ids).items()
        if decision.is_grant
    }


def grant_for(application_id: int) -> Grant | None:
    return grants_for([application_id]).get(application_id)


#: The applications with a decided grant, optionally of some organisations or rounds.
granted_application_ids = assessment_selectors.granted_application_ids
