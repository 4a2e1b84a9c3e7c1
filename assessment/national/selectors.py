"""The national view's figures for one round, per office and for the nation: pot and
earmarks; applied, recommended and granted per part and per earmark; applications by
status and by organisation kind; the share of municipalities that applied; acceptance;
and the report figures other apps register (tilskudd.figures).

Everything is summed in the database (`values(...).annotate(...)`), so the number of
queries is the same for 10 applications as for 4 000. The nation is the sum of its
offices (`NationalView.total`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from applications.models import Application, ApplicationStatus, Project
from tilskudd.figures import FigureGroup, FigureScope, figures_for
from tilskudd.models import Earmark, Office, OfficeBudget, Organisation, OrganisationKind, Round

from ..amounts import LINE_MODELS, ZERO, granted_changes
from ..choices import GRANT_OUTCOMES
from ..models import AssessmentStatus, LineAssessment, Outcome, Part
from ..rules import GENERAL, earmark_bucket

#: What an application counts as on the view, in this order.
STATUS_KEYS = ("draft", "to_sign", "not_started", "in_progress", "recommended", "granted",
               "partly_granted", "rejected", "withdrawn")
#: What an application not sent (or no longer) counts as, by its status: «til signering»
#: is waiting for the signatory, not sent, so it has a column of its own.
UNSENT_KEYS = {ApplicationStatus.DRAFT: "draft", ApplicationStatus.TO_SIGN: "to_sign",
               ApplicationStatus.WITHDRAWN: "withdrawn"}
#: Lines whose recommendation stands (awaiting approval, or approved).
RECOMMENDED_STATUSES = (AssessmentStatus.RECOMMENDED, AssessmentStatus.DECIDED)


@dataclass(frozen=True)
class Filters:
    """What the page shows: a round, optionally one office, one kind of organisation,
    rural districts only (True) or the others (False)."""

    round: Round
    office: Office | None = None
    organisation_kind: str = ""
    rural_district: bool | None = None


def _total_of(name: str) -> property:
    """A read-only property: the sum of the amounts in the dict field `name`."""
    return property(lambda self: sum(getattr(self, name).values(), ZERO))


def _money() -> defaultdict:
    return defaultdict(lambda: ZERO)


@dataclass
class OfficeFigures:
    """One office's figures (or the nation's, with office None); the totals are the sums
    over the parts (or earmarks) of the dict of the same name."""

    office: Office | None
    pot: Decimal = ZERO
    earmarks: dict[str, Decimal] = field(default_factory=_money)
    applied: dict[str, Decimal] = field(default_factory=_money)
    recommended: dict[str, Decimal] = field(default_factory=_money)
    granted: dict[str, Decimal] = field(default_factory=_money)
    earmark_applied: dict[str, Decimal] = field(default_factory=_money)
    earmark_recommended: dict[str, Decimal] = field(default_factory=_money)
    earmark_granted: dict[str, Decimal] = field(default_factory=_money)
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    municipalities: int = 0
    municipalities_applied: int = 0
    grants: int = 0
    accepted: int = 0

    applied_total = _total_of("applied")
    recommended_total = _total_of("recommended")
    granted_total = _total_of("granted")
    earmarked = _total_of("earmarks")

    @property
    def remaining(self) -> Decimal:
        return self.pot - self.granted_total

    @property
    def applications(self) -> int:
        """Submitted applications (decided ones included; those not sent or withdrawn not)."""
        unsent = UNSENT_KEYS.values()
        return sum(n for key, n in self.statuses.items() if key not in unsent)

    @property
    def pot_used(self) -> float | None:
        """Granted as a share of the pot (0..1), None without a pot."""
        return float(self.granted_total / self.pot) if self.pot else None

    @property
    def municipality_share(self) -> float | None:
        return self.municipalities_applied / self.municipalities if self.municipalities else None

    @property
    def acceptance_share(self) -> float | None:
        return self.accepted / self.grants if self.grants else None

    def add(self, other: OfficeFigures) -> None:
        """Add another office's figures to these (the nation is the sum of its offices)."""
        self.pot += other.pot
        for name in ("earmarks", "applied", "recommended", "granted", "earmark_applied",
                     "earmark_recommended", "earmark_granted", "statuses", "kinds"):
            mine = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] += value
        self.municipalities += other.municipalities
        self.municipalities_applied += other.municipalities_applied
        self.grants += other.grants
        self.accepted += other.accepted


@dataclass
class NationalView:
    filters: Filters
    offices: list[OfficeFigures]
    total: OfficeFigures
    earmark_names: dict[str, str]
    figures: list[FigureGroup] = field(default_factory=list)
    previous: NationalView | None = None

    @property
    def round(self) -> Round:
        return self.filters.round


def _office_key(prefix: str = "") -> F:
    return F(f"{prefix}organisation__county__office_id")


def application_filter(filters: Filters, prefix: str = "") -> Q:
    """The filters on an application (reached through `prefix`, e.g. "application__")."""
    q = Q(**{f"{prefix}round_id": filters.round.pk})
    if filters.office is not None:
        q &= Q(**{f"{prefix}organisation__county__office_id": filters.office.pk})
    if filters.organisation_kind:
        q &= Q(**{f"{prefix}organisation__kind": filters.organisation_kind})
    if filters.rural_district is not None:
        q &= Q(**{f"{prefix}organisation__is_rural_district": filters.rural_district})
    return q


def status_key(status: str, assessment_status: str | None, outcome: str | None) -> str:
    """The column an application counts in (STATUS_KEYS): a decision's outcome, whatever
    became of the application; else a status not sent as UNSENT_KEYS says (a status added
    to the model fails here and in its test until it is given a place); else the case's."""
    if assessment_status == AssessmentStatus.DECIDED:
        return outcome or Outcome.REJECTED
    if status != ApplicationStatus.SUBMITTED:
        return UNSENT_KEYS[status]
    if assessment_status is None:
        return "not_started"
    if assessment_status == AssessmentStatus.RECOMMENDED:
        return "recommended"
    return "in_progress"


def offices_for(filters: Filters) -> QuerySet[Office]:
    offices = Office.objects.order_by("name")
    return offices.filter(pk=filters.office.pk) if filters.office else offices


def _fill_budgets(found: dict[int, OfficeFigures], filters: Filters) -> dict[str, str]:
    for office_id, pot in OfficeBudget.objects.filter(
        round=filters.round, office_id__in=found
    ).values_list("office_id", "pot"):
        found[office_id].pot = pot
    names: dict[str, str] = {}
    for office_id, key, name, amount in Earmark.objects.filter(
        budget__round=filters.round, budget__office_id__in=found
    ).values_list("budget__office_id", "key", "name", "amount"):
        found[office_id].earmarks[key] += amount
        names.setdefault(key, name)
    return names


def _fill_amounts(found: dict[int, OfficeFigures], filters: Filters) -> None:
    """Per part and per earmark of the office's budget (assessment.rules.earmark_bucket);
    granted as it is now, after any approved change request (amounts.granted_changes)."""
    submitted = application_filter(filters, "application__") & Q(
        application__status=ApplicationStatus.SUBMITTED
    )
    for part, model in LINE_MODELS.items():
        if model is Project:
            continue
        for row in model.objects.filter(submitted).values(office=_office_key("application__")) \
                .annotate(total=Sum("amount")).order_by():
            found[row["office"]].applied[part] += row["total"]
    for row in Project.objects.filter(submitted).values(
        "topic", office=_office_key("application__")
    ).annotate(total=Sum("amount")).order_by():
        figures = found[row["office"]]
        figures.applied[Part.PROJECTS] += row["total"]
        bucket = earmark_bucket(part=Part.PROJECTS, topic=row["topic"],
                                earmark_keys=set(figures.earmarks))
        if bucket != GENERAL:
            figures.earmark_applied[bucket] += row["total"]
    assessed = LineAssessment.objects.filter(
        application_filter(filters, "assessment__application__"),
        assessment__application__status=ApplicationStatus.SUBMITTED,
    )
    office = _office_key("assessment__application__")
    lines = (
        assessed.filter(assessment__status__in=RECOMMENDED_STATUSES)
        .values("part", "project__topic", "assessment__status", office=office)
        .annotate(recommended=Sum("recommended"), granted=Sum("granted"))
        .order_by()
    )
    for row in lines:
        figures = found[row["office"]]
        decided = row["assessment__status"] == AssessmentStatus.DECIDED
        recommended, granted = row["recommended"] or ZERO, row["granted"] or ZERO
        figures.recommended[row["part"]] += recommended
        if decided:
            figures.granted[row["part"]] += granted
        bucket = earmark_bucket(part=row["part"], topic=row["project__topic"],
                                earmark_keys=set(figures.earmarks))
        if bucket != GENERAL:
            figures.earmark_recommended[bucket] += recommended
            if decided:
                figures.earmark_granted[bucket] += granted
    # granted is what applies now: the decision's, as a change request since moved it
    for row, more in granted_changes(assessed, "project__topic", office=office):
        figures = found[row["office"]]
        figures.granted[row["part"]] += more
        bucket = earmark_bucket(part=row["part"], topic=row["project__topic"],
                                earmark_keys=set(figures.earmarks))
        if bucket != GENERAL:
            figures.earmark_granted[bucket] += more


def _fill_counts(found: dict[int, OfficeFigures], filters: Filters) -> None:
    applications = Application.objects.filter(application_filter(filters))
    for row in applications.values(
        "status", "assessment__status", "assessment__outcome", office=_office_key()
    ).annotate(n=Count("pk"), accepted=Count("assessment__acceptance")).order_by():
        figures = found[row["office"]]
        key = status_key(row["status"], row["assessment__status"], row["assessment__outcome"])
        figures.statuses[key] += row["n"]
        if key in GRANT_OUTCOMES:
            figures.grants += row["n"]
            figures.accepted += row["accepted"]
    for row in applications.filter(status=ApplicationStatus.SUBMITTED).values(
        "organisation__kind", office=_office_key()
    ).annotate(n=Count("pk")).order_by():
        found[row["office"]].kinds[row["organisation__kind"]] += row["n"]
    municipalities = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, county__office_id__in=found
    )
    if filters.rural_district is not None:
        municipalities = municipalities.filter(is_rural_district=filters.rural_district)
    for row in municipalities.values(office=F("county__office_id")).annotate(
        total=Count("pk", distinct=True),
        applied=Count("pk", distinct=True, filter=Q(
            applications__round=filters.round,
            applications__status=ApplicationStatus.SUBMITTED,
        )),
    ).order_by():
        found[row["office"]].municipalities = row["total"]
        found[row["office"]].municipalities_applied = row["applied"]


def national_view(filters: Filters, *, with_previous: bool = True) -> NationalView:
    """The round's figures per office and for the nation (the filtered offices' sum),
    with last round's for comparison when there is one. A fixed number of queries."""
    offices = list(offices_for(filters))
    found = {office.pk: OfficeFigures(office=office) for office in offices}
    names = _fill_budgets(found, filters)
    _fill_amounts(found, filters)
    _fill_counts(found, filters)
    total = OfficeFigures(office=None)
    for figures in found.values():
        total.add(figures)
    view = NationalView(filters=filters, offices=list(found.values()), total=total,
                        earmark_names=names)
    if with_previous:
        view.figures = figures_for(FigureScope(
            round_id=filters.round.pk, now=timezone.now(), office_ids=tuple(found),
            organisation_kind=filters.organisation_kind,
            rural_district=filters.rural_district,
        ))
        before = previous_round(filters.round)
        if before is not None:
            view.previous = national_view(
                Filters(round=before, office=filters.office,
                        organisation_kind=filters.organisation_kind,
                        rural_district=filters.rural_district),
                with_previous=False,
            )
    return view


def previous_round(round: Round) -> Round | None:
    return (Round.objects.filter(scheme_id=round.scheme_id, year__lt=round.year)
            .select_related("scheme").order_by("-year").first())


def rounds() -> QuerySet[Round]:
    return Round.objects.select_related("scheme").order_by("-year", "scheme__code")
