"""Sums over assessed lines as one correlated subquery, for the case list and the pot."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, Func, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from applications.models import BpaLine, CompetenceLine, Project

from .models import Part

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
