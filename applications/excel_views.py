"""Download an application as Excel, and fill a draft from an uploaded Excel file.

Only members of the organisation reach either view; everyone else gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.documents.excel import CONTENT_TYPE, MAX_UPLOAD_BYTES
from tilskudd.errors import ServiceError
from tilskudd.uploads import note_refused_uploads

from . import selectors
from .excel import ensure_importable, export_application, export_filename, import_application

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Filen du lastet ned fra denne søknaden, høyst %(mb)d MB. Ingenting lagres før "
            "hele filen er gyldig; da erstatter linjene i filen linjene i utkastet."
        ) % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}


@login_required
@require_GET
@never_cache
def download(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    response = HttpResponse(export_application(application), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(application))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    refusal = ""
    try:
        ensure_importable(application)
    except ServiceError as exc:
        refusal = exc.message
    posted = request.method == "POST"
    # Bound on every POST, even an empty one, so a missing file is reported.
    form = ExcelUploadForm(request.POST, request.FILES) if posted else ExcelUploadForm()
    note_refused_uploads(request, form, max_bytes=MAX_UPLOAD_BYTES)
    errors = []
    if posted and not refusal and form.is_valid():
        try:
            result = import_application(
                application=application, user=request.user,
                uploaded_file=form.cleaned_data["file"])
        except ServiceError as exc:
            refusal = exc.message
        else:
            if result.ok:
                messages.success(request, _("Søknaden er fylt ut fra Excel-filen."))
                return redirect("applications:edit", pk=application.pk)
            errors = [str(error) for error in result.errors]
    return render(request, "applications/excel_upload.html", {
        "application": application,
        "form": form,
        "refusal": refusal,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
        "error_count": len(errors),
    })
