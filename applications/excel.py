"""The application as an Excel workbook, and a filled-in workbook back into the draft.

The workbook has a header sheet ("Søknad"), one sheet per part ("Kompetanse", "BPA",
"Prosjekter") and a "Sum" sheet. Import reads the whole file first and collects every
problem with its sheet and cell; only a file without problems is saved, by one call to
services.application_update, so the draft is changed all at once or not at all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellError, CellReader, ExcelFileError, SheetData
from tilskudd.models import User

from . import rules, services
from .models import (
    PROJECT_CRITERIA,
    Application,
    BpaLine,
    BpaRole,
    CompetenceLine,
    EducationType,
    Project,
    ProjectTopic,
)
from .selectors import live_submission
from .snapshot import totals

SHEET_HEADER = "Søknad"
SHEET_TOTALS = "Sum"
#: The workbook property that ties a file to its application.
APPLICATION_PROPERTY = "tilskudd.soknad"

# Line sheets: title, a note, the column headings, then the lines.
TITLE_ROW, NOTE_ROW, HEADING_ROW, FIRST_LINE_ROW = 1, 2, 3, 4
# Header sheet: title, note, facts about the application, then the header fields.
FACTS_FIRST_ROW = 3
ID_ROW = 9
HEADER_HEADING_ROW = 11
HEADER_FIRST_ROW = 12
#: Empty BPA rows offered: three target groups, rarely more than a line or two each.
BPA_INPUT_ROWS = 10

TEXT, PERSONS, AMOUNT, YES_NO, CHOICE = "text", "persons", "amount", "yes_no", "choice"


@dataclass(frozen=True)
class Column:
    field: str
    label: Any  # a lazy translation
    kind: str
    width: float
    max_length: int = 0
    choices: type[models.TextChoices] | None = None
    what: Any = ""  # the noun in "ukjent <what>"
    required: bool = False

    @property
    def heading(self) -> str:
        text = capfirst(str(self.label))
        return f"{text} ({xl.YES}/{xl.NO})" if self.kind == YES_NO else text


@dataclass(frozen=True)
class Part:
    key: str  # the keyword of services.application_update
    sheet: str
    title: Any
    model: type[models.Model]
    related_name: str
    columns: tuple[Column, ...]
    max_lines: int
    input_rows: int
    freeze: str


def _label(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name).verbose_name


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length or rules.MAX_TEXT_LENGTH


def _yes_no(model: type[models.Model], name: str) -> Column:
    return Column(name, _label(model, name), YES_NO, 16)


def _amount(model: type[models.Model]) -> Column:
    return Column("amount", _label(model, "amount"), AMOUNT, 16, required=True)


def _parts() -> tuple[Part, ...]:
    competence = Part(
        "competence", "Kompetanse", _("Kompetansetiltak"), CompetenceLine, "competence_lines",
        (
            Column("education_type", _label(CompetenceLine, "education_type"), CHOICE, 42,
                   choices=EducationType, what=_("utdanningstype"), required=True),
            Column("description", _label(CompetenceLine, "description"), TEXT, 44,
                   max_length=_max_length(CompetenceLine, "description")),
            Column("employees", _label(CompetenceLine, "employees"), PERSONS, 12, required=True),
            _amount(CompetenceLine),
            _yes_no(CompetenceLine, "is_mental_health"),
            _yes_no(CompetenceLine, "is_decentralised"),
            _yes_no(CompetenceLine, "in_supported_programme"),
        ),
        max_lines=rules.MAX_LINES_PER_PART, input_rows=rules.MAX_LINES_PER_PART, freeze="A4",
    )
    bpa = Part(
        "bpa", "BPA", _("BPA-opplæring"), BpaLine, "bpa_lines",
        (
            Column("role", _label(BpaLine, "role"), CHOICE, 32, choices=BpaRole,
                   what=_("målgruppe"), required=True),
            Column("persons", _label(BpaLine, "persons"), PERSONS, 14, required=True),
            _amount(BpaLine),
        ),
        max_lines=rules.MAX_LINES_PER_PART, input_rows=BPA_INPUT_ROWS, freeze="A4",
    )
    projects = Part(
        "projects", "Prosjekter", _("Tjenesteutviklingsprosjekter"), Project, "projects",
        (
            Column("title", _label(Project, "title"), TEXT, 30,
                   max_length=_max_length(Project, "title"), required=True),
            _yes_no(Project, "is_continuation"),
            Column("topic", _label(Project, "topic"), CHOICE, 34, choices=ProjectTopic,
                   what=_("tema"), required=True),
            _amount(Project),
            *(Column(name, label, TEXT, 48, max_length=_max_length(Project, name))
              for name, label in PROJECT_CRITERIA),
        ),
        max_lines=rules.MAX_PROJECTS, input_rows=rules.MAX_PROJECTS, freeze="B4",
    )
    return competence, bpa, projects


def _header_fields() -> list[tuple[str, models.Field]]:
    return [(name, Application._meta.get_field(name)) for name in services.HEADER_FIELDS]


def _header_kind(model_field: models.Field) -> str:
    if isinstance(model_field, models.BooleanField):
        return YES_NO
    if isinstance(model_field, models.DecimalField):
        return AMOUNT
    return TEXT


def _header_help(model_field: models.Field) -> str:
    kind = _header_kind(model_field)
    parts = [str(model_field.help_text)] if model_field.help_text else []
    if kind == AMOUNT:
        parts.append(_("Helt antall kroner."))
    elif kind == YES_NO:
        parts.append(_("Ja eller Nei."))
    return " ".join(parts)


def _choice_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {str(label): value for value, label in choices.choices}


def _column_range(column: int, rows: int) -> str:
    letter = get_column_letter(column)
    return f"{letter}{FIRST_LINE_ROW}:{letter}{FIRST_LINE_ROW + rows - 1}"


# --- export -------------------------------------------------------------------------


def export_filename(application: Application) -> str:
    """KKT-2027-Trondheim-soknad.xlsx: plain ASCII, safe in any browser."""
    name = application.organisation.name.split(" - ")[0]
    for suffix in (" fylkeskommune", " kommune"):
        name = name.removesuffix(suffix)
    for nordic, plain in (("æ", "ae"), ("ø", "o"), ("å", "aa"),
                          ("Æ", "Ae"), ("Ø", "O"), ("Å", "Aa")):
        name = name.replace(nordic, plain)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = "-".join("".join(c if c.isalnum() else " " for c in name).split()) or "soknad"
    rnd = application.round
    return f"{rnd.scheme.code.upper()}-{rnd.year}-{name}-soknad.xlsx"


def export_application(application: Application) -> bytes:
    """The application (draft or submitted) as an .xlsx workbook."""
    editable = application.is_editable
    wb, ws = xl.new_workbook(SHEET_HEADER)
    xl.set_property(wb, APPLICATION_PROPERTY, str(application.pk))
    _write_header_sheet(ws, application, editable)
    parts = _parts()
    for part in parts:
        lines = list(getattr(application, part.related_name).all())
        _write_part_sheet(wb.create_sheet(part.sheet), part, lines, editable)
    _write_totals_sheet(wb.create_sheet(SHEET_TOTALS), application, parts)
    wb.active = 0
    return xl.workbook_bytes(wb)


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
    xl.write_title(ws["A1"], _("Søknad om %(scheme)s %(year)s")
                   % {"scheme": rnd.scheme.name, "year": rnd.year})
    xl.write_text(ws["A2"], _note(editable))
    facts = [
        (_("Søker"), org.name),
        (_("Organisasjonsnummer"), org.org_number or "–"),
        (_("Søknadsrunde"), f"{rnd.scheme.name} {rnd.year}"),
        (_("Mottaker"), org.county.office.name),
        (_("Status"), application.get_status_display()),
        (_("Referansenummer"), submission.reference if submission else ""),
    ]
    for row, (label, value) in enumerate(facts, start=FACTS_FIRST_ROW):
        xl.write_text(ws.cell(row=row, column=1), str(label)).font = Font(bold=True)
        xl.write_text(ws.cell(row=row, column=2), str(value))
    xl.write_text(ws.cell(row=ID_ROW, column=1), _("Søknads-ID (ikke endre)")).font = Font(
        bold=True)
    xl.write_whole_number(ws.cell(row=ID_ROW, column=2), application.pk).alignment = (
        Alignment(horizontal="left"))

    headings = [_("Opplysninger i søknaden"), _("Svar"), _("Hjelp")]
    for column, heading in enumerate(headings, start=1):
        xl.write_text(ws.cell(row=HEADER_HEADING_ROW, column=column), heading)
    xl.style_header(ws[HEADER_HEADING_ROW])
    for row, (name, model_field) in enumerate(_header_fields(), start=HEADER_FIRST_ROW):
        xl.write_text(ws.cell(row=row, column=1), capfirst(str(model_field.verbose_name)))
        ws.cell(row=row, column=1).alignment = xl.WRAP_TOP
        cell = ws.cell(row=row, column=2)
        value = getattr(application, name)
        kind = _header_kind(model_field)
        if kind == AMOUNT:
            xl.write_amount(cell, value)
        elif kind == YES_NO:
            xl.write_yes_no(cell, value)
        else:
            xl.write_text(cell, value)
        xl.write_text(ws.cell(row=row, column=3), _header_help(model_field))
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
    xl.write_title(ws.cell(row=TITLE_ROW, column=1), str(part.title))
    note = _("Én linje per rad; tomme rader hoppes over. Høyst %(max)d linjer.") % {
        "max": part.max_lines}
    xl.write_text(ws.cell(row=NOTE_ROW, column=1), note if editable else _note(editable))
    for i, column in enumerate(part.columns, start=1):
        xl.write_text(ws.cell(row=HEADING_ROW, column=i), column.heading)
    xl.style_header(ws[HEADING_ROW])
    ws.row_dimensions[HEADING_ROW].height = 48
    rows = max(part.input_rows, len(lines)) if editable else len(lines)
    for offset in range(rows):
        row = FIRST_LINE_ROW + offset
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
            cells = _column_range(i, rows)
            if column.kind == CHOICE:
                xl.add_list_validation(ws, cells, list(_choice_labels(column.choices)))
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
    for column, heading in enumerate(
        [_("Del"), _("Sum i filen (kr)"), _("Lagret i portalen (kr)")], start=1
    ):
        xl.write_text(ws.cell(row=HEADING_ROW, column=column), heading)
    xl.style_header(ws[HEADING_ROW])
    first = FIRST_LINE_ROW
    for row, part in enumerate(parts, start=first):
        amount_column = next(i for i, c in enumerate(part.columns, start=1) if c.kind == AMOUNT)
        letter = get_column_letter(amount_column)
        last = FIRST_LINE_ROW + rules.MAX_LINES_PER_PART - 1  # past any line a part holds
        xl.write_text(ws.cell(row=row, column=1), str(part.title))
        xl.write_formula(ws.cell(row=row, column=2),
                         f"=SUM({part.sheet}!{letter}{FIRST_LINE_ROW}:{letter}{last})")
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


# --- import -------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an upload gave: either errors (and nothing saved) or the saved application."""

    errors: list[CellError] = field(default_factory=list)
    application: Application | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def ensure_importable(application: Application) -> None:
    """Raise a ServiceError if the application may not be changed now."""
    services.require_editable(application)


def import_application(
    *, application: Application, user: User, uploaded_file: Any
) -> ImportResult:
    """Fill the draft from an uploaded workbook. Every problem is reported with its sheet
    and cell, and nothing is saved unless the whole file is valid; then the header is
    set and the lines of the file replace the draft's lines, in one transaction.

    Raises ServiceError when the application may not be changed."""
    ensure_importable(application)
    parts = _parts()
    try:
        with xl.open_upload(uploaded_file) as wb:
            header_sheet = xl.read_sheet(wb, SHEET_HEADER, max_col=2,
                                         max_row=HEADER_FIRST_ROW + len(services.HEADER_FIELDS))
            wrong_file = _check_identity(wb, header_sheet, application)
            if wrong_file:
                return ImportResult(errors=[wrong_file])
            sheets = {part.key: xl.read_sheet(wb, part.sheet, max_col=len(part.columns))
                      for part in parts}
    except ExcelFileError as exc:
        return ImportResult(errors=[exc.as_cell_error()])

    reader = CellReader()
    header = _read_header(reader, header_sheet)
    lines: dict[str, list[tuple[int, dict[str, Any]]] | None] = {
        part.key: _read_part(reader, sheets[part.key], part) for part in parts
    }
    _check_organisation_rules(reader, application, parts, sheets, lines)
    if reader.errors:
        return ImportResult(errors=reader.errors)

    data = {key: [line for _row, line in rows] for key, rows in lines.items()}
    try:
        # One call, so the whole file is saved or nothing; it also drops input kept
        # from earlier invalid form saves of these sections.
        saved = services.application_update(
            application=application, user=user, header=header, source="excel", **data)
    except ValidationError as exc:  # a model rule the reader does not know of
        return ImportResult(errors=[CellError("", "", message) for message in exc.messages])
    return ImportResult(application=saved, counts={k: len(v) for k, v in data.items()})


def _check_identity(
    wb: Workbook, header_sheet: SheetData | None, application: Application
) -> CellError | None:
    """The file must be this application's own (its ID is a workbook property and a
    cell on the header sheet), so nobody fills a draft from another one by mistake."""
    found = set()
    prop = xl.get_property(wb, APPLICATION_PROPERTY)
    if prop is not None and prop.strip():
        found.add(prop.strip())
    if header_sheet is not None:
        value = header_sheet.cell(ID_ROW, 2).value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is not None and str(value).strip():
            found.add(str(value).strip())
    if not found:
        return CellError(SHEET_HEADER, f"B{ID_ROW}", _(
            "Filen mangler søknadens ID. Last ned Excel-filen fra søknaden i portalen og "
            "fyll ut den."))
    if found != {str(application.pk)}:
        return CellError("", "", _(
            "Filen gjelder en annen søknad. Last ned Excel-filen fra denne søknaden og fyll "
            "ut den."))
    return None


def _missing_sheet(reader: CellReader, title: str) -> None:
    reader.error(None, _("arket mangler i filen. Last ned en ny Excel-fil fra portalen."),
                 sheet=title)


def _read_header(reader: CellReader, sheet: SheetData | None) -> dict[str, Any] | None:
    if sheet is None:
        _missing_sheet(reader, SHEET_HEADER)
        return None
    hint = _("Ikke flytt, slett eller sett inn rader.")
    fields = _header_fields()
    labels_ok = [
        reader.expect_label(sheet.cell(row, 1), capfirst(str(f.verbose_name)), hint=hint)
        for row, (_name, f) in enumerate(fields, start=HEADER_FIRST_ROW)
    ]
    if not all(labels_ok):
        return None
    header: dict[str, Any] = {}
    for row, (name, model_field) in enumerate(fields, start=HEADER_FIRST_ROW):
        cell = sheet.cell(row, 2)
        kind = _header_kind(model_field)
        if kind == YES_NO:
            header[name] = reader.yes_no(cell)
        elif kind == AMOUNT:
            number = reader.whole_number(cell, minimum=0, maximum=int(rules.MAX_HEADER_AMOUNT))
            header[name] = Decimal(number or 0)
        else:
            text = reader.text(cell, max_length=model_field.max_length or rules.MAX_TEXT_LENGTH)
            if text and isinstance(model_field, models.EmailField):
                try:
                    validate_email(text)
                except ValidationError:
                    reader.error(cell, _("er ikke en gyldig e-postadresse"))
            header[name] = text
    return header


def _read_value(reader: CellReader, cell: xl.RawCell, column: Column) -> Any:
    if column.kind == TEXT:
        return reader.text(cell, max_length=column.max_length, required=column.required)
    if column.kind == PERSONS:
        return reader.whole_number(cell, minimum=0, maximum=rules.MAX_PERSONS, required=True)
    if column.kind == YES_NO:
        return reader.yes_no(cell)
    if column.kind == CHOICE:
        return reader.choice(cell, _choice_labels(column.choices), what=str(column.what),
                             required=column.required)
    number = reader.whole_number(cell, minimum=0, required=True)
    if number is None:
        return None
    amount = Decimal(number)
    message = rules.amount_error(amount)
    if message:
        reader.error(cell, message)
    return amount


def _read_part(
    reader: CellReader, sheet: SheetData | None, part: Part
) -> list[tuple[int, dict[str, Any]]] | None:
    if sheet is None:
        _missing_sheet(reader, part.sheet)
        return None
    hint = _("Ikke flytt, slett eller sett inn kolonner.")
    headings_ok = [
        reader.expect_label(sheet.cell(HEADING_ROW, i), column.heading, hint=hint)
        for i, column in enumerate(part.columns, start=1)
    ]
    if not all(headings_ok):
        return None
    columns = range(1, len(part.columns) + 1)
    lines: list[tuple[int, dict[str, Any]]] = []
    for row in range(FIRST_LINE_ROW, sheet.max_row + 1):
        if sheet.row_is_blank(row, columns):
            continue
        if len(lines) == part.max_lines:
            if part.key == "projects":
                message = rules.too_many_projects_message()
            else:
                message = _("Høyst %(max)d linjer per del.") % {"max": part.max_lines}
            reader.error(sheet.cell(row, 1), message)
            break
        line = {column.field: _read_value(reader, sheet.cell(row, i), column)
                for i, column in enumerate(part.columns, start=1)}
        lines.append((row, line))
    return lines


def _check_organisation_rules(
    reader: CellReader, application: Application, parts: tuple[Part, ...],
    sheets: dict[str, SheetData | None], lines: dict[str, Any],
) -> None:
    """County municipalities may apply only for competence measures in mental health."""
    if not rules.mental_health_only(application.organisation.kind):
        return
    by_key = {part.key: part for part in parts}
    competence = by_key["competence"]
    column = 1 + [c.field for c in competence.columns].index("is_mental_health")
    for row, line in lines["competence"] or []:
        if not line["is_mental_health"]:
            reader.error(sheets["competence"].cell(row, column),
                         str(rules.MENTAL_HEALTH_ONLY_MESSAGES["competence"]))
    for key in ("bpa", "projects"):
        message = str(rules.MENTAL_HEALTH_ONLY_MESSAGES[key])
        if lines[key]:
            first_row = lines[key][0][0]
            reader.error(sheets[key].cell(first_row, 1), message)
