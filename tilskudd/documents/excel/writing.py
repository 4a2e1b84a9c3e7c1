"""Writing .xlsx files: safe text, amounts, marked input cells, validation."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .common import (
    AMOUNT_FORMAT,
    EXCEL_MAX_TEXT,
    FORMULA_TRIGGERS,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_FILL,
    LISTS_SHEET,
    NO,
    TITLE_FONT,
    WHOLE_NUMBER_FORMAT,
    WRAP_TOP,
    YES,
    _escape_text,
    _grouped,
)

logger = logging.getLogger(__name__)

# --- writing ------------------------------------------------------------------------


def new_workbook(first_sheet_title: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    ws.title = first_sheet_title
    return wb, ws


def workbook_bytes(wb: Workbook) -> bytes:
    lists = str(LISTS_SHEET)
    if lists in wb.sheetnames:  # the hidden lists go last, out of the way
        wb.move_sheet(lists, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()




def write_text(cell: Cell, text: str | None) -> Cell:
    """Write text that Excel shows as it is and never runs: always a string cell (openpyxl
    would otherwise make "=..." a formula and "#N/A" an error), and with the quote prefix
    (Excel's leading apostrophe) when it starts like a formula, so that editing the cell
    in Excel keeps it text as well."""
    text = "" if text is None else str(text)
    if not text:
        cell.value = None
        return cell
    cell.value = _escape_text(text)[:EXCEL_MAX_TEXT]
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def write_amount(cell: Cell, value: Decimal | int | None) -> Cell:
    """Whole kroner as a number with the thousands format."""
    cell.value = None if value is None else int(Decimal(value).quantize(Decimal(1)))
    cell.number_format = AMOUNT_FORMAT
    return cell


def write_whole_number(cell: Cell, value: int | None) -> Cell:
    cell.value = None if value is None else int(value)
    cell.number_format = WHOLE_NUMBER_FORMAT
    return cell


def write_yes_no(cell: Cell, value: bool) -> Cell:
    cell.value = str(YES if value else NO)
    cell.data_type = "s"
    return cell


def write_formula(cell: Cell, formula: str) -> Cell:
    """A formula of our own (a sum, say). Never pass user text here: use write_text."""
    if not formula.startswith("="):
        raise ValueError("a formula starts with '='")
    cell.value = formula
    return cell


def write_title(cell: Cell, text: str) -> Cell:
    write_text(cell, text)
    cell.font = TITLE_FONT
    return cell


def style_header(cells: Iterable[Cell]) -> None:
    """Column or section headings: bold white on dark blue, wrapped."""
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP_TOP


def write_headings(ws: Worksheet, row: int, headings: Iterable[str]) -> None:
    """A row of column headings from column A, styled as headings."""
    for column, heading in enumerate(headings, start=1):
        write_text(ws.cell(row=row, column=column), heading)
    style_header(ws[row])


def mark_input(cells: Iterable[Cell], *, wrap: bool = False) -> None:
    """Cells the user fills in: a light fill, unlocked (when the sheet is protected)."""
    for cell in cells:
        cell.fill = INPUT_FILL
        cell.protection = Protection(locked=False)
        if wrap:
            cell.alignment = WRAP_TOP


def cells_in(ws: Worksheet, cell_range: str) -> Iterator[Cell]:
    for row in ws[cell_range]:
        yield from (row if isinstance(row, tuple) else (row,))


def set_column_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def protect_sheet(ws: Worksheet) -> None:
    """Lock everything but the input cells, to keep headings and layout in place. No
    password: this guards against mistakes, not people. Columns and rows may be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def add_whole_number_validation(
    ws: Worksheet, cell_range: str, *, minimum: int = 0, maximum: int | None = None
) -> DataValidation:
    """Excel refuses anything but a whole number in [minimum, maximum] while typing.
    (Only a help: the reader checks again.)"""
    top = maximum if maximum is not None else 2_147_483_647
    dv = DataValidation(
        type="whole", operator="between", formula1=str(minimum), formula2=str(top),
        allow_blank=True, showErrorMessage=True, errorTitle=_("Ugyldig tall"),
        error=_("Skriv et helt tall fra %(min)s til %(max)s.")
        % {"min": _grouped(minimum), "max": _grouped(top)},
    )
    ws.add_data_validation(dv)
    dv.add(cell_range)
    return dv


def add_list_validation(ws: Worksheet, cell_range: str, options: Sequence[str]) -> DataValidation:
    """A drop-down of the given options. Short lists without commas go inline; others
    are written to a hidden sheet (an inline list is at most 255 characters and has no
    way to hold a comma)."""
    options = [str(o) for o in options]
    inline = ",".join(options)
    if len(inline) <= 250 and not any("," in o or '"' in o for o in options):
        formula = f'"{inline}"'
    else:
        formula = _list_on_hidden_sheet(ws.parent, options)
    dv = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
        errorTitle=_("Ugyldig valg"), error=_("Velg en verdi fra listen."),
    )
    ws.add_data_validation(dv)
    dv.add(cell_range)
    return dv


def add_yes_no_validation(ws: Worksheet, cell_range: str) -> DataValidation:
    return add_list_validation(ws, cell_range, [YES, NO])


def _list_on_hidden_sheet(wb: Workbook, options: Sequence[str]) -> str:
    title = str(LISTS_SHEET)
    if title in wb.sheetnames:  # it always holds at least one list
        lists = wb[title]
        column = lists.max_column + 1
    else:
        lists = wb.create_sheet(title)
        lists.sheet_state = "hidden"
        column = 1
    for row, option in enumerate(options, start=1):
        write_text(lists.cell(row=row, column=column), option)
    letter = get_column_letter(column)
    return f"'{title}'!${letter}$1:${letter}${len(options)}"


def set_property(wb: Workbook, name: str, value: str) -> None:
    """A custom document property (File > Properties in Excel); kept when Excel saves."""
    wb.custom_doc_props.append(StringProperty(name=name, value=value))


def get_property(wb: Workbook, name: str) -> str | None:
    for prop in wb.custom_doc_props:
        if prop.name == name:
            return None if prop.value is None else str(prop.value)
    return None

