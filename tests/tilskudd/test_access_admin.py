"""The office's side of access in the admin: registering the first signatory by an
invitation, and the office administrator managing its own office's staff only."""

import pytest
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, office_staff, stavanger
from tilskudd.audit import AuditEvent
from tilskudd.invitations import Invitation
from tilskudd.models import MembershipRole, OfficeMembership, OfficeRole
from tilskudd.outbox import OutboundEmail

pytestmark = pytest.mark.django_db


def test_a_caseworker_registers_the_first_signatory_of_an_organisation_of_their_office(client):
    # given
    org = OrganisationFactory()
    caseworker = office_staff(org.county.office)
    client.force_login(caseworker)
    # when
    response = client.post(reverse("admin:tilskudd_invitation_add"), {
        "email": "radmann@trondheim.kommune.no", "organisation": org.pk, "office": "",
        "role": MembershipRole.SIGNATORY,
    })
    # then
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.role, invitation.invited_by) == (
        "radmann@trondheim.kommune.no", org, MembershipRole.SIGNATORY, caseworker)
    assert OutboundEmail.objects.get().to == ["radmann@trondheim.kommune.no"]


def test_a_caseworker_cannot_invite_for_an_organisation_of_another_office(client):
    org = stavanger()
    client.force_login(office_staff(OrganisationFactory().county.office))

    response = client.post(reverse("admin:tilskudd_invitation_add"), {
        "email": "x@example.no", "organisation": org.pk, "office": "",
        "role": MembershipRole.SIGNATORY,
    })

    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert Invitation.objects.count() == 0


def test_a_caseworker_cannot_invite_office_staff(client):
    office = OrganisationFactory().county.office
    client.force_login(office_staff(office))

    response = client.post(reverse("admin:tilskudd_invitation_add"), {
        "email": "x@example.no", "organisation": "", "office": office.pk,
        "role": OfficeRole.CASEWORKER,
    })

    assert response.status_code == 200
    assert "office" in response.context["adminform"].form.errors
    assert Invitation.objects.count() == 0


def test_the_office_administrator_invites_a_caseworker(client):
    office = OrganisationFactory().county.office
    client.force_login(office_staff(office, OfficeRole.ADMINISTRATOR))

    response = client.post(reverse("admin:tilskudd_invitation_add"), {
        "email": "ny@statsforvalteren.no", "organisation": "", "office": office.pk,
        "role": OfficeRole.CASEWORKER,
    })

    assert response.status_code == 302
    assert list(Invitation.objects.values_list("office", "role")) == [
        (office.pk, OfficeRole.CASEWORKER)]


def test_the_office_administrator_changes_roles_of_own_staff_only(client):
    # given
    office = OrganisationFactory().county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    colleague = office_staff(office)
    outsider = office_staff(stavanger().county.office)
    client.force_login(administrator)
    url = reverse("admin:tilskudd_officemembership_changelist")
    ids = [m.pk for m in OfficeMembership.objects.filter(user__in=[colleague, outsider])]
    # when
    listing = client.get(url)
    client.post(url, {"action": "make_approver", "_selected_action": ids})
    # then
    assert {r.user for r in listing.context["cl"].result_list} == {administrator, colleague}
    assert OfficeMembership.objects.get(user=colleague).role == OfficeRole.APPROVER
    assert OfficeMembership.objects.get(user=outsider).role == OfficeRole.CASEWORKER


def test_a_caseworker_gets_no_staff_actions_and_nothing_changes(client):
    office = OrganisationFactory().county.office
    caseworker = office_staff(office)
    colleague = office_staff(office)
    client.force_login(caseworker)
    url = reverse("admin:tilskudd_officemembership_changelist")
    before = AuditEvent.objects.count()

    client.post(url, {"action": "remove", "_selected_action": [
        OfficeMembership.objects.get(user=colleague).pk]})

    assert OfficeMembership.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.count() == before


def test_the_admin_refuses_to_remove_or_demote_the_last_office_administrator(admin_client):
    # given: a superuser's staff actions, on an office with one administrator
    office = OrganisationFactory().county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR, full_name="Ada Admin")
    url = reverse("admin:tilskudd_officemembership_changelist")
    selected = [OfficeMembership.objects.get(user=administrator).pk]
    before = (AuditEvent.objects.count(), OutboundEmail.objects.count())

    # when
    pages = [admin_client.post(url, {"action": action, "_selected_action": selected},
                               follow=True) for action in ("remove", "make_caseworker")]

    # then: each page says why, and nothing changed
    for page in pages:
        assert [str(m) for m in page.context["messages"]] == [
            f"Ada Admin: {office.name} må ha minst én embetsadministrator. Gjør en annen til "
            "embetsadministrator før du fjerner eller endrer den siste."]
    assert OfficeMembership.objects.get(user=administrator).role == OfficeRole.ADMINISTRATOR
    assert (AuditEvent.objects.count(), OutboundEmail.objects.count()) == before
