"""Cells for a write-only (streamed) sheet, as the large workbooks of the office and the
directorate use: each row is appended as a list of cells made here, with the same safe
text, amount format and header style as every other workbook (writing.py)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell

from .common import EXCEL_MAX_TEXT, FORMULA_TRIGGERS, _escape_text
from .writing import style_header, write_amount, write_text


def text_cell(ws, value) -> WriteOnlyCell:
    return write_text(WriteOnlyCell(ws), value)


def amount_cell(ws, value: Decimal | None) -> WriteOnlyCell:
    return write_amount(WriteOnlyCell(ws), value)


def header_cells(ws, labels: Iterable) -> list[WriteOnlyCell]:
    cells = [text_cell(ws, str(label)) for label in labels]
    style_header(cells)
    return cells


def flat_text(ws, value):
    """Text for a flat row of a write-only sheet: the plain (escaped) string, which openpyxl
    writes as a string without making a cell object, or a text_cell when it starts like a
    formula (it then needs its quote prefix). The same text as text_cell writes."""
    text = "" if value is None else str(value)
    if not text:
        return None
    if text.startswith(FORMULA_TRIGGERS):
        return text_cell(ws, text)
    return _escape_text(text)[:EXCEL_MAX_TEXT]
