"""The site's own error pages: Norwegian, with the site's landmarks, nothing inline."""

import re

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, member, office_staff

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def assert_site_page(page: str) -> None:
    assert '<html lang="nb">' in page
    assert "<header" in page
    assert '<main id="main"' in page
    assert "<footer" in page
    assert "/static/css/tilskudd.css" in page
    assert INLINE.search(page) is None


@pytest.mark.django_db
def test_a_missing_page_is_the_norwegian_404(client):
    response = client.get("/finnes-ikke/")

    assert response.status_code == 404
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Fant ikke siden</h1>" in page
    assert "Not Found" not in page
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_a_missing_admin_page_is_the_norwegian_404(client):
    client.force_login(office_staff(OrganisationFactory().office))

    response = client.get("/admin/tilskudd/finnes-ikke/")

    assert response.status_code == 404
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Fant ikke siden</h1>" in page


@pytest.mark.django_db
@pytest.mark.urls("tests.tilskudd.error_urls")
def test_a_refusal_is_the_norwegian_403(client):
    user = member(OrganisationFactory(), full_name="Kari Nordmann")
    client.force_login(user)

    response = client.get("/feil/403/")

    assert response.status_code == 403
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Du har ikke tilgang til denne siden</h1>" in page
    assert "Du er logget inn som Kari Nordmann." in page
    assert "not for you" not in page


@pytest.mark.django_db
@pytest.mark.urls("tests.tilskudd.error_urls")
def test_an_anonymous_refusal_offers_to_sign_in(client):
    response = client.get("/feil/403/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Siden krever at du er logget inn med en bruker som har tilgang." in page
    assert f'href="{reverse("login")}"' in page


@pytest.mark.django_db
def test_an_admin_refusal_is_the_norwegian_403(client):
    org = OrganisationFactory()
    client.force_login(office_staff(org.office))

    response = client.get(reverse("admin:tilskudd_office_delete", args=[org.office.pk]))

    assert response.status_code == 403
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Du har ikke tilgang til denne siden</h1>" in page


@pytest.mark.django_db
@pytest.mark.urls("tests.tilskudd.error_urls")
def test_a_bug_is_the_norwegian_500(client):
    client.raise_request_exception = False

    response = client.get("/feil/500/")

    assert response.status_code == 500
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Noe gikk galt hos oss</h1>" in page
    assert "a bug in a view" not in page
    assert "Server Error" not in page


@pytest.mark.django_db
def test_the_500_page_renders_without_request_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = get_template("500.html").render()

    assert_site_page(page)
    assert "Det du har lagret tidligere, er tatt vare på." in page


@pytest.mark.django_db
def test_a_failed_csrf_check_is_the_norwegian_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "kari@example.no", "password": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Skjemaet ble ikke sendt</h1>" in page
    assert "Gå tilbake, last inn siden på nytt og prøv igjen." in page
    assert "CSRF verification failed" not in page


@pytest.mark.django_db
def test_a_bad_request_is_the_norwegian_400(client):
    response = client.get("/", HTTP_HOST="angriper.example")

    assert response.status_code == 400
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Forespørselen kunne ikke behandles</h1>" in page
