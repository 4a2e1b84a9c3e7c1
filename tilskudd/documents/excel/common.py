"""Constants, errors and text escaping shared by writing and reading."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: An upload larger than this is refused before it is read.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: The sum of the uncompressed sizes of the zip's members (a zip bomb guard). Python's
#: zipfile stops at each member's declared size (and fails the CRC if there is more), so
#: the declared sizes are a real bound on what is unpacked.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
#: Each XML part unpacked (a sheet of a filled-in template is well under 1 MB), and the
#: shared strings (all the texts of the workbook) on their own.
MAX_XML_PART_BYTES = 8 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 4 * 1024 * 1024
#: XML elements in all parts together. openpyxl spends 3-20 µs on each (20 on a shared
#: string or a cell style), so this keeps the worst file to about a second; a filled-in
#: template has fewer than 10 000.
MAX_XML_ELEMENTS = 60_000
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
#: Written in the active language (an upload is read in the language of its labels).
YES, NO = gettext_lazy("Ja"), gettext_lazy("Nei")

#: A text starting with one of these could be taken as a formula (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
#: The hidden sheet the drop-down lists read their options from, named in the workbook's
#: language (sheets.py).
LISTS_SHEET = pgettext_lazy("Excel sheet", "Lister")

# Characters XML cannot hold, and CR (which XML parsers turn into LF), are written as
# OOXML escapes (_x000D_), as Excel itself does; literal "_xHHHH_" text is escaped too.
_ESCAPE_NEEDED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")
_LITERAL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
#: What a text cell may not hold: NUL (PostgreSQL cannot store it), lone surrogates (not
#: UTF-8) and the other C0 control characters, except tab, line feed, carriage return and
#: the vertical tab and form feed that text pasted from Word carries as line/page breaks.
#: They reach a cell as OOXML escapes ("_x0000_"), since XML itself cannot hold them.
_FORBIDDEN_IN_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff]")


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


@dataclass
class ImportResult:
    """What an upload into an owner (an application, a report) gave: either every problem
    found (and nothing saved) or the owner as saved, with the lines read per part where
    the app counts them. The Excel upload page (tilskudd.excel_pages) reads `ok` and
    `errors`."""

    errors: list[CellError] = field(default_factory=list)
    saved: Any = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class CellValueError(ValueError):
    """A cell's value is refused; the message is Norwegian and names no cell."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

def _escape_text(text: str) -> str:
    text = _LITERAL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    return _ESCAPE_NEEDED.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _unescape_text(text: str) -> str:
    if "_x" not in text:
        return text
    return _LITERAL_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:6], 16)), text)


def _grouped(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def choice_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """A choice field's options as a workbook lists them (the drop-down list) and reads them
    back (parse_choice): each label, in the active language, to its stored value."""
    return {str(label): value for value, label in choices.choices}
