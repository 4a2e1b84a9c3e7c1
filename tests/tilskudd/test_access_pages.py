"""«Tilgang»: the page that shows who acts for an organisation, and its forms."""

import re

import pytest
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, UserFactory, member, stavanger
from tilskudd import access_services
from tilskudd.audit import AuditEvent
from tilskudd.invitations import Invitation
from tilskudd.models import Membership, MembershipRole
from tilskudd.outbox import OutboundEmail

pytestmark = pytest.mark.django_db


def _state():
    return (sorted(Membership.objects.values_list("user_id", "role")),
            Invitation.objects.count(), AuditEvent.objects.count())


def test_the_signatory_sees_who_has_access_and_since_when(client, django_assert_max_num_queries):
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY, full_name="Siri Signatar")
    for n in range(3):
        member(org, MembershipRole.EDITOR, full_name=f"Utfyller {n}")
    client.force_login(signatory)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("access:organisation", args=[org.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<tr id="member-') == 4
    assert "Siri Signatar" in html
    assert "Send invitasjon" in html


def test_an_editor_sees_the_people_but_no_forms(client):
    org = OrganisationFactory()
    member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR)
    client.force_login(editor)

    html = client.get(reverse("access:organisation", args=[org.pk])).content.decode()

    assert "Send invitasjon" not in html
    assert "Bare den som har signaturrett kan invitere" in html


def test_an_editor_posting_an_invitation_is_refused_and_nothing_changes(client):
    org = OrganisationFactory()
    member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR)
    client.force_login(editor)
    before = _state()

    response = client.post(reverse("access:invite", args=[org.pk]),
                           {"email": "x@example.no", "role": MembershipRole.EDITOR}, follow=True)

    assert response.redirect_chain == [(reverse("access:organisation", args=[org.pk]), 302)]
    assert "Bare den som har signaturrett for Trondheim - Tråante kommune" in (
        response.content.decode())
    assert _state() == before


def test_someone_of_another_organisation_gets_404_and_nothing_changes(client):
    org = OrganisationFactory()
    target = member(org, MembershipRole.EDITOR)
    outsider = member(stavanger(), MembershipRole.SIGNATORY)
    client.force_login(outsider)
    before = _state()
    membership = Membership.objects.get(user=target)

    responses = [
        client.get(reverse("access:organisation", args=[org.pk])),
        client.post(reverse("access:invite", args=[org.pk]),
                    {"email": "x@example.no", "role": MembershipRole.SIGNATORY}),
        client.post(reverse("access:remove", args=[org.pk, membership.pk])),
        client.post(reverse("access:change_role", args=[org.pk, membership.pk]),
                    {"role": MembershipRole.SIGNATORY}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert _state() == before


def test_the_last_signatory_removing_themselves_is_told_why(client):
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    client.force_login(signatory)
    membership = Membership.objects.get(user=signatory)
    before = _state()

    response = client.post(reverse("access:remove", args=[org.pk, membership.pk]), follow=True)

    assert "må ha minst én med signaturrett" in response.content.decode()
    assert _state() == before


def test_invite_then_accept_through_the_pages(client):
    # given a signatory who invites by the form
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    client.force_login(signatory)
    client.post(reverse("access:invite", args=[org.pk]),
                {"email": "ny@example.no", "role": MembershipRole.SIGNATORY})
    link = re.search(r"http\S+/tilgang/invitasjon/\S+/", OutboundEmail.objects.get().body)[0]
    path = link[link.index("/tilgang/"):]
    # when the invited person opens it signed in, and accepts
    invited = UserFactory(email="ny@example.no")
    client.force_login(invited)
    page = client.get(path)
    accepted = client.post(path, follow=True)
    # then
    assert "har invitert deg til å få tilgang til Trondheim - Tråante kommune" in (
        page.content.decode())
    assert accepted.status_code == 200
    assert Membership.objects.get(user=invited).role == MembershipRole.SIGNATORY
    assert client.get(path).status_code == 400


def test_opening_an_invitation_signed_out_asks_to_sign_in_first(client):
    org = OrganisationFactory()
    _, token = access_services.invitation_create(
        email="x@example.no", role=MembershipRole.EDITOR,
        by=member(org, MembershipRole.SIGNATORY), organisation=org)

    response = client.get(reverse("access:accept", args=[token]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/tilgang/invitasjon/")


def test_a_used_link_shows_a_norwegian_refusal(client):
    org = OrganisationFactory()
    _, token = access_services.invitation_create(
        email="x@example.no", role=MembershipRole.EDITOR,
        by=member(org, MembershipRole.SIGNATORY), organisation=org)
    access_services.invitation_accept(token=token, user=UserFactory())
    client.force_login(UserFactory())
    before = _state()

    response = client.post(reverse("access:accept", args=[token]))

    assert response.status_code == 400
    assert '<p id="refusal">Invitasjonen er allerede brukt.</p>' in response.content.decode()
    assert _state() == before
