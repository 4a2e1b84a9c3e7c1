"""The Excel download and upload pages, once for every app that lets a person work in
Excel (applications, reports): the download answers the workbook under a plain name; the
upload page says how, takes the file, and either fills the owner from it or lists every
cell error (nothing is saved then). The app gives its selector, its export and import and
its words:

    APPLICATION_EXCEL = ExcelPages(
        owner_for_member=selectors.application_for_member, words=WORDS,
        export=export_application, filename=export_filename,
        ensure_importable=lambda application, user: ensure_importable(application),
        do_import=lambda application, user, uploaded: import_application(...),
        download_url=..., page_url=...,
    )

The page is templates/documents/excel_upload.html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .documents.excel import (
    CONTENT_TYPE,
    MAX_UPLOAD_BYTES,
    SHEET_BPA,
    SHEET_COMPETENCE,
    SHEET_PROJECTS,
)
from .errors import ServiceError
from .uploads import note_refused_uploads

#: Errors listed on the page; a file can hold hundreds, and the first ones show the way.
MAX_ERRORS_SHOWN = 200


class ExcelUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel-fil (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{CONTENT_TYPE}"}),
        error_messages={
            "required": gettext_lazy("Velg Excel-filen du vil laste opp."),
            "empty": gettext_lazy("Filen er tom."),
        },
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = help_text


@dataclass(frozen=True)
class ExcelWords:
    """What an app's upload page says. `steps` follow the download link (the first step);
    their placeholders %(header)s, %(competence)s, %(bpa)s and %(projects)s take the
    workbook's sheet names (the lazy names the export gives its sheets: the owner's
    `header_sheet` and every workbook's part sheets), so the page names the sheets of the
    workbook downloaded in the same language. The error help names the competence sheet as
    an example."""

    heading: str
    download: str
    download_note: str
    steps: tuple[str, ...]
    help_text: str
    submit: str
    back: str
    done: str
    header_sheet: Any

    def step_texts(self) -> list[str]:
        sheets = {"header": self.header_sheet, "competence": SHEET_COMPETENCE,
                  "bpa": SHEET_BPA, "projects": SHEET_PROJECTS}
        names = {key: str(name) for key, name in sheets.items()}
        return [str(step) % names for step in self.steps]


@dataclass(frozen=True)
class ExcelPages:
    #: the app's selector: the owner if the user may see it, else 404
    owner_for_member: Callable[[Any, int], Any]
    words: ExcelWords
    export: Callable[[Any], bytes]
    filename: Callable[[Any], str]
    #: raises ServiceError when the owner may not be changed now
    ensure_importable: Callable[[Any, Any], None]
    #: (owner, user, uploaded file) -> a result with `ok` and `errors`
    do_import: Callable[[Any, Any, Any], Any]
    download_url: Callable[[Any], str]
    page_url: Callable[[Any], str]
    #: a line under the heading (who and what)
    lead: Callable[[Any], str]
    error_status: int = 200

    @property
    def download_view(self):
        @login_required
        @require_GET
        @never_cache
        def download(request: HttpRequest, pk: int) -> HttpResponse:
            owner = self.owner_for_member(request.user, pk)
            response = HttpResponse(self.export(owner), content_type=CONTENT_TYPE)
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=self.filename(owner))
            return response

        return download

    @property
    def upload_view(self):
        @login_required
        @require_http_methods(["GET", "POST"])
        def upload(request: HttpRequest, pk: int) -> HttpResponse:
            owner = self.owner_for_member(request.user, pk)
            return self._upload(request, owner)

        return upload

    def _upload(self, request: HttpRequest, owner: Any) -> HttpResponse:
        refusal = ""
        try:
            self.ensure_importable(owner, request.user)
        except ServiceError as error:
            refusal = error.message
        posted = request.method == "POST"
        help_text = str(self.words.help_text) % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        # Bound on every POST, even one whose only file the upload handler dropped.
        form = ExcelUploadForm(request.POST if posted else None,
                               request.FILES if posted else None, help_text=help_text)
        note_refused_uploads(request, form, max_bytes=MAX_UPLOAD_BYTES)
        errors: list[str] = []
        if posted and not refusal and form.is_valid():
            try:
                result = self.do_import(owner, request.user, form.cleaned_data["file"])
            except ServiceError as error:
                refusal = error.message
            else:
                if result.ok:
                    messages.success(request, str(self.words.done))
                    return redirect(self.page_url(owner))
                errors = [str(error) for error in result.errors]
        return render(request, "documents/excel_upload.html", {
            "words": self.words,
            "steps": self.words.step_texts(),
            "example_sheet": str(SHEET_COMPETENCE),
            "lead": self.lead(owner),
            "download_url": self.download_url(owner),
            "back_url": self.page_url(owner),
            "form": form,
            "refusal": refusal,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "error_count": len(errors),
        }, status=self.error_status if errors else 200)
