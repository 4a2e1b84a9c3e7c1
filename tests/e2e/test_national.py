"""The national view in Chromium: the directorate opens it from the menu, switches round
and office (a GET form, no script needed) and the page is axe clean; a caseworker sees
only their own office."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout


@pytest.fixture
def directorate(demo_data):
    from tilskudd.models import User
    from tilskudd.seeding import DEMO_PASSWORD

    return User.objects.create_user(email="les@helsedir.example.no", password=DEMO_PASSWORD,
                                    full_name="Hege Helsedir", is_directorate=True)


def pot_rows(page):
    return page.locator("#table-pot tbody th[scope=row]")


def test_the_directorate_switches_round_and_office_and_a_caseworker_sees_their_own(
    page, directorate
):
    from tilskudd.models import Round

    newest, older = list(Round.objects.order_by("-year")[:2])

    # The directorate opens the national view from the menu: every office, newest round.
    login(page, directorate.email)
    page.get_by_role("link", name="Nasjonal oversikt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nasjonal oversikt")
    expect(page.locator("#round-heading")).to_contain_text(str(newest.year))
    expect(pot_rows(page)).to_have_count(10)
    expect(page.locator("#chart-pot svg[role=img]")).to_be_visible()
    expect(page.get_by_role("figure", name="Brukt av rammen per embete")).to_be_visible()
    assert_accessible(page)

    # Last year's round: the page says so.
    page.get_by_label("Runde", exact=True).select_option(str(older.pk))
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("#round-heading")).to_contain_text(str(older.year))

    # One office.
    page.get_by_label("Embete", exact=True).select_option(label="Statsforvalteren i Rogaland")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("#round-heading")).to_contain_text("Statsforvalteren i Rogaland")
    expect(pot_rows(page)).to_have_text(["Rogaland"])
    assert_accessible(page)
    logout(page)

    # The caseworker in Trøndelag sees Trøndelag only, and no office to choose.
    login(page, "saksbehandler@sftl.example.no")
    page.get_by_role("link", name="Oversikt for embetet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Oversikt for Statsforvalteren i Trøndelag")
    expect(pot_rows(page)).to_have_text(["Trøndelag"])
    expect(page.get_by_label("Embete", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Last ned nasjonal eksport (Excel)")).to_have_count(0)
    assert_accessible(page)
