"""An e-mail address signs in in any capitals, with spaces around it: addresses are stored
lower-case (tilskudd.users), and django-axes counts every spelling as one user
(tilskudd.auth.axes_username), so no spelling gets five more tries."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, member, office_staff
from tilskudd.models import AuditEvent, User

EMAIL = "kari@example.no"
TYPED = "Kari@Example.no "
RIGHT = "Passord-for-test-1"
WRONG = "Feil-passord-42"
SPELLINGS = ["KARI@example.no", "Kari@Example.no ", " kari@EXAMPLE.NO", EMAIL, "kArI@example.no"]


@pytest.fixture
def kari(db):
    return member(OrganisationFactory(), email=EMAIL)


def sign_in(client, username, password, *, url="login"):
    return client.post(reverse(url), {"username": username, "password": password})


def test_an_address_in_capitals_with_a_space_signs_in_on_the_portal(client, kari):
    response = sign_in(client, TYPED, RIGHT)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(kari.pk)


def test_an_address_in_capitals_with_a_space_signs_in_on_the_admin(client, db):
    caseworker = office_staff(OrganisationFactory().county.office, email=EMAIL)

    response = sign_in(client, TYPED, RIGHT, url="admin:login")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(caseworker.pk)


def test_five_failures_in_mixed_spellings_lock_the_user_out_in_every_spelling(client, kari):
    # given: five wrong passwords, each with the address spelt differently
    responses = [sign_in(client, spelling, WRONG) for spelling in SPELLINGS]

    # when: the right password, in the stored spelling and in another
    refused = [sign_in(client, EMAIL, RIGHT), sign_in(client, TYPED, RIGHT)]

    # then
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert [r.status_code for r in refused] == [429, 429]
    assert "Prøv igjen etter kl." in refused[0].content.decode()
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        (EMAIL, 7)]
    # the audit rows name the address as it was typed (the form strips it), the lockout's
    # as it is counted
    failed = AuditEvent.objects.filter(action="user_login_failed").order_by("pk")
    assert [e.data["username"] for e in failed][:5] == [s.strip() for s in SPELLINGS]
    assert {e.target for e in failed} == {kari}
    locked = AuditEvent.objects.filter(action="user_locked_out").order_by("pk").first()
    assert (locked.target, locked.data["username"]) == (kari, EMAIL)


def test_the_right_password_after_four_failures_in_other_spellings_signs_in(client, kari):
    for spelling in SPELLINGS[:4]:
        assert sign_in(client, spelling, WRONG).status_code == 200

    response = sign_in(client, "KARI@EXAMPLE.NO", RIGHT)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kari.pk)
    # the success clears the count the four spellings shared
    assert AccessAttempt.objects.count() == 0


def test_the_admins_user_form_stores_the_address_lower_case(admin_client):
    # given: the superuser adds a person, typing the address with capitals
    fields = {"full_name": "Per Hansen", "password1": "Et-langt-passord-1",
              "password2": "Et-langt-passord-1"}
    for inline in ("memberships", "office_membership"):
        fields |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}

    added = admin_client.post(reverse("admin:tilskudd_user_add"),
                              {"email": "Per@Example.NO", **fields})
    taken = admin_client.post(reverse("admin:tilskudd_user_add"),
                              {"email": "PER@example.no", **fields})

    # then: stored lower-case, and another spelling of it is refused as taken
    assert added.status_code == 302
    assert User.objects.filter(full_name="Per Hansen").get().email == "per@example.no"
    assert taken.status_code == 200
    assert taken.context["adminform"].form.errors == {
        "email": ["Bruker med E-post finnes allerede."]}
    assert User.objects.filter(full_name="Per Hansen").count() == 1


@pytest.mark.django_db
def test_two_accounts_that_differ_only_in_capitals_sign_in_nobody_and_give_no_error():
    """Rows saved with capitals before every write stored lower-case: the lower-case one
    is found first; two capitalised ones that are not it are nobody, not a 500."""
    User.objects.create_user(EMAIL, RIGHT, full_name="Kari")
    upper = User.objects.create_user("x@example.no", RIGHT, full_name="Kari 2")
    User.objects.filter(pk=upper.pk).update(email="KARI@example.no")
    assert User.objects.get_by_natural_key("Kari@Example.no").email == "kari@example.no"
    User.objects.filter(email="kari@example.no").update(email="Kari@EXAMPLE.no")
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("kari@example.no")
