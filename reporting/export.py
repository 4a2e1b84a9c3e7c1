"""The office's (or, for the directorate, the nation's) reports as one Excel workbook:
completed education summed by type, BPA training summed by role, and one row per report."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from applications.models import BpaRole, EducationType
from tilskudd.documents import excel as xl

from .models import Report, ReportBpaLine, ReportCompetenceLine, ReportStatus

#: Figures are summed over reports that have been sent (and perhaps approved).
COUNTED_STATUSES = [ReportStatus.SUBMITTED, ReportStatus.APPROVED]
HEADING_ROW, FIRST_ROW = 3, 4


def export_filename() -> str:
    return f"rapporter-{timezone.localdate():%Y-%m-%d}.xlsx"


def _headings(ws, headings) -> None:
    for column, heading in enumerate(headings, start=1):
        xl.write_text(ws.cell(row=HEADING_ROW, column=column), heading)
    xl.style_header(ws[HEADING_ROW])


def _total_row(ws, row: int, columns: range) -> None:
    xl.write_text(ws.cell(row=row, column=1), _("Sum")).font = Font(bold=True)
    for column in columns:
        letter = ws.cell(row=FIRST_ROW, column=column).column_letter
        cell = ws.cell(row=row, column=column)
        xl.write_formula(cell, f"=SUM({letter}{FIRST_ROW}:{letter}{row - 1})")
        cell.number_format = xl.AMOUNT_FORMAT
        cell.font = Font(bold=True)


def export_reports(reports: QuerySet[Report]) -> bytes:
    counted = reports.filter(status__in=COUNTED_STATUSES)
    wb, ws = xl.new_workbook("Utdanning")
    note = _("Summert over %(count)d innsendte eller godkjente rapporter. Laget %(at)s.") % {
        "count": counted.count(),
        "at": timezone.localtime().strftime("%d.%m.%Y %H:%M"),
    }

    xl.write_title(ws["A1"], _("Fullført utdanning etter type"))
    xl.write_text(ws["A2"], note)
    _headings(ws, [_("Utdanningstype"), _("Linjer"), _("Fullført"), _("Studerer fortsatt"),
                   _("Avbrutt"), _("Innvilget (kr)"), _("Brukt (kr)")])
    rows = {
        row["source__education_type"]: row
        for row in ReportCompetenceLine.objects.filter(report__in=counted)
        .values("source__education_type")
        .annotate(lines=Count("pk"), completed=Sum("completed"),
                  still=Sum("still_studying"), stopped=Sum("stopped"),
                  granted=Sum("granted"), used=Sum("amount_used"))
    }
    for offset, (value, label) in enumerate(EducationType.choices):
        row = rows.get(value, {})
        r = FIRST_ROW + offset
        xl.write_text(ws.cell(row=r, column=1), str(label))
        xl.write_whole_number(ws.cell(row=r, column=2), row.get("lines") or 0)
        xl.write_whole_number(ws.cell(row=r, column=3), row.get("completed") or 0)
        xl.write_whole_number(ws.cell(row=r, column=4), row.get("still") or 0)
        xl.write_whole_number(ws.cell(row=r, column=5), row.get("stopped") or 0)
        xl.write_amount(ws.cell(row=r, column=6), row.get("granted") or Decimal(0))
        xl.write_amount(ws.cell(row=r, column=7), row.get("used") or Decimal(0))
    _total_row(ws, FIRST_ROW + len(EducationType.choices), range(2, 8))
    xl.set_column_widths(ws, [52, 10, 12, 16, 12, 16, 16])

    ws = wb.create_sheet("BPA")
    xl.write_title(ws["A1"], _("BPA-opplæring etter målgruppe"))
    xl.write_text(ws["A2"], note)
    _headings(ws, [_("Målgruppe"), _("Linjer"), _("Antall opplært"), _("Innvilget (kr)"),
                   _("Brukt (kr)")])
    rows = {
        row["source__role"]: row
        for row in ReportBpaLine.objects.filter(report__in=counted)
        .values("source__role")
        .annotate(lines=Count("pk"), trained=Sum("trained"), granted=Sum("granted"),
                  used=Sum("amount_used"))
    }
    for offset, (value, label) in enumerate(BpaRole.choices):
        row = rows.get(value, {})
        r = FIRST_ROW + offset
        xl.write_text(ws.cell(row=r, column=1), str(label))
        xl.write_whole_number(ws.cell(row=r, column=2), row.get("lines") or 0)
        xl.write_whole_number(ws.cell(row=r, column=3), row.get("trained") or 0)
        xl.write_amount(ws.cell(row=r, column=4), row.get("granted") or Decimal(0))
        xl.write_amount(ws.cell(row=r, column=5), row.get("used") or Decimal(0))
    _total_row(ws, FIRST_ROW + len(BpaRole.choices), range(2, 6))
    xl.set_column_widths(ws, [36, 10, 16, 16, 16])

    ws = wb.create_sheet("Rapporter")
    xl.write_title(ws["A1"], _("Rapporter"))
    _headings(ws, [_("Embete"), _("Tilskuddsmottaker"), _("Org.nr."), _("År"), _("Status"),
                   _("Frist"), _("Innvilget (kr)"), _("Overført (kr)"), _("Brukt (kr)"),
                   _("Ubrukt (kr)"), _("Ubrukte midler"), _("Revisorattestasjon kreves")])
    listed = reports.select_related(
        "application__organisation__county__office", "application__round"
    ).order_by("application__organisation__county__office__name",
               "application__organisation__name", "application__round__year")
    for r, report in enumerate(listed, start=FIRST_ROW):
        org = report.application.organisation
        values = [org.county.office.short_name, org.name, org.org_number,
                  str(report.application.round.year), report.get_status_display(),
                  timezone.localtime(report.deadline).strftime("%d.%m.%Y %H:%M")]
        for column, value in enumerate(values, start=1):
            xl.write_text(ws.cell(row=r, column=column), value)
        for column, amount in enumerate(
            [report.granted_total, report.transferred_in, report.used_total, report.unused],
            start=7,
        ):
            xl.write_amount(ws.cell(row=r, column=column), amount)
        xl.write_text(ws.cell(row=r, column=11),
                      report.get_unused_choice_display() if report.unused_choice
                      and report.unused > 0 else "")
        xl.write_yes_no(ws.cell(row=r, column=12), report.auditor_required)
    xl.set_column_widths(ws, [22, 34, 12, 8, 24, 18, 16, 14, 14, 14, 44, 14])
    ws.freeze_panes = "C4"
    return xl.workbook_bytes(wb)
