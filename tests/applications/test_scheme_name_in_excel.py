"""The Excel template names the scheme in the language it is downloaded in, and a template
in one language still uploads cleanly into a session in another, the scheme named
differently (the file is matched by its id, not by the round's name)."""

import io

import openpyxl
import pytest
from django.utils import translation

from applications.excel import export_application, import_application
from tilskudd.models import Scheme
from tilskudd.seeding import KKT_NAMES

from .test_excel import _content, _draft, _errors, _upload

pytestmark = pytest.mark.django_db


def _cells(data: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                    if c.value is not None)


@pytest.mark.parametrize(("downloaded", "uploaded"), [("nn", "nb"), ("en", "nn")])
def test_the_template_names_the_scheme_in_its_language_and_uploads_in_another(
    downloaded, uploaded,
):
    application, editor = _draft()
    Scheme.objects.filter(pk=application.round.scheme_id).update(
        name_nb=KKT_NAMES["nb"], name_nn=KKT_NAMES["nn"], name_en=KKT_NAMES["en"])
    application.round.scheme.refresh_from_db()
    before = _content(application)
    with translation.override(downloaded):
        data = export_application(application)

    text = _cells(data)
    assert f"{KKT_NAMES[downloaded]} {application.round.year}" in text
    assert KKT_NAMES["nb" if downloaded != "nb" else "nn"] not in text
    with translation.override(uploaded):
        result = import_application(application=application, user=editor,
                                    uploaded_file=_upload(data))

    assert _errors(result) == []
    assert _content(application) == before
