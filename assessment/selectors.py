"""Reads for assessment that other apps and the applicant's pages use: decisions
(`decisions_for`, `decision_for`, `granted_amounts`, `granted_application_ids`), the
withdrawal gate, and the decisions and letters a member of the applicant sees.

The office's reads live in assessment.cases (the case list and one case) and
assessment.pot (the pot); the names other modules import from here still work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from applications.models import Application, Submission
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.gates import Gate
from tilskudd.models import User

from . import choices, rules
from .amounts import LINE_MODELS, ZERO
from .cases import (
    application_for_case,
    case_for,
    case_lines,
    live_reference,
    markers_for,
    office_staff,
    staff_membership,
    submitted_applications,
    with_assessment_totals,
)
from .models import AllocationLetter, Assessment, AssessmentStatus, Part
from .pot import (
    Overrun,
    approved_by_bucket,
    bucket_expression,
    budget_for,
    counts_against_pot,
    earmark_amounts,
    lines_of_budget,
    overruns_after_move,
    pot_summary,
    pots,
)

__all__ = [
    "LINE_MODELS", "Decision", "GrantedLine", "Overrun", "application_for_case",
    "approved_by_bucket", "overruns_after_move",
    "bucket_expression", "budget_for", "case_for", "case_lines", "counts_against_pot",
    "decision_for", "decision_for_member", "decisions_for", "decisions_for_member",
    "earmark_amounts", "granted_amounts", "granted_application_ids", "latest_letter",
    "letter_for_member", "letter_statuses", "lines_of_budget", "live_reference", "live_submission",
    "markers_for", "office_staff", "pot_summary", "pots", "staff_membership",
    "submitted_applications", "with_assessment_totals", "withdrawal_stops",
    "accepted_grant_ids", "grants_not_accepted",
]


# --- the applicant's side ---------------------------------------------------------------


def decisions_for_member(user: User) -> QuerySet[Assessment]:
    """Decisions on the applications of the user's organisations, newest round first."""
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.DECIDED,
            application__organisation__memberships__user=user,
        )
        .select_related("application__organisation", "application__round__scheme",
                        "acceptance__accepted_by", "acceptance__letter")
        .prefetch_related("letters")
        .annotate(granted_sum=Sum("lines__granted"))
        .order_by("-application__round__year", "application__organisation__name")
    )


def decision_for_member(user: User, application_id: int) -> Assessment:
    """The decision on an application of one of the user's organisations, else 404."""
    found = (
        Assessment.objects.filter(
            status=AssessmentStatus.DECIDED,
            application_id=application_id,
            application__organisation__memberships__user=user,
        )
        .select_related("application__organisation__county__office",
                        "application__round__scheme", "acceptance__accepted_by",
                        "acceptance__letter")
        .prefetch_related("letters")
        .first()
    )
    if found is None:
        raise Http404
    return found


def letter_for_member(user: User, letter_id: int) -> AllocationLetter:
    found = (
        AllocationLetter.objects.filter(
            pk=letter_id,
            assessment__application__organisation__memberships__user=user,
        )
        .select_related("assessment__application")
        .first()
    )
    if found is None:
        raise Http404
    return found


def letter_statuses(letter_ids: Iterable[int]) -> Counter[str]:
    """How many of these letters are made (ready), still to be made (pending) and given
    up (failed) now, by DocumentStatus: one query, however many letters."""
    return Counter(dict(
        AllocationLetter.objects.filter(pk__in=list(letter_ids))
        .order_by().values_list("status").annotate(n=Count("pk"))
    ))


def latest_letter(assessment: Assessment) -> AllocationLetter | None:
    """The newest version of the letter (uses prefetched letters when there are)."""
    letters = sorted(assessment.letters.all(), key=lambda letter: letter.version)
    return letters[-1] if letters else None


def live_submission(application: Application) -> Submission | None:
    return (
        Submission.objects.filter(application=application, withdrawn_at__isnull=True)
        .order_by("-submitted_at")
        .first()
    )


# --- decisions, for other apps (reporting) -----------------------------------------------

GRANT_OUTCOMES = choices.GRANT_OUTCOMES  # for other apps, through this app's selectors


@dataclass(frozen=True)
class GrantedLine:
    part: str
    line_id: int
    applied: Decimal
    granted: Decimal
    justification: str


@dataclass(frozen=True)
class Decision:
    application_id: int
    assessment_id: int
    outcome: str
    decided_at: datetime
    decided_by_id: int
    lines: tuple[GrantedLine, ...]
    accepted_at: datetime | None = None

    @property
    def applied_total(self) -> Decimal:
        return sum((line.applied for line in self.lines), ZERO)

    @property
    def granted_total(self) -> Decimal:
        return sum((line.granted for line in self.lines), ZERO)

    @property
    def auditor_required(self) -> bool:
        return rules.auditor_required(self.granted_total)

    @property
    def is_grant(self) -> bool:
        return self.outcome in GRANT_OUTCOMES

    def granted_for(self, part: str, line_id: int) -> Decimal:
        """Granted for one line of the application (0 for a line not granted)."""
        for line in self.lines:
            if line.part == part and line.line_id == line_id:
                return line.granted
        return ZERO


def decisions_for(application_ids: Iterable[int]) -> dict[int, Decision]:
    """The decisions (vedtak) on these applications, by application id, in two queries.
    Applications without a decision are left out."""
    ids = list(application_ids)
    if not ids:
        return {}
    assessments = (
        Assessment.objects.filter(application_id__in=ids, status=AssessmentStatus.DECIDED)
        .select_related("acceptance")
        .prefetch_related("lines")
    )
    found: dict[int, Decision] = {}
    for a in assessments:
        acceptance = getattr(a, "acceptance", None)
        found[a.application_id] = Decision(
            application_id=a.application_id,
            assessment_id=a.pk,
            outcome=a.outcome,
            decided_at=a.decided_at,
            decided_by_id=a.decided_by_id,
            lines=tuple(
                GrantedLine(part=la.part, line_id=la.line_id, applied=la.applied,
                            granted=la.granted or ZERO, justification=la.justification)
                for la in sorted(a.lines.all(), key=lambda la: (la.part, la.line_id))
            ),
            accepted_at=acceptance.accepted_at if acceptance else None,
        )
    return found


def decision_for(application: Application | int) -> Decision | None:
    """The decision on one application, or None while it has none."""
    pk = application if isinstance(application, int) else application.pk
    return decisions_for([pk]).get(pk)


def granted_amounts(application: Application | int) -> dict[str, dict[int, Decimal]]:
    """Granted per line: {"competence": {line_id: amount}, "bpa": {...}, "projects": {...}}.
    Empty parts without a decision."""
    amounts: dict[str, dict[int, Decimal]] = {part: {} for part in Part.values}
    decision = decision_for(application)
    if decision:
        for line in decision.lines:
            amounts[line.part][line.line_id] = line.granted
    return amounts


def granted_application_ids(
    *, organisation_ids: Iterable[int] | None = None, round_ids: Iterable[int] | None = None
) -> list[int]:
    """The applications with a decided grant (granted or partly granted), optionally only
    of some organisations or rounds, in id order."""
    qs = Assessment.objects.filter(status=AssessmentStatus.DECIDED, outcome__in=GRANT_OUTCOMES)
    if organisation_ids is not None:
        qs = qs.filter(application__organisation_id__in=list(organisation_ids))
    if round_ids is not None:
        qs = qs.filter(application__round_id__in=list(round_ids))
    return list(qs.order_by("application_id").values_list("application_id", flat=True))


def accepted_grant_ids(application_ids: Iterable[int]) -> QuerySet:
    """Which of these applications have a grant the recipient has accepted: a lazy query
    of application ids, for other apps to use as a subquery (one query in all)."""
    return Assessment.objects.filter(
        application_id__in=list(application_ids), status=AssessmentStatus.DECIDED,
        outcome__in=GRANT_OUTCOMES, acceptance__isnull=False,
    ).values("application_id")


def grants_not_accepted(cases: QuerySet[Assessment], now: datetime) -> QuerySet[Assessment]:
    """Of `cases`, the grants whose newest ready letter was made LETTER_FOLLOW_UP_DAYS or
    more ago and is not accepted, annotated with the letter's time (`letter_at`)."""
    ready = AllocationLetter.objects.filter(assessment=OuterRef("pk"),
                                            status=DocumentStatus.READY)
    return (
        cases.filter(status=AssessmentStatus.DECIDED, outcome__in=GRANT_OUTCOMES,
                     acceptance__isnull=True)
        .annotate(letter_at=Subquery(ready.order_by("-created_at").values("created_at")[:1]))
        .filter(letter_at__lte=now - timedelta(days=rules.LETTER_FOLLOW_UP_DAYS))
    )


def withdrawal_stops(application_ids: list[int]) -> dict[int, list]:
    """A withdrawal gate (tilskudd.gates), for many applications in one query: once the
    office has recommended or decided, the applicant can no longer take the application
    back and change its lines."""
    started = set(Assessment.objects.filter(application_id__in=application_ids).exclude(
        status=AssessmentStatus.OPEN
    ).values_list("application_id", flat=True))
    return {pk: [Gate(
        _("Statsforvalteren har allerede innstilt eller vedtatt i saken, så søknaden kan "
          "ikke trekkes i portalen. Kontakt Statsforvalteren."),
        blocking=True,
    )] for pk in started}
