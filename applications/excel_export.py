"""An application (draft or submitted) as an Excel workbook, laid out as excel_layout.py
says: the header sheet with the yellow fields to fill in, one sheet per part, and "Sum"."""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tilskudd.documents import excel as xl
from tilskudd.documents.excel.filenames import workbook_filename
from tilskudd.documents.excel.sheets import formula_ref

from . import rules
from .excel_layout import (
    AMOUNT,
    APPLICATION_PROPERTY,
    CHOICE,
    PERSONS,
    SHEET_HEADER,
    SHEET_TOTALS,
    TEXT,
    YES_NO,
    Column,
    Part,
    column_range,
    header_fields,
    header_help,
    header_kind,
    workbook_parts,
)
from .models import Application
from .selectors import live_submission
from .snapshot import totals


def export_filename(application: Application) -> str:
    """KKT-2027-Trondheim-soknad.xlsx: plain ASCII, safe in any browser."""
    return workbook_filename(application.organisation, application.round, "soknad")


def export_application(application: Application) -> bytes:
    """The application (draft or submitted) as an .xlsx workbook."""
    return xl.parts_workbook(
        application, header_sheet=SHEET_HEADER, owner_property=APPLICATION_PROPERTY,
        parts=workbook_parts(), write_header=_write_header_sheet, write_part=_write_part_sheet,
        last_sheet=SHEET_TOTALS, write_last=_write_totals_sheet)


def _note(editable: bool) -> str:
    if editable:
        return _("Fyll ut de gule feltene og last opp filen på søknadssiden i portalen. "
                 "Ingenting lagres før hele filen er gyldig.")
    return _("Søknaden er sendt inn. Filen er en kopi og kan ikke lastes opp igjen med "
             "mindre søknaden trekkes.")


def _write_header_sheet(ws: Worksheet, application: Application, editable: bool) -> None:
    org = application.organisation
    rnd = application.round
    submission = live_submission(application)
    facts = [
        (_("Søker"), org.name),
        (_("Organisasjonsnummer"), org.org_number or "–"),
        (_("Søknadsrunde"), rnd.title),
        (_("Mottaker"), org.county.office.name),
        (_("Status"), application.get_status_display()),
        (_("Referansenummer"), submission.reference if submission else ""),
    ]
    title = _("Søknad om %(scheme)s %(year)s") % {"scheme": rnd.scheme.name, "year": rnd.year}
    xl.write_header_top(ws, title=title, note=_note(editable), facts=facts,
                        id_label=_("Søknads-ID (ikke endre)"), owner_id=application.pk,
                        headings=[_("Opplysninger i søknaden"), _("Svar"), _("Hjelp")])
    for row, (name, model_field) in enumerate(header_fields(), start=xl.HEADER_FIRST_ROW):
        xl.write_text(ws.cell(row=row, column=1), capfirst(str(model_field.verbose_name)))
        ws.cell(row=row, column=1).alignment = xl.WRAP_TOP
        cell = ws.cell(row=row, column=2)
        value = getattr(application, name)
        kind = header_kind(model_field)
        if kind == AMOUNT:
            xl.write_amount(cell, value)
        elif kind == YES_NO:
            xl.write_yes_no(cell, value)
        else:
            xl.write_text(cell, value)
        xl.write_text(ws.cell(row=row, column=3), header_help(model_field))
        ws.cell(row=row, column=3).alignment = xl.WRAP_TOP
        if editable:
            xl.mark_input([cell], wrap=kind == TEXT)
            if kind == AMOUNT:
                xl.add_whole_number_validation(
                    ws, cell.coordinate, minimum=0, maximum=int(rules.MAX_HEADER_AMOUNT))
            elif kind == YES_NO:
                xl.add_yes_no_validation(ws, cell.coordinate)
        else:
            cell.alignment = xl.WRAP_TOP
    xl.set_column_widths(ws, [44, 64, 50])
    xl.protect_sheet(ws)


def _write_value(cell, column: Column, value: Any) -> None:
    if column.kind == AMOUNT:
        xl.write_amount(cell, value)
    elif column.kind == PERSONS:
        xl.write_whole_number(cell, value)
    elif column.kind == YES_NO:
        xl.write_yes_no(cell, value)
    elif column.kind == CHOICE:
        xl.write_text(cell, str(column.choices(value).label))
    else:
        xl.write_text(cell, value)


def _write_part_sheet(ws: Worksheet, part: Part, lines: list[Any], editable: bool) -> None:
    note = _("Én linje per rad; tomme rader hoppes over. Høyst %(max)d linjer.") % {
        "max": part.max_lines}
    xl.write_part_top(ws, title=str(part.title), note=note if editable else _note(editable),
                      headings=[column.heading for column in part.columns])
    rows = max(part.input_rows, len(lines)) if editable else len(lines)
    for offset in range(rows):
        row = xl.FIRST_LINE_ROW + offset
        line = lines[offset] if offset < len(lines) else None
        for i, column in enumerate(part.columns, start=1):
            cell = ws.cell(row=row, column=i)
            if line is not None:
                _write_value(cell, column, getattr(line, column.field))
            elif column.kind == AMOUNT:
                cell.number_format = xl.AMOUNT_FORMAT
            if editable:
                xl.mark_input([cell], wrap=column.kind == TEXT)
            elif column.kind == TEXT:
                cell.alignment = xl.WRAP_TOP
    if editable:
        for i, column in enumerate(part.columns, start=1):
            cells = column_range(i, rows)
            if column.kind == CHOICE:
                xl.add_list_validation(ws, cells, list(xl.choice_labels(column.choices)))
            elif column.kind == YES_NO:
                xl.add_yes_no_validation(ws, cells)
            elif column.kind == PERSONS:
                xl.add_whole_number_validation(ws, cells, minimum=0, maximum=rules.MAX_PERSONS)
            elif column.kind == AMOUNT:
                xl.add_whole_number_validation(
                    ws, cells, minimum=1, maximum=int(rules.MAX_LINE_AMOUNT))
    xl.set_column_widths(ws, [c.width for c in part.columns])
    ws.freeze_panes = part.freeze
    ws.page_setup.orientation = "landscape"
    xl.protect_sheet(ws)


def _write_totals_sheet(ws: Worksheet, application: Application, parts: tuple[Part, ...]) -> None:
    stored = totals(application)
    xl.write_title(ws["A1"], _("Sum"))
    xl.write_headings(ws, xl.HEADING_ROW,
                      [_("Del"), _("Sum i filen (kr)"), _("Lagret i portalen (kr)")])
    first = xl.FIRST_LINE_ROW
    for row, part in enumerate(parts, start=first):
        amount_column = next(i for i, c in enumerate(part.columns, start=1) if c.kind == AMOUNT)
        letter = get_column_letter(amount_column)
        last = xl.FIRST_LINE_ROW + rules.MAX_LINES_PER_PART - 1  # past any line a part holds
        xl.write_text(ws.cell(row=row, column=1), str(part.title))
        xl.write_formula(ws.cell(row=row, column=2),
                         f"=SUM({formula_ref(str(part.sheet))}!{letter}{xl.FIRST_LINE_ROW}:"
                         f"{letter}{last})")
        ws.cell(row=row, column=2).number_format = xl.AMOUNT_FORMAT
        xl.write_amount(ws.cell(row=row, column=3), stored[part.key])
    total_row = first + len(parts)
    xl.write_text(ws.cell(row=total_row, column=1), _("Sum søkt")).font = Font(bold=True)
    xl.write_formula(ws.cell(row=total_row, column=2), f"=SUM(B{first}:B{total_row - 1})")
    ws.cell(row=total_row, column=2).number_format = xl.AMOUNT_FORMAT
    ws.cell(row=total_row, column=2).font = Font(bold=True)
    xl.write_amount(ws.cell(row=total_row, column=3), stored["applied"]).font = Font(bold=True)
    xl.write_text(ws.cell(row=total_row + 2, column=1), _(
        "«Sum i filen» regnes ut av Excel mens du fyller ut. Portalen regner ut summene på "
        "nytt når filen lastes opp."))
    xl.set_column_widths(ws, [34, 20, 24])
    ws.freeze_panes = "A4"
    xl.protect_sheet(ws)
