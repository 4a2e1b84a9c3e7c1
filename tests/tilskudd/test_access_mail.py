"""What a person is told when someone changes or removes their access (the e-mail's words)."""

import pytest

from tests.tilskudd.factories import OrganisationFactory, member, office_staff
from tilskudd import access_services
from tilskudd.models import Membership, MembershipRole, OfficeMembership, OfficeRole
from tilskudd.outbox import OutboundEmail

pytestmark = pytest.mark.django_db


def _name(user):
    return user.full_name or user.email


def test_a_removed_member_is_told_who_removed_them_from_which_organisation():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR, email="utfyller@example.no")

    access_services.member_remove(membership=Membership.objects.get(user=editor), by=signatory)

    email = OutboundEmail.objects.get()
    assert email.subject == f"Tilgangen din til {org.name} er endret"
    assert email.body == f"{_name(signatory)} har fjernet tilgangen din til {org.name}.\n"


def test_office_staff_are_told_their_new_role_and_that_they_were_removed():
    org = OrganisationFactory()
    office = org.county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    colleague = office_staff(office, email="kollega@statsforvalteren.no")

    access_services.staff_change_role(
        membership=OfficeMembership.objects.get(user=colleague), role=OfficeRole.APPROVER,
        by=administrator)
    access_services.staff_remove(
        membership=OfficeMembership.objects.get(user=colleague), by=administrator)

    assert [e.body for e in OutboundEmail.objects.order_by("pk")] == [
        f"{_name(administrator)} har endret rollen din ved {office.name} til godkjenner.\n",
        f"{_name(administrator)} har fjernet tilgangen din til {office.name}.\n",
    ]
