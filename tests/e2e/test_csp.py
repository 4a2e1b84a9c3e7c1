"""The strict Content-Security-Policy in Chromium: the page fixture fails a test on anything
the browser refuses, axe-core still runs, and the admin pages caseworkers use pass."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, reference_data_as_loaded


def test_the_page_fixture_collects_what_the_policy_refuses(page, csp_violations, demo_data):
    page.goto("/logg-inn/")

    page.evaluate("""() => {
      const holder = document.createElement("div");
      holder.innerHTML = '<p style="color: red">inline style</p>';
      document.body.appendChild(holder);
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true;";
      document.body.appendChild(script);
    }""")
    page.wait_for_function("window.__cspViolations.length >= 2")
    page.wait_for_timeout(200)  # the console lines arrive a moment after the events

    directives = sorted(v["directive"] for v in csp_violations if isinstance(v, dict))
    console = [v for v in csp_violations if isinstance(v, str)]
    assert directives == ["script-src-elem", "style-src-attr"]
    assert len(console) == 2, console
    assert page.evaluate("window.inlineRan") is None
    # What this test provoked on purpose must not fail it at teardown.
    page.evaluate("window.__cspViolations.length = 0")
    csp_violations.clear()


def test_axe_core_runs_under_the_policy(page, csp_violations, demo_data):
    page.goto("/logg-inn/")

    assert_accessible(page)

    assert page.evaluate("typeof window.axe") == "object"
    assert csp_violations == []


@pytest.fixture
def admin_demo(transactional_db):
    """The demo data with every app's demo loader: submitted, assessed and reported cases."""
    from tilskudd.seeding import load_demo_data, run_app_demo_loaders

    reference_data_as_loaded()
    load_demo_data()
    run_app_demo_loaders()


def admin_login(page, email: str) -> None:
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/**")
    page.fill("#id_username", email)
    page.fill("#id_password", "Tilskudd-demo-2026")
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/admin/")


def test_superuser_walks_the_admin_without_a_policy_violation(page, csp_violations, admin_demo):
    # The admin login and index.
    admin_login(page, "admin@tilskudd.example.no")
    expect(page.locator("#site-name")).to_be_visible()

    # The changelist with its filters, search and actions.
    page.goto("/admin/tilskudd/organisation/")
    summary = page.locator("#changelist-filter details summary").first
    summary.click()  # closed (filters.js remembers it) ...
    summary.click()  # ... and open again
    page.locator("#changelist-filter li:not(.selected) a").first.click()
    page.goto("/admin/tilskudd/organisation/?q=Trondheim")
    page.locator("#result_list tbody input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1")
    page.locator("select[name=action]").select_option("delete_selected")

    # The change form, its history and the delete confirmation.
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_url(re.compile(r"/change/(\?|$)"))
    page.locator(".object-tools a.historylink").click()
    page.wait_for_url(re.compile(r"/history/(\?|$)"))
    page.go_back()
    page.locator("a.deletelink").click()
    page.wait_for_url(re.compile(r"/delete/(\?|$)"))

    # A change form with date shortcuts, the two-box selector, inlines and autocomplete.
    page.goto("/admin/tilskudd/user/")
    page.get_by_role("link", name="saksbehandler@sftl.example.no").click()
    page.wait_for_url(re.compile(r"/change/(\?|$)"))
    expect(page.locator("#id_groups_from")).to_be_attached()
    page.locator(".datetimeshortcuts a").first.click()
    page.locator(".inline-group .add-row a").last.click()
    page.locator(".inline-group .select2-selection").last.click()
    page.locator(".select2-search__field").fill("Tr")
    expect(page.locator(".select2-results__option").first).to_be_visible()
    page.keyboard.press("Escape")

    # The related-object popup: add an office from a budget form and return to it.
    page.goto("/admin/tilskudd/officebudget/add/")
    with page.expect_popup() as popup_info:
        page.locator("#add_id_office").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#id_code", "testembete")
    popup.fill("#id_name", "Statsforvalteren i Testfylket")
    popup.fill("#id_short_name", "SFTF")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    expect(page.locator("#id_office option:checked")).to_have_text(
        "Statsforvalteren i Testfylket")

    # The caseworker's own views: submitted applications, one case, the pot, the reports.
    page.goto("/admin/assessment/submittedapplication/")
    page.locator("#changelist-filter li:not(.selected) a").first.click()
    page.goto("/admin/assessment/submittedapplication/")
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_url(re.compile(r"/change/(\?|$)"))
    expect(page.locator("#case-status")).to_be_visible()
    page.goto("/admin/assessment/pot/")
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("#pot-table")).to_be_visible()
    page.goto("/admin/reporting/report/")
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_url(re.compile(r"/change/(\?|$)"))

    # The admin's password change form.
    page.goto("/admin/password_change/")
    expect(page.locator("#id_old_password")).to_be_visible()

    page.wait_for_timeout(200)  # a violation's console line arrives a moment later
    assert csp_violations == []
