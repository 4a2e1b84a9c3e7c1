"""Admin saves of the shared model go through the services: an organisation's change (the
rural-district flag decides priority), a user, and memberships granted and revoked are
each audited with the changed values before and after."""

import pytest
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, UserFactory, office_staff
from tilskudd.audit import AuditAction, AuditEvent
from tilskudd.models import Membership, MembershipRole, OfficeMembership, OfficeRole
from tilskudd.services import membership_grant, membership_revoke


@pytest.fixture
def trondheim(db):
    return OrganisationFactory(name="Trondheim kommune", org_number="942110464",
                               municipality_number="5001")


def rows(*actions):
    return list(AuditEvent.objects.filter(action__in=actions).order_by("pk").values_list(
        "action", "actor__email", "before", "after"))


def organisation_form(organisation, **changes) -> dict:
    data = {
        "kind": organisation.kind, "name": organisation.name,
        "org_number": organisation.org_number,
        "municipality_number": organisation.municipality_number or "",
        "county": organisation.county_id,
        "is_rural_district": "on" if organisation.is_rural_district else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_office_staff_set_the_rural_district_flag_with_an_audit_row(client, trondheim):
    # Given a caseworker of Trondheim's office
    caseworker = office_staff(trondheim.office, email="saksbehandler@example.no")
    client.force_login(caseworker)

    # When the caseworker marks the organisation as a rural district
    response = client.post(
        reverse("admin:tilskudd_organisation_change", args=[trondheim.pk]),
        {"org_number": trondheim.org_number, "is_rural_district": "on"},
    )

    # Then it is saved and one row says who changed what from what
    assert response.status_code == 302
    trondheim.refresh_from_db()
    assert trondheim.is_rural_district is True
    assert rows(AuditAction.ORGANISATION_CHANGE) == [(
        AuditAction.ORGANISATION_CHANGE, "saksbehandler@example.no",
        {"is_rural_district": False}, {"is_rural_district": True},
    )]


def test_a_save_that_changes_nothing_writes_no_row(admin_client, trondheim):
    response = admin_client.post(
        reverse("admin:tilskudd_organisation_change", args=[trondheim.pk]),
        organisation_form(trondheim),
    )

    assert response.status_code == 302
    assert rows(AuditAction.ORGANISATION_CHANGE) == []


def test_a_superuser_adds_an_organisation_with_an_audit_row(admin_client, trondheim):
    response = admin_client.post(reverse("admin:tilskudd_organisation_add"), {
        "kind": "university", "name": "NTNU", "org_number": "974767880",
        "county": trondheim.county_id,
    })

    assert response.status_code == 302
    [(action, actor, before, after)] = rows(AuditAction.ORGANISATION_CHANGE)
    assert (action, actor, before) == (
        AuditAction.ORGANISATION_CHANGE, "admin@example.com", {})
    assert after == {"kind": "university", "name": "NTNU", "org_number": "974767880",
                     "municipality_number": None, "county": trondheim.county_id,
                     "is_rural_district": False, "written_language": ""}


def user_form(user, *, memberships=(), office=None) -> dict:
    data = {
        "email": user.email, "full_name": user.full_name, "is_active": "on",
        "last_login_0": "", "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "office_membership-TOTAL_FORMS": "1" if office else "0",
        "office_membership-INITIAL_FORMS": "1" if office and office.get("id") else "0",
        "office_membership-MIN_NUM_FORMS": "0", "office_membership-MAX_NUM_FORMS": "1",
    }
    for i, membership in enumerate(memberships):
        for key, value in membership.items():
            data[f"memberships-{i}-{key}"] = value
        data[f"memberships-{i}-user"] = user.pk
    if office:
        for key, value in office.items():
            data[f"office_membership-0-{key}"] = value
        data["office_membership-0-user"] = user.pk
    return data


def test_a_membership_added_in_the_admin_is_granted_and_audited(admin_client, trondheim):
    person = UserFactory(email="ny@example.no")

    response = admin_client.post(
        reverse("admin:tilskudd_user_change", args=[person.pk]),
        user_form(person, memberships=[{"organisation": trondheim.pk, "role": "signatory"}]),
    )

    assert response.status_code == 302
    assert list(Membership.objects.values_list("user__email", "organisation", "role")) == [
        ("ny@example.no", trondheim.pk, MembershipRole.SIGNATORY)]
    assert rows(AuditAction.MEMBERSHIP_GRANT, AuditAction.MEMBERSHIP_REVOKE) == [
        (AuditAction.MEMBERSHIP_GRANT, "admin@example.com", {}, {"role": "signatory"})]


def test_a_role_changed_and_a_membership_deleted_in_the_admin_are_audited(
    admin_client, trondheim
):
    person = UserFactory(email="ny@example.no")
    other = OrganisationFactory(name="Malvik kommune", org_number="938772924",
                                municipality_number="5031")
    kept = Membership.objects.create(user=person, organisation=trondheim, role="editor")
    gone = Membership.objects.create(user=person, organisation=other, role="editor")

    response = admin_client.post(
        reverse("admin:tilskudd_user_change", args=[person.pk]),
        user_form(person, memberships=[
            {"id": kept.pk, "organisation": trondheim.pk, "role": "signatory"},
            {"id": gone.pk, "organisation": other.pk, "role": "editor", "DELETE": "on"},
        ]),
    )

    assert response.status_code == 302
    assert list(Membership.objects.values_list("organisation", "role")) == [
        (trondheim.pk, MembershipRole.SIGNATORY)]
    assert rows(AuditAction.MEMBERSHIP_GRANT, AuditAction.MEMBERSHIP_REVOKE) == [
        (AuditAction.MEMBERSHIP_REVOKE, "admin@example.com", {"role": "editor"}, {}),
        (AuditAction.MEMBERSHIP_GRANT, "admin@example.com", {"role": "editor"},
         {"role": "signatory"}),
    ]


def test_office_staff_added_in_the_admin_are_granted_and_audited(admin_client, trondheim):
    person = UserFactory(email="ny@example.no")

    response = admin_client.post(
        reverse("admin:tilskudd_user_change", args=[person.pk]),
        user_form(person, office={"office": trondheim.office.pk, "role": "approver"}),
    )

    assert response.status_code == 302
    assert list(OfficeMembership.objects.values_list("user__email", "role")) == [
        ("ny@example.no", OfficeRole.APPROVER)]
    assert rows(AuditAction.OFFICE_MEMBERSHIP_GRANT) == [(
        AuditAction.OFFICE_MEMBERSHIP_GRANT, "admin@example.com", {},
        {"office": trondheim.office.pk, "role": "approver"},
    )]


def test_a_user_changed_in_the_admin_is_audited(admin_client, trondheim):
    person = UserFactory(email="ny@example.no", full_name="Ny Person")

    form = user_form(person)
    form["full_name"] = "Ny Person Hansen"
    response = admin_client.post(reverse("admin:tilskudd_user_change", args=[person.pk]), form)

    assert response.status_code == 302
    assert rows(AuditAction.USER_CHANGE) == [(
        AuditAction.USER_CHANGE, "admin@example.com", {"full_name": "Ny Person"},
        {"full_name": "Ny Person Hansen"},
    )]


def test_granting_the_same_role_again_writes_nothing_and_revoking_writes_one_row(trondheim):
    person = UserFactory(email="ny@example.no")
    granter = UserFactory(email="tildeler@example.no")
    membership = membership_grant(organisation=trondheim, user=person,
                                  role=MembershipRole.EDITOR, granted_by=granter)

    membership_grant(organisation=trondheim, user=person, role=MembershipRole.EDITOR,
                     granted_by=granter)
    membership_revoke(membership=membership, revoked_by=granter)

    assert Membership.objects.count() == 0
    assert rows(AuditAction.MEMBERSHIP_GRANT, AuditAction.MEMBERSHIP_REVOKE) == [
        (AuditAction.MEMBERSHIP_GRANT, "tildeler@example.no", {}, {"role": "editor"}),
        (AuditAction.MEMBERSHIP_REVOKE, "tildeler@example.no", {"role": "editor"}, {}),
    ]


def test_a_deadline_moved_in_the_admin_is_audited_with_before_and_after(admin_client, db):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.tilskudd.factories import RoundFactory

    oslo = ZoneInfo("Europe/Oslo")
    rnd = RoundFactory(year=2031, opens_at=datetime(2031, 1, 1, 8, 0, tzinfo=oslo),
                       application_deadline=datetime(2031, 3, 1, 23, 59, tzinfo=oslo),
                       reporting_deadline=datetime(2032, 3, 1, 23, 59, tzinfo=oslo))

    response = admin_client.post(reverse("admin:tilskudd_round_change", args=[rnd.pk]), {
        "scheme": rnd.scheme_id, "year": "2031",
        "opens_at_0": "2031-01-01", "opens_at_1": "08:00:00",
        "application_deadline_0": "2031-03-15", "application_deadline_1": "23:59:00",
        "reporting_opens_at_0": "", "reporting_opens_at_1": "",
        "reporting_deadline_0": "2032-03-01", "reporting_deadline_1": "23:59:00",
    })

    assert response.status_code == 302
    assert rows(AuditAction.REFERENCE_CHANGE) == [(
        AuditAction.REFERENCE_CHANGE, "admin@example.com",
        {"application_deadline": "2031-03-01T22:59:00+00:00"},
        {"application_deadline": "2031-03-15T22:59:00+00:00"},
    )]


def test_a_password_set_in_the_admin_is_audited_without_the_password(admin_client, db):
    person = UserFactory(email="ny@example.no")

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": "Et-nytt-passord-9", "password2": "Et-nytt-passord-9"},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Et-nytt-passord-9")
    assert list(AuditEvent.objects.filter(action=AuditAction.USER_CHANGE).values_list(
        "actor__email", "target_id", "before", "after", "data")) == [
        ("admin@example.com", person.pk, {}, {}, {"password_changed": True})]


@pytest.mark.django_db
def test_the_office_sets_an_organisations_language_form_in_the_admin(client, trondheim):
    caseworker = office_staff(trondheim.office, email="sb@example.no")
    client.force_login(caseworker)

    response = client.post(
        reverse("admin:tilskudd_organisation_change", args=[trondheim.pk]),
        organisation_form(trondheim, written_language="nn"))

    assert response.status_code == 302
    trondheim.refresh_from_db()
    assert trondheim.written_language == "nn"
    [(_action, actor, before, after)] = rows(AuditAction.ORGANISATION_CHANGE)
    assert (actor, before, after) == ("sb@example.no", {"written_language": ""},
                                      {"written_language": "nn"})
