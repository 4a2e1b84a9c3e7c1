"""The Excel template has the web form's explanation of a competence line's persons (when
completed, still studying and stopped do not add up to the line's persons): a yellow
column after «Brukt», so the older templates' columns keep their letters; exported with
what is stored, imported back, and with it in the file a report whose counts differ can be
sent, as from the web form."""

import io

from openpyxl import load_workbook

from reporting import rules, selectors, services
from reporting.excel import export_report, import_report

from .helpers import attach_required
from .test_excel import _bytes, _filled

HEADING = ("Forklaring på antall personer (bare hvis de tre antallene til sammen ikke er "
           "antallet linjen gjelder)")
WHY = "Én ansatt sluttet i mars og ble ikke erstattet."


def explanation_asked(report) -> bool:
    """Whether sending the report is refused for want of the explanation."""
    return any(error.field == "persons_explanation"
               for error in rules.check_report(selectors.report_with_content(report.pk)))


def _workbook(report):
    return load_workbook(io.BytesIO(export_report(report)))


def test_the_template_has_the_explanation_column_as_an_input(report):
    ws = _workbook(report)["Kompetanse"]

    assert ws["H3"].value == HEADING
    assert ws["G3"].value == "Brukt (kr)"  # the amounts keep their column
    assert ws["H4"].protection.locked is False
    assert ws["H4"].fill.fgColor.rgb == "00FFF2CC"
    assert ws["H4"].alignment.wrap_text is True
    # the other parts have no such column
    assert ws.parent["BPA"]["F3"].value is None


def test_the_explanation_is_imported_and_exported_again(report, signatory):
    wb = _filled(report)
    ws = wb["Kompetanse"]
    employees = [line.source.employees for line in
                 report.competence_lines.select_related("source")]
    ws["D4"], ws["E4"], ws["F4"] = employees[0] - 2, 1, 0  # one person short
    ws["H4"] = WHY

    result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    assert result.ok, result.errors
    first, second = report.competence_lines.all()
    assert (first.persons_explanation, second.persons_explanation) == (WHY, "")
    again = _workbook(report)["Kompetanse"]
    assert (again["H4"].value, again["H5"].value) == (WHY, None)


def test_with_the_explanation_from_excel_the_report_can_be_sent(report, signatory):
    wb = _filled(report)
    ws = wb["Kompetanse"]
    employees = report.competence_lines.select_related("source").first().source.employees
    ws["D4"], ws["E4"], ws["F4"] = employees - 2, 1, 0
    assert import_report(report=report, user=signatory, uploaded_file=_bytes(wb)).ok
    attach_required(report, signatory)
    assert explanation_asked(report)

    ws["H4"] = WHY
    assert import_report(report=report, user=signatory, uploaded_file=_bytes(wb)).ok

    assert not explanation_asked(report)
    submission = services.report_submit(report=report, user=signatory)
    assert submission.content["competence"][0]["persons_explanation"] == WHY


def test_a_too_long_explanation_is_refused_with_its_cell(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["H4"] = "x" * (rules.MAX_TEXT_LENGTH + 1)

    result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    assert not result.ok
    assert [e.cell for e in result.errors] == ["H4"]
    assert report.competence_lines.first().persons_explanation == ""


def test_a_template_from_before_the_column_still_uploads_and_keeps_the_explanation(
        report, signatory):
    line = report.competence_lines.first()
    services.report_update(report=report, user=signatory, competence=[
        {"id": line.pk, "persons_explanation": WHY}])
    wb = _filled(report)
    ws = wb["Kompetanse"]
    ws.delete_cols(8)  # as the templates downloaded before it was added
    assert ws["H3"].value is None and ws["G3"].value == "Brukt (kr)"

    result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    assert result.ok, result.errors
    line.refresh_from_db()
    assert (line.persons_explanation, line.completed) == (WHY, 2)


def test_a_moved_explanation_heading_is_still_refused(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["H3"] = "Noe annet"

    result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    assert not result.ok
    assert [e.cell for e in result.errors] == ["H3"]
