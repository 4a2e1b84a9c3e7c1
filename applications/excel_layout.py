"""The layout of an application's workbook, shared by the export (excel_export.py) and the
import (excel_import.py): the sheets and each part's columns with their labels, kinds and
bounds taken from the models and the rules. The rows (title, facts, the ID in B9, headings,
lines) are those of every owner's workbook, in tilskudd.documents.excel.parts.

The workbook has a header sheet ("Søknad"), one sheet per part ("Kompetanse", "BPA",
"Prosjekter") and a "Sum" sheet, named in the workbook's language (the import finds them
in any: tilskudd.documents.excel.sheets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl.utils import get_column_letter

from tilskudd.documents import excel as xl

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

SHEET_HEADER = pgettext_lazy("Excel sheet", "Søknad")
SHEET_TOTALS = pgettext_lazy("Excel sheet", "Sum")
#: The workbook property that ties a file to its application.
APPLICATION_PROPERTY = "tilskudd.soknad"

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
    sheet: Any  # a lazy translation
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


def workbook_parts() -> tuple[Part, ...]:
    competence = Part(
        "competence", xl.SHEET_COMPETENCE, _("Kompetansetiltak"),
        CompetenceLine, "competence_lines",
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
        "bpa", xl.SHEET_BPA, _("BPA-opplæring"), BpaLine, "bpa_lines",
        (
            Column("role", _label(BpaLine, "role"), CHOICE, 32, choices=BpaRole,
                   what=_("målgruppe"), required=True),
            Column("persons", _label(BpaLine, "persons"), PERSONS, 14, required=True),
            _amount(BpaLine),
        ),
        max_lines=rules.MAX_LINES_PER_PART, input_rows=BPA_INPUT_ROWS, freeze="A4",
    )
    projects = Part(
        "projects", xl.SHEET_PROJECTS,
        _("Tjenesteutviklingsprosjekter"), Project, "projects",
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


def header_fields() -> list[tuple[str, models.Field]]:
    return [(name, Application._meta.get_field(name)) for name in services.HEADER_FIELDS]


def header_kind(model_field: models.Field) -> str:
    if isinstance(model_field, models.BooleanField):
        return YES_NO
    if isinstance(model_field, models.DecimalField):
        return AMOUNT
    return TEXT


def header_help(model_field: models.Field) -> str:
    kind = header_kind(model_field)
    parts = [str(model_field.help_text)] if model_field.help_text else []
    if kind == AMOUNT:
        parts.append(_("Helt antall kroner."))
    elif kind == YES_NO:
        parts.append(_("Ja eller Nei."))
    return " ".join(parts)


def column_range(column: int, rows: int) -> str:
    letter = get_column_letter(column)
    return f"{letter}{xl.FIRST_LINE_ROW}:{letter}{xl.FIRST_LINE_ROW + rows - 1}"
