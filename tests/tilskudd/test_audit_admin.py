"""The audit trail in the admin: superusers and the directorate read it, filtered by action
and showing before and after; office staff do not see it; nobody changes it."""

import pytest
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, UserFactory, office_staff
from tilskudd.audit import AuditAction, AuditEvent
from tilskudd.services import audit

LIST = reverse("admin:tilskudd_auditevent_changelist")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Trondheim kommune")


@pytest.fixture
def events(organisation):
    actor = UserFactory(email="saksbehandler@example.no")
    change = audit(actor=actor, action=AuditAction.ORGANISATION_CHANGE, target=organisation,
                   before={"is_rural_district": False}, after={"is_rural_district": True})
    login = audit(actor=actor, action=AuditAction.USER_LOGIN, target=actor)
    return change, login


@pytest.fixture
def directorate(db):
    return UserFactory(is_staff=True, is_directorate=True)


def test_the_directorate_reads_the_trail_with_before_and_after(client, directorate, events):
    client.force_login(directorate)

    page = client.get(LIST).content.decode()

    assert "Organisasjon endret" in page
    assert "Logget inn" in page
    assert "<dt>is_rural_district</dt><dd>false</dd>" in page
    assert "<dt>is_rural_district</dt><dd>true</dd>" in page


def test_the_trail_is_filtered_by_action(client, directorate, events):
    client.force_login(directorate)

    response = client.get(LIST, {"action": AuditAction.USER_LOGIN})

    # the fixture's sign-in and the directorate's own (force_login is audited too)
    assert [(e.action, e.actor.email) for e in response.context["cl"].result_list] == [
        (AuditAction.USER_LOGIN, directorate.email),
        (AuditAction.USER_LOGIN, "saksbehandler@example.no"),
    ]


def test_a_superuser_opens_one_event_read_only(admin_client, events):
    change, _ = events
    url = reverse("admin:tilskudd_auditevent_change", args=[change.pk])

    page = admin_client.get(url)
    post = admin_client.post(url, {"action": AuditAction.USER_LOGOUT})

    assert page.status_code == 200
    assert "Organisasjon endret" in page.content.decode()
    assert post.status_code == 403
    change.refresh_from_db()
    assert change.action == AuditAction.ORGANISATION_CHANGE


def test_office_staff_do_not_see_the_trail_nor_delete_from_it(client, organisation, events):
    change, _ = events
    client.force_login(office_staff(organisation.office))

    listing = client.get(LIST)
    delete = client.post(reverse("admin:tilskudd_auditevent_delete", args=[change.pk]),
                         {"post": "yes"})

    assert (listing.status_code, delete.status_code) == (403, 403)
    assert AuditEvent.objects.filter(pk=change.pk).exists()
