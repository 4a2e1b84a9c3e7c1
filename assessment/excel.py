"""The Excel export of an office's round, for the office and the directorate: one row per
line (organisation, county, part, applied, recommended, granted) and a summary sheet with
a row per part (and, while a change request recommended for approval waits, a note under
them on why a part's «Innstilt, venter» may be negative). openpyxl in write-only mode, so a
national round streams in small memory."""

from __future__ import annotations

import io

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from applications.models import (
    Application,
    ApplicationStatus,
    CompetenceLine,
    Project,
    Submission,
    bpa_persons,
)
from tilskudd.documents.excel import set_column_widths
from tilskudd.documents.excel.streaming import amount_cell as _amount
from tilskudd.documents.excel.streaming import flat_text as _flat
from tilskudd.documents.excel.streaming import header_cells as _header
from tilskudd.documents.excel.streaming import text_cell as _text
from tilskudd.granted import current_grants
from tilskudd.models import OfficeBudget, OrganisationKind

from .amounts import LINE_MODELS
from .choices import Outcome
from .documents import competence_label
from .models import AssessmentStatus, Part
from .pot import pot_summary

LINE_HEADERS = [
    gettext_lazy("Referanse"), gettext_lazy("Organisasjon"), gettext_lazy("Org.nr."),
    gettext_lazy("Type"), gettext_lazy("Fylke"), gettext_lazy("Del"), gettext_lazy("Tiltak"),
    gettext_lazy("Søkt (kr)"), gettext_lazy("Innstilt (kr)"), gettext_lazy("Innvilget (kr)"),
    gettext_lazy("Status"), gettext_lazy("Begrunnelse"),
]
LINE_WIDTHS = [22, 36, 12, 22, 24, 18, 50, 14, 14, 14, 24, 50]
SUMMARY_HEADERS = [
    gettext_lazy("Del"), gettext_lazy("Søkt (kr)"),
    gettext_lazy("Foreslått, under behandling (kr)"), gettext_lazy("Innstilt, venter (kr)"),
    gettext_lazy("Innvilget (kr)"),
]
SUMMARY_WIDTHS = [28, 16, 24, 20, 16]
#: under the summary's parts while a change request recommended for approval waits, as the
#: pot page says it (the same catalogue entry): a part's «Innstilt, venter» may be negative
CHANGES_WAITING_NOTE = gettext_lazy(
    "«Innstilt, venter» regner med endringssøknader som er innstilt til innvilgelse: det de "
    "flytter til en del, står der som et tillegg, og det de flytter fra en del, som et fradrag "
    "(minus). «Vedtatt» og «Igjen» står som vedtatt til endringen er avgjort."
)


#: what each part's rows read (.values(): no model instances), besides the shared fields
_PART_FIELDS = {
    Part.COMPETENCE: ("education_type", "description", "employees"),
    Part.BPA: ("role", "persons"),
    Part.PROJECTS: ("title", "topic"),
}
_SHARED_FIELDS = (
    "pk", "application_id", "amount", "reference", "application__organisation__name",
    "application__organisation__org_number", "application__organisation__kind",
    "application__organisation__county__name", "line_assessment__id",
    "line_assessment__recommended", "line_assessment__granted",
    "line_assessment__justification", "line_assessment__assessment__status",
    "line_assessment__assessment__outcome",
)


def _applications(budget: OfficeBudget) -> QuerySet[Application]:
    """The office's submitted applications in the budget's round."""
    return Application.objects.filter(
        round_id=budget.round_id, organisation__county__office_id=budget.office_id,
        status=ApplicationStatus.SUBMITTED,
    )


def _lines(budget: OfficeBudget, part: str):
    """The part's lines of the office's submitted applications as flat dicts, streamed."""
    reference = Subquery(
        Submission.objects.filter(application=OuterRef("application"), withdrawn_at__isnull=True)
        .values("reference")[:1]
    )
    return (
        LINE_MODELS[part].objects.filter(application__in=_applications(budget))
        .annotate(reference=reference)
        .order_by("application__organisation__name", "pk")
        .values(*_SHARED_FIELDS, *_PART_FIELDS[part])
        .iterator(chunk_size=2000)
    )


def _labels(choices) -> dict[str, str]:
    """A choice field's labels, translated once for the whole export."""
    return {value: str(label) for value, label in choices}


class _Labels:
    """Every label a row needs, resolved once (not get_FOO_display and gettext per cell)."""

    def __init__(self) -> None:
        self.kinds = _labels(OrganisationKind.choices)
        self.parts = _labels(Part.choices)
        self.education = _labels(CompetenceLine._meta.get_field("education_type").choices)
        self.topics = _labels(Project._meta.get_field("topic").choices)
        self.statuses = _labels(AssessmentStatus.choices)
        self.outcomes = _labels(Outcome.choices)
        self.not_started = _("Ikke påbegynt")
        self.bpa: dict[tuple[str, int], str] = {}

    def status(self, row: dict) -> str:
        if row["line_assessment__id"] is None:
            return self.not_started
        status = row["line_assessment__assessment__status"]
        if status == AssessmentStatus.DECIDED:
            return self.outcomes.get(row["line_assessment__assessment__outcome"], "")
        return self.statuses[status]

    def line(self, part: str, row: dict) -> str:
        """As assessment.documents.line_label names it (a project's title alone before a
        case is opened)."""
        assessed = row["line_assessment__id"] is not None
        if part == Part.COMPETENCE:
            kind = self.education.get(row["education_type"], row["education_type"])
            return competence_label(kind, row["description"], row["employees"])
        if part == Part.BPA:
            key = (row["role"], row["persons"])
            if key not in self.bpa:
                self.bpa[key] = bpa_persons(*key)
            return self.bpa[key]
        if not assessed:
            return row["title"]
        return f"{row['title']} ({self.topics.get(row['topic'], row['topic'])})"


def round_workbook(budget: OfficeBudget) -> bytes:
    """The round of one office as .xlsx bytes (one query per part, plus the summary's and
    the changed amounts'), written as it is read: flat rows of plain values, cells only for
    amounts and for text that starts like a formula, so memory stays flat however many
    lines there are. «Innvilget» is what is granted now: the decision's amount, or the
    newest approved change request's (tilskudd.granted), as the summary sums it."""
    wb = Workbook(write_only=True)
    changes = current_grants(_applications(budget).values("pk"))
    ws = wb.create_sheet(_("Linjer"))
    set_column_widths(ws, LINE_WIDTHS)
    ws.freeze_panes = "A2"
    ws.append(_header(ws, LINE_HEADERS))
    labels = _Labels()
    for part in LINE_MODELS:
        part_label = labels.parts[part]
        for row in _lines(budget, part):
            decided = row["line_assessment__assessment__status"] == AssessmentStatus.DECIDED
            granted = changes.get(row["application_id"], {}).get(
                (part, row["pk"]), row["line_assessment__granted"])
            ws.append([
                _flat(ws, row["reference"]),
                _flat(ws, row["application__organisation__name"]),
                _flat(ws, row["application__organisation__org_number"]),
                labels.kinds.get(row["application__organisation__kind"]),
                _flat(ws, row["application__organisation__county__name"]),
                part_label, _flat(ws, labels.line(part, row)), _amount(ws, row["amount"]),
                _amount(ws, row["line_assessment__recommended"]),
                _amount(ws, granted if decided else None),
                labels.status(row), _flat(ws, row["line_assessment__justification"]),
            ])

    summary = pot_summary(budget)
    ws2 = wb.create_sheet(_("Sammendrag"))
    set_column_widths(ws2, SUMMARY_WIDTHS)
    ws2.append([_text(ws2, _("%(office)s, %(scheme)s %(year)s") % {
        "office": budget.office.name, "scheme": budget.round.scheme.name,
        "year": budget.round.year})])
    ws2.append([])
    ws2.append(_header(ws2, SUMMARY_HEADERS))
    for row in summary.parts:
        ws2.append([_text(ws2, row.label), _amount(ws2, row.applied), _amount(ws2, row.proposed),
                    _amount(ws2, row.recommended), _amount(ws2, row.granted)])
    ws2.append([
        _text(ws2, _("Sum")), _amount(ws2, summary.applied), _amount(ws2, summary.proposed),
        _amount(ws2, summary.recommended), _amount(ws2, summary.approved),
    ])
    if summary.changes_waiting:  # a part's «Innstilt, venter» may be negative: say why
        ws2.append([_text(ws2, CHANGES_WAITING_NOTE)])
    ws2.append([])
    ws2.append([_text(ws2, _("Ramme")), _amount(ws2, summary.pot)])
    for earmark in summary.earmarks:
        ws2.append([_text(ws2, _("Øremerket: %(name)s") % {"name": earmark.name}),
                    _amount(ws2, earmark.amount)])
    ws2.append([_text(ws2, _("Vedtatt")), _amount(ws2, summary.approved)])
    ws2.append([_text(ws2, _("Igjen av rammen")), _amount(ws2, summary.remaining)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
