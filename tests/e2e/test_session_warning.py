"""The warning before the signed-in session ends (WCAG 2.2.1), in Chromium with a short
session: the dialog comes `SESSION_WARNING_SECONDS` before the end, takes focus, passes
axe, and «Fortsett» keeps the person signed in past the first session's end."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

SIGNATORY = "signatur@trondheim.example.no"


@pytest.fixture
def short_session(settings, demo_data):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_WARNING_SECONDS = 5


def test_the_warning_comes_before_the_end_and_fortsett_keeps_the_user_signed_in(
    page, short_session
):
    login(page, SIGNATORY)

    dialog = page.get_by_role("dialog", name="Du blir snart logget ut")
    expect(dialog).to_be_visible(timeout=8_000)
    expect(dialog).to_contain_text(re.compile(r"blir du logget ut kl\. \d\d:\d\d"))
    expect(page.get_by_role("button", name="Fortsett")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name="Fortsett").click()
    expect(dialog).to_be_hidden()

    page.wait_for_timeout(6_000)  # past the end of the session as it was
    page.goto("/soknader/")
    expect(page).to_have_url(re.compile(r"/soknader/$"))
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()


def test_without_fortsett_the_session_ends_and_the_dialog_says_so(page, short_session):
    login(page, SIGNATORY)

    expect(page.get_by_role("link", name="Logg inn igjen")).to_be_visible(timeout=12_000)
    expect(page.get_by_role("dialog")).to_contain_text("Du er logget ut")
    page.get_by_role("link", name="Logg inn igjen").click()
    expect(page).to_have_url(re.compile(r"/logg-inn/\?next=/$"))
    page.goto("/soknader/")
    expect(page).to_have_url(re.compile(r"/logg-inn/"))


@pytest.fixture
def ten_minute_session(settings, demo_data):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_WARNING_SECONDS = 120


def test_at_the_warning_typed_work_is_saved_first_and_fortsett_keeps_it(
    page, ten_minute_session
):
    """The page's clock is Playwright's: the text is typed less than the autosave's 1.5 s
    before the warning, so only the warning's «save first» can have saved it."""
    from tests.e2e.test_application_flow import open_my_applications

    page.clock.install()
    login(page, SIGNATORY)
    open_my_applications(page)
    page.get_by_role("button", name=re.compile(r"^Start søknad")).click()
    expect(page.locator("#step-heading")).to_have_text("Om søkeren og søknaden")
    dialog = page.locator("#session-warning")
    warn_after = (int(dialog.get_attribute("data-expires-in"))
                  - int(dialog.get_attribute("data-lead"))) * 1000
    status = page.locator("#save-status")
    status.evaluate("node => { node.textContent = ''; }")

    page.clock.run_for(warn_after - 800)
    page.get_by_label("Formål med tilskuddet").fill("Flere ansatte med fagbrev i hjemmetjenesten.")
    page.clock.run_for(1_000)  # the warning comes; the autosave's own timer has not run

    expect(page.get_by_role("dialog", name="Du blir snart logget ut")).to_be_visible()
    expect(status).to_have_text(re.compile(r"Sist lagret kl\. \d\d:\d\d"))
    assert_accessible(page)
    page.get_by_role("button", name="Fortsett").click()
    expect(page.get_by_role("dialog", name="Du blir snart logget ut")).to_be_hidden()

    page.reload()
    expect(page.get_by_label("Formål med tilskuddet")).to_have_value(
        "Flere ansatte med fagbrev i hjemmetjenesten.")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
