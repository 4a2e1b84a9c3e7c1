"""The open-rounds rule names the moments it reads (tilskudd.models.open_round_moments), its
query filters by those and no other, the compiled open rounds are run with them, and the
start page reads the open rounds by that compiled query (no compile after the first), and
not at all for one not signed in, who is not shown them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse

from tests.tilskudd.compiles import counted_compiles
from tilskudd import selectors
from tilskudd.models import Round, open_round_moments

from .factories import RoundFactory

#: a moment with seconds, so that it and the start of its minute differ
AT = datetime(2031, 3, 1, 11, 0, 42, 5, tzinfo=UTC)


def test_the_rule_filters_by_the_moments_it_names_and_no_other(db):
    _sql, params = Round.objects.open_for_applications(AT).query.sql_with_params()

    named = [connection.ops.adapt_datetimefield_value(m) for m in open_round_moments(AT)]
    assert sorted(params) == sorted(named)
    assert open_round_moments(AT) == [AT, AT.replace(second=0, microsecond=0)]


def test_the_compiled_open_rounds_are_run_with_the_rules_moments(db):
    RoundFactory(year=2031, opens_at=AT - timedelta(days=60), application_deadline=AT,
                 reporting_deadline=AT + timedelta(days=400))

    assert selectors._open_rounds.held is open_round_moments
    assert selectors._open_rounds.prepared(connections[DEFAULT_DB_ALIAS]) is not None
    assert [r.year for r in selectors._open_rounds(AT)] == [2031]


def test_the_start_page_reads_the_open_rounds_by_the_compiled_query(client, grant_round,
                                                                    editor):
    client.force_login(editor)
    client.get(reverse("home"))

    with counted_compiles() as (compiles, _queries):
        page = client.get(reverse("home")).content.decode()

    assert Round not in compiles
    assert f"<li>{grant_round.scheme.name} {grant_round.year}: søknadsfrist" in page


def test_the_start_page_reads_nothing_for_one_not_signed_in(client, grant_round,
                                                           django_assert_num_queries):
    with django_assert_num_queries(0):
        page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("login")}"' in page
    assert grant_round.scheme.name + f" {grant_round.year}:" not in page
