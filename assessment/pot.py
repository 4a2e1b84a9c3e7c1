"""The pot (an office's budget for a round): what the lines count against (an earmark or
the rest), what is granted of it, and the summary of the pot page and the pot list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Sum, Value, When

from applications.models import Application, ApplicationStatus, Project
from tilskudd.granted import recommended_moves
from tilskudd.models import Earmark, Office, OfficeBudget, Round

from . import rules
from .amounts import LINE_MODELS, ZERO, decided_lines_named, granted_changes, sum_of
from .models import Assessment, AssessmentStatus, LineAssessment, Part


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
    """What is granted of the budget now, per earmark key and GENERAL: the decisions, as an
    approved change request since moved money between their lines (amounts.granted_changes),
    as the pot page shows it."""
    lines = (
        lines_of_budget(budget)
        .filter(assessment__status=AssessmentStatus.DECIDED)
        .annotate(bucket=bucket_expression(earmark_keys))
    )
    found: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in lines.values("bucket").annotate(total=Sum("granted")):
        found[row["bucket"]] += row["total"] or ZERO
    for row, more in granted_changes(lines, "bucket"):
        found[row["bucket"]] += more
    return dict(found)


def earmark_amounts(budget: OfficeBudget) -> dict[str, Decimal]:
    """The earmarked parts of a budget by key (two earmarks with one key add up)."""
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for key, amount in Earmark.objects.filter(budget=budget).values_list("key", "amount"):
        amounts[key] += amount
    return dict(amounts)


@dataclass(frozen=True)
class Overrun:
    """A part of the pot (an earmark by its key, or the rest: GENERAL) that moving granted
    money would overspend: it holds `amount`, `granted` of it is granted now, `after`
    would be."""

    key: str
    name: str
    amount: Decimal
    granted: Decimal
    after: Decimal

    @property
    def left(self) -> Decimal:
        return self.amount - self.granted

    @property
    def earmarked(self) -> bool:
        return self.key != rules.GENERAL


def earmarks_of(budget: OfficeBudget) -> list[Earmark]:
    """The budget's earmarks, by name (what overruns takes)."""
    return list(Earmark.objects.filter(budget=budget).order_by("name"))


def overruns(budget: OfficeBudget, earmarks: Sequence[Earmark], more: Mapping[str, Decimal]
             ) -> list[Overrun]:
    """The pot's rule, in one place: the parts of the pot (an earmark by its key, or the
    rest: GENERAL) that granting `more` of each on top of what is granted now would
    overspend, by key. Only a part that would be granted more is asked, so money moved out
    of a part is never refused for that part. An approval asks it (services._check_pot)
    and so does a later decision that moves granted money (overruns_after_move); the
    caller holds the pot's lock (services.pot_lock), so what is granted is read after any
    approval it waited for. `earmarks` are the budget's (earmarks_of)."""
    growing = {key: amount for key, amount in more.items() if amount > 0}
    if not growing:
        return []
    names: dict[str, list[str]] = defaultdict(list)
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for e in earmarks:
        names[e.key].append(e.name)
        amounts[e.key] += e.amount
    granted = approved_by_bucket(budget, set(amounts))
    holds = {**amounts, rules.GENERAL: budget.pot - sum(amounts.values(), ZERO)}
    found = []
    for key, amount in sorted(growing.items()):
        now = granted.get(key, ZERO)
        if now + amount > holds[key]:
            found.append(Overrun(key=key, name=", ".join(names.get(key, [])),
                                 amount=holds[key], granted=now, after=now + amount))
    return found


def overruns_after_move(budget: OfficeBudget, moves: Mapping[tuple[str, int], Decimal]
                        ) -> list[Overrun]:
    """The parts of the pot a later decision that moves money between a decision's lines
    would overspend (overruns): `moves` is how much more each line, (part, the
    application's competence line, BPA line or project id), would be granted (less:
    negative)."""
    earmarks = earmarks_of(budget)
    keys = {e.key for e in earmarks}
    project_ids = [line_id for part, line_id in moves if part == rules.EARMARKABLE_PART]
    topics = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "topic"))
    more: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (part, line_id), amount in moves.items():
        topic = topics.get(line_id) if part == rules.EARMARKABLE_PART else None
        more[rules.earmark_bucket(part=part, topic=topic, earmark_keys=keys)] += amount
    return overruns(budget, earmarks, more)


def recommended_changes(lines: QuerySet[LineAssessment], *names: str
                        ) -> list[tuple[dict, Decimal]]:
    """The decided lines among `lines` that a later decision recommended for approval (a
    change request) would move: each line's `names` (as values() takes them, with its
    "part") and how much more it would be granted (less: negative). Two queries, one when
    nothing waits."""
    return [(row, more) for row, more in decided_lines_named(lines, recommended_moves, *names)
            if more]


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
    #: a change request recommended for approval is counted in recommended (so a part's
    #: may be negative: the pot page says why)
    changes_waiting: bool = False

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


def pot_summary(budget: OfficeBudget, *, changes_recommended: bool = True) -> PotSummary:
    """Pot, recommended, approved and remaining, per earmark and per part, in a fixed
    number of queries whatever the number of applications (eight; one more once a change
    request is approved, one more while one is recommended): approved as it is now
    (amounts.granted_changes), recommended with what a change recommended for approval
    would move (recommended_changes; not asked with `changes_recommended` False, by a page
    that shows only the whole pot's recommended, which a change does not move)."""
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
    lines = lines_of_budget(budget).annotate(bucket=bucket_expression(keys))
    rows = (
        lines.values("part", "bucket", "assessment__status")
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
    # approved is what is granted now: as a change request since moved it
    for row, more in granted_changes(lines, "bucket"):
        by_part[row["part"]]["approved"] += more
        by_bucket[row["bucket"]]["approved"] += more
    # A change request recommended for approval moves granted money that the approver has
    # yet to decide on: «recommended» of a part, and of an earmark or the rest, is what
    # approving every recommendation waiting would grant it more, so a change's increase
    # adds to the part it grows and its decrease is taken off the part it shrinks (which
    # may then be negative). The money stays in «approved» and in the pot's rule
    # (overruns counts what is approved) until the change is decided, so a decrease frees
    # nothing for an approval before then. A change's lines add up to the grant, so the
    # whole pot's recommended, and what is left after it, are the same with it or without.
    moves = recommended_changes(lines, "bucket") if changes_recommended else []
    for row, more in moves:
        by_part[row["part"]]["recommended"] += more
        by_bucket[row["bucket"]]["recommended"] += more
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
        changes_waiting=bool(moves),
    )


def pots(qs: QuerySet[OfficeBudget]) -> QuerySet[OfficeBudget]:
    """Budgets annotated with the earmarked sum and the recommended (awaiting approval)
    and approved totals. The totals add up what is stored on each case
    (amounts.store_case_totals: the sums of its lines), so the pot list reads a row per
    case, not its lines through three joins; the cases that count are those of
    counts_against_pot (a recommended case while its application is submitted, a
    decided one whatever became of it). A recommended change request is not added: it
    moves money within a grant, so the pot's total recommended is the same with it."""
    cases = Assessment.objects.filter(
        application__round_id=OuterRef("round_id"),
        application__organisation__county__office_id=OuterRef("office_id"),
    )
    return qs.select_related("office", "round__scheme").annotate(
        earmarked_sum=sum_of(Earmark.objects.filter(budget=OuterRef("pk")), "amount"),
        recommended_sum=sum_of(
            cases.filter(status=AssessmentStatus.RECOMMENDED,
                         application__status=ApplicationStatus.SUBMITTED),
            "recommended_total",
        ),
        approved_sum=sum_of(cases.filter(status=AssessmentStatus.DECIDED), "granted_total"),
    )
