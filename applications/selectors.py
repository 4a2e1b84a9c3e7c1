"""Reads for the applications app, with their joins named."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from tilskudd import access, submissions
from tilskudd.compiled import Compiled, CompiledValues
from tilskudd.models import Membership, Round, User

from . import content
from .models import (
    Application,
    BpaLine,
    CompetenceLine,
    Project,
    ReceiptDocument,
    Submission,
)
from .snapshot import application_snapshot


def with_content(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Everything a form, preview or snapshot reads, in a fixed number of queries."""
    return qs.select_related(
        "organisation__county__office", "round__scheme"
    ).prefetch_related("competence_lines", "bpa_lines", "projects", "attachments")


def membership_for(user: User, application: Application) -> Membership | None:
    return access.membership_for(user, application.organisation_id)


def application_for_member(user: User, pk: int) -> Application:
    """The application with its content if `user` is a member of its organisation, else
    404 (never 403: nobody learns that someone else's application exists), read by a
    query compiled once, its lines and attachments as content.with_lines reads them."""
    return content.application_for_member(user, pk)


def application_ref_for_member(user: User, pk: int) -> Application:
    """The application, without its lines, if `user` is a member of its organisation, else
    404: for a write whose service reads the lines itself (submit reads them once, under
    its lock), by a query compiled once."""
    return content.application_ref_for_member(user, pk)


def submission_for_member(user: User, reference: str) -> Submission:
    return submissions.submission_for_member(Submission, user, reference,
                                             application_path="application")


#: What the receipt page reads of a submission besides its frozen content (which says who
#: sent it to whom): who sent it, its receipt job, and of its application the status and
#: the round's dates (the status line, «Trekk søknaden»).
RECEIPT_COLUMNS = (
    "reference", "submitted_at", "content", "language", "withdrawn_at", "withdraw_reason",
    "total_applied", "application", "submitted_by", "submitted_by__full_name",
    "application__organisation_id", "application__round", "application__status",
    "application__signature_requested_at", "application__round__opens_at",
    "application__round__application_deadline", "receipt__status", "receipt__sha256",
    "receipt__file", "receipt__attempts",
)


@functools.cache
def _receipt_queryset() -> QuerySet[Submission]:
    """Built once and only filtered (a filter is a copy)."""
    return Submission.objects.select_related(
        "application__round", "submitted_by", "receipt").only(*RECEIPT_COLUMNS)


def receipt_for_member(user: User, reference: str) -> Submission:
    """The submission under `reference` for its receipt page, if `user` is a member of
    the organisation that sent it, else 404 (never 403), with only what the page reads."""
    try:
        return _receipt_queryset().filter(
            application__organisation__memberships__user=user).get(reference=reference)
    except Submission.DoesNotExist:
        raise Http404 from None


#: What the archive's rows read of an application (its status for tilskudd.status and the
#: links); its round's year and scheme code come as annotations, its round itself is not read.
ARCHIVE_COLUMNS = ("id", "organisation_id", "round_id", "status", "signature_requested_at")


def _lines_sum(model) -> Coalesce:
    return Coalesce(
        Subquery(model.objects.filter(application=OuterRef("pk")).order_by()
                 .values("application").annotate(sum=Sum("amount")).values("sum")),
        Value(Decimal(0)), output_field=DecimalField(max_digits=14, decimal_places=0),
    )


@functools.cache
def _archive_queryset() -> QuerySet[Application]:
    """Built once (its subqueries cost more to build than to run); never evaluated itself,
    only filtered (a filter is a copy)."""
    return (
        Application.objects.only(*ARCHIVE_COLUMNS)
        .annotate(lines_total=_lines_sum(CompetenceLine) + _lines_sum(BpaLine)
                  + _lines_sum(Project),
                  round_year=F("round__year"), scheme_code=F("round__scheme__code"))
        .order_by("-round__year", "-round__application_deadline", "-pk")
    )


def archive_applications(organisation_id: int) -> QuerySet[Application]:
    """One organisation's applications in "Mine søknader", newest first (a fixed order, so
    its pages neither skip nor repeat a row), with the sum of their lines (`lines_total`,
    what a row not sent says it applies for), `round_year` and `scheme_code` in the same
    query; the view pages it (its count from archive_counts) and reads the submissions of
    the rows shown with archive_submissions."""
    return _archive_queryset().filter(organisation_id=organisation_id)


class ArchivePages:
    """One organisation's archive_applications for a Paginator (which is given the count):
    a slice runs the query compiled to SQL once a database connection and slice
    (tilskudd.compiled: the query with its three line-sum subqueries cost more CPU to
    compile than to run), its rows applications with their annotations as the ORM makes
    them."""

    _slices: dict[tuple[int | None, int | None], Compiled] = {}

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id

    @classmethod
    def compiled(cls, page: slice) -> Compiled:
        key = (page.start, page.stop)
        if key not in cls._slices:
            if len(cls._slices) > 100:
                cls._slices.clear()
            cls._slices[key] = Compiled(lambda organisation_id: archive_applications(
                organisation_id)[page.start:page.stop])
        return cls._slices[key]

    def __getitem__(self, page: slice) -> list[Application]:
        if page.stop is not None and page.stop <= (page.start or 0):
            return []  # an organisation with no applications: its empty first page
        return self.compiled(page)(self.organisation_id)


def _archive_submissions(application_ids: list[int]) -> QuerySet[Submission]:
    return (Submission.objects.filter(application_id__in=application_ids)
            .order_by("-submitted_at", "-pk")
            .values("application_id", "reference", "submitted_at", "withdrawn_at",
                    "total_applied", receipt_status=F("receipt__status"),
                    receipt_sha256=F("receipt__sha256")))


#: compiled to SQL once a connection and number of rows (tilskudd.compiled)
_compiled_submissions = CompiledValues(_archive_submissions)


def archive_submissions(application_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The submissions of the archive's rows shown, newest first, by application: what the
    list shows of each (reference, when sent or withdrawn, the sum applied for) and of its
    receipt (`receipt_status`, None before there is a job, and `receipt_sha256`); one query
    however many rows, without the frozen content."""
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in application_ids}
    for row in _compiled_submissions(application_ids):
        found[row["application_id"]].append(row)
    return found


@dataclass(frozen=True)
class ArchiveCount:
    """How many applications an organisation has, and its applications in the open rounds
    (by round id; id and status only), which the archive offers on every page."""

    count: int
    in_rounds: dict[int, Application]


def _archive_counts(round_ids: tuple[int, ...]) -> CompiledValues:
    """archive_counts' query for these open rounds, compiled once a connection and number
    of organisations (the open rounds change a few times a year)."""
    found = _counts_compiled.get(round_ids)
    if found is None:
        aggregates: dict[str, Any] = {"count": Count("pk")}
        for pk in round_ids:
            aggregates[f"id_{pk}"] = Max("pk", filter=Q(round_id=pk))
            aggregates[f"status_{pk}"] = Max("status", filter=Q(round_id=pk))
        if len(_counts_compiled) > 20:
            _counts_compiled.clear()
        found = _counts_compiled[round_ids] = CompiledValues(
            lambda organisation_ids: Application.objects.filter(
                organisation_id__in=organisation_ids).order_by()
            .values("organisation_id").annotate(**aggregates))
    return found


_counts_compiled: dict[tuple[int, ...], CompiledValues] = {}


def archive_counts(organisation_ids: list[int], rounds: list[Round]) -> dict[int, ArchiveCount]:
    """ArchiveCount of each of these organisations that has applications (one query for
    all of them: an organisation has one application a round)."""
    rows = _archive_counts(tuple(rnd.pk for rnd in rounds))(organisation_ids)
    return {
        row["organisation_id"]: ArchiveCount(row["count"], {
            rnd.pk: Application(pk=row[f"id_{rnd.pk}"], organisation_id=row["organisation_id"],
                                round_id=rnd.pk, status=row[f"status_{rnd.pk}"])
            for rnd in rounds if row[f"id_{rnd.pk}"] is not None
        })
        for row in rows
    }


def live_submission(application: Application) -> Submission | None:
    return application.submissions.filter(withdrawn_at__isnull=True).first()


def receipt_of(submission: Submission) -> ReceiptDocument | None:
    """The submission's receipt job, or None; no query when it was read with the
    submission (select_related or prefetch "receipt")."""
    try:
        return submission.receipt
    except ObjectDoesNotExist:
        return None


def application_content(application: Application) -> dict:
    """The application's content as a submission freezes it (pages outside this app that
    show the whole application, such as the office's case page)."""
    return application_snapshot(application)


def status_history(application: Application) -> QuerySet:
    """The application's status changes (StatusChange), oldest first, with who made them."""
    return application.status_changes.select_related("by").order_by("at", "pk")


def applications_with_ids(ids: list[int] | set[int]) -> QuerySet[Application]:
    """These applications with their organisation (county, office) and round (scheme),
    newest round first (for other apps holding ids, such as reporting's grants)."""
    return (
        Application.objects.filter(pk__in=list(ids))
        .select_related("organisation__county__office", "round__scheme")
        .order_by("-round__year", "organisation__name", "pk")
    )
