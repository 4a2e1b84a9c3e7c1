"""An amount used typed as text in the report's Excel template is read as the web form
reads it (tilskudd.money.parse_nok), and a text that is not one gets its cell's message."""

from decimal import Decimal

from reporting.excel import import_report
from tests.reporting.test_excel import _bytes, _errors, _filled, _state


def test_amounts_used_typed_as_text_are_read_the_way_the_web_form_reads_them(
    report, signatory
):
    wb = _filled(report)
    wb["Kompetanse"]["G4"] = "kr 50 000"
    wb["Kompetanse"]["G5"] = "140\u00a0000,-"
    wb["BPA"]["E4"] = "60 000 kr"

    result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    assert result.ok, result.errors
    assert [line.amount_used for line in report.competence_lines.all()] == [
        Decimal(50000), Decimal(140000)]
    assert [line.amount_used for line in report.bpa_lines.all()] == [Decimal(60000)]


def test_a_text_that_is_no_amount_is_refused_by_its_cell(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["G4"] = "femti tusen"
    wb["BPA"]["E4"] = "kr 60 000,50"
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "Kompetanse!G4: må være et helt tall",
        "BPA!E4: må være et helt tall, uten desimaler",
    ]
    assert _state(report) == before
