"""The one access interface (tilskudd.access): what it answers from the local database,
and that the setting ACCESS_SOURCE swaps its source."""

import pytest

from tests.tilskudd.factories import (
    OrganisationFactory,
    UserFactory,
    member,
    office_staff,
    stavanger,
)
from tilskudd import access
from tilskudd.models import Membership, MembershipRole, OfficeRole

pytestmark = pytest.mark.django_db


def test_a_signatory_holds_both_roles_an_editor_one_and_a_stranger_none():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    editor = member(org, MembershipRole.EDITOR)

    assert access.roles_for(signatory, org) == {"editor", "signatory"}
    assert access.roles_for(editor, org) == {"editor"}
    assert access.roles_for(UserFactory(), org) == frozenset()
    assert (access.is_signatory(signatory, org), access.is_signatory(editor, org)) == (
        True, False)
    assert access.is_member(editor, org.pk) is True


def test_an_inactive_user_has_no_access():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY, is_active=False)

    assert access.roles_for(signatory, org) == frozenset()
    assert access.signatory_emails(org) == []


def test_organisations_and_signatory_emails():
    org, other = OrganisationFactory(), stavanger()
    user = member(org, MembershipRole.EDITOR)
    Membership.objects.create(user=user, organisation=other, role=MembershipRole.SIGNATORY)
    member(org, MembershipRole.SIGNATORY, email="b@example.no")
    member(org, MembershipRole.SIGNATORY, email="a@example.no")

    assert access.organisations_for(user) == [other, org]  # by name
    assert access.signatory_emails(org) == ["a@example.no", "b@example.no"]


def test_office_roles_are_for_the_users_own_office_only():
    office = OrganisationFactory().county.office
    other = stavanger().county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR)
    caseworker = office_staff(office)

    assert access.office_role_for(administrator, office) == OfficeRole.ADMINISTRATOR
    assert access.office_role_for(administrator, other) is None
    assert access.office_for(caseworker) == office
    assert (access.may_manage_staff(administrator, office),
            access.may_manage_staff(administrator, other),
            access.may_manage_staff(caseworker, office)) == (True, False, False)



def test_letters_are_read_by_the_organisations_members_and_its_offices_staff_only():
    org = OrganisationFactory()
    editor = member(org, MembershipRole.EDITOR)
    caseworker = office_staff(org.county.office)
    elsewhere = office_staff(stavanger().county.office)
    other_member = member(stavanger())

    assert [access.is_member_or_office_staff(user, org)
            for user in (editor, caseworker, elsewhere, other_member, UserFactory())] == [
        True, True, False, False, False]


class EveryoneSignsSource(access.LocalAccessSource):
    """A stand-in for an Altinn-backed source: answers with unsaved memberships."""

    def membership_for(self, user, organisation_id):
        return Membership(user=user, organisation_id=organisation_id,
                          role=MembershipRole.SIGNATORY)


def test_the_setting_names_the_source_every_check_asks(settings):
    org = OrganisationFactory()
    stranger = UserFactory()
    settings.ACCESS_SOURCE = "tests.tilskudd.test_access.EveryoneSignsSource"

    assert access.roles_for(stranger, org) == {"editor", "signatory"}
    assert access.require_signatory(stranger, org, refusal="nei").role == "signatory"
    assert Membership.objects.count() == 0
