"""Download an application as Excel, and fill a draft from an uploaded Excel file: the
shared Excel pages (tilskudd.excel_pages) in the application's words.

Only members of the organisation reach either view; everyone else gets 404."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tilskudd.excel_pages import ExcelPages, ExcelWords

from . import excel_layout as layout
from . import selectors
from .excel import ensure_importable, export_application, export_filename, import_application

WORDS = ExcelWords(
    heading=_("Fyll ut søknaden fra Excel"),
    download=_("Last ned søknaden som Excel-fil"),
    download_note=_("den inneholder det som er lagret i utkastet nå."),
    steps=(
        # Translators: the names of the workbook's sheets, as the export names them.
        _("Fyll ut de gule feltene i arkene «%(header)s», «%(competence)s», «%(bpa)s» og "
          "«%(projects)s». Ikke flytt eller slett rader og kolonner."),
        _("Last opp filen her. Linjene i filen erstatter linjene i utkastet."),
    ),
    help_text=_(
        "Filen du lastet ned fra denne søknaden, høyst %(mb)d MB. Ingenting lagres før "
        "hele filen er gyldig; da erstatter linjene i filen linjene i utkastet."
    ),
    submit=_("Last opp og fyll ut søknaden"),
    back=_("Tilbake til søknaden"),
    done=_("Søknaden er fylt ut fra Excel-filen."),
    header_sheet=layout.SHEET_HEADER,
)

APPLICATION_EXCEL = ExcelPages(
    owner_for_member=selectors.application_for_member, words=WORDS,
    export=export_application, filename=export_filename,
    ensure_importable=lambda application, user: ensure_importable(application),
    do_import=lambda application, user, uploaded: import_application(
        application=application, user=user, uploaded_file=uploaded),
    download_url=lambda application: reverse("applications:excel_download",
                                             args=[application.pk]),
    page_url=lambda application: reverse("applications:edit", args=[application.pk]),
    lead=lambda application: f"{application.organisation.name} – {application.round.title}",
)
