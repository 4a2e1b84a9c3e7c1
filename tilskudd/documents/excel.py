"""Excel (.xlsx) files out and in, once for every app.

Writing: text goes in as a string cell that Excel will not run as a formula, amounts as
whole kroner with a thousands format, input cells are marked (light fill, unlocked) and
may carry data validation.

Reading: an uploaded file is opened with limits (size, zip bomb, real xlsx) in
openpyxl's read-only mode with formulas kept as formulas, and cells are read with
helpers that collect every problem as a CellError ("Kompetanse!D7: må være et helt
tall") instead of stopping at the first.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: An upload larger than this is refused before it is read.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: The sum of the uncompressed sizes of the zip's members (a zip bomb guard). Python's
#: zipfile stops at each member's declared size (and fails the CRC if there is more), so
#: the declared sizes are a real bound on what is unpacked.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
#: Rows read per sheet; rows below are not read at all.
MAX_SCAN_ROWS = 1000
#: Excel's limit for the text of one cell.
EXCEL_MAX_TEXT = 32767

ZIP_MAGIC = b"PK\x03\x04"
#: Old .xls files and password-protected .xlsx files are OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Whole kroner, grouped; Excel shows the group separator of the reader's locale
#: ("60 000" in Norwegian Excel). The format code itself always uses ",".
AMOUNT_FORMAT = "#,##0"
WHOLE_NUMBER_FORMAT = "0"
YES, NO = "Ja", "Nei"

#: A text starting with one of these could be taken as a formula (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
LISTS_SHEET = "Lister"

# Characters XML cannot hold, and CR (which XML parsers turn into LF), are written as
# OOXML escapes (_x000D_), as Excel itself does; literal "_xHHHH_" text is escaped too.
_ESCAPE_NEEDED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")
_LITERAL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_DIGITS_WITH_SPACES = re.compile(r"^-?\d{1,3}(?: \d{3})+$|^-?\d+$")


# --- errors -------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem in an uploaded file, where it is: "Kompetanse!D7: må være et helt tall".
    A problem with a whole sheet has no cell; one with the whole file has no sheet."""

    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}: {self.message}"
        if self.sheet:
            return f"{self.sheet}: {self.message}"
        return self.message


class ExcelFileError(Exception):
    """The file as a whole is refused (too big, not an xlsx, damaged)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def as_cell_error(self) -> CellError:
        return CellError("", "", self.message)


class CellValueError(ValueError):
    """A cell's value is refused; the message is Norwegian and names no cell."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- writing ------------------------------------------------------------------------


def new_workbook(first_sheet_title: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    ws.title = first_sheet_title
    return wb, ws


def workbook_bytes(wb: Workbook) -> bytes:
    if LISTS_SHEET in wb.sheetnames:  # the hidden lists go last, out of the way
        wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _escape_text(text: str) -> str:
    text = _LITERAL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    return _ESCAPE_NEEDED.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _unescape_text(text: str) -> str:
    if "_x" not in text:
        return text
    return _LITERAL_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:6], 16)), text)


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
    cell.value = YES if value else NO
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
    if LISTS_SHEET in wb.sheetnames:  # it always holds at least one list
        lists = wb[LISTS_SHEET]
        column = lists.max_column + 1
    else:
        lists = wb.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        column = 1
    for row, option in enumerate(options, start=1):
        write_text(lists.cell(row=row, column=column), option)
    letter = get_column_letter(column)
    return f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(options)}"


def set_property(wb: Workbook, name: str, value: str) -> None:
    """A custom document property (File > Properties in Excel); kept when Excel saves."""
    wb.custom_doc_props.append(StringProperty(name=name, value=value))


def get_property(wb: Workbook, name: str) -> str | None:
    for prop in wb.custom_doc_props:
        if prop.name == name:
            return None if prop.value is None else str(prop.value)
    return None


def _grouped(value: int) -> str:
    return f"{value:,}".replace(",", " ")


# --- reading: the file --------------------------------------------------------------


def _read_limited(upload: Any, max_bytes: int) -> bytes:
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise ExcelFileError(_too_big(max_bytes))
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ExcelFileError(_too_big(max_bytes))
    if not data:
        raise ExcelFileError(_("Filen er tom."))
    return data


def _too_big(max_bytes: int) -> str:
    return _("Filen er for stor (høyst %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)}


def _not_xlsx() -> str:
    return _("Filen er ikke en Excel-arbeidsbok (.xlsx). Last opp filen du lastet ned fra "
             "portalen, lagret som Excel-arbeidsbok.")


def _damaged() -> str:
    return _("Filen kunne ikke leses som en Excel-arbeidsbok (.xlsx). Den kan være skadet; "
             "åpne den i Excel og lagre den på nytt som Excel-arbeidsbok.")


def check_xlsx_container(
    data: bytes,
    *,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_members: int = MAX_ZIP_MEMBERS,
) -> None:
    """Refuse what is not a zip, or a zip that unpacks to too much (a zip bomb)."""
    if data.startswith(OLE_MAGIC):
        raise ExcelFileError(_(
            "Filen er en eldre Excel-fil (.xls) eller er beskyttet med passord. Lagre den "
            "som Excel-arbeidsbok (.xlsx) uten passord og last den opp igjen."))
    if not data.startswith(ZIP_MAGIC):
        raise ExcelFileError(_not_xlsx())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ExcelFileError(_not_xlsx()) from exc
    if len(members) > max_members:
        raise ExcelFileError(_damaged())
    if sum(m.file_size for m in members) > max_uncompressed_bytes:
        raise ExcelFileError(
            _("Filen blir for stor når den pakkes ut (høyst %(mb)d MB). Last opp filen du "
              "lastet ned fra portalen.") % {"mb": max_uncompressed_bytes // (1024 * 1024)})
    if "[Content_Types].xml" not in {m.filename for m in members}:
        raise ExcelFileError(_not_xlsx())


@contextmanager
def open_upload(
    upload: Any,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
) -> Iterator[Workbook]:
    """Open an uploaded .xlsx (an UploadedFile, a file object or bytes) read-only, with
    formulas kept as formulas (data_only=False, so a formula is seen and refused, never
    its cached result trusted). Raises ExcelFileError for anything that is not a sound
    xlsx within the limits. The size is checked before anything is read."""
    data = _read_limited(upload, max_bytes)
    check_xlsx_container(data, max_uncompressed_bytes=max_uncompressed_bytes)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        logger.info("Refused an uploaded xlsx: %s: %s", type(exc).__name__, exc)
        raise ExcelFileError(_damaged()) from exc
    try:
        yield wb
    finally:
        wb.close()


# --- reading: cells -----------------------------------------------------------------


@dataclass(frozen=True)
class RawCell:
    """A cell as read: where it is, its value and openpyxl's data type ("f": formula)."""

    sheet: str
    row: int
    column: int
    value: Any = None
    data_type: str = "n"

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def is_blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass
class SheetData:
    """The cells of one sheet, read once: a read-only sheet streams its XML, so reading
    cell by cell would parse the sheet again for every cell."""

    title: str
    max_row: int
    max_col: int
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)

    def cell(self, row: int, column: int) -> RawCell:
        return self.cells.get((row, column)) or RawCell(self.title, row, column)

    def row_is_blank(self, row: int, columns: Iterable[int] | None = None) -> bool:
        columns = columns or range(1, self.max_col + 1)
        return all(self.cell(row, c).is_blank for c in columns)

    def last_row_with_content(self) -> int:
        rows = [r for (r, _c), cell in self.cells.items() if not cell.is_blank]
        return max(rows, default=0)


def read_sheet(
    wb: Workbook, title: str, *, max_col: int, max_row: int = MAX_SCAN_ROWS
) -> SheetData | None:
    """The sheet called `title` (None if there is none), columns 1..max_col and rows
    1..max_row. The limits are given explicitly: a file's own idea of its size (the
    <dimension> element) may be wrong or missing."""
    if title not in wb.sheetnames:
        return None
    ws = wb[title]
    data = SheetData(title=title, max_row=max_row, max_col=max_col)
    try:
        for row in ws.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col):
            for cell in row:
                if getattr(cell, "value", None) is None:
                    continue
                data.cells[(cell.row, cell.column)] = RawCell(
                    title, cell.row, cell.column, cell.value, cell.data_type)
    except Exception as exc:  # a damaged sheet is found only when it is streamed
        logger.info("Refused an uploaded sheet %r: %s: %s", title, type(exc).__name__, exc)
        raise ExcelFileError(_damaged()) from exc
    return data


def _is_formula(cell: RawCell) -> bool:
    # openpyxl marks formulas (plain, array and data-table ones) with data type "f".
    return cell.data_type == "f"


def parse_whole_number(
    cell: RawCell, *, minimum: int = 0, maximum: int | None = None, required: bool = False
) -> int | None:
    """A whole number in [minimum, maximum]; empty gives None (or an error if required).
    Formulas are refused (their cached result is not to be trusted), so are text, dates,
    decimals and true/false. Text of digits ("60 000") is taken as the number."""
    value = cell.value
    if _is_formula(cell) or (isinstance(value, str) and value.strip().startswith("=")):
        raise CellValueError(_("inneholder en formel; skriv inn tallet"))
    if cell.is_blank:
        if required:
            raise CellValueError(_("må fylles ut"))
        return None
    if isinstance(value, bool) or cell.data_type == "b":
        raise CellValueError(_("må være et helt tall"))
    if isinstance(value, str):
        compact = value.strip().replace("\u00a0", " ").replace("\u202f", " ")
        if not _DIGITS_WITH_SPACES.match(compact):
            raise CellValueError(_("må være et helt tall"))
        number = int(compact.replace(" ", ""))
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if isinstance(value, float) and not value.is_integer():
            raise CellValueError(_("må være et helt tall, uten desimaler"))
        if isinstance(value, Decimal) and value != value.to_integral_value():
            raise CellValueError(_("må være et helt tall, uten desimaler"))
        number = int(value)
    else:  # dates, times, errors
        raise CellValueError(_("må være et helt tall"))
    if number < 0 and minimum >= 0:
        raise CellValueError(_("kan ikke være negativt"))
    if number < minimum:
        raise CellValueError(_("kan ikke være under %(min)s") % {"min": _grouped(minimum)})
    if maximum is not None and number > maximum:
        raise CellValueError(_("kan ikke være over %(max)s") % {"max": _grouped(maximum)})
    return number


def parse_text(cell: RawCell, *, max_length: int, required: bool = False) -> str:
    """Text, stripped, at most max_length characters; empty gives "". A number is taken
    as its digits; formulas and dates are refused."""
    value = cell.value
    if _is_formula(cell):
        raise CellValueError(_("inneholder en formel; skriv inn teksten"))
    if cell.is_blank:
        if required:
            raise CellValueError(_("må fylles ut"))
        return ""
    if isinstance(value, bool) or cell.data_type == "b":
        raise CellValueError(_("må være tekst"))
    if isinstance(value, datetime | date | time | timedelta):
        raise CellValueError(_("må være tekst, ikke en dato"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _unescape_text(str(value)).strip()
    if len(text) > max_length:
        raise CellValueError(
            _("er for lang (%(length)d tegn, høyst %(max)d)")
            % {"length": len(text), "max": max_length})
    return text


def parse_yes_no(cell: RawCell) -> bool:
    """"Ja" or "Nei" in any case; empty is Nei. Excel's TRUE/FALSE are taken too."""
    value = cell.value
    if _is_formula(cell):
        raise CellValueError(_("inneholder en formel; skriv Ja eller Nei"))
    if cell.is_blank:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        answer = value.strip().casefold()
        if answer == YES.casefold():
            return True
        if answer == NO.casefold():
            return False
    raise CellValueError(_("skriv Ja eller Nei"))


def _normalise_label(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def parse_choice(
    cell: RawCell, choices: Mapping[str, str], *, what: str, required: bool = False
) -> str | None:
    """One of `choices` (label -> value), matched on the label regardless of case and
    spacing (the stored value is accepted too). Empty gives None."""
    if _is_formula(cell):
        raise CellValueError(_("inneholder en formel; velg fra listen"))
    if cell.is_blank:
        if required:
            raise CellValueError(_("må fylles ut"))
        return None
    typed = _normalise_label(cell.value)
    for label, value in choices.items():
        if typed in (_normalise_label(label), _normalise_label(value)):
            return value
    raise CellValueError(
        _("ukjent %(what)s «%(value)s»; velg fra listen") % {"what": what, "value": cell.value})


class CellReader:
    """Reads cells and collects every problem as a CellError, so a person sees all of
    them at once. Each method returns the value, or None/""/False after an error."""

    def __init__(self) -> None:
        self.errors: list[CellError] = []

    def error(self, cell: RawCell | None, message: str, *, sheet: str = "") -> None:
        if cell is None:
            self.errors.append(CellError(sheet, "", message))
        else:
            self.errors.append(CellError(cell.sheet, cell.coordinate, message))

    def _read(self, parse, cell: RawCell, default, **kwargs):
        try:
            return parse(cell, **kwargs)
        except CellValueError as exc:
            self.error(cell, exc.message)
            return default

    def whole_number(
        self, cell: RawCell, *, minimum: int = 0, maximum: int | None = None,
        required: bool = False,
    ) -> int | None:
        return self._read(parse_whole_number, cell, None, minimum=minimum, maximum=maximum,
                          required=required)

    def text(self, cell: RawCell, *, max_length: int, required: bool = False) -> str:
        return self._read(parse_text, cell, "", max_length=max_length, required=required)

    def yes_no(self, cell: RawCell) -> bool:
        return self._read(parse_yes_no, cell, False)

    def choice(
        self, cell: RawCell, choices: Mapping[str, str], *, what: str, required: bool = False
    ) -> str | None:
        return self._read(parse_choice, cell, None, choices=choices, what=what,
                          required=required)

    def expect_label(self, cell: RawCell, label: str, *, hint: str) -> bool:
        """A fixed heading or label must be where the template put it."""
        if isinstance(cell.value, str) and _normalise_label(
            _unescape_text(cell.value)) == _normalise_label(label):
            return True
        self.error(cell, _("skal være «%(label)s». %(hint)s") % {"label": label, "hint": hint})
        return False
