"""A filled-in report template back into the report (layout in excel_layout.py). An
upload is read whole; every problem is reported by sheet and cell, and only a file without
problems is saved, by one call to services.report_update, so nothing is stored from a
broken file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellError, CellReader, ExcelFileError, ImportResult, SheetData
from tilskudd.documents.excel.sheets import find_sheet, names_in_every_language
from tilskudd.models import User

from . import excel_layout as layout
from . import rules, services
from .models import (
    Report,
    UnusedChoice,
)


def expected_sheets(wb: Workbook) -> list[str]:
    """The titles of the template's sheets as `wb` has them, in whichever language it was
    made in (the active language's for a sheet it lacks)."""
    parts = [part.sheet for part in layout.report_parts()]
    return [find_sheet(wb, name) for name in (layout.SHEET_HEADER, *parts, layout.SHEET_ACCOUNT)]


def import_report(*, report: Report, user: User, uploaded_file: Any) -> ImportResult:
    """`_import_report` in the language the file's labels are in (a template downloaded
    in English reads in a bokmål session); its messages are in it too."""
    services.ensure_editable(report=report, user=user)
    with translation.override(xl.upload_language(uploaded_file, _labels_in_language)):
        return _import_report(report=report, user=user, uploaded_file=uploaded_file)


def _labels_in_language(wb: Workbook) -> bool:
    labels = [label for _name, label, _help in layout.header_rows()]
    return xl.has_labels(wb, find_sheet(wb, layout.SHEET_HEADER), labels,
                         first_row=xl.HEADER_FIRST_ROW)


def _import_report(*, report: Report, user: User, uploaded_file: Any) -> ImportResult:
    """Fill the report from an uploaded template. Raises ServiceError when the
    report may not be changed (sent in, or the user is not a member)."""
    services.ensure_editable(report=report, user=user)
    parts = layout.report_parts()
    try:
        with xl.open_upload(uploaded_file) as wb:
            header = xl.read_sheet(wb, find_sheet(wb, layout.SHEET_HEADER), max_col=3,
                                   max_row=xl.HEADER_FIRST_ROW + len(layout.header_rows()))
            wrong_file = _check_identity(wb, header, report)
            if wrong_file:
                return ImportResult(errors=[wrong_file])
            sheet_errors = _check_sheets(wb)
            sheets = xl.read_parts(wb, parts)
    except ExcelFileError as exc:
        return ImportResult(errors=[exc.as_cell_error()])

    reader = CellReader()
    reader.errors.extend(sheet_errors)
    header_values = _read_header(reader, header)
    values = {part.key: _read_part(reader, sheets[part.key], part, layout.part_lines(report, part))
              for part in parts}
    if reader.errors:
        return ImportResult(errors=reader.errors)
    saved = services.report_update(report=report, user=user, header=header_values,
                                   source="excel", **values)
    return ImportResult(saved=saved)


def _check_identity(wb: Workbook, header: SheetData | None, report: Report) -> CellError | None:
    """The file must be this report's own template: its ID is a workbook property and
    the cell B9 on the header sheet."""
    return xl.check_owner(
        wb, header, owner_property=layout.REPORT_PROPERTY,
        header_sheet=find_sheet(wb, layout.SHEET_HEADER),
        owner_id=report.pk,
        missing=_("Filen mangler rapportens ID og er ikke en rapportmal fra portalen. Last "
                  "ned Excel-malen fra rapporten og fyll ut den."),
        other=_("Filen gjelder et annet tilskudd (en annen rapport). Last ned Excel-malen "
                "fra denne rapporten og fyll ut den."))


def _check_sheets(wb: Workbook) -> list[CellError]:
    expected = expected_sheets(wb)
    lists = names_in_every_language(xl.LISTS_SHEET)
    errors = [
        CellError(title, "", _("arket mangler i filen. Last ned malen på nytt fra portalen."))
        for title in expected if title not in wb.sheetnames
    ]
    errors += [
        CellError(title, "", _("arket hører ikke til rapportmalen. Ikke legg til eller gi "
                               "nytt navn til ark."))
        for title in wb.sheetnames if title not in expected and title not in lists
    ]
    return errors


def _read_header(reader: CellReader, sheet: SheetData | None) -> dict[str, Any] | None:
    if sheet is None:
        return None
    hint = _("Ikke flytt, slett eller sett inn rader.")
    rows = layout.header_rows()
    labels_ok = [reader.expect_label(sheet.cell(row, 1), label, hint=hint)
                 for row, (_name, label, _help) in enumerate(rows, start=xl.HEADER_FIRST_ROW)]
    if not all(labels_ok):
        return None
    values: dict[str, Any] = {}
    for row, (name, _label, _help) in enumerate(rows, start=xl.HEADER_FIRST_ROW):
        cell = sheet.cell(row, 2)
        if name == "unused_choice":
            values[name] = reader.choice(cell, xl.choice_labels(UnusedChoice),
                                         what=_("valg")) or ""
        else:
            values[name] = reader.text(cell, max_length=rules.MAX_TEXT_LENGTH)
    return values


def _row_id(cell: xl.RawCell) -> int | None:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _read_part(
    reader: CellReader, sheet: SheetData | None, part: layout.Part, lines: list[Any]
) -> list[dict[str, Any]] | None:
    """The values of each line, found by the ID in column A. A row that is not one of the
    report's lines (added), a line with no row (removed), or a line twice is refused."""
    if sheet is None:
        return None
    hint = _("Ikke flytt, slett eller sett inn kolonner.")
    last = sheet.last_row_with_content()
    absent = {i for i, column in enumerate(part.columns, start=1) if column.added_later
              and all(sheet.cell(row, i).is_blank for row in range(xl.HEADING_ROW, last + 1))}
    headings_ok = [reader.expect_label(sheet.cell(xl.HEADING_ROW, i), column.heading, hint=hint)
                   for i, column in enumerate(part.columns, start=1) if i not in absent]
    if not all(headings_ok):
        return None
    by_id = {line.pk: line for line in lines}
    columns = range(1, len(part.columns) + 1)
    input_columns = [i for i, c in enumerate(part.columns, start=1) if c.kind in layout.INPUT_KINDS]
    seen: dict[int, int] = {}
    values: list[dict[str, Any]] = []
    for row in range(xl.FIRST_LINE_ROW, max(last, xl.FIRST_LINE_ROW + len(lines) - 1) + 1):
        id_cell = sheet.cell(row, 1)
        if sheet.row_is_blank(row, columns):
            continue
        line_id = _row_id(id_cell)
        if not lines and row == xl.FIRST_LINE_ROW and sheet.row_is_blank(row, input_columns) \
                and id_cell.is_blank:
            continue  # the "nothing granted" note
        if line_id is None or line_id not in by_id:
            reader.error(id_cell, _(
                "raden er lagt til eller endret. Rapporten har faste linjer fra vedtaket; "
                "ikke legg til rader eller endre linje-ID."))
            continue
        if line_id in seen:
            reader.error(id_cell, _("linjen %(id)d står to ganger (også i rad %(row)d).")
                         % {"id": line_id, "row": seen[line_id]})
            continue
        seen[line_id] = row
        values.append(_read_line(reader, sheet, part, row, line_id, absent))
    for offset, line in enumerate(lines):
        if line.pk not in seen:
            reader.error(sheet.cell(xl.FIRST_LINE_ROW + offset, 1), _(
                "linjen «%(label)s» (linje-ID %(id)d) mangler. Ikke slett rader; last ned "
                "malen på nytt om du har gjort det.")
                % {"label": layout.line_label(part.key, line), "id": line.pk})
    return values


def _read_line(
    reader: CellReader, sheet: SheetData, part: layout.Part, row: int, line_id: int,
    absent: set[int],
) -> dict[str, Any]:
    """The line's values by field; a column `absent` from an older file is left out, so
    its field keeps what is stored."""
    data: dict[str, Any] = {"id": line_id}
    for i, column in enumerate(part.columns, start=1):
        if i in absent:
            continue
        cell = sheet.cell(row, i)
        if column.kind == layout.PERSONS:
            data[column.key] = reader.whole_number(cell, minimum=0, maximum=rules.MAX_PERSONS)
        elif column.kind == layout.AMOUNT:
            number = reader.amount(cell, minimum=0, maximum=int(rules.MAX_AMOUNT))
            data[column.key] = None if number is None else Decimal(number)
        elif column.kind == layout.CHOICE:
            data[column.key] = reader.choice(cell, xl.choice_labels(column.choices),
                                             what=column.what) or ""
        elif column.kind == layout.TEXT:
            data[column.key] = reader.text(cell, max_length=rules.MAX_TEXT_LENGTH)
    return data
