"""Sums over assessed lines: a case's stored totals (case_totals, the one place they are
computed), a correlated subquery for the pot and the inbox, and what a later decision
changed of the granted amounts (granted_changes) or would move once approved (the pot's
recommended_changes), both read by decided_lines_named."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import DecimalField, F, Func, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from applications.models import BpaLine, CompetenceLine, Project
from tilskudd.granted import CurrentGrants, current_grants

from .models import Assessment, AssessmentStatus, LineAssessment, Part

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=14, decimal_places=0)
LINE_MODELS = {Part.COMPETENCE: CompetenceLine, Part.BPA: BpaLine, Part.PROJECTS: Project}


def sum_of(qs: QuerySet, amount: str) -> Coalesce:
    """A correlated subquery: the sum of `amount` over `qs` for the outer row (SUM as a
    plain function, so the subquery has no GROUP BY)."""
    summed = qs.order_by().annotate(
        total=Func(F(amount), function="SUM", output_field=MONEY)
    ).values("total")[:1]
    return Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO), output_field=MONEY)


def case_totals(assessment: Assessment) -> dict[str, Decimal]:
    """The recommended and granted totals of a case, from its lines (one query)."""
    sums = LineAssessment.objects.filter(assessment=assessment).aggregate(
        recommended=Sum("recommended"), granted=Sum("granted"))
    return {"recommended_total": sums["recommended"] or ZERO,
            "granted_total": sums["granted"] or ZERO}


def store_case_totals(assessment: Assessment) -> None:
    """Store case_totals on the case (the caseworkers' list reads them), after a service
    changed its lines' amounts."""
    stored = case_totals(assessment)
    for name, value in stored.items():
        setattr(assessment, name, value)
    Assessment.objects.filter(pk=assessment.pk).update(**stored)


def decided_lines_named(lines: QuerySet[LineAssessment],
                        named: Callable[[QuerySet], CurrentGrants], *names: str, **expressions
                        ) -> list[tuple[dict, Decimal]]:
    """The decided lines among `lines` that `named` (tilskudd.granted's current_grants or
    recommended_moves) gives an amount for: each line's `names` and `expressions` (as
    values() takes them, with its "part" and "granted") and that amount. Two queries, one
    when it names none."""
    decided = lines.filter(assessment__status=AssessmentStatus.DECIDED)
    amounts = named(decided.values("assessment__application_id"))
    if not amounts:
        return []
    found = []
    for row in decided.filter(assessment__application_id__in=list(amounts)).values(
        "part", "granted", "competence_line_id", "bpa_line_id", "project_id", *names,
        application=F("assessment__application_id"), **expressions,
    ).order_by():
        line_id = row["competence_line_id"] or row["bpa_line_id"] or row["project_id"]
        amount = amounts[row["application"]].get((row["part"], line_id))
        if amount is not None:
            found.append((row, amount))
    return found


def granted_changes(lines: QuerySet[LineAssessment], *names: str, **expressions
                    ) -> list[tuple[dict, Decimal]]:
    """The decided lines among `lines` whose amount a later decision, such as an approved
    change request, has changed (tilskudd.granted): each line's `names` and `expressions`
    (as values() takes them, with its "part") and how much more is granted on it now than
    the decision says (less: negative). What is summed from LineAssessment.granted plus
    these is what is granted now. Two queries, one when nothing changed."""
    return [(row, now - (row["granted"] or ZERO))
            for row, now in decided_lines_named(lines, current_grants, *names, **expressions)
            if now != (row["granted"] or ZERO)]
