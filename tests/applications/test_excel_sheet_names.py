"""An application's workbook names its sheets in its own language, and an upload finds them
in whichever language the file was made in: a workbook downloaded in nynorsk or English
imports in a bokmål session, one made before the names were translated (bokmål names,
labels in the user's language) still imports, and a missing sheet is named as the file
names it."""

import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications.excel import export_application, import_application
from applications.excel_layout import SHEET_HEADER, SHEET_TOTALS, workbook_parts
from tests.excel import QUOTED, assert_sheet_names_excel_takes
from tilskudd.documents.excel import LISTS_SHEET

from .test_excel import _content, _draft, _edited, _errors, _upload

pytestmark = pytest.mark.django_db

SHEETS = {
    "nb": ["Søknad", "Kompetanse", "BPA", "Prosjekter", "Sum", "Lister"],
    "nn": ["Søknad", "Kompetanse", "BPA", "Prosjekt", "Sum", "Lister"],
    "en": ["Application", "Competence", "BPA", "Projects", "Total", "Lists"],
}


def _sheetnames(data: bytes) -> list[str]:
    return openpyxl.load_workbook(io.BytesIO(data)).sheetnames


def _in_bokmal(wb: openpyxl.Workbook) -> None:
    """The sheets renamed as a workbook made before the names were translated had them."""
    for sheet, title in zip(wb.worksheets, SHEETS["nb"], strict=True):
        sheet.title = title


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_workbook_names_its_sheets_in_its_language(language):
    application, _editor = _draft()

    with translation.override(language):
        data = export_application(application)

    assert _sheetnames(data) == SHEETS[language]
    totals = openpyxl.load_workbook(io.BytesIO(data)).worksheets[4]
    assert totals["B4"].value == f"=SUM({SHEETS[language][1]}!D4:D53)"


@pytest.mark.parametrize("language", ["nn", "en"])
def test_a_workbook_made_in_nynorsk_or_english_imports_in_a_bokmal_session(language):
    application, editor = _draft()
    before = _content(application)
    with translation.override(language):
        data = export_application(application)

    with translation.override("nb"):
        result = import_application(application=application, user=editor,
                                    uploaded_file=_upload(data))

    assert _errors(result) == []
    assert result.counts == {"competence": 2, "bpa": 2, "projects": 2}
    assert _content(application) == before


@pytest.mark.parametrize(("made_in", "session"), [("nn", "nb"), ("en", "nb"), ("nn", "en")])
def test_an_old_workbook_with_bokmal_sheet_names_still_imports(made_in, session):
    application, editor = _draft()
    before = _content(application)
    with translation.override(made_in):
        data = _edited(export_application(application), _in_bokmal)

    with translation.override(session):
        result = import_application(application=application, user=editor,
                                    uploaded_file=_upload(data))

    assert _sheetnames(data)[:5] == SHEETS["nb"][:5]
    assert _errors(result) == []
    assert _content(application) == before


def test_a_missing_sheet_is_named_as_the_file_names_it_and_nothing_is_saved():
    application, editor = _draft()
    before = _content(application)
    with translation.override("nn"):
        data = _edited(export_application(application), lambda wb: wb.remove(wb["Prosjekt"]))

    with translation.override("nb"):
        result = import_application(application=application, user=editor,
                                    uploaded_file=_upload(data))

    assert _errors(result) == [
        "Prosjekt: arket manglar i fila. Last ned ei ny Excel-fil frå portalen."]
    assert _content(application) == before


def test_every_sheet_name_is_one_excel_takes_in_every_language():
    assert_sheet_names_excel_takes(
        [SHEET_HEADER, SHEET_TOTALS, LISTS_SHEET, *(part.sheet for part in workbook_parts())])


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_upload_page_names_the_sheets_of_the_workbook_in_its_language(client, language):
    application, editor = _draft()
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = client.get(reverse("applications:excel_download", args=[application.pk])).content
    sheets = _sheetnames(data)

    def wrong_count(wb):
        wb.worksheets[1]["D4"] = "mange"

    page = client.get(reverse("applications:excel_upload", args=[application.pk]))
    broken = client.post(reverse("applications:excel_upload", args=[application.pk]),
                         {"file": _upload(_edited(data, wrong_count))})

    steps = re.findall(r"<li>(.*?)</li>", page.content.decode())
    # the sheets to fill in: all but the totals and the lists, which Excel works out
    assert QUOTED.findall(steps[1]) == sheets[:4]
    assert f"{sheets[1]}!D7" in QUOTED.findall(broken.content.decode())
