"""A report's template names its sheets in its own language, and an upload finds them in
whichever language it was made in: a template downloaded in nynorsk or English imports in
a bokmål session, one made before the names were translated (bokmål names) still imports,
and a missing sheet is named as the file names it."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from reporting.excel import export_report, import_report
from reporting.excel_layout import SHEET_ACCOUNT, SHEET_HEADER, report_parts
from reporting.models import UnusedChoice
from tests.excel import QUOTED, assert_sheet_names_excel_takes
from tilskudd.documents.excel import LISTS_SHEET

from .test_excel import _bytes, _errors, _state

SHEETS = {
    "nb": ["Rapport", "Kompetanse", "BPA", "Prosjekter", "Regnskap"],
    "nn": ["Rapport", "Kompetanse", "BPA", "Prosjekt", "Rekneskap"],
    "en": ["Report", "Competence", "BPA", "Projects", "Accounts"],
}
#: the hidden sheet of drop-down lists, when an option is too long to go inline
LISTS = {"nb": "Lister", "nn": "Lister", "en": "Lists"}


def _template_in(report, language: str):
    with translation.override(language):
        return load_workbook(io.BytesIO(export_report(report)))


def _filled_by_position(wb, language: str):
    """The template filled in as test_excel._filled does, the sheets found by position."""
    header, competence, bpa = wb.worksheets[:3]
    with translation.override(language):
        header["B12"] = str(UnusedChoice.TRANSFER.label)
    for row, values in ((4, (2, 1, 0, 50000)), (5, (3, 1, 0, 140000))):
        for column, value in zip("DEFG", values, strict=True):
            competence[f"{column}{row}"] = value
    bpa["D4"], bpa["E4"] = 2, 60000
    header["B13"] = "Kullet startet først i januar."
    header["B14"] = "Tilskuddet er brukt til utdanning som planlagt i søknaden."
    return wb


def _stored(report) -> tuple:
    report.refresh_from_db()
    return ([(line.completed, line.amount_used) for line in report.competence_lines.all()],
            [(line.trained, line.amount_used) for line in report.bpa_lines.all()],
            report.text_report)


STORED = ([(2, 50000), (3, 140000)], [(2, 60000)],
          "Tilskuddet er brukt til utdanning som planlagt i søknaden.")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_template_names_its_sheets_in_its_language(report, language):
    wb = _template_in(report, language)

    assert wb.sheetnames == SHEETS[language]
    account = wb.worksheets[4]
    assert account["B6"].value == (f"=SUM({SHEETS[language][1]}!G4:G5)"
                                   f"+SUM({SHEETS[language][2]}!E4:E4)")


@pytest.mark.parametrize("language", ["nn", "en"])
def test_a_template_made_in_nynorsk_or_english_imports_in_a_bokmal_session(
        report, signatory, language):
    data = _bytes(_filled_by_position(_template_in(report, language), language))

    with translation.override("nb"):
        result = import_report(report=report, user=signatory, uploaded_file=data)

    assert result.ok, [str(e) for e in result.errors]
    assert _stored(report) == STORED


@pytest.mark.parametrize(("made_in", "session"), [("nn", "nb"), ("en", "nb"), ("en", "nn")])
def test_an_old_template_with_bokmal_sheet_names_still_imports(
        report, signatory, made_in, session):
    wb = _filled_by_position(_template_in(report, made_in), made_in)
    for sheet, title in zip(wb.worksheets, SHEETS["nb"], strict=True):
        sheet.title = title

    with translation.override(session):
        result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    assert result.ok, [str(e) for e in result.errors]
    assert _stored(report) == STORED


def test_a_lists_sheet_in_another_language_is_not_refused_as_a_stranger(report, signatory):
    # a template made in English, its sheets renamed in bokmål as before, with the hidden
    # sheet of drop-down lists that a template with long options has ("Lister")
    wb = _filled_by_position(_template_in(report, "en"), "en")
    for sheet, title in zip(wb.worksheets, SHEETS["nb"], strict=True):
        sheet.title = title
    wb.create_sheet(LISTS["nb"]).sheet_state = "hidden"

    with translation.override("en"):
        result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    assert result.ok, [str(e) for e in result.errors]
    assert _stored(report) == STORED


def test_a_missing_sheet_is_named_as_the_file_names_it_and_nothing_is_stored(report, signatory):
    wb = _filled_by_position(_template_in(report, "en"), "en")
    wb.remove(wb["BPA"])
    before = _state(report)

    with translation.override("nb"):
        errors = _errors(report, signatory, _bytes(wb))

    assert errors == [
        "BPA: the sheet is missing from the file. Download the template again from the portal."]
    assert _state(report) == before


def test_every_sheet_name_is_one_excel_takes_in_every_language():
    assert_sheet_names_excel_takes(
        [SHEET_HEADER, SHEET_ACCOUNT, LISTS_SHEET, *(part.sheet for part in report_parts())])


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_upload_page_names_the_sheets_of_the_template_in_its_language(
        client, report, signatory, language):
    client.force_login(signatory)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = client.get(reverse("reporting:excel_download", args=[report.pk])).content
    wb = load_workbook(io.BytesIO(data))
    sheets = wb.sheetnames
    wb.worksheets[1]["D4"] = "mange"

    page = client.get(reverse("reporting:excel_upload", args=[report.pk]))
    broken = client.post(reverse("reporting:excel_upload", args=[report.pk]), {
        "file": SimpleUploadedFile("rapport.xlsx", _bytes(wb))})

    steps = re.findall(r"<li>(.*?)</li>", page.content.decode())
    # the sheets to fill in: all but the account, which Excel works out
    assert QUOTED.findall(steps[1]) == sheets[:4]
    assert broken.status_code == 422
    assert f"{sheets[1]}!D7" in QUOTED.findall(broken.content.decode())
