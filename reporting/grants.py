"""The one place reporting reads the assessment app: which applications were granted,
and how much per line.

It goes through assessment.selectors only: a grant is a decision (`Decision`) that grants
money; `granted_total` and `granted_for(part, line_id)` are the decision's own, with the
lines' amounts as the newest approved change request (reporting.changes) moved them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from django.db.models import QuerySet

from assessment import selectors as assessment_selectors

from .changes.models import ChangeRequest, ChangeStatus

#: A decision that grants money (assessment.selectors.Decision with is_grant).
Grant = assessment_selectors.Decision


def grants_for(application_ids: Iterable[int]) -> dict[int, Grant]:
    """The grants among the decisions on these applications (rejections left out), each
    line's amount as the newest approved change request has it."""
    found = {
        application_id: decision
        for application_id, decision in assessment_selectors.decisions_for(
            application_ids).items()
        if decision.is_grant
    }
    for application_id, amounts in approved_amounts(found).items():
        decision = found[application_id]
        found[application_id] = replace(decision, lines=tuple(
            replace(line, granted=amounts.get((line.part, line.line_id), line.granted))
            for line in decision.lines
        ))
    return found


def approved_amounts(
    application_ids: QuerySet | Iterable[int],
) -> dict[int, dict[tuple[str, int], Decimal]]:
    """{application id: {(part, line id): amount}} of the newest approved change request
    of each application that has one; one query (the request names every line), with a
    queryset of applications (or of their ids) as a subquery. Registered as
    tilskudd.granted's current grants, for the overviews and exports."""
    ids = application_ids
    if not isinstance(ids, QuerySet):
        ids = list(ids)
        if not ids:
            return {}
    approved = (
        ChangeRequest.objects.filter(application_id__in=ids, status=ChangeStatus.APPROVED)
        .order_by("application_id", "-decided_at", "-pk")
        .values_list("application_id", "pk", "lines__part", "lines__line_id",
                     "lines__requested")
    )
    newest: dict[int, int] = {}
    amounts: dict[int, dict[tuple[str, int], Decimal]] = {}
    for application_id, pk, part, line_id, requested in approved:
        if newest.setdefault(application_id, pk) != pk or part is None:
            continue
        amounts.setdefault(application_id, {})[(part, line_id)] = requested
    return amounts


def grant_for(application_id: int) -> Grant | None:
    return grants_for([application_id]).get(application_id)


#: The applications with a decided grant, optionally of some organisations or rounds.
granted_application_ids = assessment_selectors.granted_application_ids
