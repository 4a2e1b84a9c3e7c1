"""axe on every admin page, in Chromium: the list, the add form and the change form of the
first row of every model registered with the admin site (read from its registry, so a
model registered later is visited too) and the admin's own views, as the superuser and as
a caseworker; a few of them in nynorsk and English; and the portal's pages no flow
visits (the password change, a withdrawal, an Excel upload, a repayment claim, the error
pages, the lockout and ID-porten being unreachable).

One browser context a test and the pages in a loop, each page's violations gathered and
named together at the end, so one test says everything that is wrong."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.e2e.conftest import WCAG_TAGS, login
from tests.e2e.test_admin_buttons import CASEWORKER, SIGNATORY, _submit, demo_report  # noqa: F401

SUPERUSER = "admin@tilskudd.example.no"


def axe_violations(page) -> list[str]:
    """What axe finds on the page as it is now, one line a rule (as assert_accessible runs
    it)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "preload": False, "resultTypes": ["violations"]})
    return [f"{page.url}: {violation['id']} ×{len(violation['nodes'])} "
            f"{violation['nodes'][0]['target'] if violation['nodes'] else ''}"
            for violation in results.response["violations"]]


def visit(page, path: str, found: list[str], *, statuses=(200,), tolerated=()) -> int:
    """Open `path`, and run axe on it if it answered with one of `statuses`; one of
    `tolerated` is left for the caller to look at, and any other answer (a server error,
    a page not found, a redirect to the sign-in) is a finding too."""
    response = page.goto(path)
    status = response.status if response else 0
    landed = urlsplit(page.url).path
    if landed != urlsplit(path).path:  # goto follows redirects: the sign-in page is a 200
        found.append(f"{path}: redirected to {landed}")
    elif status in statuses:
        found.extend(axe_violations(page))
    elif status not in tolerated:
        found.append(f"{path}: HTTP {status}")
    return status


def admin_pages(report) -> list[str]:
    """Every registered model's list, add form and its first row's change form, and the
    admin's own views (a report's repayment claim, a claim marked paid)."""
    from django.contrib import admin

    from reporting.models import RepaymentClaim

    paths = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(reverse(f"{info}_change", args=[first.pk]))
    claim = RepaymentClaim.objects.order_by("pk").first()
    paths += [reverse("admin:reporting_report_claim", args=[report.pk]),
              reverse("admin:reporting_repaymentclaim_paid", args=[claim.pk])]
    return paths


@pytest.fixture
def claimed(demo_report):  # noqa: F811 (the fixture imported above)
    """Trondheim's report sent in, a repayment claimed on it, and Trondheim published in
    the open data (its recipient id's admin row)."""
    from assessment.opendata.recipients import recipient_ids
    from reporting import repayments
    from tilskudd.models import User

    _submit(demo_report)  # its submission, whose key is not the report's
    report = type(demo_report).objects.get(pk=demo_report.pk)
    repayments.repayment_claim_create(report=report, user=User.objects.get(email=CASEWORKER),
                                      amount="1000", reason="Midler brukt utenfor formålet.")
    recipient_ids([report.application.organisation])
    return report


def added_membership_row(page, found: list[str]) -> None:
    """A membership row added with «Legg til» on a user's page, whose select2 combobox is
    made after load in a row with no <label> (static/js/admin-names.js names it by the
    select's aria-label): named «Organisasjon», and axe on the page as it is then."""
    import re

    from playwright.sync_api import expect

    from tilskudd.models import User

    user = User.objects.get(email=CASEWORKER)
    visit(page, reverse("admin:tilskudd_user_change", args=[user.pk]), found)
    rows = page.locator("#memberships-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#memberships-group .add-row a").click()
    expect(rows).to_have_count(before + 1)
    expect(rows.last.locator(".select2-selection[role=combobox]")).to_have_accessible_name(
        re.compile(r"^Organisasjon"))
    found.extend(axe_violations(page))


def test_every_admin_page_as_the_superuser(page, claimed):
    found = []
    login(page, SUPERUSER)
    paths = admin_pages(claimed)
    # A model no one may add to (the audit log, sent e-mail) answers its add page with 403
    # (Django's page, checked once: the first of them).
    statuses = {path: visit(page, path, found, tolerated=(403,)) for path in paths}
    refused = [path for path, status in statuses.items() if status == 403]
    if refused:
        visit(page, refused[0], found, statuses=(403,))
    added_membership_row(page, found)

    assert found == [], "\n".join(found)
    assert len(paths) > 40
    assert {status for status in statuses.values()} <= {200, 403}
    assert statuses["/admin/tilskudd/round/add/"] == 200


def test_every_admin_page_as_a_caseworker(page, claimed):
    """The caseworker's admin: every list and add form the index links to (the models
    the office may see), the change form of each list's first row, and the admin's own
    views for the office's report and claim."""
    from reporting.models import RepaymentClaim

    found = []
    login(page, CASEWORKER)
    page.goto("/admin/")
    found.extend(axe_violations(page))
    links = page.eval_on_selector_all(
        "#content-main a[href^='/admin/']", "links => links.map(link => link.pathname)")
    lists = sorted({link for link in links if not link.endswith("/add/")})
    for path in lists + sorted(set(links) - set(lists)):
        visit(page, path, found)
        first_row = page.locator("#result_list tbody tr a[href$='/change/']").first
        if path in lists and first_row.count():
            visit(page, first_row.get_attribute("href"), found)
    claim = RepaymentClaim.objects.get()
    for path in [reverse("admin:reporting_report_claim", args=[claimed.pk]),
                 reverse("admin:reporting_repaymentclaim_paid", args=[claim.pk])]:
        visit(page, path, found)

    assert found == [], "\n".join(found)
    assert len(lists) > 8
    assert "/admin/reporting/report/" in lists


@pytest.mark.parametrize("language", ["nn", "en"])
def test_admin_pages_in_nynorsk_and_english(page, claimed, language):
    from reporting.models import RepaymentClaim
    from tilskudd.models import Round

    found = []
    login(page, SUPERUSER)
    page.goto("/admin/")
    page.locator(f'#language-choice button[value="{language}"]').click()
    page.wait_for_load_state()
    claim = RepaymentClaim.objects.get()
    for path in ["/admin/", "/admin/axes/accessattempt/", "/admin/tilskudd/user/add/",
                 f"/admin/tilskudd/round/{Round.objects.order_by('pk').first().pk}/change/",
                 "/admin/tilskudd/invitation/add/", "/admin/auth/group/add/",
                 reverse("admin:reporting_report_claim", args=[claimed.pk]),
                 reverse("admin:reporting_repaymentclaim_paid", args=[claim.pk])]:
        visit(page, path, found)
        assert page.locator("html").get_attribute("lang") == language, path

    assert found == [], "\n".join(found)


def test_the_portal_pages_no_flow_visits(page, claimed, settings):
    from applications.models import Application
    from reporting.models import RepaymentClaim

    found = []
    login(page, SIGNATORY)
    application = Application.objects.filter(
        organisation__memberships__user__email=SIGNATORY).order_by("pk").first()
    claim = RepaymentClaim.objects.get()
    for path in [reverse("password_change"), reverse("password_change_done"),
                 reverse("applications:withdraw", args=[application.pk]),
                 reverse("applications:excel_upload", args=[application.pk]),
                 reverse("reporting:repayment_claim", args=[claim.pk]),
                 "/finnes-ikke/"]:  # 404 (the 403 page: the superuser's refused add page)
        visit(page, path, found, statuses=(200, 302, 403, 404))

    # The form refused for want of its CSRF token (403_csrf.html).
    page.goto("/")
    page.evaluate("""() => {
        const form = Object.assign(document.createElement("form"),
                                   {method: "post", action: "/logg-inn/"});
        document.body.append(form);
        form.submit();
    }""")
    page.wait_for_load_state()
    assert "Skjemaet ble ikke sendt" in page.inner_text("h1")
    found.extend(axe_violations(page))

    # ID-porten unreachable: its page says so (idporten/unavailable.html).
    page.context.clear_cookies()
    settings.IDPORTEN_ISSUER = "http://127.0.0.1:9"
    settings.IDPORTEN_CLIENT_ID = settings.IDPORTEN_CLIENT_SECRET = "tilskudd"
    assert visit(page, reverse("idporten:login"), found, statuses=(503,)) == 503

    # A request for a host not allowed (400.html).
    allowed = settings.ALLOWED_HOSTS
    settings.ALLOWED_HOSTS = ["tilskudd.example.no"]
    assert page.goto("/").status == 400
    found.extend(axe_violations(page))
    settings.ALLOWED_HOSTS = allowed

    # Five wrong passwords: the lockout page (registration/locked_out.html).
    page.goto("/logg-inn/")
    for _attempt in range(6):
        page.get_by_label("E-post").fill("ingen@example.no")
        page.get_by_label("Passord").fill("feil")
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state()
        if page.locator("h1", has_text="stengt").count():
            break
    assert page.locator("h1", has_text="stengt").count() == 1
    found.extend(axe_violations(page))

    assert found == [], "\n".join(found)

