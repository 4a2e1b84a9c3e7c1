"""The one deadline rule every deadline in the portal follows (application, report,
extension): a deadline is shown to the minute («kl. 23:59»), so it accepts the whole of
that minute; 23:59:59.999 is on time, 00:00 is late.

In Python ask `is_open(deadline, moment)`; in a query compare the deadline with
`cutoff(moment)`: a deadline has passed when it is before the cutoff
(`deadline__lt=cutoff(now)`) and is still open when it is not (`deadline__gte=...`).
Compared in UTC: Python compares two datetimes that share a tzinfo by wall clock, which
would get the repeated hour of the autumn DST change wrong (Oslo's offset is whole hours,
so a minute in UTC is the same minute in Oslo).

A round's change deadline has a default, so its one place is `change_deadline(rnd)`: the
change requests accept by it and the allocation letter names it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from .models import Round

OSLO = ZoneInfo("Europe/Oslo")
#: A round's change deadline when it has none of its own: this day of its year, 23:59 Oslo.
DEFAULT_CHANGE_DEADLINE = (10, 1, 23, 59)


def cutoff(moment: datetime) -> datetime:
    """The start of the minute `moment` falls in (UTC): the earliest deadline still open."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def is_open(deadline: datetime, moment: datetime) -> bool:
    """Whether `moment` is on time for `deadline` (the deadline's whole minute included)."""
    return deadline.astimezone(UTC) >= cutoff(moment)


def has_passed(deadline: datetime, moment: datetime) -> bool:
    return not is_open(deadline, moment)


def change_deadline(rnd: Round) -> datetime:
    """The last moment a change request (endringssøknad) may be sent for the round."""
    if rnd.change_deadline is not None:
        return rnd.change_deadline
    month, day, hour, minute = DEFAULT_CHANGE_DEADLINE
    return datetime(rnd.year, month, day, hour, minute, tzinfo=OSLO)
