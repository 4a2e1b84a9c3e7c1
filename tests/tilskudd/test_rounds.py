from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.tilskudd.factories import RoundFactory, SchemeFactory
from tilskudd.models import Round

OSLO = ZoneInfo("Europe/Oslo")
UTC = ZoneInfo("UTC")


def make_round(deadline: datetime) -> Round:
    return Round(
        year=deadline.year,
        opens_at=deadline - timedelta(days=90),
        application_deadline=deadline,
        reporting_deadline=deadline + timedelta(days=365),
    )


def test_deadline_minute_in_oslo_time_winter():
    # 17 March 23:59 in Oslo is 22:59 UTC (CET, UTC+1); «kl. 23:59» accepts that minute.
    rnd = make_round(datetime(2027, 3, 17, 23, 59, tzinfo=OSLO))

    assert rnd.accepts_applications_at(datetime(2027, 3, 17, 22, 58, 59, tzinfo=UTC))
    assert rnd.accepts_applications_at(datetime(2027, 3, 17, 22, 59, tzinfo=UTC))
    assert rnd.accepts_applications_at(datetime(2027, 3, 17, 23, 59, 30, tzinfo=OSLO))
    assert rnd.accepts_applications_at(datetime(2027, 3, 17, 22, 59, 59, 999999, tzinfo=UTC))
    assert not rnd.accepts_applications_at(datetime(2027, 3, 17, 23, 0, tzinfo=UTC))
    assert not rnd.accepts_applications_at(datetime(2027, 3, 18, 0, 0, tzinfo=OSLO))


def test_deadline_just_after_spring_dst_change():
    # Clocks go from 02:00 CET to 03:00 CEST on 28 March 2027; 03:30 CEST is 01:30 UTC.
    rnd = make_round(datetime(2027, 3, 28, 3, 30, tzinfo=OSLO))

    assert rnd.application_deadline.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    # 01:59 CET (00:59 UTC) is 31 real minutes before the deadline, not 91.
    assert rnd.accepts_applications_at(datetime(2027, 3, 28, 1, 29, tzinfo=OSLO))
    assert rnd.accepts_applications_at(datetime(2027, 3, 28, 1, 30, 59, tzinfo=UTC))
    assert not rnd.accepts_applications_at(datetime(2027, 3, 28, 1, 31, tzinfo=UTC))


def test_deadline_across_autumn_dst_change():
    # 25 Oct 2026: 02:30 happens twice; fold=1 is the second time (CET, 01:30 UTC).
    rnd = make_round(datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=OSLO))

    first_0230 = datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=OSLO)  # 00:30 UTC
    assert rnd.accepts_applications_at(first_0230)
    assert rnd.accepts_applications_at(datetime(2026, 10, 25, 1, 30, 59, tzinfo=UTC))
    assert not rnd.accepts_applications_at(datetime(2026, 10, 25, 1, 31, tzinfo=UTC))


def test_round_is_closed_before_it_opens():
    rnd = make_round(datetime(2027, 3, 17, 23, 59, tzinfo=OSLO))
    assert not rnd.accepts_applications_at(rnd.opens_at - timedelta(seconds=1))
    assert rnd.accepts_applications_at(rnd.opens_at)


@pytest.mark.django_db
def test_open_for_applications_property_and_queryset():
    open_round = RoundFactory()
    closed = RoundFactory(
        year=open_round.year - 1,
        opens_at=open_round.opens_at - timedelta(days=400),
        application_deadline=open_round.opens_at - timedelta(days=300),
    )

    assert open_round.is_open_for_applications is True
    assert closed.is_open_for_applications is False
    assert list(Round.objects.open_for_applications()) == [open_round]


@pytest.mark.django_db
def test_round_dates_must_be_in_order():
    deadline = datetime(2027, 3, 17, 23, 59, tzinfo=OSLO)
    rnd = Round(
        scheme=SchemeFactory(), year=2027, opens_at=deadline, application_deadline=deadline,
        reporting_deadline=deadline + timedelta(days=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        rnd.full_clean()
    assert "application_deadline" in excinfo.value.message_dict
