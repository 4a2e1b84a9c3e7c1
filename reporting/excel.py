"""The report as a prefilled Excel template, and a filled-in template back into the report.

The workbook has a header sheet ("Rapport", with the report's ID in B9 and as a workbook
property), one sheet per part ("Kompetanse", "BPA", "Prosjekter") whose rows are the lines
of the decision, fixed and identified by their ID in column A, and a "Regnskap" sheet.
Input cells are yellow and unlocked; numbers have data validation. An upload is read
whole; every problem is reported by sheet and cell, and only a file without problems is
saved, by one call to services.report_update, so nothing is stored from a broken file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellError, CellReader, ExcelFileError, SheetData
from tilskudd.models import User
from tilskudd.money import format_nok

from . import rules, services
from .models import (
    Continuation,
    GoalAchievement,
    ProjectStatus,
    Report,
    UnusedChoice,
)

SHEET_HEADER = "Rapport"
SHEET_ACCOUNT = "Regnskap"
#: The workbook property that ties a file to its report.
REPORT_PROPERTY = "tilskudd.rapport"

TITLE_ROW, NOTE_ROW, HEADING_ROW, FIRST_LINE_ROW = 1, 2, 3, 4
FACTS_FIRST_ROW = 3
ID_ROW, ID_COLUMN = 9, 2
HEADER_HEADING_ROW = 11
HEADER_FIRST_ROW = 12

TEXT, PERSONS, AMOUNT, CHOICE, FIXED_ID, FIXED_TEXT, FIXED_AMOUNT = (
    "text", "persons", "amount", "choice", "id", "fixed_text", "fixed_amount")
INPUT_KINDS = {TEXT, PERSONS, AMOUNT, CHOICE}


@dataclass(frozen=True)
class Column:
    key: str  # a field of the report line, or what a fixed column shows
    heading: str
    kind: str
    width: float
    choices: type[models.TextChoices] | None = None
    what: str = ""


@dataclass(frozen=True)
class Part:
    key: str  # the keyword of services.report_update
    sheet: str
    title: str
    related_name: str
    columns: tuple[Column, ...]


def _parts() -> tuple[Part, ...]:
    line_id = Column("id", _("Linje-ID (ikke endre)"), FIXED_ID, 12)
    granted = Column("granted", _("Innvilget (kr)"), FIXED_AMOUNT, 16)
    used = Column("amount_used", _("Brukt (kr)"), AMOUNT, 16)
    return (
        Part("competence", "Kompetanse", _("Kompetansetiltak"), "competence_lines", (
            line_id,
            Column("label", _("Tiltak"), FIXED_TEXT, 48),
            granted,
            Column("completed", _("Fullført utdanning (antall)"), PERSONS, 14),
            Column("still_studying", _("Studerer fortsatt (antall)"), PERSONS, 14),
            Column("stopped", _("Avbrutt (antall)"), PERSONS, 14),
            used,
        )),
        Part("bpa", "BPA", _("BPA-opplæring"), "bpa_lines", (
            line_id,
            Column("label", _("Målgruppe"), FIXED_TEXT, 40),
            granted,
            Column("trained", _("Antall opplært"), PERSONS, 14),
            used,
        )),
        Part("projects", "Prosjekter", _("Tjenesteutviklingsprosjekter"), "projects", (
            line_id,
            Column("label", _("Prosjekt"), FIXED_TEXT, 36),
            granted,
            Column("status", _("Status"), CHOICE, 18, ProjectStatus, _("status")),
            Column("goal_achievement", _("Måloppnåelse"), CHOICE, 24, GoalAchievement,
                   _("måloppnåelse")),
            Column("results", _("Resultater"), TEXT, 60),
            Column("continues", _("Videreføres i ordinær drift"), CHOICE, 16, Continuation,
                   _("svar")),
            used,
        )),
    )


def _header_rows() -> list[tuple[str, str, str]]:
    """(field, label, help) of the header sheet's input rows."""
    return [
        ("unused_choice", _("Ubrukte midler"),
         _("Velg fra listen hvis noe av tilskuddet er ubrukt.")),
        ("transfer_reason", _("Begrunnelse for overføring"),
         _("Fylles ut hvis du søker om å overføre ubrukte midler.")),
        ("text_report", _("Tekstrapport"),
         _("Hva tilskuddet er brukt til, og hva det har gitt tjenestene og brukerne.")),
    ]


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {str(label): value for value, label in choices.choices}


def _line_label(part: str, line) -> str:
    source = line.source
    if part == "competence":
        text = source.get_education_type_display()
        return f"{text}: {source.description}" if source.description else text
    if part == "bpa":
        return source.get_role_display()
    return source.title


def _lines(report: Report, part: Part) -> list[Any]:
    return list(getattr(report, part.related_name).all())


# --- export -------------------------------------------------------------------------


def export_filename(report: Report) -> str:
    """KKT-2026-Trondheim-rapport.xlsx: plain ASCII, safe in any browser."""
    name = report.application.organisation.name.split(" - ")[0]
    for suffix in (" fylkeskommune", " kommune"):
        name = name.removesuffix(suffix)
    for nordic, plain in (("æ", "ae"), ("ø", "o"), ("å", "aa"),
                          ("Æ", "Ae"), ("Ø", "O"), ("Å", "Aa")):
        name = name.replace(nordic, plain)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = "-".join("".join(c if c.isalnum() else " " for c in name).split()) or "rapport"
    rnd = report.application.round
    return f"{rnd.scheme.code.upper()}-{rnd.year}-{name}-rapport.xlsx"


def export_report(report: Report) -> bytes:
    """The report as a template prefilled with the decision and what is stored now."""
    editable = report.is_editable
    wb, ws = xl.new_workbook(SHEET_HEADER)
    xl.set_property(wb, REPORT_PROPERTY, str(report.pk))
    _write_header_sheet(ws, report, editable)
    parts = _parts()
    for part in parts:
        _write_part_sheet(wb.create_sheet(part.sheet), part, _lines(report, part), editable)
    _write_account_sheet(wb.create_sheet(SHEET_ACCOUNT), report, parts)
    wb.active = 0
    return xl.workbook_bytes(wb)


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
    xl.write_title(ws["A1"], _("Rapport om %(scheme)s %(year)s")
                   % {"scheme": rnd.scheme.name, "year": rnd.year})
    xl.write_text(ws["A2"], _note(editable))
    facts = [
        (_("Tilskuddsmottaker"), org.name),
        (_("Organisasjonsnummer"), org.org_number or "–"),
        (_("Tilskudd"), f"{rnd.scheme.name} {rnd.year}"),
        (_("Statsforvalter"), org.county.office.name),
        (_("Innvilget"), format_nok(report.granted_total)),
        (_("Krever revisorattestasjon"), xl.YES if report.auditor_required else xl.NO),
    ]
    for row, (label, value) in enumerate(facts, start=FACTS_FIRST_ROW):
        xl.write_text(ws.cell(row=row, column=1), str(label)).font = Font(bold=True)
        xl.write_text(ws.cell(row=row, column=2), str(value))
    xl.write_text(ws.cell(row=ID_ROW, column=1), _("Rapport-ID (ikke endre)")).font = Font(
        bold=True)
    xl.write_whole_number(ws.cell(row=ID_ROW, column=ID_COLUMN), report.pk).alignment = (
        Alignment(horizontal="left"))

    for column, heading in enumerate([_("Opplysninger i rapporten"), _("Svar"), _("Hjelp")],
                                     start=1):
        xl.write_text(ws.cell(row=HEADER_HEADING_ROW, column=column), heading)
    xl.style_header(ws[HEADER_HEADING_ROW])
    for row, (name, label, help_text) in enumerate(_header_rows(), start=HEADER_FIRST_ROW):
        xl.write_text(ws.cell(row=row, column=1), label)
        cell = ws.cell(row=row, column=2)
        if name == "unused_choice":
            value = report.unused_choice
            xl.write_text(cell, str(UnusedChoice(value).label) if value else "")
            if editable:
                xl.add_list_validation(ws, cell.coordinate, list(_labels(UnusedChoice)))
        else:
            xl.write_text(cell, getattr(report, name))
        xl.write_text(ws.cell(row=row, column=3), help_text)
        ws.cell(row=row, column=3).alignment = xl.WRAP_TOP
        if editable:
            xl.mark_input([cell], wrap=True)
        else:
            cell.alignment = xl.WRAP_TOP
    ws.row_dimensions[HEADER_FIRST_ROW + 2].height = 120
    xl.set_column_widths(ws, [36, 70, 50])
    xl.protect_sheet(ws)


def _write_part_sheet(ws: Worksheet, part: Part, lines: list[Any], editable: bool) -> None:
    xl.write_title(ws.cell(row=TITLE_ROW, column=1), part.title)
    xl.write_text(ws.cell(row=NOTE_ROW, column=1), _note(editable))
    for i, column in enumerate(part.columns, start=1):
        xl.write_text(ws.cell(row=HEADING_ROW, column=i), column.heading)
    xl.style_header(ws[HEADING_ROW])
    ws.row_dimensions[HEADING_ROW].height = 48
    for offset, line in enumerate(lines):
        row = FIRST_LINE_ROW + offset
        for i, column in enumerate(part.columns, start=1):
            cell = ws.cell(row=row, column=i)
            if column.kind == FIXED_ID:
                xl.write_whole_number(cell, line.pk)
            elif column.kind == FIXED_TEXT:
                xl.write_text(cell, _line_label(part.key, line))
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
        last = FIRST_LINE_ROW + len(lines) - 1
        for i, column in enumerate(part.columns, start=1):
            letter = get_column_letter(i)
            cells = f"{letter}{FIRST_LINE_ROW}:{letter}{last}"
            if column.kind == PERSONS:
                xl.add_whole_number_validation(ws, cells, minimum=0, maximum=rules.MAX_PERSONS)
            elif column.kind == AMOUNT:
                xl.add_whole_number_validation(ws, cells, minimum=0,
                                               maximum=int(rules.MAX_AMOUNT))
            elif column.kind == CHOICE:
                xl.add_list_validation(ws, cells, list(_labels(column.choices)))
    if not lines:
        xl.write_text(ws.cell(row=FIRST_LINE_ROW, column=2),
                      _("Ingen linjer i denne delen er innvilget."))
    xl.set_column_widths(ws, [c.width for c in part.columns])
    ws.freeze_panes = "C4"
    ws.page_setup.orientation = "landscape"
    xl.protect_sheet(ws)


def _write_account_sheet(ws: Worksheet, report: Report, parts: tuple[Part, ...]) -> None:
    xl.write_title(ws["A1"], _("Regnskap"))
    xl.write_text(ws["A2"], _("Regnes ut av Excel mens du fyller ut; portalen regner ut "
                              "regnskapet på nytt fra linjene når filen lastes opp."))
    for column, heading in enumerate([_("Post"), _("Beløp (kr)")], start=1):
        xl.write_text(ws.cell(row=HEADING_ROW, column=column), heading)
    xl.style_header(ws[HEADING_ROW])
    used_terms = []
    for part in parts:
        lines = _lines(report, part)
        if not lines:
            continue
        column = next(i for i, c in enumerate(part.columns, start=1) if c.key == "amount_used")
        letter = get_column_letter(column)
        last = FIRST_LINE_ROW + len(lines) - 1
        used_terms.append(f"SUM({part.sheet}!{letter}{FIRST_LINE_ROW}:{letter}{last})")
    rows = [
        (_("Innvilget tilskudd"), None, report.granted_total),
        (_("Overført fra i fjor"), None, report.transferred_in),
        (_("Brukt"), "=" + ("+".join(used_terms) or "0"), None),
        (_("Ubrukt"), f"=B{FIRST_LINE_ROW}+B{FIRST_LINE_ROW + 1}-B{FIRST_LINE_ROW + 2}", None),
    ]
    for row, (label, formula, amount) in enumerate(rows, start=FIRST_LINE_ROW):
        xl.write_text(ws.cell(row=row, column=1), label)
        cell = ws.cell(row=row, column=2)
        if formula:
            xl.write_formula(cell, formula)
            cell.number_format = xl.AMOUNT_FORMAT
        else:
            xl.write_amount(cell, amount)
    ws.cell(row=FIRST_LINE_ROW + 3, column=1).font = Font(bold=True)
    xl.set_column_widths(ws, [30, 20])
    xl.protect_sheet(ws)


# --- import -------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an upload gave: either errors (and nothing saved) or the saved report."""

    errors: list[CellError] = field(default_factory=list)
    report: Report | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def expected_sheets() -> list[str]:
    return [SHEET_HEADER, *(part.sheet for part in _parts()), SHEET_ACCOUNT]


def import_report(*, report: Report, user: User, uploaded_file: Any) -> ImportResult:
    """Fill the report from an uploaded template. Raises ServiceError when the
    report may not be changed (sent in, or the user is not a member)."""
    services.ensure_editable(report=report, user=user)
    parts = _parts()
    try:
        with xl.open_upload(uploaded_file) as wb:
            header = xl.read_sheet(wb, SHEET_HEADER, max_col=3,
                                   max_row=HEADER_FIRST_ROW + len(_header_rows()))
            wrong_file = _check_identity(wb, header, report)
            if wrong_file:
                return ImportResult(errors=[wrong_file])
            sheet_errors = _check_sheets(wb)
            sheets = {part.key: xl.read_sheet(wb, part.sheet, max_col=len(part.columns))
                      for part in parts}
    except ExcelFileError as exc:
        return ImportResult(errors=[exc.as_cell_error()])

    reader = CellReader()
    reader.errors.extend(sheet_errors)
    header_values = _read_header(reader, header)
    values = {part.key: _read_part(reader, sheets[part.key], part, _lines(report, part))
              for part in parts}
    if reader.errors:
        return ImportResult(errors=reader.errors)
    saved = services.report_update(report=report, user=user, header=header_values,
                                   source="excel", **values)
    return ImportResult(report=saved)


def _check_identity(wb: Workbook, header: SheetData | None, report: Report) -> CellError | None:
    """The file must be this report's own template: its ID is a workbook property and
    the cell B9 on the header sheet."""
    found = set()
    prop = xl.get_property(wb, REPORT_PROPERTY)
    if prop is not None and prop.strip():
        found.add(prop.strip())
    if header is not None:
        value = header.cell(ID_ROW, ID_COLUMN).value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is not None and str(value).strip():
            found.add(str(value).strip())
    if not found:
        return CellError(SHEET_HEADER, f"{get_column_letter(ID_COLUMN)}{ID_ROW}", _(
            "Filen mangler rapportens ID og er ikke en rapportmal fra portalen. Last ned "
            "Excel-malen fra rapporten og fyll ut den."))
    if found != {str(report.pk)}:
        return CellError("", "", _(
            "Filen gjelder et annet tilskudd (en annen rapport). Last ned Excel-malen fra "
            "denne rapporten og fyll ut den."))
    return None


def _check_sheets(wb: Workbook) -> list[CellError]:
    expected = expected_sheets()
    errors = [
        CellError(title, "", _("arket mangler i filen. Last ned malen på nytt fra portalen."))
        for title in expected if title not in wb.sheetnames
    ]
    errors += [
        CellError(title, "", _("arket hører ikke til rapportmalen. Ikke legg til eller gi "
                               "nytt navn til ark."))
        for title in wb.sheetnames if title not in expected and title != xl.LISTS_SHEET
    ]
    return errors


def _read_header(reader: CellReader, sheet: SheetData | None) -> dict[str, Any] | None:
    if sheet is None:
        return None
    hint = _("Ikke flytt, slett eller sett inn rader.")
    rows = _header_rows()
    labels_ok = [reader.expect_label(sheet.cell(row, 1), label, hint=hint)
                 for row, (_name, label, _help) in enumerate(rows, start=HEADER_FIRST_ROW)]
    if not all(labels_ok):
        return None
    values: dict[str, Any] = {}
    for row, (name, _label, _help) in enumerate(rows, start=HEADER_FIRST_ROW):
        cell = sheet.cell(row, 2)
        if name == "unused_choice":
            values[name] = reader.choice(cell, _labels(UnusedChoice), what=_("valg")) or ""
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
    reader: CellReader, sheet: SheetData | None, part: Part, lines: list[Any]
) -> list[dict[str, Any]] | None:
    """The values of each line, found by the ID in column A. A row that is not one of the
    report's lines (added), a line with no row (removed), or a line twice is refused."""
    if sheet is None:
        return None
    hint = _("Ikke flytt, slett eller sett inn kolonner.")
    headings_ok = [reader.expect_label(sheet.cell(HEADING_ROW, i), column.heading, hint=hint)
                   for i, column in enumerate(part.columns, start=1)]
    if not all(headings_ok):
        return None
    by_id = {line.pk: line for line in lines}
    columns = range(1, len(part.columns) + 1)
    input_columns = [i for i, c in enumerate(part.columns, start=1) if c.kind in INPUT_KINDS]
    seen: dict[int, int] = {}
    values: list[dict[str, Any]] = []
    last = sheet.last_row_with_content()
    for row in range(FIRST_LINE_ROW, max(last, FIRST_LINE_ROW + len(lines) - 1) + 1):
        id_cell = sheet.cell(row, 1)
        if sheet.row_is_blank(row, columns):
            continue
        line_id = _row_id(id_cell)
        if not lines and row == FIRST_LINE_ROW and sheet.row_is_blank(row, input_columns) \
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
        values.append(_read_line(reader, sheet, part, row, line_id))
    for offset, line in enumerate(lines):
        if line.pk not in seen:
            reader.error(sheet.cell(FIRST_LINE_ROW + offset, 1), _(
                "linjen «%(label)s» (linje-ID %(id)d) mangler. Ikke slett rader; last ned "
                "malen på nytt om du har gjort det.")
                % {"label": _line_label(part.key, line), "id": line.pk})
    return values


def _read_line(
    reader: CellReader, sheet: SheetData, part: Part, row: int, line_id: int
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": line_id}
    for i, column in enumerate(part.columns, start=1):
        cell = sheet.cell(row, i)
        if column.kind == PERSONS:
            data[column.key] = reader.whole_number(cell, minimum=0, maximum=rules.MAX_PERSONS)
        elif column.kind == AMOUNT:
            number = reader.whole_number(cell, minimum=0, maximum=int(rules.MAX_AMOUNT))
            data[column.key] = None if number is None else Decimal(number)
        elif column.kind == CHOICE:
            data[column.key] = reader.choice(cell, _labels(column.choices),
                                             what=column.what) or ""
        elif column.kind == TEXT:
            data[column.key] = reader.text(cell, max_length=rules.MAX_TEXT_LENGTH)
    return data
