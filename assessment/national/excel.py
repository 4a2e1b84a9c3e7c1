"""The national export, for the directorate: one workbook across all offices, with a
summary sheet matching the national view and a sheet per part with a row per line.
openpyxl in write-only mode and the lines read as value tuples in chunks, so 40 000 lines
stream in small memory. (The office's own export is assessment.excel.round_workbook.)"""

from __future__ import annotations

import io

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from applications.models import Application, ApplicationStatus, BpaRole, EducationType
from tilskudd.documents.excel import set_column_widths as _widths
from tilskudd.documents.excel.streaming import amount_cell as _amount
from tilskudd.documents.excel.streaming import header_cells as _header
from tilskudd.documents.excel.streaming import text_cell as _text
from tilskudd.granted import CurrentGrants, current_grants
from tilskudd.models import OrganisationKind

from ..amounts import LINE_MODELS, ZERO
from ..models import AssessmentStatus, Part
from .selectors import RECOMMENDED_STATUSES, NationalView, application_filter, status_key
from .tables import status_labels

SUMMARY_SHEET = gettext_lazy("Sammendrag")
LINE_HEADERS = [
    gettext_lazy("Embete"), gettext_lazy("Organisasjon"), gettext_lazy("Org.nr."),
    gettext_lazy("Type"), gettext_lazy("Fylke"), gettext_lazy("Distriktskommune"),
    gettext_lazy("Tiltak"), gettext_lazy("Søkt (kr)"), gettext_lazy("Innstilt (kr)"),
    gettext_lazy("Innvilget (kr)"), gettext_lazy("Status"),
]
LINE_WIDTHS = [22, 36, 12, 22, 24, 14, 50, 14, 14, 14, 20]
#: Where the amounts are on a part's sheet (0-based), for readers of the workbook.
APPLIED, RECOMMENDED, GRANTED = 7, 8, 9
CHUNK = 2000


def sheet_title(part: str) -> str:
    return str(Part(part).label)[:31]


def export_filename(view: NationalView) -> str:
    return f"tildeling-nasjonalt-{view.round.year}-{timezone.localdate():%Y%m%d}.xlsx"


def summary_headers() -> list[str]:
    headers = [_("Embete"), _("Ramme (kr)"), _("Øremerket (kr)")]
    for part in Part:
        headers += [_("%(part)s søkt (kr)") % {"part": part.label},
                    _("%(part)s innstilt (kr)") % {"part": part.label},
                    _("%(part)s innvilget (kr)") % {"part": part.label}]
    return [*headers, _("Søkt i alt (kr)"), _("Innvilget i alt (kr)"), _("Igjen av rammen (kr)"),
            _("Innsendte søknader")]


def _summary(wb: Workbook, view: NationalView) -> None:
    ws = wb.create_sheet(str(SUMMARY_SHEET))
    _widths(ws, [24] + [16] * (len(summary_headers()) - 1))
    ws.append([_text(ws, _("%(scheme)s %(year)s, alle embeter") % {
        "scheme": view.round.scheme.name, "year": view.round.year})])
    ws.append([_text(ws, _("Laget %(at)s.") % {
        "at": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")})])
    ws.append(_header(ws, summary_headers()))
    for figures in [*view.offices, view.total]:
        name = figures.office.short_name if figures.office else _("Sum")
        amounts = [figures.pot, figures.earmarked]
        for part in Part.values:
            amounts += [figures.applied[part], figures.recommended[part], figures.granted[part]]
        amounts += [figures.applied_total, figures.granted_total, figures.remaining]
        ws.append([_text(ws, name), *(_amount(ws, a) for a in amounts),
                   WriteOnlyCell(ws, value=figures.applications)])


class _Labels:
    """The labels of choices, translated once per sheet rather than once per line."""

    def __init__(self) -> None:
        self.kinds = {value: str(label) for value, label in OrganisationKind.choices}
        self.education = {value: str(label) for value, label in EducationType.choices}
        self.roles = {value: str(label) for value, label in BpaRole.choices}
        self.bpa = _("%(role)s: %(persons)d personer")
        self.statuses = status_labels()
        self.yes, self.no = _("Ja"), _("Nei")

    def line(self, part: str, choice: str, text, persons: int) -> str:
        if part == Part.COMPETENCE:
            label = self.education[choice]
            return f"{label}: {text}" if text else label
        if part == Part.BPA:
            return self.bpa % {"role": self.roles[choice], "persons": persons}
        return text


LINE_FIELDS = {
    Part.COMPETENCE: ("education_type", "description", "employees"),
    Part.BPA: ("role", "application_id", "persons"),
    Part.PROJECTS: ("topic", "title", "pk"),
}


def _part_sheet(wb: Workbook, view: NationalView, part: str, changes: CurrentGrants) -> None:
    """A row per line; «Innvilget» is what is granted now (`changes`: the lines an approved
    change request has moved since the decision)."""
    ws = wb.create_sheet(sheet_title(part))
    _widths(ws, LINE_WIDTHS)
    ws.freeze_panes = "A2"
    ws.append(_header(ws, LINE_HEADERS))
    labels = _Labels()
    lines = (
        LINE_MODELS[part].objects.filter(
            application_filter(view.filters, "application__"),
            application__status=ApplicationStatus.SUBMITTED,
        )
        .order_by("application__organisation__county__office__name",
                  "application__organisation__name", "pk")
        .values_list(
            F("application__organisation__county__office__short_name"),
            "application__organisation__name", "application__organisation__org_number",
            "application__organisation__kind", "application__organisation__county__name",
            "application__organisation__is_rural_district", *LINE_FIELDS[part], "amount",
            "line_assessment__recommended", "line_assessment__granted",
            "line_assessment__assessment__status", "line_assessment__assessment__outcome",
            "application__pk", "pk",
        )
    )
    totals = [ZERO, ZERO, ZERO]
    for (office, org, org_number, kind, county, rural, choice, text, persons, applied,
         recommended, granted, status, outcome, application_id, line_id
         ) in lines.iterator(chunk_size=CHUNK):
        recommended = recommended if status in RECOMMENDED_STATUSES else None
        granted = (changes.get(application_id, {}).get((part, line_id), granted)
                   if status == AssessmentStatus.DECIDED else None)
        totals = [totals[0] + applied, totals[1] + (recommended or ZERO),
                  totals[2] + (granted or ZERO)]
        # The choices' labels are ours and go in as they are; names and descriptions
        # are written as text that never runs (write_text).
        ws.append([
            _text(ws, office), _text(ws, org), _text(ws, org_number), labels.kinds[kind],
            _text(ws, county), labels.yes if rural else labels.no,
            _text(ws, labels.line(part, choice, text, persons)),
            _amount(ws, applied), _amount(ws, recommended), _amount(ws, granted),
            labels.statuses[status_key(ApplicationStatus.SUBMITTED, status, outcome)],
        ])
    ws.append([_text(ws, _("Sum")), *([None] * 6), *(_amount(ws, t) for t in totals), None])


def national_workbook(view: NationalView) -> bytes:
    """The view's round across all its offices as .xlsx bytes: the summary (as the view
    shows it) and a sheet per part, one query per part plus the view's and the changed
    amounts' (tilskudd.granted)."""
    wb = Workbook(write_only=True)
    _summary(wb, view)
    changes = current_grants(Application.objects.filter(
        application_filter(view.filters), status=ApplicationStatus.SUBMITTED).values("pk"))
    for part in Part.values:
        _part_sheet(wb, view, part, changes)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
