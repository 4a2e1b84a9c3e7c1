"""The report as an Excel file: the template to download (prefilled with what is saved)
and the upload that fills the report from it, with every cell error listed: the shared
Excel pages (tilskudd.excel_pages) in the report's words.

Only members of the organisation reach either view; everyone else gets 404."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tilskudd.excel_pages import ExcelPages, ExcelWords

from . import excel_layout as layout
from . import selectors, services
from .excel import export_filename, export_report, import_report

WORDS = ExcelWords(
    heading=_("Fyll ut rapporten fra Excel"),
    download=_("Last ned rapportmalen (Excel)"),
    download_note=_("den inneholder linjene fra vedtaket og det som er lagret i rapporten nå."),
    steps=(
        # Translators: the names of the workbook's sheets, as the export names them.
        _("Fyll ut de gule feltene i arkene «%(header)s», «%(competence)s», «%(bpa)s» og "
          "«%(projects)s». Ikke legg til, slett eller flytt rader."),
        _("Last opp filen her. Det du har fylt ut i filen, erstatter det som står i rapporten."),
    ),
    help_text=_("Filen du lastet ned fra denne rapporten, høyst %(mb)d MB. Ingenting lagres "
                "før hele filen er gyldig."),
    submit=_("Last opp og fyll ut rapporten"),
    back=_("Tilbake til rapporten"),
    done=_("Rapporten er fylt ut fra Excel-filen."),
    header_sheet=layout.SHEET_HEADER,
)

REPORT_EXCEL = ExcelPages(
    owner_for_member=selectors.report_for_member, words=WORDS,
    export=export_report, filename=export_filename,
    ensure_importable=lambda report, user: services.ensure_editable(report=report, user=user),
    do_import=lambda report, user, uploaded: import_report(
        report=report, user=user, uploaded_file=uploaded),
    download_url=lambda report: reverse("reporting:excel_download", args=[report.pk]),
    page_url=lambda report: reverse("reporting:edit", args=[report.pk]),
    lead=lambda report: (f"{report.application.organisation.name} – "
                         f"{report.application.round.title}"),
    error_status=422,
)
