"""The open data's published recipient ids in the admin (assessment/opendata/admin.py):
read only, everything for superusers and the directorate, an office's staff only their
own office's organisations, named in the reader's language."""

import pytest
from django.urls import reverse

from assessment.models import PublishedRecipient
from tests.tilskudd.factories import OrganisationFactory, UserFactory, office_staff, stavanger

pytestmark = pytest.mark.django_db

LIST = "admin:assessment_publishedrecipient_changelist"


@pytest.fixture
def recipients():
    trondheim = OrganisationFactory(name="Trondheim kommune", org_number="942110464",
                                    municipality_number="5001")
    return (PublishedRecipient.objects.create(organisation=trondheim, identifier="org-942110464"),
            PublishedRecipient.objects.create(organisation=stavanger(), identifier="org-964965226"))


def listed(client):
    page = client.get(reverse(LIST))
    assert page.status_code == 200
    return sorted(str(r) for r in page.context["cl"].result_list)


@pytest.mark.parametrize("national", [
    {"is_superuser": True}, {"is_directorate": True}])
def test_superusers_and_the_directorate_read_every_recipient_and_write_none(
    client, recipients, national
):
    client.force_login(UserFactory(is_staff=True, **national))
    own = recipients[0]

    assert listed(client) == ["org-942110464", "org-964965226"]
    change = reverse("admin:assessment_publishedrecipient_change", args=[own.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"identifier": "endret"}).status_code == 403
    assert client.get(reverse("admin:assessment_publishedrecipient_add")).status_code == 403
    assert client.post(reverse("admin:assessment_publishedrecipient_delete", args=[own.pk]),
                       {"post": "yes"}).status_code == 403
    assert PublishedRecipient.objects.get(pk=own.pk).identifier == "org-942110464"


def test_office_staff_read_their_own_offices_recipients_only(client, recipients):
    own, other = recipients
    client.force_login(office_staff(own.organisation.county.office, language="nn"))

    assert listed(client) == ["org-942110464"]
    page = client.get(reverse(LIST)).content.decode()
    assert "<title>Velg mottakar i opne data du ønskar å sjå |" in page
    other_page = client.get(
        reverse("admin:assessment_publishedrecipient_change", args=[other.pk]), follow=True)
    assert other_page.status_code == 200  # the admin's «not found» goes back to its index
    assert other_page.redirect_chain[0][0] == reverse("admin:index")
