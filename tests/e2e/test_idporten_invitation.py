"""In Chromium: a colleague invited by the demo signatory signs in with ID-porten (through
the provider's own page), gives name and e-mail, accepts the invitation, and as the new
signatory sends an application. axe finds nothing on any page."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout
from tests.e2e.test_application_flow import start_fill_and_submit

SIGNATORY = "signatur@trondheim.example.no"
NEWCOMER = "ola.idporten@trondheim.example.no"


def test_an_invited_colleague_signs_in_with_idporten_accepts_and_submits(
    page, demo_data, idporten, live_server, settings
):
    from tilskudd.outbox import OutboundEmail

    settings.SITE_URL = live_server.url
    idporten.person("ola", pid="05073500186")

    # The signatory invites a colleague as signatory.
    login(page, SIGNATORY)
    page.get_by_role("link", name="Tilgang for Trondheim - Tråante kommune").click()
    page.get_by_label("E-post til den du inviterer").fill(NEWCOMER)
    page.get_by_label("Signaturberettiget").check()
    page.get_by_role("button", name="Send invitasjon").click()
    expect(page.get_by_text(f"Invitasjonen er sendt til {NEWCOMER}.")).to_be_visible()
    logout(page)

    # The colleague opens the link and signs in with ID-porten for the first time.
    link = re.search(r"/tilgang/invitasjon/\S+/", OutboundEmail.objects.get(to=[NEWCOMER]).body)[0]
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    page.get_by_placeholder("sub").fill("ola")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/idporten/om-deg/**")
    assert_accessible(page)
    page.get_by_label("Fullt navn").fill("Ola Nordmann")
    page.get_by_label("E-post").fill(NEWCOMER)
    page.get_by_role("button", name="Lagre og send bekreftelse").click()
    page.wait_for_url("**/idporten/om-deg/sendt/**")
    assert_accessible(page)
    page.locator("#continue").click()

    # The invitation waits where she was going; she accepts it.
    expect(page.get_by_role("heading", level=1, name="Invitasjon")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Aksepter invitasjonen").click()
    expect(page.get_by_text("Du har nå tilgang til Trondheim - Tråante kommune.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Ola Nordmann"))).to_contain_text(
        "Signaturberettiget")

    # As the new signatory she fills in an application and sends it herself.
    start_fill_and_submit(page)
    assert "Ola Nordmann" in page.inner_text("main")
    assert_accessible(page)
