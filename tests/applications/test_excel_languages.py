"""The Excel template follows the user's language, and an uploaded file is read in the
language its labels are in: a template downloaded in English uploads cleanly into a
bokmål session (the English labels come from applications/locale/en)."""

import io

import openpyxl
import pytest
from django.utils import translation

from applications.excel import export_application, import_application
from applications.excel_layout import SHEET_HEADER
from tilskudd.documents.excel import HEADER_FIRST_ROW

from .test_excel import _content, _draft, _errors, _upload

pytestmark = pytest.mark.django_db


def _labels(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[SHEET_HEADER] if SHEET_HEADER in wb.sheetnames else wb.worksheets[0]
    return [sheet.cell(row, 1).value for row in range(HEADER_FIRST_ROW, HEADER_FIRST_ROW + 4)]


def test_an_english_template_uploads_cleanly_into_a_bokmal_session():
    application, editor = _draft()
    before = _content(application)
    with translation.override("en"):
        english = export_application(application)
    with translation.override("nb"):
        bokmal_labels = _labels(export_application(application))

    assert _labels(english) != bokmal_labels  # the template is in English
    with translation.override("nb"):
        result = import_application(application=application, user=editor,
                                    uploaded_file=_upload(english))

    assert _errors(result) == []
    assert _content(application) == before


def test_a_bokmal_template_uploads_cleanly_into_an_english_session():
    application, editor = _draft()
    before = _content(application)
    with translation.override("nb"):
        bokmal = export_application(application)

    with translation.override("en"):
        result = import_application(application=application, user=editor,
                                    uploaded_file=_upload(bokmal))

    assert _errors(result) == []
    assert _content(application) == before
