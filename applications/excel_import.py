"""A filled-in workbook back into the draft. Import reads the whole file first and
collects every problem with its sheet and cell; only a file without problems is saved, by
one call to services.application_update, so the draft is changed all at once or not at
all."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellError, CellReader, ExcelFileError, ImportResult, SheetData
from tilskudd.documents.excel.sheets import find_sheet
from tilskudd.models import User

from . import rules, services
from .excel_layout import (
    AMOUNT,
    APPLICATION_PROPERTY,
    CHOICE,
    PERSONS,
    SHEET_HEADER,
    TEXT,
    YES_NO,
    Column,
    Part,
    header_fields,
    header_kind,
    workbook_parts,
)
from .models import Application


def ensure_importable(application: Application) -> None:
    """Raise a ServiceError if the application may not be changed now."""
    services.require_editable(application)


def import_application(
    *, application: Application, user: User, uploaded_file: Any
) -> ImportResult:
    """`_import_application` in the language the file's labels are in (a template
    downloaded in English reads in a bokmål session); its messages are in it too."""
    ensure_importable(application)
    with translation.override(xl.upload_language(uploaded_file, _labels_in_language)):
        return _import_application(
            application=application, user=user, uploaded_file=uploaded_file)


def _labels_in_language(wb: Workbook) -> bool:
    labels = [capfirst(str(f.verbose_name)) for _name, f in header_fields()]
    return xl.has_labels(wb, find_sheet(wb, SHEET_HEADER), labels, first_row=xl.HEADER_FIRST_ROW)


def _import_application(
    *, application: Application, user: User, uploaded_file: Any
) -> ImportResult:
    """Fill the draft from an uploaded workbook. Every problem is reported with its sheet
    and cell, and nothing is saved unless the whole file is valid; then the header is
    set and the lines of the file replace the draft's lines, in one transaction.

    Raises ServiceError when the application may not be changed."""
    ensure_importable(application)
    parts = workbook_parts()
    try:
        with xl.open_upload(uploaded_file) as wb:
            header_sheet = xl.read_sheet(wb, find_sheet(wb, SHEET_HEADER), max_col=2,
                                         max_row=xl.HEADER_FIRST_ROW + len(services.HEADER_FIELDS))
            wrong_file = _check_identity(wb, header_sheet, application)
            if wrong_file:
                return ImportResult(errors=[wrong_file])
            sheets = xl.read_parts(wb, parts)
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
    return ImportResult(saved=saved, counts={k: len(v) for k, v in data.items()})


def _check_identity(
    wb: Workbook, header_sheet: SheetData | None, application: Application
) -> CellError | None:
    """The file must be this application's own (its ID is a workbook property and a
    cell on the header sheet), so nobody fills a draft from another one by mistake."""
    return xl.check_owner(
        wb, header_sheet, owner_property=APPLICATION_PROPERTY,
        header_sheet=find_sheet(wb, SHEET_HEADER),
        owner_id=application.pk,
        missing=_("Filen mangler søknadens ID. Last ned Excel-filen fra søknaden i portalen "
                  "og fyll ut den."),
        other=_("Filen gjelder en annen søknad. Last ned Excel-filen fra denne søknaden og "
                "fyll ut den."))


def _missing_sheet(reader: CellReader, name: Any) -> None:
    """The sheet `name` (lazy) is not in the file: named as the file's language names it."""
    reader.error(None, _("arket mangler i filen. Last ned en ny Excel-fil fra portalen."),
                 sheet=str(name))


def _read_header(reader: CellReader, sheet: SheetData | None) -> dict[str, Any] | None:
    if sheet is None:
        _missing_sheet(reader, SHEET_HEADER)
        return None
    hint = _("Ikke flytt, slett eller sett inn rader.")
    fields = header_fields()
    labels_ok = [
        reader.expect_label(sheet.cell(row, 1), capfirst(str(f.verbose_name)), hint=hint)
        for row, (_name, f) in enumerate(fields, start=xl.HEADER_FIRST_ROW)
    ]
    if not all(labels_ok):
        return None
    header: dict[str, Any] = {}
    for row, (name, model_field) in enumerate(fields, start=xl.HEADER_FIRST_ROW):
        cell = sheet.cell(row, 2)
        kind = header_kind(model_field)
        if kind == YES_NO:
            header[name] = reader.yes_no(cell)
        elif kind == AMOUNT:
            number = reader.amount(cell, minimum=0, maximum=int(rules.MAX_HEADER_AMOUNT))
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
        return reader.choice(cell, xl.choice_labels(column.choices), what=str(column.what),
                             required=column.required)
    number = reader.amount(cell, minimum=0, required=True)
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
        reader.expect_label(sheet.cell(xl.HEADING_ROW, i), column.heading, hint=hint)
        for i, column in enumerate(part.columns, start=1)
    ]
    if not all(headings_ok):
        return None
    columns = range(1, len(part.columns) + 1)
    lines: list[tuple[int, dict[str, Any]]] = []
    for row in range(xl.FIRST_LINE_ROW, sheet.max_row + 1):
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
