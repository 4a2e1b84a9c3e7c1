"""A form open in one tab while the person signs out and in again in another, in Chromium:
Django gives the CSRF token a new secret at every sign-in, so the first tab's token is
refused; its autosave fetches the new one and sends again, and its «Lagre» goes through.
Signed out, the tab says so, keeps what was typed and does not leave the page."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application
from tests.e2e.conftest import login, logout
from tests.e2e.test_application_flow import EDITOR, SIGNATORY, open_my_applications

PURPOSE = "Flere ansatte med fagbrev i hjemmetjenesten."


def _open_new_application(page) -> None:
    login(page, EDITOR)
    open_my_applications(page)
    page.get_by_role("button", name=re.compile(r"^Start søknad")).click()
    # the autosave listens once the page's deferred scripts have run
    page.wait_for_url(re.compile(r"/steg/"), wait_until="load")


def _autosaves(page) -> list[int]:
    """The status of every background save the page sends from now on."""
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status)
            if r.request.method == "POST" and r.request.headers.get("x-requested-with") == "fetch"
            else None)
    return statuses


@pytest.fixture
def form_page(page, demo_data):
    _open_new_application(page)
    page.locator("#save-status").evaluate("node => { node.textContent = ''; }")
    return page


def test_after_signing_in_again_in_another_tab_the_autosave_renews_its_token(form_page):
    page = form_page
    other = page.context.new_page()
    other.goto("/")
    logout(other)
    login(other, EDITOR)  # a new CSRF token for the whole browser
    saves = _autosaves(page)

    page.bring_to_front()
    page.get_by_label("Formål med tilskuddet").fill(PURPOSE)
    page.get_by_label("Formål med tilskuddet").press("Tab")

    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Sist lagret kl\. \d\d:\d\d"))
    assert saves == [403, 200]  # refused with the old token, then sent with the new one
    assert Application.objects.get().purpose == PURPOSE

    # the page's other forms hold the new token too: «Lagre» posts and shows the form again
    page.get_by_label("Formål med tilskuddet").fill(PURPOSE + " Og flere sykepleiere.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator("#step-heading")).to_have_text("Om søkeren og søknaden")
    expect(page.get_by_role("heading", name="Skjemaet ble ikke sendt")).to_have_count(0)
    assert Application.objects.get().purpose == PURPOSE + " Og flere sykepleiere."


def test_signed_out_in_another_tab_the_form_says_so_and_keeps_the_text(form_page):
    page = form_page
    url = page.url
    other = page.context.new_page()
    other.goto("/")
    logout(other)

    page.bring_to_front()
    page.get_by_label("Formål med tilskuddet").fill(PURPOSE)
    page.get_by_label("Formål med tilskuddet").press("Tab")

    status = page.locator("#save-status")
    expect(status).to_have_text(re.compile(r"^Ikke lagret fordi du er logget ut\."))
    # leaving would lose the text: «Neste» stays, and the text is still in the field
    page.get_by_role("button", name=re.compile(r"^Neste: ")).click()
    page.wait_for_timeout(500)
    assert page.url == url
    expect(page.get_by_label("Formål med tilskuddet")).to_have_value(PURPOSE)
    assert Application.objects.get().purpose == ""

    # signed in again in the other tab, «Lagre» here saves what was typed
    login(other, EDITOR)
    page.bring_to_front()
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).click()
    expect(status).to_have_text(re.compile(r"^Sist lagret kl\. \d\d:\d\d"))
    expect(page.get_by_role("heading", name="Skjemaet ble ikke sendt")).to_have_count(0)
    assert Application.objects.get().purpose == PURPOSE


def test_signed_in_as_a_colleague_in_another_tab_the_form_saves_nothing_in_their_name(
    form_page,
):
    """The colleague is a member of the same organisation, so the server would take the
    save: the page, made for the editor, asks for no token of theirs (review of e3da7af)."""
    page = form_page
    other = page.context.new_page()
    other.goto("/")
    logout(other)
    login(other, SIGNATORY)
    saves = _autosaves(page)

    page.bring_to_front()
    page.get_by_label("Formål med tilskuddet").fill(PURPOSE)
    page.get_by_label("Formål med tilskuddet").press("Tab")

    expect(page.locator("#save-status")).to_have_text(
        re.compile(r"^Ikke lagret fordi en annen bruker har logget inn i en annen fane\."))
    assert saves == [403]  # refused with the old token, and not sent again
    expect(page.get_by_label("Formål med tilskuddet")).to_have_value(PURPOSE)
    assert Application.objects.get().purpose == ""


def test_typed_and_sent_with_enter_after_signing_in_again_the_form_goes_through(form_page):
    """Enter in a field sends the form with no focusout to save it first: the save that
    renews the token goes first, not the post with the old one (review of e3da7af)."""
    page = form_page
    other = page.context.new_page()
    other.goto("/")
    logout(other)
    login(other, EDITOR)

    page.bring_to_front()
    field = page.get_by_label("Kontaktperson", exact=True)
    field.fill("Kari Kontakt")
    with page.expect_navigation():
        field.press("Enter")

    expect(page.get_by_role("heading", name="Skjemaet ble ikke sendt")).to_have_count(0)
    assert Application.objects.get().contact_name == "Kari Kontakt"
