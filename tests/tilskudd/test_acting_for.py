"""Who the user acts for (the page header) is read once a request, with the user: one
query reads a member's memberships (organisation, county, office) and the user with their
office membership (tilskudd.auth_backends); one who acts for no organisation costs a second,
the user with the office membership joined. A view that reads the memberships costs the
header nothing more, and nothing read outlives the request: a membership revoked or a user
deactivated takes effect on the next one."""

import re

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, UserFactory
from tilskudd import access, auth_backends
from tilskudd.access import LocalAccessSource
from tilskudd.idporten.backend import IdportenBackend
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


def test_a_members_user_memberships_and_office_are_one_query_for_the_view_and_the_header(
        client, editor):
    queries, response = _second_visit(client, editor, reverse("home"))

    assert _reads(queries, "tilskudd_membership") == 1
    assert _reads(queries, "tilskudd_user") == 0  # joined to the memberships
    assert _reads(queries, "tilskudd_officemembership") == 0
    assert "Du opptrer for" in response.content.decode()
    assert "<strong>Trondheim - Tråante kommune</strong> (utfyller)" in response.content.decode()
    assert response.wsgi_request.user == editor


def test_a_caseworkers_office_comes_with_the_user_in_one_query(client, caseworker):
    queries, response = _second_visit(client, caseworker, reverse("home"))

    assert _reads(queries, "tilskudd_membership") == 1  # none: then the user is read
    assert _reads(queries, "tilskudd_user") == 1
    assert _reads(queries, "tilskudd_officemembership") == 0  # joined to the user
    assert _reads(queries, "tilskudd_office") == 0
    assert "Du arbeider for Statsforvalteren i Trøndelag." in response.content.decode()


def test_the_admin_reads_the_caseworker_and_the_office_in_the_same_two_queries(
        client, caseworker):
    queries, response = _second_visit(client, caseworker, reverse("admin:index"))

    assert response.status_code == 200
    assert _reads(queries, "tilskudd_membership") == 1
    assert _reads(queries, "tilskudd_user") == 1
    assert _reads(queries, "tilskudd_officemembership") == 0


def test_a_revoked_membership_is_gone_on_the_next_request(client, editor, trondheim):
    client.force_login(editor)
    shown = client.get(reverse("home")).content.decode()
    assert "<strong>Trondheim - Tråante kommune</strong>" in shown

    Membership.objects.filter(user=editor).delete()

    response = client.get(reverse("home"))
    assert response.wsgi_request.user == editor
    assert "<strong>Trondheim - Tråante kommune</strong>" not in response.content.decode()
    assert client.get(reverse("access:organisation", args=[trondheim.pk])).status_code != 200


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, editor):
    client.force_login(editor)
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated

    editor.is_active = False
    editor.save(update_fields=["is_active"])

    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_a_member_of_two_organisations_gets_both_by_name_on_one_user_object(editor):
    other = OrganisationFactory(name="Malvik kommune", municipality_number="5031", org_number="")
    Membership.objects.create(user=editor, organisation=other, role=MembershipRole.SIGNATORY)

    user = auth_backends.PortalModelBackend().get_user(editor.pk)

    held = access.acting_memberships(user)
    assert [m.organisation.name for m in held] == ["Malvik kommune",
                                                   "Trondheim - Tråante kommune"]
    assert all(m.user is user for m in held)
    assert held[0].organisation.county.office.code == "trondelag"
    assert access.office_for(user) is None


def test_a_session_signed_in_before_the_portal_backend_stays_signed_in(client, editor):
    client.force_login(editor, backend=auth_backends.DJANGO_MODEL_BACKEND)

    response = client.get(reverse("home"))

    assert response.wsgi_request.user == editor
    assert "Du opptrer for" in response.content.decode()
    assert client.session[BACKEND_SESSION_KEY] == auth_backends.PORTAL_MODEL_BACKEND


def test_the_idporten_backend_reads_who_the_user_acts_for_and_as_before_an_inactive_user(
        editor, django_assert_num_queries):
    organisation_id = editor.memberships.get().organisation_id
    with django_assert_num_queries(1):
        user = IdportenBackend().get_user(editor.pk)
        assert [m.organisation_id for m in access.acting_memberships(user)] == [organisation_id]
        assert access.office_for(user) is None
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    assert IdportenBackend().get_user(editor.pk) == editor  # as mozilla-django-oidc's
    assert access.acting_memberships(IdportenBackend().get_user(editor.pk)) == []
    assert IdportenBackend().get_user(editor.pk + 1000) is None


class OtherSource(LocalAccessSource):
    """Stands in for another source of access (Altinn): the backend must ask it."""


def test_with_another_access_source_only_the_user_is_read(settings, editor):
    settings.ACCESS_SOURCE = f"{__name__}.OtherSource"

    user = auth_backends.PortalModelBackend().get_user(editor.pk)

    assert user == editor
    assert not hasattr(user, access.HELD)
    assert [m.organisation_id for m in access.acting_memberships(user)] == [
        editor.memberships.get().organisation_id]


def test_a_user_with_no_row_is_nobody():
    assert auth_backends.PortalModelBackend().get_user(123456) is None
    assert UserFactory().pk != 123456


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
