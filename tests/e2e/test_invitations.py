"""In Chromium: the demo signatory invites a new colleague as signatory from «Tilgang»; the
colleague opens the link, signs in, accepts, sees themselves listed, and as the new
signatory fills in and sends an application. axe finds nothing on any page."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout
from tests.e2e.test_application_flow import start_fill_and_submit

SIGNATORY = "signatur@trondheim.example.no"
NEWCOMER = "ny.signatar@trondheim.example.no"
PASSWORD = "Nytt-passord-for-test-1"


def test_a_signatory_invites_a_colleague_who_accepts_and_submits(page, demo_data):
    from tilskudd.models import User
    from tilskudd.outbox import OutboundEmail

    # The signatory opens «Tilgang» from the start page and invites a colleague.
    login(page, SIGNATORY)
    page.get_by_role("link", name="Tilgang for Trondheim - Tråante kommune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tilgang for Trondheim - Tråante kommune")
    assert_accessible(page)
    page.get_by_label("E-post til den du inviterer").fill(NEWCOMER)
    page.get_by_label("Signaturberettiget").check()
    page.get_by_role("button", name="Send invitasjon").click()
    expect(page.get_by_text(f"Invitasjonen er sendt til {NEWCOMER}.")).to_be_visible()
    expect(page.locator("#pending-heading + ul")).to_contain_text(NEWCOMER)
    assert_accessible(page)
    logout(page)

    # The colleague follows the e-mail's link, signs in, and accepts.
    body = OutboundEmail.objects.get(to=[NEWCOMER]).body
    link = re.search(r"/tilgang/invitasjon/\S+/", body)[0]
    User.objects.create_user(email=NEWCOMER, password=PASSWORD, full_name="Nina Nysignatar")
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    page.get_by_label("E-post").fill(NEWCOMER)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Invitasjon")).to_be_visible()
    expect(page.locator("#invitation-text")).to_contain_text(
        "til Trondheim - Tråante kommune som signaturberettiget")
    assert_accessible(page)
    page.get_by_role("button", name="Aksepter invitasjonen").click()
    expect(page.get_by_text("Du har nå tilgang til Trondheim - Tråante kommune.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Nina Nysignatar"))).to_contain_text(
        "Signaturberettiget")
    assert_accessible(page)

    # The link is used up.
    page.goto(link)
    expect(page.locator("#refusal")).to_have_text("Invitasjonen er allerede brukt.")
    assert_accessible(page)

    # As the new signatory, she fills in an application and sends it herself.
    start_fill_and_submit(page)
