"""The caseworkers' list reads a page's keys first (assessment/admin_paging.py): the same
rows in the same order as Django's paginator, in the same one query, its sorting and
slicing done on the keys."""

import re
from unittest import mock

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.admin import SubmittedApplicationAdmin

from .test_admin import _bulk_applications

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessment_submittedapplication_changelist"
#: the rows' query with the page's keys sorted and sliced in a subquery
KEYS_FIRST = re.compile(r'"applications_application"\."id" IN \(SELECT .*U0\."id" .* LIMIT \d+')


@pytest.fixture
def many(trondheim, open_round, budget, caseworker, approver):
    """130 applications: three pages of 50, 50 and 30."""
    _bulk_applications(130, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver)


def _listed(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return [row.pk for row in response.context["cl"].result_list], len(queries), [
        q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("params", [
    {},
    {"p": "2"},
    {"p": "3"},
    {"o": "-1"},  # by reference
    {"o": "3", "p": "2"},  # by the case's status: many alike, the key decides
    {"o": "5.-2"},  # by the amounts, then the name the other way
    {"organisation__is_rural_district__exact": "1", "p": "2"},  # filtered: 65
    {"q": "Selskap", "p": "2"},
])
def test_a_page_is_the_rows_djangos_paginator_gives_in_as_many_queries(
    client, many, caseworker, params
):
    client.force_login(caseworker)
    client.get(reverse(CHANGELIST), params)

    ours, our_queries, sql = _listed(client, params)
    with mock.patch.object(SubmittedApplicationAdmin, "paginator", Paginator):
        djangos, django_queries, _ = _listed(client, params)

    assert ours == djangos
    assert len(ours) >= 1
    assert our_queries == django_queries
    assert any(KEYS_FIRST.search(q) for q in sql)


def test_the_page_is_read_through_the_keys_only_where_the_list_is_longer_than_a_page(
    client, trondheim, open_round, budget, caseworker, approver
):
    _bulk_applications(10, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver)
    client.force_login(caseworker)

    ours, _, sql = _listed(client, {})

    assert len(ours) == 10
    assert not any(KEYS_FIRST.search(q) for q in sql)


def test_the_paginator_is_djangos_for_a_list_that_is_not_a_queryset():
    from assessment.admin_paging import KeysFirstPaginator

    page = KeysFirstPaginator(list(range(120)), 50).page(3)

    assert list(page.object_list) == list(range(100, 120))


@pytest.mark.parametrize("params", [
    {},
    {"o": "-1"},
    {"q": "Selskap"},  # the search joins the submissions: a DISTINCT count
    {"q": "KKT"},  # by reference, which the application sent twice has two of
    {"case": "not_started"},  # reads the case's join: kept
    {"case": "decided", "outcome": "granted"},
    {"accepted": "no"},
    {"mental_health": "yes", "organisation__is_rural_district__exact": "1"},
])
def test_the_count_is_djangos_without_the_joins_it_does_not_need(
    client, many, trondheim, open_round, signatory, caseworker, params
):
    from applications import services as application_services

    from .helpers import submit

    sent_twice = submit(trondheim, open_round, signatory)  # a withdrawn submission and a live one
    application_services.application_withdraw(application=sent_twice, user=signatory,
                                              reason="Feil vedlegg.")
    application_services.application_submit(application=sent_twice, user=signatory)
    client.force_login(caseworker)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), params)

    cl = response.context["cl"]
    assert response.status_code == 200
    assert cl.result_count == cl.queryset.count()  # Django's count, every join in it
    assert cl.result_count == len(set(cl.queryset.values_list("pk", flat=True))) >= 1
    [count] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert "live_submission" not in count  # the reference, only shown
    if not {"case", "outcome", "accepted"} & params.keys():
        assert "assessment_assessment" not in count  # the totals, only shown


def test_a_join_to_many_rows_stays_in_the_count(trondheim, open_round, signatory):
    from django.db.models import F

    from applications import services as application_services
    from applications.models import Application
    from assessment.admin_paging import without_shown_joins

    from .helpers import submit

    sent_twice = submit(trondheim, open_round, signatory)
    application_services.application_withdraw(application=sent_twice, user=signatory,
                                              reason="Feil vedlegg.")
    application_services.application_submit(application=sent_twice, user=signatory)
    every_submission = Application.objects.annotate(any_reference=F("submissions__reference"))

    assert without_shown_joins(every_submission).count() == every_submission.count() == 2


def test_distinct_rows_with_a_join_to_many_are_counted_as_django_counts_them(
    trondheim, open_round, signatory
):
    """DISTINCT counts the rows as selected, annotations and all: an annotation through a
    join to many rows makes more of them, so such a count is left as Django makes it."""
    from django.db.models import F

    from applications import services as application_services
    from applications.models import Application
    from assessment.admin_paging import without_shown_joins

    from .helpers import submit

    sent_twice = submit(trondheim, open_round, signatory)
    application_services.application_withdraw(application=sent_twice, user=signatory,
                                              reason="Feil vedlegg.")
    application_services.application_submit(application=sent_twice, user=signatory)
    references = Application.objects.annotate(reference=F("submissions__reference")).distinct()

    assert without_shown_joins(references).count() == references.count() == 2


def test_a_where_clause_of_raw_sql_keeps_every_join(trondheim, open_round, signatory):
    from applications.models import Application
    from assessment.admin_paging import without_shown_joins

    from .helpers import submit

    submit(trondheim, open_round, signatory)
    raw = Application.objects.select_related("organisation").extra(where=["1 = 1"])

    assert without_shown_joins(raw) is raw


def _keys_subquery(sql: list[str]) -> str:
    rows = next(q for q in sql if KEYS_FIRST.search(q))
    return rows[rows.index("IN (SELECT"):]


@pytest.mark.parametrize(("params", "joined"), [
    ({}, []),  # by name: the organisation alone
    ({"o": "3"}, ['"assessment_assessment"']),  # by the case's status: the case's join stays
    # by reference, an annotation: the keys as they were, every join in
    ({"o": "-1"}, ['"applications_submission"', '"assessment_assessment"']),
])
def test_the_keys_are_sorted_without_the_joins_their_sorting_does_not_read(
    client, many, caseworker, params, joined
):
    client.force_login(caseworker)

    ours, _, sql = _listed(client, params)
    with mock.patch.object(SubmittedApplicationAdmin, "paginator", Paginator):
        djangos, _, _ = _listed(client, params)

    keys = _keys_subquery(sql)
    assert ours == djangos
    for table in ['"applications_submission"', '"assessment_assessment"']:
        assert (table in keys) == (table in joined), (table, keys)


@pytest.mark.parametrize("ordering", [
    # an annotation through a transform: the compiler reads the annotation's column
    ("-sent__year", "-pk"),
    ("sent__year", "organisation__name", "-pk"),
])
def test_keys_sorted_by_an_annotations_transform_keep_its_joins(many, ordering):
    from django.db.models import F

    from applications.models import Application
    from assessment.admin_paging import without_unsorted_joins
    from assessment.cases import submitted_applications

    listed = submitted_applications().annotate(sent=F("live_submission__submitted_at"))
    keys = listed.order_by(*ordering).values("pk")

    ours = without_unsorted_joins(keys)

    page = Application.objects.filter(pk__in=ours[50:100]).values_list("pk", flat=True)
    assert sorted(page) == sorted(listed.order_by(*ordering)[50:100].values_list("pk", flat=True))
    assert ours is keys


def test_keys_sorted_by_an_extra_select_or_an_expression_are_as_they_were(many):
    from django.db.models import F

    from assessment.admin_paging import without_unsorted_joins
    from assessment.cases import submitted_applications

    by_extra = submitted_applications().extra(
        select={"state": '"assessment_assessment"."status"'}).order_by("state", "-pk")
    extra_order = submitted_applications().extra(
        order_by=['"assessment_assessment"."status"'])
    by_expression = submitted_applications().order_by(
        F("live_submission__submitted_at").desc(), "-pk")

    for listed in (by_extra, extra_order, by_expression):
        keys = listed.values("pk")
        assert without_unsorted_joins(keys) is keys
