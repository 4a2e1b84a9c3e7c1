"""An amount typed as text in the application's Excel file is read as the web form reads it
(tilskudd.money.parse_nok): «kr 12 500», «12 500,-» and «60.000» are amounts there too,
and a text that is not one still gets its message by sheet and cell."""

from decimal import Decimal

import pytest

from applications.excel import export_application, import_application
from tests.applications.test_excel import _content, _draft, _edited, _errors, _upload


@pytest.mark.django_db
def test_amounts_typed_as_text_are_read_the_way_the_web_form_reads_them():
    application, editor = _draft()

    def edit(wb):
        wb["Kompetanse"]["D4"] = "kr 12 500"
        wb["Kompetanse"]["D5"] = "12\u00a0500,-"
        wb["Søknad"]["B18"] = "60.000"  # own financing

    result = import_application(application=application, user=editor, uploaded_file=_upload(
        _edited(export_application(application), edit)))

    assert _errors(result) == []
    after = _content(application)
    assert [line["amount"] for line in after["competence"]] == [Decimal(12500)] * 2
    assert after["header"]["own_financing"] == Decimal(60000)


@pytest.mark.django_db
def test_a_text_that_is_no_amount_is_refused_by_its_cell_and_nothing_is_saved():
    application, editor = _draft()
    before = _content(application)

    def edit(wb):
        wb["Kompetanse"]["D4"] = "12 500 kroner"
        wb["Kompetanse"]["D5"] = "kr 12 500,50"
        wb["Søknad"]["B18"] = "kr -5 000"

    result = import_application(application=application, user=editor, uploaded_file=_upload(
        _edited(export_application(application), edit)))

    assert _errors(result) == [
        "Søknad!B18: kan ikke være negativt",
        "Kompetanse!D4: må være et helt tall",
        "Kompetanse!D5: må være et helt tall, uten desimaler",
    ]
    assert _content(application) == before
