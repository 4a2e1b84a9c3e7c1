"""The recipient's pages: "Mine rapporter", the report form (saved as you go), preview and
submit, attachments, the Excel template, and the receipt with its PDF copy.

Views stay thin: they read through selectors, write through services, and answer 404
(never 403) for a report of an organisation the user is not a member of."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors as application_selectors
from tilskudd.attachments import attachment_download_view, find_attachment
from tilskudd.documents.excel import CONTENT_TYPE, MAX_UPLOAD_BYTES
from tilskudd.documents.responses import (
    document_download,
    is_fetch,
    job_state,
)
from tilskudd.errors import ServiceError
from tilskudd.money import format_nok
from tilskudd.receipts import Fact, Link, ReceiptWords, render_receipt
from tilskudd.selectors import memberships_for_user
from tilskudd.uploads import note_refused_uploads

from . import rules, selectors, services
from .excel import export_filename, export_report, import_report
from .forms import PART_FORMS, AttachmentForm, ExcelUploadForm, build_forms
from .models import Report, ReportReceipt, ReportSubmission
from .rules import RuleError
from .snapshot import account, report_snapshot

SECTIONS = ["header", *PART_FORMS]
#: Errors listed after an Excel upload; the first ones show the way.
MAX_ERRORS_SHOWN = 200


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _anchor(error: RuleError) -> str:
    """Where on the report page a broken rule belongs."""
    if error.field == "unused_choice":  # radio buttons: the first one
        return "#id_header-unused_choice_0"
    if error.field and error.line_id is not None:
        return f"#id_{error.section}-{error.line_id}-{error.field}"
    if error.field:
        return f"#id_{error.section}-{error.field}"
    return f"#section-{error.section}"


def _missing(report: Report) -> list[dict[str, str]]:
    return [{"text": e.message, "href": _anchor(e)} for e in rules.check_report(report)]


def _account_texts(report: Report) -> dict[str, str]:
    return {key: format_nok(value) for key, value in account(report).items()}


def _receipt_of(submission: ReportSubmission) -> ReportReceipt | None:
    try:
        return submission.receipt
    except ObjectDoesNotExist:
        return None


JS_TEXTS = {
    "saved": "Sist lagret kl. %(time)s",
    "saved_with_errors": "Sist lagret kl. %(time)s. Noen felt har feil og er ikke lagret.",
    "not_saved": "Ikke lagret. Sjekk nettforbindelsen, eller trykk «Lagre».",
    "pdf_ready": "Last ned PDF-kopi",
    "pdf_sha256": "Kontrollsum (SHA-256)",
    "pdf_failed": "PDF-kopien kunne ikke lages. Last siden på nytt om litt.",
}


def _js_texts() -> dict[str, str]:
    return {key: _(text) for key, text in JS_TEXTS.items()}


# -- "Mine rapporter" --------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_for_user(request.user))
    reports = list(selectors.reports_for_user(request.user))
    waiting = selectors.granted_without_report(
        organisation_ids=[m.organisation_id for m in memberships])
    now = timezone.now()
    return render(request, "reporting/list.html", {
        "rows": [{
            "report": r,
            "live": next((s for s in r.submissions.all() if s.returned_at is None), None),
            "overdue": r.status in selectors.UNSENT_STATUSES and r.deadline_at <= now,
        } for r in reports],
        "waiting": [{"application": a, "open": a.round.reporting_open_at(now)}
                    for a in waiting],
        "now": now,
    })


@login_required
@require_POST
def open_report(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_selectors.application_for_member(request.user, application_id)
    report = services.report_open(application=application, user=request.user)
    return redirect("reporting:edit", pk=report.pk)


# -- The report form --------------------------------------------------------------------


def _error_summary(forms: dict[str, Any]) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    header = forms["header"]
    if header.is_bound:
        for field in header:
            entries += [{"href": f"#{field.auto_id}", "text": f"{field.label}: {e}"}
                        for e in field.errors]
    for section in PART_FORMS:
        for form in forms[section]:
            if not form.is_bound:
                continue
            for field in form:
                entries += [{"href": f"#{field.auto_id}",
                             "text": f"{rules.line_name(section, form.line)}, "
                                     f"{str(field.label)[:1].lower()}{str(field.label)[1:]}: {e}"}
                            for e in field.errors]
    return entries


def _errors_by_name(forms: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    candidates = [forms["header"], *(f for s in PART_FORMS for f in forms[s])]
    for form in candidates:
        if form.is_bound:
            for name, messages_ in form.errors.items():
                errors[form.add_prefix(name)] = [str(m) for m in messages_]
    return errors


def _render_edit(
    request: HttpRequest, report: Report, *, forms: dict[str, Any] | None = None,
    attachment_form: AttachmentForm | None = None, status: int = 200,
) -> HttpResponse:
    forms = forms or build_forms(report)
    membership = selectors.membership_for(request.user, report)
    required_kind = rules.required_attachment_kind(report)
    return render(request, "reporting/edit.html", {
        "report": report,
        "application": report.application,
        "round": report.application.round,
        "organisation": report.application.organisation,
        "header_form": forms["header"],
        "parts": [
            {"key": key, "forms": forms[key]} for key in PART_FORMS
        ],
        "attachment_form": attachment_form or AttachmentForm(required_kind=required_kind),
        "attachments": list(report.attachments.all()),
        "required_kind": required_kind,
        "account": account(report),
        "missing": _missing(report),
        "error_summary": _error_summary(forms) if attachment_form is None else [],
        "may_sign": bool(membership and membership.may_sign),
        "threshold": rules.AUDITOR_THRESHOLD,
        "js_texts": _js_texts(),
    }, status=status)


def _render_sent(request: HttpRequest, report: Report) -> HttpResponse:
    """A report that is sent (or approved) is shown as it was sent, never as a form."""
    submission = selectors.latest_submission(report)
    return render(request, "reporting/sent.html", {
        "report": report,
        "round": report.application.round,
        "submission": submission,
        "content": submission.content if submission else report_snapshot(report),
    })


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    if request.method == "POST":
        return _save(request, report)
    if not report.is_editable:
        return _render_sent(request, report)
    return _render_edit(request, report)


def _save(request: HttpRequest, report: Report) -> HttpResponse:
    """Save every section that is valid; show the others with their errors."""
    forms = build_forms(report, data=request.POST)
    payload: dict[str, Any] = {}
    header = forms["header"]
    if any(key.startswith("header-") for key in request.POST) and header.is_valid():
        payload["header"] = header.section_value()
    for section in PART_FORMS:
        valid = [f for f in forms[section]
                 if any(k.startswith(f"{f.prefix}-") for k in request.POST) and f.is_valid()]
        if valid:
            payload[section] = [f.section_value() for f in valid]
    invalid = bool(_errors_by_name(forms))
    services.report_update(report=report, user=request.user, **payload)
    fresh = selectors.report_for_member(request.user, report.pk)
    if is_fetch(request):
        return JsonResponse({
            "saved": True,
            "saved_at": _clock(fresh.updated_at),
            "errors": _errors_by_name(forms),
            "account": _account_texts(fresh),
            "missing": _missing(fresh),
        })
    if invalid:
        messages.warning(request, _("Noen felt har feil og er ikke lagret. Resten er lagret."))
        return _render_edit(request, fresh, forms=build_forms(fresh, data=request.POST))
    messages.success(request, _("Rapporten er lagret kl. %(time)s.")
                     % {"time": _clock(fresh.updated_at)})
    if request.POST.get("action") == "preview":
        return redirect("reporting:preview", pk=report.pk)
    return redirect("reporting:edit", pk=report.pk)


# -- Preview and submit -----------------------------------------------------------------


def _render_preview(
    request: HttpRequest, report: Report, error: ServiceError | None = None
) -> HttpResponse:
    membership = selectors.membership_for(request.user, report)
    return render(request, "reporting/preview.html", {
        "report": report,
        "round": report.application.round,
        "organisation": report.application.organisation,
        "content": report_snapshot(report),
        "missing": _missing(report),
        "may_sign": bool(membership and membership.may_sign),
        "deadline_passed": report.status in selectors.UNSENT_STATUSES
        and not rules.accepts_report_at(report.deadline, timezone.now()),
        "error": error,
        "error_items": [{"text": e.message, "href": _anchor(e)} for e in error.errors]
        if error else [],
        "js_texts": _js_texts(),
    }, status=200 if error is None else 422)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    if not report.is_editable:
        return _render_sent(request, report)
    return _render_preview(request, report)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    try:
        submission = services.report_submit(report=report, user=request.user)
    except ServiceError as error:
        return _render_preview(request, report, error=error)
    return redirect("reporting:receipt", reference=submission.reference)


# -- Attachments ------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    note_refused_uploads(request, form)
    if form.is_valid():
        try:
            attachment = services.report_attachment_add(
                report=report, user=request.user, uploaded=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Vedlegget «%(title)s» er lastet opp.")
                             % {"title": attachment.title})
            return redirect(reverse("reporting:edit", args=[report.pk]) + "#section-attachments")
    return _render_edit(request, report, attachment_form=form, status=422)


attachment_download = attachment_download_view(selectors.report_for_member)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    attachment = find_attachment(report.attachments.all(), attachment_id)
    services.report_attachment_remove(attachment=attachment, user=request.user)
    messages.success(request, _("Vedlegget «%(title)s» er fjernet.") % {"title": attachment.title})
    return redirect(reverse("reporting:edit", args=[report.pk]) + "#section-attachments")


# -- Excel ------------------------------------------------------------------------------


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


# -- Receipt ----------------------------------------------------------------------------


def _receipt_state(submission: ReportSubmission) -> dict[str, str]:
    return job_state(
        _receipt_of(submission), reverse("reporting:receipt_pdf", args=[submission.reference])
    )


REPORT_RECEIPT = ReceiptWords(
    title=gettext_lazy("Kvittering for rapport"), heading=gettext_lazy("Rapporten er sendt inn"),
    pdf_heading=gettext_lazy("PDF-kopi av rapporten"), thing=gettext_lazy("rapporten"),
)


@login_required
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    submission = selectors.submission_for_member(request.user, reference)
    report = submission.report
    status = (_("Sendt tilbake for retting") if submission.returned_at
              else report.get_status_display())
    return render_receipt(
        request, submission=submission, job=_receipt_of(submission), words=REPORT_RECEIPT,
        facts=[
            Fact(_("Innvilget"), format_nok(submission.granted_total)),
            Fact(_("Brukt"), format_nok(submission.used_total)),
            Fact(_("Ubrukt"), format_nok(submission.unused_total)),
            Fact(_("Ubrukte midler"), submission.get_unused_choice_display()
                 if submission.unused_choice else _("Ingen ubrukte midler"), id="unused-choice"),
            Fact(_("Status"), status),
        ],
        pdf_url=reverse("reporting:receipt_pdf", args=[reference]),
        page_url=reverse("reporting:receipt", args=[reference]),
        status_url=reverse("reporting:receipt_status", args=[reference]),
        links=[Link(_("Til Mine rapporter"), reverse("reporting:list"))],
        content_template="reporting/includes/content.html",
        context={"report": report},
    )


@login_required
def receipt_status(request: HttpRequest, reference: str) -> JsonResponse:
    submission = selectors.submission_for_member(request.user, reference)
    return JsonResponse(_receipt_state(submission))


@login_required
def receipt_pdf(request: HttpRequest, reference: str) -> FileResponse:
    submission = selectors.submission_for_member(request.user, reference)
    return document_download(_receipt_of(submission), f"{submission.reference}.pdf",
                             user=request.user)
