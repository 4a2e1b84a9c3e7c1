"""The layout of a report's workbook, shared by the export (excel_export.py) and the
import (excel_import.py): the sheets and each part's columns with their kinds. The rows
(title, facts, the ID in B9, headings, lines) are those of every owner's workbook, in
tilskudd.documents.excel.parts.

The workbook has a header sheet ("Rapport", with the report's ID in B9 and as a workbook
property), one sheet per part ("Kompetanse", "BPA", "Prosjekter") whose rows are the lines
of the decision, fixed and identified by their ID in column A, and a "Regnskap" sheet; the
sheets are named in the workbook's language (the import finds them in any:
tilskudd.documents.excel.sheets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from tilskudd.documents import excel as xl

from . import rules
from .models import Continuation, GoalAchievement, ProjectStatus, Report

SHEET_HEADER = pgettext_lazy("Excel sheet", "Rapport")
SHEET_ACCOUNT = pgettext_lazy("Excel sheet", "Regnskap")
#: The workbook property that ties a file to its report.
REPORT_PROPERTY = "tilskudd.rapport"

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
    #: added since the first templates: a file from before, without the column at all
    #: (no heading, no values), is read without it and leaves the field as stored
    added_later: bool = False


@dataclass(frozen=True)
class Part:
    key: str  # the keyword of services.report_update
    sheet: Any  # a lazy translation
    title: str
    related_name: str
    columns: tuple[Column, ...]


def _part(key: str, sheet: Any, title: str, related_name: str, *, label: str,
          label_width: float, own: tuple[Column, ...], after: tuple[Column, ...] = ()) -> Part:
    """Every part's sheet has the same frame: the line's ID in column A (how the import
    finds the line), what the line is, what was granted, the part's own columns, and what
    was used (the account sheet adds that column up); then `after`, columns added since
    the first templates, so the columns of the older ones keep their letters."""
    return Part(key, sheet, title, related_name, (
        Column("id", _("Linje-ID (ikke endre)"), FIXED_ID, 12),
        Column("label", label, FIXED_TEXT, label_width),
        Column("granted", _("Innvilget (kr)"), FIXED_AMOUNT, 16),
        *own,
        Column("amount_used", _("Brukt (kr)"), AMOUNT, 16),
        *after,
    ))


def report_parts() -> tuple[Part, ...]:
    return (
        _part("competence", xl.SHEET_COMPETENCE, _("Kompetansetiltak"),
              "competence_lines",
              label=_("Tiltak"), label_width=48, own=(
                  Column("completed", _("Fullført utdanning (antall)"), PERSONS, 14),
                  Column("still_studying", _("Studerer fortsatt (antall)"), PERSONS, 14),
                  Column("stopped", _("Avbrutt (antall)"), PERSONS, 14),
              ), after=(
                  # the web form's explanation, when the three counts are not the line's
                  # persons (rules.persons_mismatch)
                  Column("persons_explanation",
                         _("Forklaring på antall personer (bare hvis de tre antallene til "
                           "sammen ikke er antallet linjen gjelder)"), TEXT, 48,
                         added_later=True),
              )),
        _part("bpa", xl.SHEET_BPA, _("BPA-opplæring"), "bpa_lines",
              label=_("Målgruppe"),
              label_width=40, own=(Column("trained", _("Antall opplært"), PERSONS, 14),)),
        _part("projects", xl.SHEET_PROJECTS,
              _("Tjenesteutviklingsprosjekter"), "projects",
              label=_("Prosjekt"), label_width=36, own=(
                  Column("status", _("Status"), CHOICE, 18, ProjectStatus, _("status")),
                  Column("goal_achievement", _("Måloppnåelse"), CHOICE, 24, GoalAchievement,
                         _("måloppnåelse")),
                  Column("results", _("Resultater"), TEXT, 60),
                  Column("continues", _("Videreføres i ordinær drift"), CHOICE, 16,
                         Continuation, _("svar")),
              )),
    )


def header_rows() -> list[tuple[str, str, str]]:
    """(field, label, help) of the header sheet's input rows."""
    return [
        ("unused_choice", _("Ubrukte midler"),
         _("Velg fra listen hvis noe av tilskuddet er ubrukt.")),
        ("transfer_reason", _("Begrunnelse for overføring"),
         _("Fylles ut hvis du søker om å overføre ubrukte midler.")),
        ("text_report", _("Tekstrapport"),
         _("Hva tilskuddet er brukt til, og hva det har gitt tjenestene og brukerne.")),
    ]


def line_label(part: str, line) -> str:
    """A line as the workbook names it («Videreutdanning / master: Psykisk helse»)."""
    return rules.line_name(part, line, described="%(name)s: %(description)s")


def part_lines(report: Report, part: Part) -> list[Any]:
    return list(getattr(report, part.related_name).all())
