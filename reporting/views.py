"""The recipient's pages: "Mine rapporter", the report form (saved as you go), preview and
submit. Attachments, the Excel template and the receipt have modules of their own
(attachment_views, excel_views, receipt_views).

Views stay thin: they read through selectors, write through services, and answer 404
(never 403) for a report of an organisation the user is not a member of."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import selectors as application_selectors
from tilskudd.documents.responses import is_fetch
from tilskudd.errors import ServiceError
from tilskudd.money import format_nok
from tilskudd.selectors import memberships_for_user

from . import rules, selectors, services
from .forms import PART_FORMS, AttachmentForm, build_forms
from .models import Report
from .rules import RuleError
from .snapshot import account, report_snapshot


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


JS_TEXTS = {
    "saved": "Sist lagret kl. %(time)s",
    "saved_with_errors": "Sist lagret kl. %(time)s. Noen felt har feil og er ikke lagret.",
    "not_saved": "Ikke lagret. Sjekk nettforbindelsen, eller trykk «Lagre».",
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


def render_edit(
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
    return render_edit(request, report)


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
        return render_edit(request, fresh, forms=build_forms(fresh, data=request.POST))
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
