"""The superuser's user list says how each person signs in, so nobody tries to reset a
password for an account that came through ID-porten."""

import pytest
from django.urls import reverse

from tests.tilskudd.factories import UserFactory


@pytest.mark.django_db
def test_the_user_list_and_page_say_who_signs_in_with_idporten(admin_client):
    # given: one account from ID-porten, one with a password
    UserFactory(email="kari@example.no", pid_hash="a" * 64)
    ola = UserFactory(email="ola@example.no", pid_hash="")

    # when
    listing = admin_client.get(reverse("admin:tilskudd_user_changelist")).content.decode()
    page = admin_client.get(reverse("admin:tilskudd_user_change", args=[ola.pk]))

    # then
    assert "Logger inn med" in listing
    kari_row = listing[listing.index("kari@example.no"):].split("</tr>")[0]
    ola_row = listing[listing.index("ola@example.no"):].split("</tr>")[0]
    assert "ID-porten" in kari_row
    assert "e-post og passord" in ola_row
    assert "e-post og passord" in page.content.decode()
