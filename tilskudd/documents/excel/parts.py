"""The shape every owner's workbook has (an application's, a report's): a header sheet
first, tied to its owner by a workbook property, one sheet per part, and a last sheet that
adds the parts up. Each app's excel_export.py writes the sheets; this puts them in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from .writing import new_workbook, set_property, workbook_bytes


def parts_workbook(
    *, header_sheet: str, owner_property: tuple[str, int],
    write_header: Callable[[Worksheet], None], parts: Sequence[Any],
    write_part: Callable[[Worksheet, Any], None], last_sheet: str,
    write_last: Callable[[Worksheet], None],
) -> bytes:
    """`owner_property` is (the property's name, the owner's pk); a part names its sheet
    in `part.sheet`. The workbook opens on the header sheet."""
    wb, ws = new_workbook(header_sheet)
    set_property(wb, owner_property[0], str(owner_property[1]))
    write_header(ws)
    for part in parts:
        write_part(wb.create_sheet(part.sheet), part)
    write_last(wb.create_sheet(last_sheet))
    wb.active = 0
    return workbook_bytes(wb)
