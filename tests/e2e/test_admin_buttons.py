"""Every button in the admin that posts, clicked in Chromium: the report's «Godkjenn
rapporten», return and extend; the case's approval, return and letters. Each page the
caseworker sees passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout, reference_data_as_loaded
from tests.e2e.test_assessment_flow import open_case, submitted  # noqa: F401 (a fixture)

CASEWORKER = "saksbehandler@sftl.example.no"
SIGNATORY = "signatur@trondheim.example.no"
APPROVER = "godkjenner@sftl.example.no"


@pytest.fixture
def demo_report(transactional_db):
    """The demo data with every app's demo loader: Trondheim's report on last year's grant,
    open."""
    from reporting.models import Report
    from tilskudd.seeding import load_demo_data, run_app_demo_loaders

    reference_data_as_loaded()
    load_demo_data()
    run_app_demo_loaders()
    return Report.objects.get(application__organisation__municipality_number="5001")


def _submit(report):
    from reporting import services
    from tests.reporting.helpers import ready_report
    from tilskudd.models import User

    signatory = User.objects.get(email=SIGNATORY)
    return services.report_submit(report=ready_report(report, signatory), user=signatory)


def _open_in_admin(page, report):
    page.goto(f"/admin/reporting/report/{report.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_caseworker_extends_returns_and_approves_a_report_with_the_admins_buttons(
    page, demo_report
):
    # The caseworker extends the open report's deadline.
    login(page, CASEWORKER)
    page.goto("/admin/reporting/report/")
    assert_accessible(page)
    _open_in_admin(page, demo_report)
    page.get_by_role("link", name="Utsett fristen").click()
    expect(page.get_by_label("Ny frist (dato)")).to_be_visible()
    assert_accessible(page)
    new_date = timezone.localdate(demo_report.deadline) + timedelta(days=30)
    page.get_by_label("Ny frist (dato)").fill(new_date.isoformat())
    page.get_by_label("Begrunnelse").fill("Sykdom i prosjektgruppen.")
    page.get_by_role("button", name="Utsett fristen for rapporten").click()
    expect(page.get_by_text("Fristen er utsatt.")).to_be_visible()
    assert_accessible(page)

    # The report is sent; she returns it with the button at the bottom of the page.
    first = _submit(demo_report)
    _open_in_admin(page, demo_report)
    page.locator(".submit-row").get_by_role("link", name="Send tilbake for retting").click()
    expect(page.get_by_label("Melding til mottakeren")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Melding til mottakeren").fill("Legg ved prosjektregnskapet.")
    page.get_by_role("button", name="Send rapporten tilbake for retting").click()
    expect(page.get_by_text("Rapporten er sendt tilbake for retting.")).to_be_visible()

    # It is sent again; «Godkjenn rapporten» approves it (not a 403 from the change form).
    second = _submit(demo_report)
    assert second.reference != first.reference
    _open_in_admin(page, demo_report)
    page.get_by_role("button", name="Godkjenn rapporten").click()
    expect(page.get_by_text("Rapporten er godkjent.")).to_be_visible()
    expect(page.locator(".report-summary")).to_contain_text("Godkjent")
    expect(page.get_by_role("button", name="Godkjenn rapporten")).to_have_count(0)
    assert_accessible(page)
    logout(page)


def _recommend(application):
    from applications.models import PROJECT_CRITERIA
    from assessment import selectors, services
    from tilskudd.models import User

    caseworker = User.objects.get(email=CASEWORKER)
    case = services.assessment_open(application=application, user=caseworker)
    scores = {key: 4 for key, _label in PROJECT_CRITERIA}
    services.assessment_save(assessment=case, user=caseworker, lines=[
        services.LineInput(id=line.pk, recommended=line.applied, justification="Som søkt.",
                           scores=scores if line.part == "projects" else None)
        for line in selectors.case_lines(case)
    ])
    return services.assessment_recommend(assessment=case, user=caseworker)


def test_approver_returns_then_approves_and_makes_the_letter_with_the_case_pages_buttons(
    page, submitted  # noqa: F811 (the fixture imported above)
):
    # The caseworker's recommendation waits; the approver sends it back with a comment.
    _recommend(submitted.application)
    login(page, APPROVER)
    open_case(page, submitted.reference)
    assert_accessible(page)
    page.get_by_label("Kommentar", exact=True).fill("Begrunn beløpet for videregående.")
    page.get_by_role("button", name="Send tilbake til saksbehandler").click()
    expect(page.get_by_text("Innstillingen er sendt tilbake til saksbehandleren.")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("Sendt tilbake")
    assert_accessible(page)

    # Recommended again, she approves it: the decision.
    _recommend(submitted.application)
    page.reload()
    page.get_by_role("button", name="Godkjenn innstillingen (vedtak)").click()
    expect(page.get_by_text("Innstillingen er godkjent. Vedtaket er fattet.")).to_be_visible()
    expect(page.locator("#case-status")).to_contain_text("Innvilget")
    assert_accessible(page)

    # And makes the letter from the case page.
    page.get_by_role("button", name="Lag brev").click()
    expect(page.get_by_text("Brevet (versjon 1) lages nå. Søkeren får e-post.")).to_be_visible()
    expect(page.get_by_role("link", name="Tilskuddsbrev, versjon 1")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def admin_demo(demo_report):
    return demo_report


def _fits(page, width: int = 1280) -> None:
    """Nothing scrolls sideways: not the page, not the list's own scrolling box."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("""() => [...document.querySelectorAll('.results')]
        .filter((box) => box.scrollWidth > box.clientWidth)
        .map((box) => [box.scrollWidth, box.clientWidth])""") == [], page.url


def test_the_caseworkers_admin_lists_filters_search_and_pot_pass_axe_at_1280_px(
    page, admin_demo
):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, CASEWORKER)
    for url in ("/admin/", "/admin/assessment/submittedapplication/",
                "/admin/assessment/submittedapplication/?case=decided",
                "/admin/assessment/submittedapplication/?q=Trondheim",
                "/admin/assessment/pot/", "/admin/reporting/report/",
                "/admin/reporting/report/?forsinket=nei", "/admin/reporting/report/?q=Trondheim"):
        page.goto(url)
        expect(page.locator("#content")).to_be_visible()
        assert_accessible(page)
        _fits(page)

    # The pot, a case, and a page that is not there.
    page.goto("/admin/assessment/pot/")
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("#pot-table")).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/assessment/submittedapplication/")
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("#case-status")).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/assessment/submittedapplication/999999/change/")
    expect(page.locator(".messagelist")).to_be_visible()
    assert_accessible(page)
