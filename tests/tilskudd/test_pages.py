import pytest
from django.urls import reverse

from tests.tilskudd.factories import (
    OrganisationFactory,
    RoundFactory,
    member,
    office_staff,
)
from tilskudd.models import MembershipRole


@pytest.mark.django_db
def test_start_page_tells_an_applicant_who_they_act_for_and_what_is_open(client):
    org = OrganisationFactory()
    rnd = RoundFactory()
    user = member(org, MembershipRole.SIGNATORY)
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    assert "Trondheim - Tråante kommune" in page
    assert "signaturberettiget" in page
    assert "mottaker er Statsforvalteren i Trøndelag" in page
    assert f"{rnd.scheme.name} {rnd.year}" in page


@pytest.mark.django_db
def test_start_page_tells_office_staff_their_office(client):
    org = OrganisationFactory()
    client.force_login(office_staff(org.office))

    page = client.get(reverse("home")).content.decode()

    assert "Statsforvalteren i Trøndelag, som saksbehandler." in page
    assert "Ingen søknadsrunder er åpne nå." in page


@pytest.mark.django_db
def test_anonymous_start_page_offers_login_and_landmarks(client):
    page = client.get(reverse("home")).content.decode()

    assert '<html lang="nb">' in page
    assert 'href="#main"' in page
    assert '<main id="main"' in page
    assert "<header" in page and "<footer" in page and "<nav" in page
    assert reverse("login") in page


@pytest.mark.django_db
def test_login_with_email_and_wrong_password_shows_norwegian_error(client):
    member(OrganisationFactory(), email="kari@example.no")

    bad = client.post(reverse("login"), {"username": "kari@example.no", "password": "feil"})
    good = client.post(
        reverse("login"), {"username": "kari@example.no", "password": "Passord-for-test-1"}
    )

    assert bad.status_code == 200
    assert "Skjemaet har feil som må rettes" in bad.content.decode()
    assert good.status_code == 302
