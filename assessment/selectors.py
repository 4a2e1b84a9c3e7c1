"""Reads for assessment, with their joins named.

Other apps (reporting) use the decision selectors at the bottom: `decision_for`,
`decisions_for`, `granted_total` and `granted_amounts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from applications.models import (
    Application,
    ApplicationStatus,
    BpaLine,
    CompetenceLine,
    Project,
    Submission,
)
from tilskudd.models import Earmark, Office, OfficeBudget, OfficeMembership, Round, User

from . import rules
from .models import (
    AllocationLetter,
    Assessment,
    AssessmentStatus,
    LineAssessment,
    Outcome,
    Part,
)

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=14, decimal_places=0)
LINE_MODELS = {Part.COMPETENCE: CompetenceLine, Part.BPA: BpaLine, Part.PROJECTS: Project}
DRAFT_STATUSES = [AssessmentStatus.OPEN, AssessmentStatus.RETURNED]


def _sum_of(qs: QuerySet, amount: str) -> Coalesce:
    """A correlated subquery: the sum of `amount` over `qs` for the outer row (SUM as a
    plain function, so the subquery has no GROUP BY)."""
    summed = qs.order_by().annotate(
        total=Func(F(amount), function="SUM", output_field=MONEY)
    ).values("total")[:1]
    return Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO), output_field=MONEY)


def live_reference() -> Subquery:
    return Subquery(
        Submission.objects.filter(application=OuterRef("pk"), withdrawn_at__isnull=True)
        .values("reference")[:1]
    )


def with_assessment_totals(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate applications with what the caseworker's list shows, in one query:
    reference, applied, recommended and granted totals, and the priority markers."""
    applied = sum(
        (_sum_of(model.objects.filter(application=OuterRef("pk")), "amount")
         for model in LINE_MODELS.values()),
        start=Value(ZERO, output_field=MONEY),
    )
    lines = LineAssessment.objects.filter(assessment__application=OuterRef("pk"))
    competence = CompetenceLine.objects.filter(application=OuterRef("pk"))
    return qs.annotate(
        reference=live_reference(),
        applied_total=applied,
        recommended_total=_sum_of(lines, "recommended"),
        granted_total=_sum_of(
            lines.filter(assessment__status=AssessmentStatus.DECIDED), "granted"
        ),
        has_mental_health=Exists(competence.filter(is_mental_health=True)),
        has_decentralised=Exists(competence.filter(is_decentralised=True)),
        has_supported_programme=Exists(competence.filter(in_supported_programme=True)),
        has_projects=Exists(Project.objects.filter(application=OuterRef("pk"))),
    )


def submitted_applications(qs: QuerySet[Application] | None = None) -> QuerySet[Application]:
    """The caseworker's list: submitted applications with their case, totals and markers."""
    qs = Application.objects.all() if qs is None else qs
    return with_assessment_totals(
        qs.filter(status=ApplicationStatus.SUBMITTED).select_related(
            "organisation__county__office", "round__scheme",
            "assessment__assigned_to", "assessment__acceptance",
        )
    )


def application_for_case(pk: int, qs: QuerySet[Application] | None = None) -> Application:
    """One application with everything the assessment page reads."""
    qs = Application.objects.all() if qs is None else qs
    return (
        qs.select_related("organisation__county__office", "round__scheme")
        .prefetch_related("competence_lines", "bpa_lines", "projects")
        .get(pk=pk)
    )


def case_lines(assessment: Assessment) -> list[LineAssessment]:
    """The assessed lines in the order of the application's parts, with the lines and
    the project scores."""
    order = {part: i for i, part in enumerate(Part.values)}
    lines = list(
        assessment.lines.select_related("competence_line", "bpa_line", "project")
        .prefetch_related("scores")
    )
    return sorted(lines, key=lambda la: (order[la.part], la.line_id))


def case_for(application: Application) -> Assessment | None:
    return (
        Assessment.objects.select_related(
            "assigned_to", "recommended_by", "decided_by", "acceptance__accepted_by",
            "acceptance__letter",
        )
        .prefetch_related(
            "events__by",
            Prefetch("letters", queryset=AllocationLetter.objects.select_related("created_by")),
        )
        .filter(application=application)
        .first()
    )


@dataclass(frozen=True)
class Markers:
    rural_district: bool
    mental_health: bool
    decentralised: bool
    supported_programme: bool

    def labels(self) -> list[str]:
        from django.utils.translation import gettext as _

        names = [
            (self.rural_district, _("Distriktskommune")),
            (self.mental_health, _("Psykisk helse og rus")),
            (self.decentralised, _("Desentralisert studium")),
            (self.supported_programme, _("Allerede i støttet utdanning")),
        ]
        return [str(label) for on, label in names if on]


def markers_for(application: Application) -> Markers:
    """The priority markers of the rules, from the organisation and the lines (uses the
    prefetched competence lines when there are any)."""
    lines = list(application.competence_lines.all())
    return Markers(
        rural_district=application.organisation.is_rural_district,
        mental_health=any(line.is_mental_health for line in lines),
        decentralised=any(line.is_decentralised for line in lines),
        supported_programme=any(line.in_supported_programme for line in lines),
    )


def office_staff(office: Office) -> QuerySet[User]:
    """Who may be assigned a case at the office."""
    return User.objects.filter(
        office_membership__office=office, is_active=True
    ).order_by("full_name")


def staff_membership(user: User) -> OfficeMembership | None:
    if not user.is_authenticated:
        return None
    return OfficeMembership.objects.select_related("office").filter(user=user).first()


# --- the pot --------------------------------------------------------------------------


def budget_for(*, office: Office, round: Round) -> OfficeBudget | None:
    return OfficeBudget.objects.filter(office=office, round=round).first()


def counts_against_pot() -> Q:
    """A decision uses the pot whatever becomes of the application; other cases count
    only while their application is submitted."""
    return Q(assessment__status=AssessmentStatus.DECIDED) | Q(
        assessment__application__status=ApplicationStatus.SUBMITTED
    )


def lines_of_budget(budget: OfficeBudget) -> QuerySet[LineAssessment]:
    """The assessed lines that the budget pays for (or would, once approved)."""
    return LineAssessment.objects.filter(
        counts_against_pot(),
        assessment__application__round_id=budget.round_id,
        assessment__application__organisation__county__office_id=budget.office_id,
    )


def bucket_expression(earmark_keys: set[str]) -> Case:
    """An earmark's key for the lines counted against it, GENERAL for the rest."""
    return Case(
        When(part=rules.EARMARKABLE_PART, project__topic__in=sorted(earmark_keys),
             then=F("project__topic")),
        default=Value(rules.GENERAL),
    )


def approved_by_bucket(budget: OfficeBudget, earmark_keys: set[str]) -> dict[str, Decimal]:
    """What is already granted of the budget, per earmark key and GENERAL."""
    rows = (
        lines_of_budget(budget)
        .filter(assessment__status=AssessmentStatus.DECIDED)
        .annotate(bucket=bucket_expression(earmark_keys))
        .values("bucket")
        .annotate(total=Sum("granted"))
    )
    return {row["bucket"]: row["total"] or ZERO for row in rows}


def earmark_amounts(budget: OfficeBudget) -> dict[str, Decimal]:
    """The earmarked parts of a budget by key (two earmarks with one key add up)."""
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for key, amount in Earmark.objects.filter(budget=budget).values_list("key", "amount"):
        amounts[key] += amount
    return dict(amounts)


@dataclass(frozen=True)
class PartRow:
    part: str
    label: str
    applied: Decimal
    proposed: Decimal
    recommended: Decimal
    granted: Decimal


@dataclass(frozen=True)
class EarmarkRow:
    key: str
    name: str
    amount: Decimal
    recommended: Decimal
    approved: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.approved


@dataclass(frozen=True)
class PotSummary:
    budget: OfficeBudget
    pot: Decimal
    earmarked: Decimal
    applications: int
    decided: int
    proposed: Decimal
    recommended: Decimal
    approved: Decimal
    general_approved: Decimal
    general_recommended: Decimal
    earmarks: list[EarmarkRow] = field(default_factory=list)
    parts: list[PartRow] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.pot - self.approved

    @property
    def remaining_after_recommended(self) -> Decimal:
        return self.pot - self.approved - self.recommended

    @property
    def general(self) -> Decimal:
        return self.pot - self.earmarked

    @property
    def general_remaining(self) -> Decimal:
        return self.general - self.general_approved

    @property
    def applied(self) -> Decimal:
        return sum((row.applied for row in self.parts), ZERO)


def pot_summary(budget: OfficeBudget) -> PotSummary:
    """Pot, recommended, approved and remaining, per earmark and per part, in a fixed
    number of queries (six), whatever the number of applications."""
    earmarks = list(Earmark.objects.filter(budget=budget).order_by("name"))
    keys = {e.key for e in earmarks}
    applications = Application.objects.filter(
        round_id=budget.round_id, organisation__county__office_id=budget.office_id,
        status=ApplicationStatus.SUBMITTED,
    )
    counts = applications.aggregate(
        total=Count("pk"),
        decided=Count("pk", filter=Q(assessment__status=AssessmentStatus.DECIDED)),
    )
    applied = {
        part: model.objects.filter(application__in=applications).aggregate(s=Sum("amount"))["s"]
        or ZERO
        for part, model in LINE_MODELS.items()
    }
    rows = (
        lines_of_budget(budget)
        .annotate(bucket=bucket_expression(keys))
        .values("part", "bucket", "assessment__status")
        .annotate(recommended=Sum("recommended"), granted=Sum("granted"))
    )
    by_part: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_bucket: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        status = row["assessment__status"]
        if status == AssessmentStatus.DECIDED:
            kind, amount = "approved", row["granted"] or ZERO
        elif status == AssessmentStatus.RECOMMENDED:
            kind, amount = "recommended", row["recommended"] or ZERO
        else:
            kind, amount = "proposed", row["recommended"] or ZERO
        by_part[row["part"]][kind] += amount
        by_bucket[row["bucket"]][kind] += amount
    earmark_rows: dict[str, EarmarkRow] = {}
    for e in earmarks:
        previous = earmark_rows.get(e.key)
        earmark_rows[e.key] = EarmarkRow(
            key=e.key,
            name=f"{previous.name}, {e.name}" if previous else e.name,
            amount=(previous.amount if previous else ZERO) + e.amount,
            recommended=by_bucket[e.key]["recommended"],
            approved=by_bucket[e.key]["approved"],
        )
    return PotSummary(
        budget=budget,
        pot=budget.pot,
        earmarked=sum((e.amount for e in earmarks), ZERO),
        applications=counts["total"],
        decided=counts["decided"],
        proposed=sum((p["proposed"] for p in by_part.values()), ZERO),
        recommended=sum((p["recommended"] for p in by_part.values()), ZERO),
        approved=sum((p["approved"] for p in by_part.values()), ZERO),
        general_approved=by_bucket[rules.GENERAL]["approved"],
        general_recommended=by_bucket[rules.GENERAL]["recommended"],
        earmarks=list(earmark_rows.values()),
        parts=[
            PartRow(
                part=part, label=str(Part(part).label), applied=applied[part],
                proposed=by_part[part]["proposed"], recommended=by_part[part]["recommended"],
                granted=by_part[part]["approved"],
            )
            for part in Part.values
        ],
    )


def pots(qs: QuerySet[OfficeBudget]) -> QuerySet[OfficeBudget]:
    """Budgets annotated with recommended (awaiting approval) and approved totals."""
    lines = LineAssessment.objects.filter(
        counts_against_pot(),
        assessment__application__round_id=OuterRef("round_id"),
        assessment__application__organisation__county__office_id=OuterRef("office_id"),
    )
    return qs.select_related("office", "round__scheme").annotate(
        earmarked_sum=_sum_of(Earmark.objects.filter(budget=OuterRef("pk")), "amount"),
        recommended_sum=_sum_of(
            lines.filter(assessment__status=AssessmentStatus.RECOMMENDED), "recommended"
        ),
        approved_sum=_sum_of(
            lines.filter(assessment__status=AssessmentStatus.DECIDED), "granted"
        ),
    )


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

GRANT_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED)


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


def granted_total(application: Application | int) -> Decimal:
    """The total granted to the application (0 without a decision or when rejected)."""
    decision = decision_for(application)
    return decision.granted_total if decision else ZERO


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


def withdrawal_stops(application_id: int) -> list:
    """A withdrawal gate (tilskudd.gates): once the office has recommended or decided,
    the applicant can no longer take the application back and change its lines."""
    from django.utils.translation import gettext as _

    from tilskudd.gates import Gate

    started = Assessment.objects.filter(application_id=application_id).exclude(
        status=AssessmentStatus.OPEN
    )
    if not started.exists():
        return []
    return [Gate(
        _("Statsforvalteren har allerede innstilt eller vedtatt i saken, så søknaden kan "
          "ikke trekkes i portalen. Kontakt Statsforvalteren."),
        blocking=True,
    )]
