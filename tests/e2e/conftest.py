"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server."""

import contextlib
import os

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.reference_rows import reference_data_as_loaded

# Playwright's sync API runs an event loop in the test thread; the ORM must be allowed to
# run there too (tests only, never production).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make browser)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


# Every document (every page, popup and frame) reports what the Content-Security-Policy
# blocked, both into the page (window.__cspViolations, read at teardown) and out to the test
# through an exposed binding, so a violation just before a navigation is not lost.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = {
    page: document.location.href,
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  };
  window.__cspViolations.push(violation);
  if (typeof window.__reportCspViolation === "function") {
    window.__reportCspViolation(violation);
  }
});
"""


def csp_refusal(text: str) -> bool:
    """Chromium's console line for something the policy blocked: "Refused to load ..."
    in older versions, "Executing inline script violates the following Content Security
    Policy directive ..." in newer ones."""
    return "Content Security Policy" in text and ("Refused to" in text or "violates" in text)


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy during the test."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO",
                                  accept_downloads=True)
    context.expose_binding("__reportCspViolation",
                           lambda source, violation: csp_violations.append(violation))
    context.add_init_script(CSP_LISTENER)
    context.on("console", lambda message: csp_violations.append(message.text)
               if csp_refusal(message.text) else None)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    for open_page in context.pages:
        # A page closing as the test ends has nothing more to tell.
        with contextlib.suppress(PlaywrightError):
            reported = open_page.evaluate("window.__cspViolations || []")
            csp_violations.extend(v for v in reported if v not in csp_violations)
    context.close()
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(
            str(v) for v in csp_violations), pytrace=False)


def login(page, email: str, password: str = "Tilskudd-demo-2026") -> None:
    page.goto("/logg-inn/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")


def logout(page) -> None:
    page.get_by_role("button", name="Logg ut").click()


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    # No CSSOM preload: axe would copy stylesheets with @import (the admin's forms.css) into
    # inline <style> elements, which the strict CSP refuses (and the page fixture reports).
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "preload": False}
    # A click on a link returns before the next page has replaced this one; axe run in
    # between meets a document that is going away. Wait for the page that is coming and
    # run axe on it, not on the one that left.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = Axe().run(page, options=options)
            break
        except PlaywrightError as error:
            if attempt == 2 or not _navigating(error):
                raise
            page.wait_for_timeout(200)
    assert results.violations_count == 0, results.generate_report()


def _navigating(error: PlaywrightError) -> bool:
    text = str(error)
    return any(sign in text for sign in (
        "reading 'documentElement'", "Execution context was destroyed",
        "Cannot find context", "navigation",
    ))


@pytest.fixture
def demo_data(transactional_db):
    from tilskudd.seeding import load_demo_data

    reference_data_as_loaded()
    return load_demo_data()
