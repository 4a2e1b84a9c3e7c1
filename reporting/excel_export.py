"""The report as a prefilled Excel template (layout in excel_layout.py). Input cells are
yellow and unlocked; numbers have data validation; a report that is sent is exported
read-only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tilskudd.documents import excel as xl
from tilskudd.documents.excel.filenames import workbook_filename
from tilskudd.documents.excel.sheets import formula_ref
from tilskudd.money import format_nok

from . import rules
from .excel_layout import (
    AMOUNT,
    CHOICE,
    FIXED_AMOUNT,
    FIXED_ID,
    FIXED_TEXT,
    INPUT_KINDS,
    PERSONS,
    REPORT_PROPERTY,
    SHEET_ACCOUNT,
    SHEET_HEADER,
    TEXT,
    Part,
    header_rows,
    line_label,
    part_lines,
    report_parts,
)
from .models import (
    Report,
    UnusedChoice,
)


def export_filename(report: Report) -> str:
    """KKT-2026-Trondheim-rapport.xlsx: plain ASCII, safe in any browser."""
    return workbook_filename(report.application.organisation, report.application.round,
                             "rapport")


def export_report(report: Report) -> bytes:
    """The report as a template prefilled with the decision and what is stored now."""
    return xl.parts_workbook(
        report, header_sheet=SHEET_HEADER, owner_property=REPORT_PROPERTY, parts=report_parts(),
        write_header=_write_header_sheet, write_part=_write_part_sheet,
        last_sheet=SHEET_ACCOUNT, write_last=_write_account_sheet)


def _note(editable: bool) -> str:
    if editable:
        return _("Fyll ut de gule feltene og last opp filen på rapportsiden i portalen. Ikke "
                 "legg til, slett eller flytt rader: linjene er gitt av vedtaket. Ingenting "
                 "lagres før hele filen er gyldig.")
    return _("Rapporten er sendt inn. Filen er en kopi og kan ikke lastes opp igjen.")


def _write_header_sheet(ws: Worksheet, report: Report, editable: bool) -> None:
    application = report.application
    org = application.organisation
    rnd = application.round
    facts = [
        (_("Tilskuddsmottaker"), org.name),
        (_("Organisasjonsnummer"), org.org_number or "–"),
        (_("Tilskudd"), rnd.title),
        (_("Statsforvalter"), org.county.office.name),
        (_("Innvilget"), format_nok(report.granted_total)),
        (_("Krever revisorattestasjon"), xl.YES if report.auditor_required else xl.NO),
    ]
    title = _("Rapport om %(scheme)s %(year)s") % {"scheme": rnd.scheme.name, "year": rnd.year}
    xl.write_header_top(ws, title=title, note=_note(editable), facts=facts,
                        id_label=_("Rapport-ID (ikke endre)"), owner_id=report.pk,
                        headings=[_("Opplysninger i rapporten"), _("Svar"), _("Hjelp")])
    for row, (name, label, help_text) in enumerate(header_rows(), start=xl.HEADER_FIRST_ROW):
        xl.write_text(ws.cell(row=row, column=1), label)
        cell = ws.cell(row=row, column=2)
        if name == "unused_choice":
            value = report.unused_choice
            xl.write_text(cell, str(UnusedChoice(value).label) if value else "")
            if editable:
                xl.add_list_validation(ws, cell.coordinate, list(xl.choice_labels(UnusedChoice)))
        else:
            xl.write_text(cell, getattr(report, name))
        xl.write_text(ws.cell(row=row, column=3), help_text)
        ws.cell(row=row, column=3).alignment = xl.WRAP_TOP
        if editable:
            xl.mark_input([cell], wrap=True)
        else:
            cell.alignment = xl.WRAP_TOP
    ws.row_dimensions[xl.HEADER_FIRST_ROW + 2].height = 120
    xl.set_column_widths(ws, [36, 70, 50])
    xl.protect_sheet(ws)


def _write_part_sheet(ws: Worksheet, part: Part, lines: list[Any], editable: bool) -> None:
    xl.write_part_top(ws, title=part.title, note=_note(editable),
                      headings=[column.heading for column in part.columns])
    for offset, line in enumerate(lines):
        row = xl.FIRST_LINE_ROW + offset
        for i, column in enumerate(part.columns, start=1):
            cell = ws.cell(row=row, column=i)
            if column.kind == FIXED_ID:
                xl.write_whole_number(cell, line.pk)
            elif column.kind == FIXED_TEXT:
                xl.write_text(cell, line_label(part.key, line))
                cell.alignment = xl.WRAP_TOP
            elif column.kind in (FIXED_AMOUNT, AMOUNT):
                xl.write_amount(cell, getattr(line, column.key))
            elif column.kind == PERSONS:
                xl.write_whole_number(cell, getattr(line, column.key))
            elif column.kind == CHOICE:
                value = getattr(line, column.key)
                xl.write_text(cell, str(column.choices(value).label) if value else "")
            else:
                xl.write_text(cell, getattr(line, column.key))
            if editable and column.kind in INPUT_KINDS:
                xl.mark_input([cell], wrap=column.kind == TEXT)
    if editable and lines:
        last = xl.FIRST_LINE_ROW + len(lines) - 1
        for i, column in enumerate(part.columns, start=1):
            letter = get_column_letter(i)
            cells = f"{letter}{xl.FIRST_LINE_ROW}:{letter}{last}"
            if column.kind == PERSONS:
                xl.add_whole_number_validation(ws, cells, minimum=0, maximum=rules.MAX_PERSONS)
            elif column.kind == AMOUNT:
                xl.add_whole_number_validation(ws, cells, minimum=0,
                                               maximum=int(rules.MAX_AMOUNT))
            elif column.kind == CHOICE:
                xl.add_list_validation(ws, cells, list(xl.choice_labels(column.choices)))
    if not lines:
        xl.write_text(ws.cell(row=xl.FIRST_LINE_ROW, column=2),
                      _("Ingen linjer i denne delen er innvilget."))
    xl.set_column_widths(ws, [c.width for c in part.columns])
    ws.freeze_panes = "C4"
    ws.page_setup.orientation = "landscape"
    xl.protect_sheet(ws)


def _write_account_sheet(ws: Worksheet, report: Report, parts: tuple[Part, ...]) -> None:
    xl.write_title(ws["A1"], _("Regnskap"))
    xl.write_text(ws["A2"], _("Regnes ut av Excel mens du fyller ut; portalen regner ut "
                              "regnskapet på nytt fra linjene når filen lastes opp."))
    xl.write_headings(ws, xl.HEADING_ROW, [_("Post"), _("Beløp (kr)")])
    first = xl.FIRST_LINE_ROW
    used_terms = []
    for part in parts:
        lines = part_lines(report, part)
        if not lines:
            continue
        column = next(i for i, c in enumerate(part.columns, start=1) if c.key == "amount_used")
        letter = get_column_letter(column)
        last = first + len(lines) - 1
        used_terms.append(f"SUM({formula_ref(str(part.sheet))}!{letter}{first}:{letter}{last})")
    rows = [
        (_("Innvilget tilskudd"), None, report.granted_total),
        (_("Overført fra i fjor"), None, report.transferred_in),
        (_("Brukt"), "=" + ("+".join(used_terms) or "0"), None),
        (_("Ubrukt"), f"=B{first}+B{first + 1}-B{first + 2}", None),
    ]
    for row, (label, formula, amount) in enumerate(rows, start=first):
        xl.write_text(ws.cell(row=row, column=1), label)
        cell = ws.cell(row=row, column=2)
        if formula:
            xl.write_formula(cell, formula)
            cell.number_format = xl.AMOUNT_FORMAT
        else:
            xl.write_amount(cell, amount)
    ws.cell(row=first + 3, column=1).font = Font(bold=True)
    xl.set_column_widths(ws, [30, 20])
    xl.protect_sheet(ws)
