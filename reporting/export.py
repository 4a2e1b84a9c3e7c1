"""The office's (or, for the directorate, the nation's) reports as one Excel workbook:
completed education summed by type, BPA training summed by role, and one row per report."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
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


def _sums(model, counted: QuerySet[Report], by: str, **sums) -> dict[str, dict]:
    """The lines of the counted reports summed by `by` (a choice of the application's
    line): their number, `sums`, and what was granted and used."""
    return {
        row[by]: row
        for row in model.objects.filter(report__in=counted).values(by).annotate(
            lines=Count("pk"), granted=Sum("granted"), used=Sum("amount_used"), **sums)
    }


def _summary_sheet(ws, *, title: str, note: str, headings: list, rows: dict[str, dict],
                   choices: list, counts: list[str], widths: list[int]) -> None:
    """One row per choice: the `counts` as whole numbers, then granted and used, and a
    total row."""
    xl.write_title(ws["A1"], title)
    xl.write_text(ws["A2"], note)
    _headings(ws, headings)
    for r, (value, label) in enumerate(choices, start=FIRST_ROW):
        row = rows.get(value, {})
        xl.write_text(ws.cell(row=r, column=1), str(label))
        for column, key in enumerate(counts, start=2):
            xl.write_whole_number(ws.cell(row=r, column=column), row.get(key) or 0)
        for column, key in enumerate(["granted", "used"], start=2 + len(counts)):
            xl.write_amount(ws.cell(row=r, column=column), row.get(key) or Decimal(0))
    _total_row(ws, FIRST_ROW + len(choices), range(2, 4 + len(counts)))
    xl.set_column_widths(ws, widths)


def export_reports(reports: QuerySet[Report]) -> bytes:
    counted = reports.filter(status__in=COUNTED_STATUSES)
    wb, ws = xl.new_workbook(_("Utdanning"))
    note = _("Summert over %(count)d innsendte eller godkjente rapporter. Laget %(at)s.") % {
        "count": counted.count(),
        "at": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
    }

    _summary_sheet(
        ws, title=_("Fullført utdanning etter type"), note=note,
        headings=[_("Utdanningstype"), _("Linjer"), _("Fullført"), _("Studerer fortsatt"),
                  _("Avbrutt"), _("Innvilget (kr)"), _("Brukt (kr)")],
        rows=_sums(ReportCompetenceLine, counted, "source__education_type",
                   completed=Sum("completed"), still=Sum("still_studying"),
                   stopped=Sum("stopped")),
        choices=EducationType.choices, counts=["lines", "completed", "still", "stopped"],
        widths=[52, 10, 12, 16, 12, 16, 16],
    )
    _summary_sheet(
        wb.create_sheet("BPA"), title=_("BPA-opplæring etter målgruppe"), note=note,
        headings=[_("Målgruppe"), _("Linjer"), _("Antall opplært"), _("Innvilget (kr)"),
                  _("Brukt (kr)")],
        rows=_sums(ReportBpaLine, counted, "source__role", trained=Sum("trained")),
        choices=BpaRole.choices, counts=["lines", "trained"], widths=[36, 10, 16, 16, 16],
    )

    ws = wb.create_sheet(_("Rapporter"))
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
