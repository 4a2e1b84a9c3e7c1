"""The caseworkers' list's count and rows queries compiled once a connection for each kind
of page (assessment/admin_sql.py), and the round and county filters' queries compiled once
(assessment/list_filters.py): the same rows, count and choices as the ORM gives, for each
ordering, filter and page, on SQLite and PostgreSQL; a page asked again compiles none of
them; what changed in the database shows on the next page."""

from dataclasses import fields
from unittest import mock

import pytest
from django.contrib import admin
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.sql import Query
from django.test import RequestFactory
from django.urls import reverse

from applications.models import Application
from assessment import admin_sql
from assessment.admin_list import VALUES, ListRow
from assessment.list_filters import CountyFilter, RoundFilter
from assessment.models import SubmittedApplication
from tests.tilskudd.factories import CountyFactory, RoundFactory, UserFactory
from tilskudd import admin_filters
from tilskudd.models import County, Round

from .test_admin import _bulk_applications

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessment_submittedapplication_changelist"

PAGES = [
    {},
    {"p": "2"},
    {"p": "3"},  # the last, 30 rows
    {"o": "-1"},  # by reference
    {"o": "3", "p": "2"},  # by the case's status
    {"o": "5.-2"},  # by the amounts, then the name the other way
    {"organisation__is_rural_district__exact": "1", "p": "2"},  # 65: two pages
    {"case": "not_started"},  # 65
    {"accepted": "no", "o": "2"},  # decided and not accepted
    {"mental_health": "yes", "organisation__county__id__exact": "0"},  # a county not there
    {"trukket": "ja"},  # none withdrawn
]


@pytest.fixture
def many(trondheim, open_round, budget, caseworker, approver):
    """130 applications: three pages of 50, 50 and 30."""
    return _bulk_applications(130, county=trondheim.county, rnd=open_round,
                              caseworker=caseworker, approver=approver)


def _page(client, params) -> tuple[int, list[dict]]:
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    cl = response.context["cl"]
    return cl.result_count, [
        {field.name: getattr(row, field.name) for field in fields(row) if field.name != "texts"}
        for row in cl.result_list.rows]


def _compiled(client, params) -> list[str]:
    """The models whose queries a GET of the list compiles."""
    compiled = []
    real = Query.get_compiler

    def spy(query, *args, **kwargs):
        compiled.append(query.model._meta.label if query.model else None)
        return real(query, *args, **kwargs)

    with mock.patch.object(Query, "get_compiler", spy):
        response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return compiled


@pytest.mark.parametrize("params", PAGES)
def test_a_kept_page_is_the_count_and_rows_the_orm_gives(client, many, caseworker, params):
    client.force_login(caseworker)

    first = _page(client, params)  # compiled and kept
    kept = _page(client, params)
    with mock.patch.object(admin_sql, "list_key", return_value=None):
        djangos = _page(client, params)

    assert first == kept == djangos


@pytest.mark.parametrize("params", [{}, {"p": "2"}, {"o": "-1"}, {"case": "not_started"}])
def test_a_page_asked_again_compiles_none_of_the_lists_queries(
    client, many, caseworker, params
):
    client.force_login(caseworker)
    _compiled(client, params)

    again = _compiled(client, params)

    assert Application._meta.label not in again
    assert SubmittedApplication._meta.label not in again
    assert Round._meta.label not in again
    assert County._meta.label not in again


def test_a_search_is_compiled_as_django_does(client, many, caseworker):
    client.force_login(caseworker)
    _compiled(client, {"q": "Selskap 01"})

    again = _compiled(client, {"q": "Selskap 01"})

    assert SubmittedApplication._meta.label in again
    assert _page(client, {"q": "Selskap 01"})[0] > 0


def test_what_changed_shows_on_the_next_page(client, many, caseworker, trondheim, open_round,
                                              approver):
    client.force_login(caseworker)
    count, rows = _page(client, {"p": "3"})
    assert (count, len(rows)) == (130, 30)
    Application.objects.filter(pk=many[0].pk).update(has_mental_health=True, applied_total=1)

    _bulk_applications(25, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver, start=500)
    count, rows = _page(client, {"p": "3"})

    assert (count, len(rows)) == (155, 50)
    first = next(row for row in _page(client, {})[1] if row["pk"] == many[0].pk)
    assert (first["has_mental_health"], first["applied_total"]) == (True, 1)


def test_each_office_and_the_directorate_have_their_own(
    client, many, caseworker, rogaland_application, rogaland_caseworker
):
    directorate = UserFactory(is_staff=True, is_directorate=True)
    for user, expected in [(caseworker, 130), (rogaland_caseworker, 1), (directorate, 131)]:
        client.force_login(user)
        assert _page(client, {})[0] == expected
        assert _page(client, {})[0] == expected


def _shown(client, params) -> list[int]:
    """The keys of the list's rows as a GET shows them, and as Django's ORM reads them
    (nothing kept), which must be the same."""
    shown = [row["pk"] for row in _page(client, params)[1]]
    with mock.patch.object(admin_sql, "list_key", return_value=None):
        assert [row["pk"] for row in _page(client, params)[1]] == shown
    return shown


def test_two_offices_lists_of_as_many_rows_are_each_their_own(
    client, trondheim, open_round, budget, caseworker, approver, rogaland_org,
    rogaland_budget, rogaland_caseworker, rogaland_approver
):
    """The same parameters and the same count, one connection: the office in the key
    keeps each caseworker to their office's rows, and a caseworker moved to another
    office sees that office's on their next page, one who left none."""
    ours = {a.pk for a in _bulk_applications(
        3, county=trondheim.county, rnd=open_round, caseworker=caseworker, approver=approver)}
    theirs = {a.pk for a in _bulk_applications(
        3, county=rogaland_org.county, rnd=open_round, caseworker=rogaland_caseworker,
        approver=rogaland_approver, start=100)}
    superuser = UserFactory(is_staff=True, is_superuser=True)

    for user, expected in [(superuser, ours | theirs), (caseworker, ours),
                           (rogaland_caseworker, theirs), (caseworker, ours)]:
        client.force_login(user)
        assert set(_shown(client, {"o": "-1"})) == expected

    caseworker.office_membership.office = rogaland_org.office
    caseworker.office_membership.save()
    assert set(_shown(client, {"o": "-1"})) == theirs
    caseworker.office_membership.delete()
    assert client.get(reverse(CHANGELIST), {"o": "-1"}).status_code == 403


@pytest.mark.parametrize("o", ["2", "3", "-3", "5"])
def test_the_superuser_and_the_directorate_sort_by_the_column_each_asked_for(client, many, o):
    """`o` numbers the columns shown, and the superuser's list shows the actions'
    checkbox first, the directorate's not: the same `o` is another sorting for each."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    directorate = UserFactory(is_staff=True, is_directorate=True)
    shown = {}
    for user in [superuser, directorate, superuser]:
        client.force_login(user)
        shown[user.pk] = _shown(client, {"o": o})

    assert shown[superuser.pk] != shown[directorate.pk]


def test_a_connection_keeps_at_most_kept_pages_the_least_recently_used_forgotten(
    client, many, caseworker
):
    client.force_login(caseworker)
    connections[DEFAULT_DB_ALIAS].__dict__.pop(admin_sql._CONNECTION_KEY, None)  # as new
    with mock.patch.object(admin_sql, "KEPT_PAGES", 2):  # a page keeps its count and rows
        for params in [{"p": "2"}, {"p": "3"}, {"o": "-1"}]:
            _shown(client, params)
        kept = list(connections[DEFAULT_DB_ALIAS].__dict__[admin_sql._CONNECTION_KEY])

    assert [key[0] for key in kept] == ["count", "values"]
    assert all((("o", "-1"),) in key for key in kept)  # the last page's parameters


def test_the_filters_list_the_rounds_and_the_offices_counties_as_the_orm(
    trondheim, open_round, caseworker
):
    RoundFactory(year=open_round.year - 1)
    CountyFactory(office=trondheim.office, number="49", name="Ekstra")
    request = RequestFactory().get("/")
    request.user = caseworker
    model_admin = admin.site._registry[SubmittedApplication]

    def lookups(spec):
        return spec(request, {}, SubmittedApplication, model_admin).lookups(request, model_admin)

    rounds = lookups(RoundFilter)
    assert rounds == admin_filters.RoundFilter.lookups(
        RoundFilter(request, {}, SubmittedApplication, model_admin), request, model_admin)
    assert [name for _, name in rounds] == [
        str(r) for r in Round.objects.select_related("scheme").order_by("-year")]
    assert lookups(CountyFilter) == [
        (str(c.pk), str(c)) for c in County.objects.filter(office=trondheim.office)]


def test_a_row_of_values_takes_them_in_the_order_values_names_them():
    """ListRow.of_values gives values_list's columns to the fields by position."""
    assert [field.name for field in fields(ListRow)][:len(VALUES)] == list(VALUES)
