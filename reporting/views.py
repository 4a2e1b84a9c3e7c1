"""The recipient's pages: "Mine rapporter", the report form (saved as you go), preview and
submit. Attachments, the Excel template and the receipt have modules of their own
(attachment_views, excel_views, receipt_views).

Views stay thin: they read through selectors, write through services, and answer 404
(never 403) for a report of an organisation the user is not a member of."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from applications import selectors as application_selectors
from tilskudd import steps as shared_steps
from tilskudd.documents.responses import is_fetch
from tilskudd.errors import ServiceError
from tilskudd.money import format_nok
from tilskudd.selectors import memberships_for_user
from tilskudd.session_views import other_user_text, signed_out_text

from . import rules, selectors, services, steps
from .forms import PART_FORMS, AttachmentForm, build_forms
from .models import Report
from .snapshot import account, report_snapshot


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _missing(report: Report) -> list[dict[str, str]]:
    return steps.missing(report)


def _account_texts(report: Report) -> dict[str, str]:
    return {key: format_nok(value) for key, value in account(report).items()}


JS_TEXTS = {
    "saved": gettext_noop("Sist lagret kl. %(time)s"),
    "saved_with_errors": gettext_noop(
        "Sist lagret kl. %(time)s. Noen felt har feil og er ikke lagret."),
    "not_saved": gettext_noop("Ikke lagret. Sjekk nettforbindelsen, eller trykk «Lagre»."),
}


def _js_texts() -> dict[str, str]:
    return {**{key: _(text) for key, text in JS_TEXTS.items()},
            "signed_out": signed_out_text(), "other_user": other_user_text()}


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
            "overdue": selectors.is_overdue(r, now),
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


# -- The report form (in steps, reporting.steps) ----------------------------------------


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


def _step_forms(forms: dict[str, Any], step: steps.Step) -> dict[str, Any]:
    """The forms a step shows: its header fields, its part's lines (or its one project)."""
    return {"header": forms["header"], **{
        part: [f for f in forms[part] if part in step.sections
               and step.item in (None, f.line.pk)] for part in PART_FORMS}}


def _step_states(report: Report, found: list[steps.Step], invalid=frozenset()) -> dict:
    return steps.states(report, found, rules.check_report(report), set(invalid))


def render_edit(
    request: HttpRequest, report: Report, *, forms: dict[str, Any] | None = None,
    attachment_form: AttachmentForm | None = None, status: int = 200, step: str | None = None,
) -> HttpResponse:
    """One step of the report form; the attachment step when an upload was refused."""
    found = steps.report_steps(report)
    by_key = {s.key: s for s in found}
    current = by_key.get(step or (steps.ATTACHMENTS if attachment_form else steps.TEXT))
    if current is None:
        raise Http404
    bound = forms is not None
    shown = _step_forms(forms or build_forms(report), current)
    membership = selectors.membership_for(request.user, report)
    required_kind = rules.required_attachment_kind(report)
    broken = rules.check_report(report)
    invalid = {current.key} if bound and _errors_by_name(shown) else set()
    previous_step = shared_steps.neighbour(found, current, -1)
    next_step = shared_steps.neighbour(found, current, 1)
    has_form = bool(current.sections) and current.key != steps.ATTACHMENTS
    return render(request, "reporting/edit.html", {
        "report": report,
        "application": report.application,
        "round": report.application.round,
        "organisation": report.application.organisation,
        "step": current,
        "shown": set(current.sections),
        "step_list": shared_steps.step_list(
            found, current.key, steps.states(report, found, broken, invalid),
            lambda key: steps.step_url(report, key)),
        "page_url": steps.step_url(report, current.key),
        "previous_step": previous_step,
        "previous_url": previous_step and steps.step_url(report, previous_step.key),
        "next_step": next_step,
        "next_url": next_step and steps.step_url(report, next_step.key),
        "form_id": "report-form" if has_form else "",
        "header_form": shown["header"],
        "parts": [{"key": key, "forms": shown[key]} for key in PART_FORMS
                  if key in current.sections],
        "attachment_form": attachment_form or AttachmentForm(required_kind=required_kind),
        "attachments": list(report.attachments.all()),
        "required_kind": required_kind,
        "account": account(report),
        "missing": steps.missing(report, found, broken),
        "error_summary": _error_summary(shown) if attachment_form is None else [],
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
    """The report's address: a POST saves what it holds (every section); a GET opens the
    first step that is not finished."""
    report = selectors.report_for_member(request.user, pk)
    if request.method == "POST":
        return _save(request, report)
    if not report.is_editable:
        return _render_sent(request, report)
    return redirect(steps.step_url(report, steps.first_unfinished(report)))


@login_required
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the report form; it posts and autosaves only what the step holds."""
    report = selectors.report_for_member(request.user, pk)
    current = next((s for s in steps.report_steps(report) if s.key == step), None)
    if current is None:
        raise Http404
    if request.method == "POST":
        return _save(request, report, current)
    if not report.is_editable:
        return _render_sent(request, report)
    return render_edit(request, report, step=step)


def _header_value(header, step: steps.Step | None) -> dict[str, Any]:
    """The header fields the step holds (all of them when posted to the report's address)."""
    value = header.section_value()
    if step is None:
        return value
    fields = {f for s in step.sections for f in steps.HEADER_SECTIONS.get(s, ())}
    return {key: v for key, v in value.items() if key in fields}


def _save(request: HttpRequest, report: Report, step: steps.Step | None = None) -> HttpResponse:
    """Save every section that is valid; show the others with their errors."""
    forms = build_forms(report, data=request.POST)
    payload: dict[str, Any] = {}
    header = forms["header"]
    if any(key.startswith("header-") for key in request.POST) and header.is_valid():
        payload["header"] = _header_value(header, step)
    for section in PART_FORMS:
        valid = [f for f in forms[section]
                 if any(k.startswith(f"{f.prefix}-") for k in request.POST) and f.is_valid()]
        if valid:
            payload[section] = [f.section_value() for f in valid]
    if step is not None:
        forms = {"header": forms["header"], **_step_forms(forms, step)}
    invalid = bool(_errors_by_name(forms))
    services.report_update(report=report, user=request.user, **payload)
    fresh = selectors.report_for_member(request.user, report.pk)
    if is_fetch(request):
        found = steps.report_steps(fresh)
        return JsonResponse({
            "saved": True,
            "saved_at": _clock(fresh.updated_at),
            "errors": _errors_by_name(forms),
            "account": _account_texts(fresh),
            "missing": steps.missing(fresh, found),
            "steps": {key: {"label": str(shared_steps.STATE_LABELS[state]),
                            "css": shared_steps.STATE_CLASSES[state]}
                      for key, state in _step_states(fresh, found).items()},
        })
    if invalid:
        messages.warning(request, _("Noen felt har feil og er ikke lagret. Resten er lagret."))
        again = build_forms(fresh, data=request.POST)
        if step is None:  # posted to the report's address: show the first step with errors
            step = next((s for s in steps.report_steps(fresh)
                         if _errors_by_name(_step_forms(again, s)) and s.sections), None)
        return render_edit(request, fresh, forms=again, step=step.key if step else None)
    messages.success(request, _("Rapporten er lagret kl. %(time)s.")
                     % {"time": _clock(fresh.updated_at)})
    action = request.POST.get("action", "save")
    if action == "preview":
        return redirect("reporting:preview", pk=report.pk)
    keys = {s.key for s in steps.report_steps(fresh)}
    if action.startswith("step:") and action.removeprefix("step:") in keys:
        return redirect(steps.step_url(report, action.removeprefix("step:")))
    return redirect(request.path)


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
        "deadline_passed": selectors.is_overdue(report, timezone.now()),
        "error": error,
        "error_items": [{"text": e.message, "href": steps.anchor(steps.report_steps(report),
                                                                  report, e)}
                        for e in error.errors] if error else [],
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
