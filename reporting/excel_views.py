"""The report as an Excel file: the template to download (prefilled with what is saved)
and the upload that fills the report from it, with every cell error listed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.documents.excel import CONTENT_TYPE, MAX_UPLOAD_BYTES
from tilskudd.errors import ServiceError
from tilskudd.uploads import note_refused_uploads

from . import selectors, services
from .excel import export_filename, export_report, import_report
from .forms import ExcelUploadForm

#: Errors listed after an Excel upload; the first ones show the way.
MAX_ERRORS_SHOWN = 200


@login_required
@require_GET
@never_cache
def excel_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    response = HttpResponse(export_report(report), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(report))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def excel_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    refusal = ""
    try:
        services.ensure_editable(report=report, user=request.user)
    except ServiceError as error:
        refusal = error.message
    # Bound on every POST, even one whose only file the upload handler dropped.
    posted = request.method == "POST"
    form = ExcelUploadForm(request.POST, request.FILES) if posted else ExcelUploadForm()
    note_refused_uploads(request, form, max_bytes=MAX_UPLOAD_BYTES)
    errors: list[str] = []
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            result = import_report(report=report, user=request.user,
                                   uploaded_file=form.cleaned_data["file"])
        except ServiceError as error:
            refusal = error.message
        else:
            if result.ok:
                messages.success(request, _("Rapporten er fylt ut fra Excel-filen."))
                return redirect("reporting:edit", pk=report.pk)
            errors = [str(error) for error in result.errors]
    return render(request, "reporting/excel_upload.html", {
        "report": report,
        "form": form,
        "refusal": refusal,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
        "error_count": len(errors),
    }, status=422 if errors else 200)
