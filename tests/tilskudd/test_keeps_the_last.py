"""An organisation keeps a signatory and an office an administrator, whoever takes the
role away: the membership services refuse it, so the access pages, the admin's user page
and a command all meet the same rule; the admin's page says so on the form, in the
person's language, and saves nothing of the page."""

import pytest
from django.urls import reverse

from tests.tilskudd.factories import OfficeFactory, OrganisationFactory, UserFactory, office_staff
from tests.tilskudd.test_admin_services import user_form
from tilskudd import admin as tilskudd_admin
from tilskudd import services
from tilskudd.audit import AuditEvent
from tilskudd.errors import ServiceError
from tilskudd.models import Membership, MembershipRole, OfficeMembership, OfficeRole, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def trondheim(db):
    return OrganisationFactory(name="Trondheim kommune", org_number="942110464",
                               municipality_number="5001")


def superuser(client, language):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, language=language))
    return client


def stored(person):
    """What the page could change: the person's fields, memberships and the audit."""
    fresh = User.objects.get(pk=person.pk)
    return (
        fresh.full_name, fresh.is_staff,
        list(Membership.objects.filter(user=person).values_list("organisation", "role")),
        list(OfficeMembership.objects.filter(user=person).values_list("office", "role")),
        AuditEvent.objects.count(),
    )


def office_form(person, membership, **changes):
    return user_form(person, office={
        "id": membership.pk, "office": membership.office_id, "role": membership.role,
        **changes})


NN_OFFICE = ("{office} må ha minst éin embetsadministrator. Gjer ein annan til "
             "embetsadministrator før du fjernar eller endrar den siste.")


@pytest.mark.parametrize("changes", [
    {"DELETE": "on"}, {"role": OfficeRole.CASEWORKER}, {"office": "other"}])
def test_the_user_page_refuses_taking_an_offices_last_administrator_away(
    client, trondheim, changes
):
    # given an office with one administrator, and a superuser's page in nynorsk
    office = trondheim.county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR, full_name="Ada Admin")
    membership = OfficeMembership.objects.get(user=administrator)
    if changes.get("office") == "other":
        changes = {"office": OfficeFactory(code="vestland", short_name="Vestland").pk}
    superuser(client, "nn")
    before = stored(administrator)

    # when the page removes, demotes or moves the administrator and renames them too
    form = office_form(administrator, membership, **changes)
    form["full_name"] = "Ada Endra"
    page = client.post(reverse("admin:tilskudd_user_change", args=[administrator.pk]), form)

    # then the form says why, and nothing on the page is saved
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [NN_OFFICE.format(office=office.name)]
    assert NN_OFFICE.format(office=office.name) in page.content.decode()
    assert stored(administrator) == before

    # and with a second administrator the same page is saved
    office_staff(office, OfficeRole.ADMINISTRATOR)
    page = client.post(reverse("admin:tilskudd_user_change", args=[administrator.pk]), form)
    assert page.status_code == 302
    assert stored(administrator)[0] == "Ada Endra"


def test_the_user_page_refuses_taking_an_organisations_last_signatory_away(
    client, trondheim
):
    # given the organisation's one signatory, who is also an editor elsewhere
    person = UserFactory(full_name="Siri Signatar")
    other = OrganisationFactory(name="Malvik kommune", org_number="938772924",
                                municipality_number="5031")
    signatory = Membership.objects.create(user=person, organisation=trondheim,
                                          role=MembershipRole.SIGNATORY)
    editor = Membership.objects.create(user=person, organisation=other,
                                       role=MembershipRole.EDITOR)
    third = OrganisationFactory(name="Melhus kommune", org_number="938726027",
                                municipality_number="5028")
    superuser(client, "en")
    before = stored(person)
    url = reverse("admin:tilskudd_user_change", args=[person.pk])
    elsewhere = {"id": editor.pk, "organisation": other.pk, "role": "signatory"}

    # when the page removes, demotes or moves the signatory (and changes the other row)
    pages = [client.post(url, user_form(person, memberships=[
        {"id": signatory.pk, "organisation": trondheim.pk, "role": "signatory", **change},
        elsewhere,
    ])) for change in ({"DELETE": "on"}, {"role": "editor"}, {"organisation": third.pk})]

    # then each form says why in English, and nothing is saved
    refusal = ("Trondheim kommune must have at least one signatory. Make someone else a "
               "signatory before you remove or change the last one.")
    for page in pages:
        assert page.status_code == 200
        assert page.context["inline_admin_formsets"][1].formset.non_form_errors() == [refusal]
    assert stored(person) == before


def test_a_refusal_at_the_save_takes_back_the_pages_other_changes(
    client, trondheim, monkeypatch
):
    """The admin's save is one transaction: had the form's check missed the last
    administrator (two pages at once), the service's refusal at the save undoes the
    person's fields saved before the memberships."""
    office = trondheim.county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR, full_name="Ada Admin")
    monkeypatch.setattr(tilskudd_admin.OfficeMembershipFormSet, "loss_refusal",
                        staticmethod(lambda stored, data: None))
    superuser(client, "nb")
    before = stored(administrator)

    form = office_form(administrator, OfficeMembership.objects.get(user=administrator),
                       DELETE="on")
    form["full_name"] = "Ada Endret"
    page = client.post(reverse("admin:tilskudd_user_change", args=[administrator.pk]), form,
                       follow=True)

    assert [str(m) for m in page.context["messages"]] == [
        f"{office.name} må ha minst én embetsadministrator. Gjør en annen til "
        "embetsadministrator før du fjerner eller endrer den siste."]
    assert stored(administrator) == before


@pytest.mark.parametrize("take_away", [
    lambda m: services.office_membership_revoke(membership=m, revoked_by=None),
    lambda m: services.office_membership_grant(office=m.office, user=m.user,
                                               role=OfficeRole.APPROVER, granted_by=None),
    lambda m: services.office_membership_grant(
        office=OfficeFactory(code="vestland", short_name="Vestland"), user=m.user,
        role=OfficeRole.ADMINISTRATOR, granted_by=None),
])
def test_the_services_refuse_the_last_office_administrator(trondheim, take_away):
    administrator = office_staff(trondheim.county.office, OfficeRole.ADMINISTRATOR)
    membership = OfficeMembership.objects.get(user=administrator)
    before = stored(administrator)

    with pytest.raises(ServiceError) as refused:
        take_away(membership)

    assert refused.value.code == "last_office_administrator"
    assert stored(administrator) == before


@pytest.mark.parametrize("take_away", [
    lambda m: services.membership_revoke(membership=m, revoked_by=None),
    lambda m: services.membership_grant(organisation=m.organisation, user=m.user,
                                        role=MembershipRole.EDITOR, granted_by=None),
])
def test_the_services_refuse_the_last_signatory_but_not_one_of_two(trondheim, take_away):
    person, colleague = UserFactory(), UserFactory()
    membership = Membership.objects.create(user=person, organisation=trondheim,
                                           role=MembershipRole.SIGNATORY)
    before = stored(person)

    with pytest.raises(ServiceError) as refused:
        take_away(membership)

    assert refused.value.code == "last_signatory"
    assert stored(person) == before
    Membership.objects.create(user=colleague, organisation=trondheim,
                              role=MembershipRole.SIGNATORY)
    take_away(membership)
    assert Membership.objects.filter(user=person, role=MembershipRole.SIGNATORY).count() == 0


def test_the_user_page_refuses_making_the_last_administrator_inactive(client, trondheim):
    """An inactive user cannot sign in, so counts as no administrator: unticking «active»
    on the last one is refused as removing them is, and allowed once there is another."""
    office = trondheim.county.office
    administrator = office_staff(office, OfficeRole.ADMINISTRATOR, full_name="Ada Admin")
    membership = OfficeMembership.objects.get(user=administrator)
    superuser(client, "nn")
    before = stored(administrator)
    form = office_form(administrator, membership)
    del form["is_active"]
    form["full_name"] = "Ada Endra"
    url = reverse("admin:tilskudd_user_change", args=[administrator.pk])

    page = client.post(url, form)

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["is_active"] == [
        NN_OFFICE.format(office=office.name)]
    assert stored(administrator) == before
    assert User.objects.get(pk=administrator.pk).is_active
    office_staff(office, OfficeRole.ADMINISTRATOR)
    assert client.post(url, form).status_code == 302
    assert not User.objects.get(pk=administrator.pk).is_active


def test_the_services_refuse_making_the_last_signatory_inactive(trondheim):
    person = UserFactory()
    Membership.objects.create(user=person, organisation=trondheim, role=MembershipRole.SIGNATORY)
    person.is_active = False

    with pytest.raises(ServiceError) as refused:
        services.user_save(user=person, by=None)

    assert refused.value.code == "last_signatory"
    assert User.objects.get(pk=person.pk).is_active
    # an inactive last signatory's page can still be saved
    User.objects.filter(pk=person.pk).update(is_active=False)
    person.full_name = "Endret"
    services.user_save(user=person, by=None)
    assert User.objects.get(pk=person.pk).full_name == "Endret"
