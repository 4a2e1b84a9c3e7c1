"""The rest of the grant year in Chromium with the demo data: a repayment claim corrected
from its admin page (the form says how, a wrong amount is refused next to its field, the
new claim names the one it replaces), and a transfer proposal withdrawn when the report is
sent back. axe on every page."""

from playwright.sync_api import expect

from reporting import services, transfers
from reporting.models import Report, ReportingSettings, UnusedChoice
from reporting.transfer_models import RepaymentClaim
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_reporting_flow import reporting_demo  # noqa: F401 (a fixture)
from tests.reporting.helpers import ready_report
from tilskudd.models import User

SIGNATORY = "signatur@trondheim.example.no"
CASEWORKER = "saksbehandler@sftl.example.no"


def _sent(choice: str) -> Report:
    """The demo report, sent through the services with kr 5 000 left on each line."""
    report = Report.objects.get(application__organisation__name__startswith="Trondheim")
    ready_report(report, User.objects.get(email=SIGNATORY),
                 used=lambda line: line.granted - 5000, unused_choice=choice,
                 transfer_reason="Siste del av opplæringen er flyttet til januar.")
    services.report_submit(report=report, user=User.objects.get(email=SIGNATORY))
    return report


def test_a_claim_with_a_wrong_amount_is_corrected_from_its_page(
    page, reporting_demo  # noqa: F811
):
    report = _sent(UnusedChoice.REPAY)
    services.report_approve(report=report, user=User.objects.get(email=CASEWORKER))
    claim = RepaymentClaim.objects.get(report=report)

    login(page, CASEWORKER)
    page.goto(f"/admin/reporting/repaymentclaim/{claim.pk}/change/")
    assert_accessible(page)
    page.get_by_role("link", name="Kanseller eller korriger beløpet").click()
    expect(page.get_by_text("Et krav kan ikke endres. Er beløpet feil")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Begrunnelse").fill("Én linje brukte kr 2 000 mer enn rapportert.")
    page.get_by_label("Riktig beløp (kr), om beløpet er feil").fill("9999999")
    page.get_by_role("button", name="Kanseller eller korriger kravet").click()
    expect(page.locator("#id_new_amount").locator("xpath=..")).to_contain_text(
        "Beløpet kan ikke være mer enn")
    assert_accessible(page)

    page.get_by_label("Riktig beløp (kr), om beløpet er feil").fill(str(claim.amount - 2000))
    page.get_by_role("button", name="Kanseller eller korriger kravet").click()
    expect(page.get_by_text("Kravet er kansellert, og det nye kravet")).to_be_visible()
    new = RepaymentClaim.objects.get(replaces=claim)
    expect(page).to_have_url(f"/admin/reporting/repaymentclaim/{new.pk}/change/")
    expect(page.get_by_role("link", name="TBK-")).to_be_visible()
    assert_accessible(page)


def test_sending_the_report_back_withdraws_the_transfer(page, reporting_demo):  # noqa: F811
    report = _sent(UnusedChoice.TRANSFER)
    ReportingSettings.objects.update_or_create(round=report.application.round,
                                               defaults={"transfer_four_eyes_from": 1000})
    caseworker = User.objects.get(email=CASEWORKER)
    transfers.transfer_decide(report=report, user=caseworker, outcome="approve",
                              reason="Forslag: godkjenn.")
    services.report_return(report=report, user=caseworker, message="Rett beløpene.")

    login(page, CASEWORKER)
    page.goto(f"/admin/reporting/report/{report.pk}/change/")
    expect(page.locator("#transfer-status")).to_contain_text(
        "Trukket tilbake (rapporten ble sendt tilbake)")
    expect(page.locator("#funds")).to_contain_text("Rett beløpene.")
    assert_accessible(page)
