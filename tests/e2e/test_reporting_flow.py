"""Reporting in Chromium with the demo data: the demo signatory fills the report from the
Excel template, goes through its steps (the account, the attachment, the summary), submits
and downloads the receipt PDF; the caseworker returns it for correction; the recipient
corrects the project on its own page and sends it again."""

import inspect
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout, reference_data_as_loaded
from tests.pdf import pdf_text
from tests.reporting.helpers import pdf_bytes

SIGNATORY = "signatur@trondheim.example.no"
CASEWORKER = "saksbehandler@sftl.example.no"


def _demo_can_build_last_years_grant() -> bool:
    from applications.services import application_start

    return "now" in inspect.signature(application_start).parameters


@pytest.fixture
def reporting_demo(transactional_db):
    """The demo data and every app's demo loader: Trondheim's granted application in last
    year's round, with its report open."""
    if not _demo_can_build_last_years_grant():
        pytest.skip("applications.services.application_start takes no `now` yet, so the demo "
                    "cannot build last year's grant (the lead applies that diff)")
    from tilskudd.seeding import load_demo_data, run_app_demo_loaders

    reference_data_as_loaded()
    load_demo_data()
    lines = run_app_demo_loaders()
    assert any(line.startswith("Rapportering: Trondheim") and "har fått" in line
               for line in lines), lines


def _fill_template(path, tmp_path):
    with open(path, "rb") as fh:  # the download has no file extension
        wb = load_workbook(fh)
    kompetanse = wb["Kompetanse"]
    for row, values in ((4, (4, 0, 0, 120000)), (5, (2, 1, 0, 60000))):
        for column, value in zip("DEFG", values, strict=True):
            kompetanse[f"{column}{row}"] = value
    bpa = wb["BPA"]
    for row, values in ((4, (2, 60000)), (5, (5, 50000))):
        bpa[f"D{row}"], bpa[f"E{row}"] = values
    projects = wb["Prosjekter"]
    projects["D4"], projects["E4"], projects["F4"], projects["G4"], projects["H4"] = (
        "Avsluttet", "Målene er nådd", "Trygghetsalarmer i 120 hjem; færre akutte besøk.",
        "Ja", 240000)
    header = wb["Rapport"]
    header["B12"] = "Søke om å overføre ubrukte midler til neste år"
    header["B13"] = "Siste del av opplæringen er flyttet til januar."
    header["B14"] = "Tilskuddet er brukt til fagbrev, videreutdanning, BPA-opplæring og prosjektet."
    filled = tmp_path / "rapport.xlsx"
    wb.save(filled)
    return filled


def _step(page, key: str):
    """Open a step from the step list (each link saves what is typed first)."""
    page.locator(f'[data-step="{key}"] a').click()
    expect(page.locator(f'[data-step="{key}"] a')).to_have_attribute("aria-current", "step")


def _next(page, title: str):
    """«Neste: …» (on a step with a form it saves it first) opens the next step."""
    name = f"Neste: {title}"
    page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name)).click()
    expect(page.locator("#step-heading")).to_have_text(title)


def _state(page, key: str):
    return page.locator(f'[data-step="{key}"] .badge')


def _open_report(page):
    page.goto("/")
    page.get_by_role("link", name="Mine rapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine rapporter")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Trondheim - Tråante kommune – .* \d{4}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport om tilskuddet for")


def test_report_written_in_excel_submitted_returned_corrected_and_sent_again(
    page, reporting_demo, tmp_path
):
    # The demo signatory opens the report.
    page.goto("/logg-inn/")
    login(page, SIGNATORY)
    _open_report(page)
    expect(page.get_by_role("navigation", name="Steg i rapporten")).to_be_visible()
    expect(_state(page, "om-rapporten")).to_have_text("Ikke startet")
    assert_accessible(page)

    # She downloads the template, fills it in and uploads it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned rapportmalen (Excel)").click()
    filled = _fill_template(download.value.path(), tmp_path)
    page.get_by_role("link", name="Last opp utfylt rapportmal").click()
    assert_accessible(page)
    page.get_by_label("Excel-fil (.xlsx)").set_input_files(str(filled))
    page.get_by_role("button", name="Last opp og fyll ut rapporten").click()
    expect(page.get_by_text("Rapporten er fylt ut fra Excel-filen.")).to_be_visible()
    for key in ("om-rapporten", "kompetansetiltak", "bpa-opplaering", "tjenesteutvikling-1",
                "ubrukte-midler"):
        expect(_state(page, key)).to_have_text("Fullført")
    expect(_state(page, "vedlegg")).to_have_text("Ikke startet")
    _step(page, "ubrukte-midler")
    expect(page.locator('[data-account="unused"]')).to_have_text("kr\xa010\xa0000")
    assert_accessible(page)

    # She attaches the auditor's statement (a PDF) on the attachment step.
    _next(page, "Vedlegg")
    pdf = tmp_path / "revisor.pdf"
    pdf.write_bytes(pdf_bytes())
    page.get_by_label("Type vedlegg").select_option(label="Revisorattestasjon")
    page.get_by_label("Tittel").fill("Revisors attestasjon")
    page.get_by_label("Fil (PDF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Last opp vedlegg").click()
    expect(page.get_by_role("link", name="Revisors attestasjon")).to_be_visible()
    expect(_state(page, "vedlegg")).to_have_text("Fullført")
    assert_accessible(page)

    # The summary finds nothing missing; she checks the report and submits it.
    _next(page, "Oppsummering og innsending")
    expect(page.locator("#missing-none")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Gå til forhåndsvisning og innsending").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send inn rapporten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporten er sendt inn")
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"RAP-\d{4}-5001-[2-9A-HJKMNP-TV-Z]{4}", reference)
    expect(page.locator("#unused-choice")).to_have_text(
        "Søke om å overføre ubrukte midler til neste år")
    assert_accessible(page)

    # And downloads the receipt PDF.
    link = page.get_by_role("link", name="Last ned PDF-kopi")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as fh:
        text = pdf_text(fh.read())
    assert reference in text
    assert "Søke om å overføre ubrukte midler til neste år" in text
    logout(page)

    # The caseworker returns it for correction in the admin.
    page.goto("/logg-inn/")
    login(page, CASEWORKER)
    page.goto("/admin/reporting/report/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Send tilbake for retting").first.click()
    page.get_by_label("Melding til mottakeren").fill(
        "Beskriv resultatene av prosjektet mer konkret.")
    page.get_by_role("button", name="Send rapporten tilbake for retting").click()
    expect(page.get_by_text("Rapporten er sendt tilbake for retting.")).to_be_visible()
    logout(page)

    # The recipient sees the message, corrects the report and sends it again.
    page.goto("/logg-inn/")
    login(page, SIGNATORY)
    _open_report(page)
    expect(page.locator("#correction")).to_contain_text(
        "Beskriv resultatene av prosjektet mer konkret.")
    _step(page, "tjenesteutvikling-1")
    assert_accessible(page)
    results = page.get_by_label("Resultater")
    results.fill("Trygghetsalarmer i 120 hjem; 30 % færre akutte besøk på natt.")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_text(re.compile(r"Rapporten er lagret kl\. \d\d:\d\d\."))).to_be_visible()
    _step(page, "oppsummering")
    page.get_by_role("link", name="Gå til forhåndsvisning og innsending").click()
    page.get_by_role("button", name="Send inn rapporten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporten er sendt inn")
    second = page.locator("#reference").inner_text().strip()
    assert second != reference
    assert second.startswith(reference[:13])


def test_autosave_says_when_it_saved(page, reporting_demo):
    page.goto("/logg-inn/")
    login(page, SIGNATORY)
    _open_report(page)
    _step(page, "om-rapporten")

    text = page.get_by_role("textbox", name="Tekstrapport")
    page.locator("#save-status").evaluate("node => { node.textContent = ''; }")
    text.fill("Et utkast som lagres mens jeg skriver.")
    text.blur()

    expect(page.locator("#save-status")).to_have_text(re.compile(r"Sist lagret kl\. \d\d:\d\d"))
    expect(_state(page, "om-rapporten")).to_have_text("Fullført")  # the step list follows
    page.reload()
    expect(page.get_by_role("textbox", name="Tekstrapport")).to_have_value(
        "Et utkast som lagres mens jeg skriver.")
