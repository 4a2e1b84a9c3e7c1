"""tilskudd.compiled.CompiledAt and selectors.open_round_list: the open rounds read by SQL
compiled once a connection are the ORM's at every moment (before a round opens, through
its deadline's minute, after it), and a query whose parameters change with the moment
where `held` does not say so is run by the ORM."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connections

from tests.tilskudd.compiles import counted_compiles
from tilskudd import selectors
from tilskudd.compiled import CompiledAt
from tilskudd.models import Round, open_round_moments

from .factories import RoundFactory

DEADLINE = datetime(2031, 3, 1, 11, 0, tzinfo=UTC)
LATER = {"reporting_deadline": DEADLINE + timedelta(days=400)}


def _facts(rounds):
    return [(r.pk, r.year, r.scheme.code, r.application_deadline) for r in rounds]


def test_the_open_rounds_are_the_orms_at_every_moment(db):
    RoundFactory(year=2031, opens_at=DEADLINE - timedelta(days=60), application_deadline=DEADLINE,
                 **LATER)
    RoundFactory(year=2032, opens_at=DEADLINE - timedelta(days=1),
                 application_deadline=DEADLINE + timedelta(days=30), **LATER)
    compiled = CompiledAt(selectors.open_rounds, held=open_round_moments)
    moments = [DEADLINE - timedelta(days=61), DEADLINE - timedelta(days=2),
               DEADLINE - timedelta(hours=2), DEADLINE + timedelta(seconds=59),
               DEADLINE + timedelta(minutes=1), DEADLINE + timedelta(days=31)]

    found = [_facts(compiled(at)) for at in moments]

    assert compiled.prepared(connections[DEFAULT_DB_ALIAS]) is not None
    assert found == [_facts(selectors.open_rounds(at)) for at in moments]
    assert [[year for _pk, year, *_ in rounds] for rounds in found] == [
        [], [2031], [2031, 2032], [2031, 2032], [2032], []]
    assert found[2][0][3].tzinfo is not None  # the backend's converters ran


def test_open_round_list_compiles_nothing_after_the_first(db):
    RoundFactory(year=2031)
    selectors.open_round_list()
    with counted_compiles() as (compiles, queries):
        rounds = selectors.open_round_list()

    assert _facts(rounds) == _facts(selectors.open_rounds())
    assert len(queries) == 1 and compiles == []


def test_a_moment_the_sql_holds_and_held_does_not_name_is_run_by_the_orm(db):
    RoundFactory(year=2031, opens_at=DEADLINE - timedelta(days=60), application_deadline=DEADLINE,
                 **LATER)
    unnamed = CompiledAt(
        lambda at: Round.objects.filter(opens_at__lte=at,
                                        application_deadline__gte=at - timedelta(days=1)),
        held=lambda at: [at])
    at = DEADLINE + timedelta(hours=12)

    assert unnamed.prepared(connections[DEFAULT_DB_ALIAS]) is None
    assert [r.year for r in unnamed(at)] == [2031]


def test_a_value_taken_from_the_moments_year_or_month_is_run_by_the_orm(db):
    """A day later is the same year and month: the query is compiled in another year, month
    and hour too, so a year or a month taken from the moment is found."""
    RoundFactory(year=2031, opens_at=DEADLINE - timedelta(days=60), application_deadline=DEADLINE,
                 **LATER)
    by_year = CompiledAt(lambda at: Round.objects.filter(opens_at__lte=at, year=at.year),
                         held=lambda at: [at])
    by_month = CompiledAt(
        lambda at: Round.objects.filter(opens_at__lte=at, application_deadline__month=at.month),
        held=lambda at: [at])

    assert by_year.prepared(connections[DEFAULT_DB_ALIAS]) is None
    assert by_month.prepared(connections[DEFAULT_DB_ALIAS]) is None
    assert [r.year for r in by_year(DEADLINE)] == [2031]
    assert [r.year for r in by_year(DEADLINE.replace(year=2032))] == []
    assert [r.year for r in by_month(DEADLINE)] == [2031]
