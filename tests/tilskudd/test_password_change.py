"""«Endre passord» is for people who sign in with a password; an ID-porten account has
none, so it is neither offered nor reachable for them."""

import pytest
from django.urls import reverse

from tests.tilskudd.factories import UserFactory


@pytest.mark.django_db
def test_an_idporten_account_is_not_offered_a_password_change_and_is_sent_home(client):
    # given: an account made by ID-porten (no usable password)
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    stored = person.password
    client.force_login(person)

    # when
    home = client.get(reverse("home"))
    response = client.get(reverse("password_change"), follow=True)

    # then
    assert reverse("password_change") not in home.content.decode()
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "har ikke noe passord i portalen" in response.content.decode()
    person.refresh_from_db()
    assert person.password == stored


@pytest.mark.django_db
def test_a_password_account_is_offered_the_change_and_sees_the_form(client):
    person = UserFactory()
    person.set_password("et-langt-passord-2026")
    person.save()
    client.force_login(person)

    home = client.get(reverse("home"))
    response = client.get(reverse("password_change"))

    assert reverse("password_change") in home.content.decode()
    assert response.status_code == 200
    assert 'name="old_password"' in response.content.decode()
