"""The error summary at the top of a form passes axe in Chromium: its links are dark red
on the pink alert (4.5:1 at least), and each moves to its field."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible


def test_the_error_summarys_links_pass_axe_and_lead_to_the_field(page, demo_data):
    page.goto("/logg-inn/")
    page.get_by_role("button", name="Logg inn").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link").first
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(88, 21, 28)"
    assert_accessible(page)
    link.click()
    expect(page.get_by_label("E-post")).to_be_focused()
