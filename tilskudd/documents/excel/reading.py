"""Reading uploaded .xlsx files with limits, collecting every problem by cell."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from ...counts import parse_count
from ...money import parse_nok
from .common import (
    _FORBIDDEN_IN_TEXT,
    MAX_SCAN_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    NO,
    YES,
    CellError,
    CellValueError,
    ExcelFileError,
    _grouped,
    _unescape_text,
)
from .container import check_xlsx_container, damaged_message, read_limited

logger = logging.getLogger(__name__)

# --- reading: the file --------------------------------------------------------------


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
    xlsx within the limits. The size is checked before anything is read, and the zip and
    its XML (container.check_xlsx_container) before openpyxl parses any of it."""
    data = read_limited(upload, max_bytes)
    check_xlsx_container(data, max_uncompressed_bytes=max_uncompressed_bytes)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        logger.info("Refused an uploaded xlsx: %s: %s", type(exc).__name__, exc)
        raise ExcelFileError(damaged_message()) from exc
    try:
        yield wb
    finally:
        wb.close()


def upload_language(upload: Any, recognises: Callable[[Workbook], bool]) -> str:
    """The portal language (settings.LANGUAGES) an uploaded workbook's headings are in, so a
    template downloaded in English is read in a bokmål session: the active language if
    `recognises(wb)` (called under each language in turn) says so, else the first other
    that it recognises, else the active one (the import then reports the headings). A file
    that cannot be opened gives the active one; the import reports why."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    languages = [active, *(code for code, _name in settings.LANGUAGES if code != active)]
    try:
        with open_upload(upload) as wb:
            for language in languages:
                with translation.override(language):
                    if recognises(wb):
                        return language
    except ExcelFileError:
        pass
    return active


def has_labels(wb: Workbook, title: str, labels: Iterable[str], *, first_row: int) -> bool:
    """Whether the sheet `title` has `labels` down column A from `first_row` (as
    CellReader.expect_label compares them): an `upload_language` recogniser."""
    labels = [str(label) for label in labels]
    sheet = read_sheet(wb, title, max_col=1, max_row=first_row + len(labels))
    if sheet is None:
        return False
    return all(
        isinstance(value := sheet.cell(row, 1).value, str)
        and _normalise_label(_unescape_text(value)) == _normalise_label(label)
        for row, label in enumerate(labels, start=first_row)
    )


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
        raise ExcelFileError(damaged_message()) from exc
    return data


def _is_formula(cell: RawCell) -> bool:
    # openpyxl marks formulas (plain, array and data-table ones) with data type "f".
    return cell.data_type == "f"


def parse_whole_number(
    cell: RawCell, *, minimum: int = 0, maximum: int | None = None, required: bool = False
) -> int | None:
    """A whole number in [minimum, maximum]; empty gives None (or an error if required).
    Formulas are refused (their cached result is not to be trusted), so are text, dates,
    decimals and true/false. Text of digits is taken as the web form takes a count
    ("60 000", "1.000": tilskudd.counts.parse_count)."""
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
        try:  # as the web form reads a count: «60 000», «1.000» (tilskudd.counts)
            number = parse_count(value)
        except ValueError:
            raise CellValueError(_("må være et helt tall")) from None
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
    return _in_range(number, minimum=minimum, maximum=maximum)


def parse_amount(
    cell: RawCell, *, minimum: int = 0, maximum: int | None = None, required: bool = False
) -> int | None:
    """An amount in whole kroner: a number as `parse_whole_number` takes it, and text the
    way the web form reads it (tilskudd.money.parse_nok: «12 500», «kr 12 500», «12 500,-»,
    «60.000»), so what one accepts the other does."""
    value = cell.value
    if not isinstance(value, str) or _is_formula(cell) or value.strip().startswith("="):
        return parse_whole_number(cell, minimum=minimum, maximum=maximum, required=required)
    try:
        amount = parse_nok(_unescape_text(value))
    except ValidationError:
        raise CellValueError(_("må være et helt tall")) from None
    if amount is None:  # blank, or nothing but «kr»
        if required:
            raise CellValueError(_("må fylles ut"))
        return None
    if amount != amount.to_integral_value():
        raise CellValueError(_("må være et helt tall, uten desimaler"))
    return _in_range(int(amount), minimum=minimum, maximum=maximum)


def _in_range(number: int, *, minimum: int, maximum: int | None) -> int:
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
    forbidden = _FORBIDDEN_IN_TEXT.search(text)
    if forbidden:
        raise CellValueError(
            _("inneholder et usynlig kontrolltegn (U+%(code)04X) som ikke kan lagres; slett "
              "det og skriv teksten på nytt") % {"code": ord(forbidden.group())})
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
        _("ukjent %(what)s «%(value)s»; velg fra listen") % {"what": what,
                                                             "value": _shown(cell.value)})


def _shown(value: Any, limit: int = 60) -> str:
    """A typed value as an error message repeats it: short, without control characters."""
    text = _FORBIDDEN_IN_TEXT.sub("\ufffd", " ".join(_unescape_text(str(value)).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

    def amount(
        self, cell: RawCell, *, minimum: int = 0, maximum: int | None = None,
        required: bool = False,
    ) -> int | None:
        return self._read(parse_amount, cell, None, minimum=minimum, maximum=maximum,
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
