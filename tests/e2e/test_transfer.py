"""Unused funds in Chromium with the demo data: Trondheim's report asks to transfer unused
funds; the caseworker approves the transfer in the admin with a reason; the signatory
starts this year's application and finds the amount as «overførte midler», filled in and
locked. axe on every page, the admin's included."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from reporting import services
from reporting.models import Report, UnusedChoice
from tests.e2e.conftest import assert_accessible, login, logout
from tests.e2e.test_application_flow import open_my_applications
from tests.e2e.test_reporting_flow import reporting_demo  # noqa: F401 (a fixture)
from tests.reporting.helpers import ready_report
from tilskudd.models import User

SIGNATORY = "signatur@trondheim.example.no"
CASEWORKER = "saksbehandler@sftl.example.no"


def _sent_asking_to_transfer() -> tuple[Report, Decimal]:
    """The demo report, sent through the services with kr 5 000 left on each line."""
    report = Report.objects.get(application__organisation__name__startswith="Trondheim")
    signatory = User.objects.get(email=SIGNATORY)
    ready_report(report, signatory, used=lambda line: line.granted - 5000,
                 unused_choice=UnusedChoice.TRANSFER,
                 transfer_reason="Siste del av opplæringen er flyttet til januar.")
    submission = services.report_submit(report=report, user=signatory)
    return report, submission.unused_total


def test_an_approved_transfer_appears_locked_in_next_years_application(
    page, reporting_demo  # noqa: F811
):
    report, unused = _sent_asking_to_transfer()
    amount = f"{unused:,.0f}".replace(",", "\xa0")

    # The caseworker decides on the transfer from the report's page in the admin.
    login(page, CASEWORKER)
    page.goto(f"/admin/reporting/report/{report.pk}/change/")
    expect(page.locator("#funds")).to_contain_text(
        f"Mottakeren søker om å overføre kr\xa0{amount} i ubrukte midler til neste år.")
    assert_accessible(page)
    page.get_by_role("link", name="Vedtak om overføring").click()
    assert_accessible(page)
    page.get_by_role("button", name="Vedtak om overføring av ubrukte midler").click()
    expect(page.locator("#id_reason").locator("xpath=..")).to_contain_text(
        "Skriv en begrunnelse for vedtaket.")
    assert_accessible(page)
    page.get_by_label("Godkjenn overføringen").check()
    page.get_by_label("Begrunnelse").fill("Opplæringen er flyttet, midlene er bundet.")
    page.get_by_role("button", name="Vedtak om overføring av ubrukte midler").click()
    expect(page.get_by_text("Vedtaket om overføring er lagret.")).to_be_visible()
    expect(page.locator("#transfer-status")).to_contain_text("Overføring godkjent")
    assert_accessible(page)
    logout(page)

    # The signatory starts this year's application: the amount is there and locked.
    login(page, SIGNATORY)
    open_my_applications(page)
    page.get_by_role("button", name=re.compile(r"^Start søknad")).click()
    field = page.get_by_label("Overførte midler fra i fjor (kr)")
    expect(field).to_be_disabled()
    expect(field).to_have_value(amount)
    expect(page.locator("#section-header")).to_contain_text(
        f"kr\xa0{amount} i ubrukte midler fra")
    assert_accessible(page)
