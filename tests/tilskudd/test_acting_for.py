"""Who the user acts for (the page header) is read once a request: a view that read the
user's memberships costs the header nothing more, the office comes with its membership in
one query, and a page that does not show the header (the admin) does not read it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory
from tilskudd import access
from tilskudd.models import Membership, MembershipRole
from tilskudd.per_request import PerRequestMemoMiddleware

pytestmark = pytest.mark.django_db


def _reads(queries, table: str) -> int:
    """How many of the queries read `table` (its name follows the first FROM)."""
    return sum(re.search(r'\bFROM "(\w+)"', q["sql"]).group(1) == table
               for q in queries.captured_queries if q["sql"].startswith("SELECT"))


def _second_visit(client, user, url: str):
    """The queries of a second GET of `url` by `user` (the first warms the session)."""
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return queries, response


def test_the_home_page_reads_the_memberships_once_for_the_view_and_the_header(client, editor):
    queries, response = _second_visit(client, editor, reverse("home"))

    assert _reads(queries, "tilskudd_membership") == 1
    assert _reads(queries, "tilskudd_officemembership") == 1
    assert "Du opptrer for" in response.content.decode()
    assert "<strong>Trondheim - Tråante kommune</strong> (utfyller)" in response.content.decode()


def test_a_caseworkers_office_comes_with_its_membership_in_one_query(client, caseworker):
    queries, response = _second_visit(client, caseworker, reverse("home"))

    assert _reads(queries, "tilskudd_officemembership") == 1
    assert _reads(queries, "tilskudd_office") == 0  # joined to the membership
    assert "Du arbeider for Statsforvalteren i Trøndelag." in response.content.decode()


def test_the_admin_does_not_read_the_portal_header(client, caseworker):
    queries, response = _second_visit(client, caseworker, reverse("admin:index"))

    assert response.status_code == 200
    assert _reads(queries, "tilskudd_membership") == 0
    assert _reads(queries, "tilskudd_officemembership") == 1


def test_within_a_request_the_memberships_are_read_once_and_forgotten_on_change(editor):
    other = OrganisationFactory(name="Malvik kommune", municipality_number="5031", org_number="")
    seen = {}

    def view(request):
        with CaptureQueriesContext(connection) as queries:
            first = access.acting_memberships(editor)
            assert access.membership_for(editor, other) is None
            assert access.membership_for(editor, first[0].organisation_id) == first[0]
        seen["reads"] = _reads(queries, "tilskudd_membership")
        Membership.objects.create(user=editor, organisation=other, role=MembershipRole.EDITOR)
        access.forget_acting(editor)
        seen["after"] = access.membership_for(editor, other)

    PerRequestMemoMiddleware(view)(None)

    assert seen["reads"] == 1
    assert seen["after"] is not None and seen["after"].organisation_id == other.pk


def test_outside_a_request_nothing_is_remembered(editor):
    other = OrganisationFactory(name="Malvik kommune", municipality_number="5031", org_number="")
    assert [m.organisation_id for m in access.acting_memberships(editor)] != [other.pk]

    Membership.objects.create(user=editor, organisation=other, role=MembershipRole.EDITOR)

    assert access.membership_for(editor, other) is not None
    assert other.pk in [m.organisation_id for m in access.acting_memberships(editor)]
