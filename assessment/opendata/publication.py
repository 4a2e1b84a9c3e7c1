"""Which decisions are public, in one place.

An office's decisions in a round are published once the office has finished the round: the
round's application deadline has passed (tilskudd.deadlines: the deadline's minute is still
on time), every application submitted to it has a decision, and every decision has its
letter made (the letter is e-mailed to the applicant when it is made, so a recipient never
reads of a grant in the open data before their own letter). Before the deadline an office
that has decided early is not finished: the next application sent in would take its grants,
and their ids, out of the files again. Only grants are published (granted or partly
granted); rejections never are. A round is listed once at least one office has published a
grant in it; each file says which offices it holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from tilskudd import deadlines
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import Office, Round

from ..models import Assessment, AssessmentStatus
from ..selectors import GRANT_OUTCOMES

OFFICE = "organisation__county__office_id"


def published_offices(
    round_ids: list[int] | None = None, now: datetime | None = None,
) -> dict[int, set[int]]:
    """{round id: ids of the offices whose decisions in that round are public}, in one
    query (for every round, or only these): only rounds whose application deadline has
    passed by `now`."""
    applications = Application.objects.filter(
        status=ApplicationStatus.SUBMITTED,
        round__application_deadline__lt=deadlines.cutoff(now or timezone.now()),
    )
    if round_ids is not None:
        applications = applications.filter(round_id__in=round_ids)
    lettered = Q(assessment__status=AssessmentStatus.DECIDED,
                 assessment__letters__status=DocumentStatus.READY)
    per_office = (
        applications.order_by().values("round_id", OFFICE)
        .annotate(total=Count("pk", distinct=True),
                  lettered=Count("pk", distinct=True, filter=lettered))
    )
    found: dict[int, set[int]] = defaultdict(set)
    for row in per_office:
        if row["total"] and row["total"] == row["lettered"]:
            found[row["round_id"]].add(row[OFFICE])
    return dict(found)


def published_grants(round_id: int, office_ids: set[int]):
    """The published grants' assessments of one round (a queryset, not yet read)."""
    return Assessment.objects.filter(
        status=AssessmentStatus.DECIDED, outcome__in=GRANT_OUTCOMES,
        application__round_id=round_id, application__status=ApplicationStatus.SUBMITTED,
        application__organisation__county__office_id__in=office_ids,
    )


@dataclass(frozen=True)
class PublishedRound:
    round: Round
    offices: tuple[Office, ...]
    grants: int
    awarded: Decimal

    @property
    def year(self) -> int:
        return self.round.year

    @property
    def scheme_code(self) -> str:
        return self.round.scheme.code


def published_rounds() -> list[PublishedRound]:
    """The rounds with published grants, newest first, each with its offices, the number
    of grants and what they award, in four queries whatever the number of rounds."""
    offices_by_round = published_offices()
    if not offices_by_round:
        return []
    totals: dict[tuple[int, int], tuple[int, Decimal]] = {}
    rows = (
        Assessment.objects.filter(
            status=AssessmentStatus.DECIDED, outcome__in=GRANT_OUTCOMES,
            application__status=ApplicationStatus.SUBMITTED,
            application__round_id__in=list(offices_by_round),
        )
        .order_by().values("application__round_id", f"application__{OFFICE}")
        .annotate(grants=Count("pk", distinct=True), awarded=Sum("lines__granted"))
    )
    for row in rows:
        key = (row["application__round_id"], row[f"application__{OFFICE}"])
        totals[key] = (row["grants"], row["awarded"] or Decimal(0))
    rounds = Round.objects.filter(pk__in=list(offices_by_round)).select_related("scheme")
    offices = {o.pk: o for o in Office.objects.all()}
    found = []
    for rnd in rounds:
        with_grants = sorted(
            (office_id for office_id in offices_by_round[rnd.pk] if (rnd.pk, office_id) in totals),
            key=lambda office_id: offices[office_id].name,
        )
        if not with_grants:
            continue
        found.append(PublishedRound(
            round=rnd,
            offices=tuple(offices[office_id] for office_id in with_grants),
            grants=sum(totals[(rnd.pk, o)][0] for o in with_grants),
            awarded=sum((totals[(rnd.pk, o)][1] for o in with_grants), Decimal(0)),
        ))
    return sorted(found, key=lambda p: (-p.round.year, p.round.scheme.code))


def published_round(scheme_code: str, year: int) -> PublishedRound | None:
    for published in published_rounds():
        if published.round.scheme.code == scheme_code and published.round.year == year:
            return published
    return None
