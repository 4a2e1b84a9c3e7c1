import pytest
from django.urls import reverse

from tests.tilskudd.factories import (
    OfficeBudgetFactory,
    OfficeFactory,
    OrganisationFactory,
    office_staff,
    stavanger,
)
from tilskudd.models import Office, Organisation


@pytest.fixture
def trondheim():
    return OrganisationFactory()


@pytest.fixture
def rogaland_org():
    return stavanger()


@pytest.fixture
def caseworker(trondheim):
    return office_staff(trondheim.office)


@pytest.mark.django_db
def test_caseworker_lists_only_own_office_organisations(
    client, caseworker, trondheim, rogaland_org
):
    client.force_login(caseworker)

    response = client.get(reverse("admin:tilskudd_organisation_changelist"))

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [trondheim]


@pytest.mark.django_db
def test_caseworker_search_does_not_find_another_office(client, caseworker, rogaland_org):
    client.force_login(caseworker)

    response = client.get(reverse("admin:tilskudd_organisation_changelist"), {"q": "Stavanger"})

    assert list(response.context["cl"].result_list) == []
    assert "Stavanger kommune" not in response.content.decode()


@pytest.mark.django_db
def test_caseworker_cannot_open_or_change_another_office_row(client, caseworker, rogaland_org):
    client.force_login(caseworker)
    url = reverse("admin:tilskudd_organisation_change", args=[rogaland_org.pk])

    opened = client.get(url)
    posted = client.post(url, {"kind": rogaland_org.kind, "name": "Kapret", "org_number": "",
                               "is_rural_district": "on"})

    # The admin treats a row outside the queryset as missing: redirect to the index.
    assert opened.status_code == 302
    assert opened.url == reverse("admin:index")
    assert posted.status_code == 302
    rogaland_org.refresh_from_db()
    assert rogaland_org.name == "Stavanger kommune"
    assert rogaland_org.is_rural_district is False
    assert rogaland_org.org_number == "964965226"


@pytest.mark.django_db
def test_caseworker_sees_only_own_office_budget(client, caseworker, trondheim):
    own = OfficeBudgetFactory(office=trondheim.office)
    other = OfficeBudgetFactory(round=own.round, office=OfficeFactory(code="rogaland",
                                                                      short_name="Rogaland"))
    client.force_login(caseworker)

    listing = client.get(reverse("admin:tilskudd_officebudget_changelist"))
    opened = client.get(reverse("admin:tilskudd_officebudget_change", args=[other.pk]))

    assert list(listing.context["cl"].result_list) == [own]
    assert opened.status_code == 302


@pytest.mark.django_db
def test_caseworker_can_mark_own_municipality_as_rural_district(client, caseworker, trondheim):
    client.force_login(caseworker)
    url = reverse("admin:tilskudd_organisation_change", args=[trondheim.pk])

    response = client.post(url, {"org_number": "942110464", "is_rural_district": "on"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    trondheim.refresh_from_db()
    assert trondheim.is_rural_district is True
    assert trondheim.name == "Trondheim - Tråante kommune"


@pytest.mark.django_db
def test_applicant_user_gets_no_admin(client, trondheim):
    from tests.tilskudd.factories import member

    user = member(trondheim)
    client.force_login(user)

    response = client.get(reverse("admin:tilskudd_organisation_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url
    assert Organisation.objects.get(pk=trondheim.pk).name == "Trondheim - Tråante kommune"


@pytest.fixture
def rogaland_office():
    return OfficeFactory(code="rogaland", short_name="Rogaland")


@pytest.mark.django_db
def test_caseworker_lists_only_own_office(client, caseworker, trondheim, rogaland_office):
    client.force_login(caseworker)

    response = client.get(reverse("admin:tilskudd_office_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [trondheim.office]
    assert "Statsforvalteren i Rogaland" not in response.content.decode()


@pytest.mark.django_db
def test_caseworker_opens_own_office_read_only_and_its_history(client, caseworker, trondheim):
    client.force_login(caseworker)
    office = trondheim.office

    change = client.get(reverse("admin:tilskudd_office_change", args=[office.pk]))
    history = client.get(reverse("admin:tilskudd_office_history", args=[office.pk]))
    posted = client.post(
        reverse("admin:tilskudd_office_change", args=[office.pk]),
        {"code": office.code, "name": "Kapret", "short_name": "Kapret", "email": ""},
    )

    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert history.status_code == 200
    assert history.context["object"] == office
    # Office staff may look, not change: the admin refuses the post.
    assert posted.status_code == 403
    office.refresh_from_db()
    assert office.name == "Statsforvalteren i Trøndelag"


@pytest.mark.django_db
def test_caseworker_does_not_find_another_office(client, caseworker, rogaland_office):
    client.force_login(caseworker)

    change = client.get(reverse("admin:tilskudd_office_change", args=[rogaland_office.pk]))
    history = client.get(reverse("admin:tilskudd_office_history", args=[rogaland_office.pk]))

    # The admin treats a row outside the queryset as missing: both redirect to the index.
    assert change.status_code == 302
    assert change.url == reverse("admin:index")
    assert history.status_code == 302
    assert history.url == reverse("admin:index")


@pytest.mark.django_db
def test_caseworker_cannot_delete_an_office(client, caseworker, trondheim, rogaland_office):
    client.force_login(caseworker)
    own = reverse("admin:tilskudd_office_delete", args=[trondheim.office.pk])

    opened = client.get(own)
    posted = client.post(own, {"post": "yes"})
    bulk = client.post(
        reverse("admin:tilskudd_office_changelist"),
        {"action": "delete_selected", "_selected_action": [trondheim.office.pk], "post": "yes"},
    )

    assert opened.status_code == 403
    assert posted.status_code == 403
    # Without delete permission no action is offered at all: the list is shown again.
    assert bulk.status_code == 200
    assert bulk.context["action_form"] is None
    assert Office.objects.filter(pk=trondheim.office.pk).exists()
    assert Office.objects.filter(pk=rogaland_office.pk).exists()
