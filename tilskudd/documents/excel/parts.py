"""The shape every owner's workbook has (an application's, a report's): a header sheet
first, tied to its owner by a workbook property, one sheet per part, and a last sheet that
adds the parts up (the parts' sheets are named the same in every owner's workbook:
sheets.py). Each app's excel_export.py writes the sheets; this puts them in order, says
which rows every such workbook keeps its title, note, facts, the owner's ID, headings and
lines in (the import reads them from the same rows), and writes the top of a header sheet
and of a part's sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .common import CellError
from .reading import SheetData, read_sheet
from .sheets import find_sheet
from .writing import (
    get_property,
    new_workbook,
    set_property,
    workbook_bytes,
    write_headings,
    write_text,
    write_title,
    write_whole_number,
)

# A sheet of lines: its title, a note, the column headings, then the lines.
TITLE_ROW, NOTE_ROW, HEADING_ROW, FIRST_LINE_ROW = 1, 2, 3, 4
# The header sheet: title and note as above, facts about the owner from row 3, the owner's
# ID in B9 (where the import looks for it, besides the workbook property), then the
# header fields under their headings.
FACTS_FIRST_ROW = 3
ID_ROW, ID_COLUMN = 9, 2
HEADER_HEADING_ROW = 11
HEADER_FIRST_ROW = 12


def parts_workbook(
    owner: Any, *, header_sheet: str, owner_property: str, parts: Sequence[Any],
    last_sheet: str, write_header: Callable[[Worksheet, Any, bool], None],
    write_part: Callable[[Worksheet, Any, list[Any], bool], None],
    write_last: Callable[[Worksheet, Any, Sequence[Any]], None],
) -> bytes:
    """The owner's workbook, tied to it by the workbook property `owner_property` (its pk):
    `write_header(ws, owner, editable)` on the header sheet, `write_part(ws, part, lines,
    editable)` on each part's sheet (`part.sheet`) with the owner's lines of the part
    (`part.related_name`), and `write_last(ws, owner, parts)`. `editable` is whether the
    owner may still be changed (`owner.is_editable`): a file of one that may not is a
    read-only copy. The workbook opens on the header sheet."""
    editable = owner.is_editable
    wb, ws = new_workbook(str(header_sheet))
    set_property(wb, owner_property, str(owner.pk))
    write_header(ws, owner, editable)
    for part in parts:
        lines = list(getattr(owner, part.related_name).all())
        write_part(wb.create_sheet(str(part.sheet)), part, lines, editable)
    write_last(wb.create_sheet(str(last_sheet)), owner, parts)
    wb.active = 0
    return workbook_bytes(wb)


def write_header_top(
    ws: Worksheet, *, title: str, note: str, facts: Sequence[tuple[str, Any]], id_label: str,
    owner_id: int, headings: Sequence[str],
) -> None:
    """The top of the header sheet: the title, the note, the facts about the owner (the
    label in bold, the value beside it), the owner's ID where the import looks for it, and
    the headings over the header fields (which the app writes from HEADER_FIRST_ROW on)."""
    if FACTS_FIRST_ROW + len(facts) > ID_ROW:
        raise ValueError("the facts would run into the ID row")
    write_title(ws.cell(row=TITLE_ROW, column=1), title)
    write_text(ws.cell(row=NOTE_ROW, column=1), note)
    for row, (label, value) in enumerate(facts, start=FACTS_FIRST_ROW):
        write_text(ws.cell(row=row, column=1), str(label)).font = Font(bold=True)
        write_text(ws.cell(row=row, column=2), str(value))
    write_text(ws.cell(row=ID_ROW, column=1), id_label).font = Font(bold=True)
    write_whole_number(ws.cell(row=ID_ROW, column=ID_COLUMN), owner_id).alignment = Alignment(
        horizontal="left")
    write_headings(ws, HEADER_HEADING_ROW, headings)


def write_part_top(ws: Worksheet, *, title: str, note: str, headings: Sequence[str]) -> None:
    """The top of a part's sheet: the title, the note, and the column headings over the
    lines (which the app writes from FIRST_LINE_ROW on)."""
    write_title(ws.cell(row=TITLE_ROW, column=1), title)
    write_text(ws.cell(row=NOTE_ROW, column=1), note)
    write_headings(ws, HEADING_ROW, headings)
    ws.row_dimensions[HEADING_ROW].height = 48


def check_owner(
    wb: Workbook, header: SheetData | None, *, owner_property: str, header_sheet: str,
    owner_id: int, missing: str, other: str,
) -> CellError | None:
    """An uploaded file must be the owner's own: the ID it carries (the workbook property
    parts_workbook set, and the ID cell write_header_top wrote, read from `header` as
    read_sheet gives it) must be `owner_id`. `missing`: the message when it carries none;
    `other`: when it carries another's."""
    found = set()
    prop = get_property(wb, owner_property)
    if prop is not None and prop.strip():
        found.add(prop.strip())
    if header is not None:
        value = header.cell(ID_ROW, ID_COLUMN).value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is not None and str(value).strip():
            found.add(str(value).strip())
    if not found:
        return CellError(header_sheet, f"{get_column_letter(ID_COLUMN)}{ID_ROW}", missing)
    if found != {str(owner_id)}:
        return CellError("", "", other)
    return None


def read_parts(wb: Workbook, parts: Sequence[Any]) -> dict[str, SheetData | None]:
    """Each part's sheet of an uploaded workbook by the part's key (`part.key`): found by
    its name (`part.sheet`) in whichever language the file has it, and read as wide as
    the part has columns (`part.columns`); None for a sheet the file lacks."""
    return {part.key: read_sheet(wb, find_sheet(wb, part.sheet), max_col=len(part.columns))
            for part in parts}
