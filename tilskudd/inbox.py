"""The inbox: the start page of an organisation's users (like Altinn's). What waits for
me and for my organisation, most urgent first, and what happened lately.

Each domain app registers a provider in its AppConfig.ready() (applications: drafts to
finish and applications waiting for a signature; assessment: letters to read and accept;
reporting: reports to write or correct, and overdue ones), so tilskudd never imports the
apps that fill it. A provider gets the user, the user's memberships and the moment, and
reads with a fixed number of queries whatever the number of applications.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import access, deadlines
from .models import AuditEvent, Membership, OfficeMembership, User
from .receipts import when
from .selectors import memberships_for_user

#: What an item is about (the page and the tests tell them apart by it).
DRAFT = "draft"
TO_SIGN = "to_sign"
LETTER = "letter"
REPORT = "report"
REPORT_RETURNED = "report_returned"
REPORT_OVERDUE = "report_overdue"


@dataclass(frozen=True)
class InboxItem:
    """One piece of work: what (`title`), the facts a person needs to act (`detail`),
    where it is done (`url`, with `link_text`), and when it is due.

    `for_me`: the user can do it (an editor a draft, a signatory a signature); otherwise
    it waits for someone else in the organisation. `blocking`: it stops something else
    (an overdue report stops the next application)."""

    kind: str
    title: str
    url: str
    link_text: str
    organisation: str
    detail: str = ""
    due: datetime | None = None
    for_me: bool = True
    blocking: bool = False

    def urgency(self, now: datetime) -> tuple:
        """Blocking or overdue first, then by the nearest deadline; undated last."""
        overdue = self.due is not None and self.due <= now
        return (not (self.blocking or overdue), self.due is None, self.due or now, self.title)


@dataclass(frozen=True)
class InboxEvent:
    """Something that happened lately (sent in, decided, returned), with where to see it."""

    at: datetime
    text: str
    url: str = ""


@dataclass
class Inbox:
    mine: list[InboxItem] = field(default_factory=list)
    others: list[InboxItem] = field(default_factory=list)
    events: list[InboxEvent] = field(default_factory=list)
    now: datetime = field(default_factory=timezone.now)

    @property
    def is_empty(self) -> bool:
        return not (self.mine or self.others)


def due_text(due: datetime, now: datetime) -> str:
    """«Frist 1. mars 2027 kl. 23:59 – 12 dager igjen» (or how late it is)."""
    days = (timezone.localdate(due) - timezone.localdate(now)).days
    if deadlines.has_passed(due, now):
        late = max(-days, 0)
        if late == 0:
            return _("Fristen var %(due)s, i dag.") % {"due": when(due)}
        return ngettext("Fristen var %(due)s, for %(n)d dag siden.",
                        "Fristen var %(due)s, for %(n)d dager siden.", late) % {
            "due": when(due), "n": late}
    if days == 0:
        return _("Frist %(due)s – i dag.") % {"due": when(due)}
    return ngettext("Frist %(due)s – %(n)d dag igjen.", "Frist %(due)s – %(n)d dager igjen.",
                    days) % {"due": when(due), "n": days}


#: (user, the user's memberships, now) -> the items waiting.
ItemProvider = Callable[[User, Sequence[Membership], datetime], Iterable[InboxItem]]
#: (ids of the user's organisations, how many at most) -> what happened, newest first.
EventProvider = Callable[[list[int], int], Iterable[InboxEvent]]
_item_providers: list[ItemProvider] = []
_event_providers: list[EventProvider] = []


def register_inbox_provider(items: ItemProvider | None = None,
                            events: EventProvider | None = None) -> None:
    if items is not None and items not in _item_providers:
        _item_providers.append(items)
    if events is not None and events not in _event_providers:
        _event_providers.append(events)


#: How many of the latest events the inbox shows.
EVENTS_SHOWN = 8


def inbox_for(user: User, now: datetime | None = None,
              memberships: Sequence[Membership] | None = None) -> Inbox:
    """Everything waiting for the user and the user's organisations, most urgent first."""
    now = now or timezone.now()
    memberships = list(memberships_for_user(user) if memberships is None else memberships)
    inbox = Inbox(now=now)
    if not memberships:
        return inbox
    items: list[InboxItem] = [
        item for provider in _item_providers for item in provider(user, memberships, now)
    ]
    items.sort(key=lambda item: item.urgency(now))
    inbox.mine = [item for item in items if item.for_me]
    inbox.others = [item for item in items if not item.for_me]
    organisation_ids = [m.organisation_id for m in memberships]
    events: list[InboxEvent] = [
        event for provider in _event_providers
        for event in provider(organisation_ids, EVENTS_SHOWN)
    ]
    inbox.events = sorted(events, key=lambda event: event.at, reverse=True)[:EVENTS_SHOWN]
    return inbox


def may_sign(memberships: Sequence[Membership], organisation_id: int) -> bool:
    return any(m.organisation_id == organisation_id and m.may_sign for m in memberships)


def organisation_names(memberships: Sequence[Membership]) -> dict[int, str]:
    return {m.organisation_id: m.organisation.name for m in memberships}


def target_ids(events: Iterable[Any]) -> list[int]:
    return sorted({event.target_id for event in events})


def audited_targets(
    targets: QuerySet, condition: Q, limit: int, *, related: Sequence[str],
) -> list[tuple[AuditEvent, Any]]:
    """The latest `limit` audit rows matching `condition` about the rows of `targets` (one
    app's objects of the user's organisations), newest first, each with its object read with
    `related`; a row whose object is gone is left out. Two queries, whatever the number."""
    model = targets.model
    events = list(
        AuditEvent.objects.filter(
            condition, target_type=ContentType.objects.get_for_model(model),
            target_id__in=targets.values("pk"),
        ).select_related("actor").order_by("-at", "-pk")[:limit]
    )
    objects = model.objects.select_related(*related).in_bulk(target_ids(events))
    return [(event, objects[event.target_id]) for event in events if event.target_id in objects]


# --- the office's side: the admin index ----------------------------------------------------

#: (user, the user's office membership, now) -> the cases and reports waiting.
OfficeProvider = Callable[[User, OfficeMembership, datetime], Iterable[InboxItem]]
_office_providers: list[OfficeProvider] = []


def register_office_provider(provider: OfficeProvider) -> OfficeProvider:
    if provider not in _office_providers:
        _office_providers.append(provider)
    return provider


def office_inbox_for(user: User, now: datetime | None = None) -> list[InboxItem]:
    """What waits for a member of an office's staff (cases assigned to them, waiting for
    their approval, reports to review, letters not accepted), oldest first."""
    now = now or timezone.now()
    membership = access.office_membership_for(user)
    if membership is None:
        return []
    items = [item for provider in _office_providers for item in provider(user, membership, now)]
    return sorted(items, key=lambda item: item.urgency(now))
