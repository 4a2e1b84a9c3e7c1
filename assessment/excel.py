"""The Excel export of an office's round, for the office and the directorate: one row per
line (organisation, county, part, applied, recommended, granted) and a summary sheet with
a row per part. openpyxl in write-only mode, so a national round streams in small memory."""

from __future__ import annotations

import io

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from applications.models import ApplicationStatus, Submission
from tilskudd.documents.excel import set_column_widths
from tilskudd.documents.excel.streaming import amount_cell as _amount
from tilskudd.documents.excel.streaming import header_cells as _header
from tilskudd.documents.excel.streaming import text_cell as _text
from tilskudd.models import OfficeBudget

from .amounts import LINE_MODELS
from .documents import line_label
from .models import AssessmentStatus, LineAssessment, Part
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


def _lines(budget: OfficeBudget, model):
    reference = Subquery(
        Submission.objects.filter(application=OuterRef("application"), withdrawn_at__isnull=True)
        .values("reference")[:1]
    )
    return (
        model.objects.filter(
            application__round_id=budget.round_id,
            application__organisation__county__office_id=budget.office_id,
            application__status=ApplicationStatus.SUBMITTED,
        )
        .select_related("application__organisation__county", "line_assessment__assessment")
        .annotate(reference=reference)
        .order_by("application__organisation__name", "pk")
    )


def _line_status(la: LineAssessment | None) -> str:
    if la is None:
        return _("Ikke påbegynt")
    assessment = la.assessment
    if assessment.status == AssessmentStatus.DECIDED:
        return assessment.get_outcome_display()
    return assessment.get_status_display()


def round_workbook(budget: OfficeBudget) -> bytes:
    """The round of one office as .xlsx bytes (one query per part, plus the summary's)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Linjer"))
    set_column_widths(ws, LINE_WIDTHS)
    ws.freeze_panes = "A2"
    ws.append(_header(ws, LINE_HEADERS))
    for part, model in LINE_MODELS.items():
        for line in _lines(budget, model):
            la = getattr(line, "line_assessment", None)
            org = line.application.organisation
            label = line_label(la) if la else str(line)
            decided = la is not None and la.assessment.status == AssessmentStatus.DECIDED
            ws.append([
                _text(ws, line.reference), _text(ws, org.name), _text(ws, org.org_number),
                _text(ws, org.get_kind_display()), _text(ws, org.county.name),
                _text(ws, Part(part).label), _text(ws, label), _amount(ws, line.amount),
                _amount(ws, la.recommended if la else None),
                _amount(ws, la.granted if decided else None),
                _text(ws, _line_status(la)), _text(ws, la.justification if la else ""),
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
