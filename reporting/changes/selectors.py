"""Reads of change requests: the grant's lines as a request shows them, one request for a
member of the recipient or for the office, and what waits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from applications import selectors as application_selectors
from applications.models import Application
from tilskudd import access
from tilskudd.models import User

from .. import grants
from ..rules import line_name
from .models import (
    PENDING_STATUSES,
    ChangeLetter,
    ChangeRequest,
    ChangeRequestLine,
    ChangeStatus,
    Recommendation,
)

#: The parts in the order the decision lists them, with the application's related names.
PARTS = (("competence", "competence_lines"), ("bpa", "bpa_lines"), ("projects", "projects"))


@dataclass(frozen=True)
class GrantedLine:
    """A line of the decision as it stands now (after any approved change)."""

    part: str
    line_id: int
    label: str
    granted: Decimal


@dataclass(frozen=True)
class CurrentGrant:
    application: Application
    grant: grants.Grant
    lines: list[GrantedLine]

    @property
    def granted_total(self) -> Decimal:
        return self.grant.granted_total


def current_grant(application: Application) -> CurrentGrant | None:
    """The grant on the application with every line of the decision (also those granted
    nothing, which money may be moved to), or None without a grant. Uses the
    application's prefetched lines when there are."""
    grant = grants.grant_for(application.pk)
    if grant is None:
        return None
    decided = {(line.part, line.line_id) for line in grant.lines}
    lines = [
        GrantedLine(part=part, line_id=line.pk, label=line_name(part, SimpleNamespace(source=line)),
                    granted=grant.granted_for(part, line.pk))
        for part, related in PARTS
        for line in getattr(application, related).all()
        if (part, line.pk) in decided
    ]
    return CurrentGrant(application=application, grant=grant, lines=lines)


def application_for_member(user: User, application_id: int) -> Application:
    """The application if the user is a member of its organisation, else 404."""
    return application_selectors.application_for_member(user, application_id)


def application_with_lines(application_id: int) -> Application:
    return application_selectors.applications_with_ids([application_id]).get()


def with_details(qs: QuerySet[ChangeRequest]) -> QuerySet[ChangeRequest]:
    return qs.select_related(
        "application__organisation__county__office", "application__round__scheme",
        "requested_by", "recommended_by", "decided_by", "letter",
    ).prefetch_related("lines", "events__by")


def change_request_for_member(user: User, reference: str) -> ChangeRequest:
    found = with_details(ChangeRequest.objects.filter(
        reference=reference, application__organisation__memberships__user=user)).first()
    if found is None:
        raise Http404
    return found


def letter_for_member(user: User, reference: str) -> ChangeLetter:
    """The decision letter for a member of the recipient or the office's staff (the
    office's change-request page links it too); 404 for anyone else."""
    found = (ChangeLetter.objects.filter(change_request__reference=reference)
             .select_related("change_request__application__organisation__county__office")
             .first())
    if found is None:
        raise Http404
    if not access.is_member_or_office_staff(user, found.change_request.application.organisation):
        raise Http404
    return found


def pending_for(application_id: int) -> ChangeRequest | None:
    return ChangeRequest.objects.filter(application_id=application_id,
                                        status__in=PENDING_STATUSES).first()


def change_requests_of(application_ids: list[int]) -> QuerySet[ChangeRequest]:
    """The applications' change requests with their letters, oldest first (the archive)."""
    return (ChangeRequest.objects.filter(application_id__in=application_ids)
            .select_related("letter").order_by("requested_at", "pk"))


def for_office(qs: QuerySet[ChangeRequest]) -> QuerySet[ChangeRequest]:
    """The admin's list: what each row shows, in one query."""
    return qs.select_related(
        "application__organisation__county__office", "application__round__scheme",
        "requested_by", "recommended_by", "decided_by",
    ).prefetch_related(Prefetch("lines"))


def waiting_at_office(office_id: int) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(
        application__organisation__county__office_id=office_id, status__in=PENDING_STATUSES,
    ).select_related("application__organisation", "application__round__scheme",
                     "recommended_by").order_by("requested_at", "pk")


@dataclass(frozen=True)
class MovedLine:
    """A line of the decision that approved change requests moved: as the decision granted
    it, and now."""

    part: str
    line_id: int
    label: str
    decided: Decimal
    now: Decimal


@dataclass(frozen=True)
class GrantChanges:
    """An application's change requests, newest first (each with its letter), and the
    lines the approved ones moved, in the decision's order."""

    requests: list[ChangeRequest]
    moved: list[MovedLine]

    @property
    def approved(self) -> list[ChangeRequest]:
        """The approved requests, oldest first: each one changed the decision."""
        return sorted((r for r in self.requests if r.status == ChangeStatus.APPROVED),
                      key=lambda r: (r.decided_at, r.pk))


def grant_changes(application_id: int) -> GrantChanges:
    """What the decision's pages show of the change requests, in one query whatever their
    number: the requests come with their lines (a request names every line of the
    decision) and letters. What a line is granted now is the newest approved request's
    amount, as reporting.grants reads it; before the first, the decision's."""
    rows = (ChangeRequestLine.objects.filter(change_request__application_id=application_id)
            .select_related("change_request__letter").order_by("pk"))
    requests: dict[int, ChangeRequest] = {}
    lines: dict[int, list[ChangeRequestLine]] = {}
    for row in rows:
        requests.setdefault(row.change_request_id, row.change_request)
        lines.setdefault(row.change_request_id, []).append(row)
    found = GrantChanges(requests=sorted(requests.values(),
                                         key=lambda r: (r.requested_at, r.pk), reverse=True),
                         moved=[])
    first: dict[tuple[str, int], ChangeRequestLine] = {}
    now: dict[tuple[str, int], Decimal] = {}
    for change in found.approved:
        for line in lines[change.pk]:
            first.setdefault((line.part, line.line_id), line)
            now[(line.part, line.line_id)] = line.requested
    return replace(found, moved=[
        MovedLine(part=line.part, line_id=line.line_id, label=line.label,
                  decided=line.granted, now=now[key])
        for key, line in first.items() if now[key] != line.granted
    ])


def recommended_moves(applications: QuerySet | Iterable[int]
                      ) -> dict[int, dict[tuple[str, int], Decimal]]:
    """{application id: {(part, line id): how much more the line would be granted (less:
    negative)}} by the change requests recommended for approval and not decided yet; one
    query, a queryset of applications (or of their ids) read as a subquery. Registered as
    tilskudd.granted's recommended moves, for the pot page."""
    ids = applications if isinstance(applications, QuerySet) else list(applications)
    rows = (ChangeRequestLine.objects
            .filter(change_request__application_id__in=ids,
                    change_request__status=ChangeStatus.RECOMMENDED,
                    change_request__recommendation=Recommendation.APPROVE)
            .exclude(requested=F("granted")).order_by()
            .values_list("change_request__application_id", "part", "line_id", "granted",
                         "requested"))
    found: dict[int, dict[tuple[str, int], Decimal]] = {}
    for application_id, part, line_id, granted, requested in rows:
        found.setdefault(application_id, {})[(part, line_id)] = requested - granted
    return found


__all__ = ["ChangeStatus", "CurrentGrant", "GrantChanges", "GrantedLine", "MovedLine",
           "application_for_member", "application_with_lines",
           "change_request_for_member", "change_requests_of", "current_grant", "for_office",
           "grant_changes", "letter_for_member", "pending_for", "recommended_moves",
           "waiting_at_office", "with_details"]
