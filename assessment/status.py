"""Assessment's part of the grant's status line (tilskudd.status): under assessment
from the moment the office opens the case, then the decision (with the amount granted) and
the acceptance. What the office does in between (recommending, returning a
recommendation) is its own and not shown. Registered in AssessmentConfig.ready(); one
query for all the applications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet, Sum

from applications.models import ApplicationStatus
from tilskudd.compiled import CompiledValues
from tilskudd.status import Stage, StageFound

from .choices import Outcome
from .models import Acceptance, Assessment, AssessmentStatus

DECIDED_STAGES = {
    Outcome.GRANTED: Stage.GRANTED,
    Outcome.PARTLY_GRANTED: Stage.PARTLY_GRANTED,
    Outcome.REJECTED: Stage.REJECTED,
}


def _cases(application_ids: list[int]) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(application_id__in=application_ids,
                                  application__status=ApplicationStatus.SUBMITTED)
        .annotate(granted_sum=Sum("lines__granted"),
                  accepted=Exists(Acceptance.objects.filter(assessment=OuterRef("pk"))))
        .values_list("application_id", "status", "outcome", "granted_sum", "accepted")
    )


#: compiled to SQL once a connection and number of applications (tilskudd.compiled: the
#: status line of a page of Mine søknader cost more to compile than to run)
_compiled_cases = CompiledValues(_cases)


def case_stages(applications: Sequence) -> Mapping[int, StageFound]:
    found: dict[int, StageFound] = {}
    for application_id, status, outcome, granted_sum, accepted in _compiled_cases(
            [a.pk for a in applications]):
        if status != AssessmentStatus.DECIDED:
            found[application_id] = StageFound(Stage.IN_ASSESSMENT)
        elif outcome == Outcome.REJECTED:
            found[application_id] = StageFound(Stage.REJECTED, decision=Stage.REJECTED)
        else:
            stage = Stage.ACCEPTED if accepted else DECIDED_STAGES[outcome]
            found[application_id] = StageFound(stage, granted=granted_sum or Decimal(0),
                                               decision=DECIDED_STAGES[outcome])
    return found
