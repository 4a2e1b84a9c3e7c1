"""Issue 14: the one deadline rule («kl. 23:59» accepts the whole minute) in Python and in
queries, and the shared record that sends each reminder once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.tilskudd.factories import RoundFactory
from tilskudd import deadlines
from tilskudd.models import Round
from tilskudd.reminders import SentReminder, due_before, record_once

OSLO = ZoneInfo("Europe/Oslo")
DEADLINE = datetime(2027, 3, 17, 23, 59, tzinfo=OSLO)


@pytest.mark.parametrize(("moment", "on_time"), [
    (datetime(2027, 3, 17, 23, 58, 59, tzinfo=OSLO), True),
    (datetime(2027, 3, 17, 23, 59, tzinfo=OSLO), True),
    (datetime(2027, 3, 17, 23, 59, 30, tzinfo=OSLO), True),
    (datetime(2027, 3, 17, 23, 59, 59, 999999, tzinfo=OSLO), True),
    (datetime(2027, 3, 18, 0, 0, tzinfo=OSLO), False),
    (datetime(2027, 3, 18, 0, 0, 0, 1, tzinfo=OSLO), False),
])
def test_a_deadline_accepts_its_whole_minute(moment, on_time):
    assert deadlines.is_open(DEADLINE, moment) is on_time
    assert deadlines.has_passed(DEADLINE, moment) is not on_time
    # the query form agrees: open while the deadline is not before the cutoff
    assert (deadlines.cutoff(moment) <= DEADLINE) is on_time


@pytest.mark.django_db
def test_the_open_rounds_query_includes_a_round_in_its_last_minute():
    rnd = RoundFactory(opens_at=DEADLINE - timedelta(days=60), application_deadline=DEADLINE,
                       reporting_deadline=DEADLINE + timedelta(days=365), year=2027)

    assert list(Round.objects.open_for_applications(DEADLINE + timedelta(seconds=30))) == [rnd]
    assert list(Round.objects.open_for_applications(DEADLINE + timedelta(seconds=60))) == []


def test_reminders_are_due_by_calendar_days_in_oslo():
    assert due_before(DEADLINE, datetime(2027, 3, 9, 23, 0, tzinfo=OSLO), (7, 1)) is None
    assert due_before(DEADLINE, datetime(2027, 3, 10, 0, 5, tzinfo=OSLO), (7, 1)) == 7
    assert due_before(DEADLINE, datetime(2027, 3, 16, 6, 0, tzinfo=OSLO), (7, 1)) == 1
    assert due_before(DEADLINE, datetime(2027, 3, 17, 23, 59, 30, tzinfo=OSLO), (7, 1)) == 1
    assert due_before(DEADLINE, datetime(2027, 3, 18, 0, 0, tzinfo=OSLO), (7, 1)) is None


@pytest.mark.django_db
def test_a_reminder_is_recorded_once():
    now = DEADLINE - timedelta(days=7)

    assert record_once(kind="application_deadline_7", key="12", recipients=["a@b.no"], now=now)
    assert not record_once(kind="application_deadline_7", key="12", recipients=[], now=now)
    assert record_once(kind="application_deadline_1", key="12", recipients=[], now=now)

    assert SentReminder.objects.count() == 2
