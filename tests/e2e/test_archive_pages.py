"""«Mine søknader» of an organisation with many applications, in Chromium: 25 a page, the
pagination nav leads to the older ones and says which page is shown, and the page passes
axe on a later page too (issue 15)."""

import re

import pytest
from playwright.sync_api import expect

from tests.applications.test_queries import earlier_applications
from tests.e2e.conftest import assert_accessible, login
from tests.tilskudd.factories import RoundFactory, SchemeFactory

SIGNATORY = "signatur@trondheim.example.no"


@pytest.fixture
def many_applications(demo_data):
    from tilskudd.models import User

    signatory = User.objects.get(email=SIGNATORY)
    organisation = signatory.memberships.first().organisation
    old = RoundFactory(scheme=SchemeFactory(code="arkiv", name="Arkivordning"), year=2000)
    earlier_applications(organisation, old, 40, signatory)
    return organisation


def test_the_older_applications_are_on_the_next_page(page, many_applications):
    login(page, SIGNATORY)
    page.goto("/soknader/")
    pages = page.get_by_role("navigation", name=re.compile("^Sider med søknader fra"))
    expect(pages.get_by_role("link", name="Side 1")).to_have_attribute("aria-current", "page")
    expect(page.locator(".archive-table tbody tr")).to_have_count(25)
    assert_accessible(page)

    pages.get_by_role("link", name="Neste side").click()

    expect(page).to_have_url(re.compile(r"side=2#org-\d+-applications$"))
    pages = page.get_by_role("navigation", name=re.compile("^Sider med søknader fra"))
    expect(pages.get_by_role("link", name="Side 2")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("rowheader", name="ARKIV 1960")).to_be_visible()
    assert_accessible(page)
