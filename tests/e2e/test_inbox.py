"""The inbox with the demo logins, in Chromium: the editor sends this year's application
for signing; the signatory finds it (and last year's report) waiting on the start page,
follows the link to where the work is done; every page axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout, reference_data_as_loaded

EDITOR = "utfyller@trondheim.example.no"
SIGNATORY = "signatur@trondheim.example.no"
CASEWORKER = "saksbehandler@sftl.example.no"


@pytest.fixture
def signing_demo(transactional_db):
    """The demo data and every app's demo loader (last year's grant, its report open), and
    Trondheim's application in this year's round sent for signing by the demo editor."""
    from applications import services
    from tilskudd.models import Organisation, Round, User
    from tilskudd.seeding import (
        demo_round_years,
        load_demo_data,
        run_app_demo_loaders,
    )

    reference_data_as_loaded()
    load_demo_data()
    run_app_demo_loaders()
    open_year, _closed = demo_round_years()
    editor = User.objects.get(email=EDITOR)
    application = services.application_start(
        organisation=Organisation.objects.get(municipality_number="5001"),
        round=Round.objects.get(scheme__code="kkt", year=open_year), user=editor)
    services.application_request_signature(application=application, user=editor)
    return application


def test_the_signatory_finds_what_waits_in_the_inbox(page, signing_demo):
    login(page, SIGNATORY)

    mine = page.locator("#inbox-mine")
    expect(mine.get_by_role("heading", name=re.compile("venter på din signatur"))).to_be_visible()
    expect(mine.get_by_role("heading", name=re.compile("^Skriv rapporten for"))).to_be_visible()
    assert "Sendt til signering av" in mine.inner_text()
    assert "dager igjen." in mine.inner_text()
    expect(page.locator("#inbox-events")).to_contain_text("ble sendt til signering av")
    assert_accessible(page)

    mine.get_by_role("link", name=re.compile("^Kontroller og send inn")).click()
    expect(page).to_have_url(re.compile(rf"/soknader/{signing_demo.pk}/forhandsvis/$"))
    assert_accessible(page)


def test_the_editor_sees_it_waiting_for_someone_else(page, signing_demo):
    login(page, EDITOR)

    others = page.locator("#inbox-others")
    expect(others.get_by_role("heading", name=re.compile("venter på signatur$"))).to_be_visible()
    assert_accessible(page)
    logout(page)


def test_the_caseworker_sees_what_waits_in_the_admin(page, signing_demo):
    login(page, CASEWORKER)
    page.goto("/admin/")

    expect(page.locator("#office-inbox-heading")).to_have_text("Venter på deg")
    assert_accessible(page)
