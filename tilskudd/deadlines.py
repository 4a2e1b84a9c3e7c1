"""The one deadline rule every deadline in the portal follows (application, report,
extension): a deadline is shown to the minute («kl. 23:59»), so it accepts the whole of
that minute; 23:59:59.999 is on time, 00:00 is late.

In Python ask `is_open(deadline, moment)`; in a query compare the deadline with
`cutoff(moment)`: a deadline has passed when it is before the cutoff
(`deadline__lt=cutoff(now)`) and is still open when it is not (`deadline__gte=...`).
Compared in UTC: Python compares two datetimes that share a tzinfo by wall clock, which
would get the repeated hour of the autumn DST change wrong (Oslo's offset is whole hours,
so a minute in UTC is the same minute in Oslo)."""

from __future__ import annotations

from datetime import UTC, datetime


def cutoff(moment: datetime) -> datetime:
    """The start of the minute `moment` falls in (UTC): the earliest deadline still open."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def is_open(deadline: datetime, moment: datetime) -> bool:
    """Whether `moment` is on time for `deadline` (the deadline's whole minute included)."""
    return deadline.astimezone(UTC) >= cutoff(moment)


def has_passed(deadline: datetime, moment: datetime) -> bool:
    return not is_open(deadline, moment)
