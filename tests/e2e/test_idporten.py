"""Signing in with ID-porten in Chromium, through the provider's own page (a real OpenID
Connect provider on localhost: tests/tilskudd/idporten_provider.py)."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.e2e.conftest import assert_accessible
from tilskudd.outbox import OutboundEmail

PID = "24079417894"


def sign_in_at_idporten(page, sub: str) -> None:
    page.goto("/logg-inn/")
    assert_accessible(page)
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_new_person_signs_in_gives_name_and_email_verifies_it_and_is_found_again(
    page, transactional_db, idporten, live_server, settings
):
    # given: a person ID-porten knows, at level substantial
    settings.SITE_URL = live_server.url
    idporten.person("kari", pid=PID)

    # when: the first sign-in
    sign_in_at_idporten(page, "kari")

    # then: asked who she is
    page.wait_for_url("**/idporten/om-deg/")
    assert_accessible(page)
    page.get_by_label("Fullt navn").fill("Kari Nordmann")
    page.get_by_label("E-post").fill("kari@trondheim.kommune.no")
    page.get_by_role("button", name="Lagre og send bekreftelse").click()
    page.wait_for_url("**/idporten/om-deg/sendt/")
    assert "Vi har sendt en lenke til kari@trondheim.kommune.no" in page.inner_text("main")
    assert_accessible(page)

    # when: she opens the link in the e-mail and confirms
    email = OutboundEmail.objects.get(kind="email_verify")
    link = next(word for word in email.body.split() if "/bekreft-e-post/" in word)
    page.goto(urlparse(link).path)
    assert_accessible(page)
    page.get_by_role("button", name="Bekreft e-postadressen").click()

    # then
    assert page.get_by_role("heading", name="E-postadressen er bekreftet").is_visible()
    assert_accessible(page)

    # when: she signs out, here and at ID-porten, and signs in again
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{idporten.url}/oauth2/end_session?**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    assert page.get_by_role("link", name="Logg inn").first.is_visible()
    sign_in_at_idporten(page, "kari")

    # then: the same person, not asked again
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    assert "Kari Nordmann" in page.inner_text("header")
    assert_accessible(page)
