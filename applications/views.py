"""The applicant's pages: the application form (with its history), preview, signature
request, submit and withdrawal. "Mine søknader" is archive_views.py, attachments
attachment_views.py, the receipt receipt_views.py, Excel excel_views.py.

Views stay thin: they read through selectors, write through services, and answer 404
(never 403) for anything that belongs to an organisation the user is not a member of."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tilskudd import access
from tilskudd import steps as shared_steps
from tilskudd.documents.responses import is_fetch
from tilskudd.errors import ServiceError
from tilskudd.models import Membership, Round
from tilskudd.money import format_nok

from . import rules, selectors, services, steps
from .archive_views import may_ask_withdrawal, standing
from .form_page import ApplicationForms, one_more_line
from .forms import PART_FORMS, AttachmentForm
from .models import Application, ApplicationStatus
from .page_texts import js_texts
from .snapshot import application_snapshot, totals


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _version(application: Application) -> str:
    """What the form page carries of the draft it showed (its hidden field "version"), so a
    save can tell that the draft was changed meanwhile in another tab or by someone else."""
    return str(int(application.updated_at.timestamp() * 1_000_000))


def _may_withdraw(application: Application, membership: Membership | None, live) -> bool:
    """Offer «Trekk søknaden» only where application_withdraw would accept it."""
    return bool(live and live.withdrawn_at is None and membership
                and may_ask_withdrawal(application, membership.may_sign)
                and services.withdrawal_refusal(application) is None)


@login_required
@require_POST
def start(request: HttpRequest, round_id: int, organisation_id: int) -> HttpResponse:
    membership = access.membership_for(request.user, organisation_id)
    if membership is None:
        raise Http404
    rnd = get_object_or_404(Round.objects.select_related("scheme"), pk=round_id)
    application = services.application_start(
        organisation=membership.organisation, round=rnd, user=request.user
    )
    return redirect("applications:edit", pk=application.pk)


# -- The application form --------------------------------------------------------------


def render_edit(
    request: HttpRequest,
    application: Application,
    *,
    attachment_form: AttachmentForm | None = None,
    add: str | None = None,
    step: str | None = None,
) -> HttpResponse:
    """One step of the form (steps.py); the attachment step when an upload was refused."""
    if application.is_to_sign:
        return redirect("applications:preview", pk=application.pk)
    if not application.is_editable:
        return render_submitted(request, application)
    found = steps.application_steps(application, add=add == "projects")
    key = step or ("vedlegg" if attachment_form else "om-soknaden")
    current = next((s for s in found if s.key == key), None)
    if current is None:
        raise Http404
    forms = ApplicationForms(application, add=add if add in PART_FORMS else None)
    sums = totals(application)
    history = list(selectors.status_history(application))
    broken = rules.check_application(application)
    for formset in forms.parts:
        formset.total = sums[formset.prefix]
    return render(request, "applications/edit.html", {
        "step": current,
        "shown": set(current.sections),
        "step_list": steps.step_list(application, current.key, broken, found),
        "next_step": shared_steps.neighbour(found, current, 1),
        "previous_step": shared_steps.neighbour(found, current, -1),
        "shown_item": current.item,
        "page_url": steps.step_url(application, current.key),
        "application": application,
        "organisation": application.organisation,
        "round": application.round,
        "header_form": forms.header if "header" in current.sections else None,
        "parts": [f for f in forms.parts if f.prefix in current.sections],
        "attachment_form": attachment_form or AttachmentForm(),
        "attachments": list(application.attachments.all()),
        "totals": sums,
        "missing": steps.missing(application, broken),
        "attachment_rules": [e.message for e in broken if e.section == "attachments"],
        "error_summary": forms.summary(attachment_form),
        "history": history,
        "sent_back": _sent_back(history),
        "js_texts": js_texts(),
        "version": _version(application),
    })


def _sent_back(history: list) -> Any:
    """The signatory's comment, when the last thing that happened was sending it back."""
    last = history[-1] if history else None
    if last and last.from_status == ApplicationStatus.TO_SIGN and last.note:
        return last
    return None


def render_submitted(request: HttpRequest, application: Application) -> HttpResponse:
    """A submitted application is shown as it was sent, never as a form, with where it
    stands now as its row in "Mine søknader" says it (archive_views.standing)."""
    submission = selectors.live_submission(application)
    membership = selectors.membership_for(request.user, application)
    return render(request, "applications/submitted.html", {
        "may_withdraw": _may_withdraw(application, membership, submission),
        "application": application,
        "round": application.round,
        "submission": submission,
        "content": submission.content if submission else application_snapshot(application),
        "history": list(selectors.status_history(application)),
        "standing": standing(application),
    })


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    if request.method == "POST":
        return _save(request, application)
    if application.is_to_sign:
        return redirect("applications:preview", pk=application.pk)
    add = request.GET.get("ny")
    if add in PART_FORMS:
        key = (steps.project_key(steps.project_pages(application, add=True) - 1)
               if add == "projects"
               else steps.STEP_OF_SECTION[add])
        return redirect(steps.step_url(application, key, f"?ny={add}"))
    if not application.is_editable:
        return render_submitted(request, application)
    return redirect(steps.step_url(application, steps.first_unfinished(application)))


@login_required
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the form; it posts and autosaves through the same path as ever."""
    application = selectors.application_for_member(request.user, pk)
    add = request.GET.get("ny")
    if step not in {s.key for s in steps.application_steps(application, add=add == "projects")}:
        raise Http404
    if request.method == "POST":
        return _save(request, application)
    return render_edit(request, application, add=add, step=step)


def _update(
    application: Application, user, payload: dict[str, Any], known: dict[str, set[int]]
) -> dict[str, list[str]]:
    """Save the valid sections in one go. Should the service refuse something the forms
    let through, save them one by one so the others are not lost; returns the refusals.
    `known`: the ids of the lines the page holds, the only ones a save may remove."""
    if not payload:
        return {}
    try:
        services.application_update(application=application, user=user, known=known,
                                     **payload)
        return {}
    except (ValidationError, ServiceError) as error:
        if isinstance(error, ServiceError) and error.code == "not_editable":
            raise
    failed: dict[str, list[str]] = {}
    for section, value in payload.items():
        try:
            services.application_update(application=application, user=user, known=known,
                                         **{section: value})
        except ValidationError as error:
            failed[section] = error.messages
        except ServiceError as error:
            if error.code == "not_editable":
                raise
            failed[section] = [error.message]
    return failed


def _save(request: HttpRequest, application: Application) -> HttpResponse:
    """Save every valid section; keep what was typed in the others (see
    services.application_keep_input) so nothing is lost when the person leaves.
    A submitted application (here or meanwhile in another tab) is refused by the service,
    answered by tilskudd.errors.ServiceErrorMiddleware."""
    action = request.POST.get("action", "save")
    fetch = is_fetch(request)
    services.require_editable(application)
    # changed elsewhere since the page was loaded: the save merges (lines.py) and says so
    stale = request.POST.get("version", "") not in ("", _version(application))
    forms = ApplicationForms(application, data=request.POST)
    posted = forms.posted()
    valid = [section for section in posted if forms[section].is_valid()]
    failed = _update(application, request.user,
                     {section: forms[section].section_value() for section in valid},
                     {section: forms[section].known_ids() for section in valid
                      if section in PART_FORMS})

    # A saved section's kept input is dropped by application_update itself.
    saved = [section for section in valid if section not in failed]
    for section in posted:
        if section not in saved:
            raw = forms.raw(section)
            services.application_keep_input(
                application=application, user=request.user, section=section,
                raw=one_more_line(raw, section) if action == f"add-{section}" else raw,
            )

    if fetch:
        fresh = selectors.application_for_member(request.user, application.pk)
        errors = forms.errors_by_name(posted)
        for section, messages_ in failed.items():
            errors.setdefault(f"{section}-__all__", []).extend(messages_)
        return JsonResponse({
            "saved": bool(saved),
            "saved_at": _clock(fresh.updated_at),
            "errors": errors,
            "ids": forms.new_line_ids(application, fresh, saved),
            "totals": {key: format_nok(value) for key, value in totals(fresh).items()},
            "missing": steps.missing(fresh),
            "version": _version(fresh),
            "notice": _("Søknaden er endret i en annen fane eller av en annen bruker. Last inn "
                        "siden på nytt for å se alt som er lagret.") if stale else "",
        })

    for messages_ in failed.values():
        for message in messages_:
            messages.error(request, message)
    if stale:
        messages.info(request, _("Søknaden var endret i en annen fane eller av en annen bruker. "
                                 "Siden viser nå alt som er lagret."))
    edit_url = request.path  # the step (or the old edit URL) the form was posted from
    section = action.removeprefix("add-")
    if action.startswith("add-") and section in PART_FORMS:
        query = f"?ny={section}" if section in saved else ""
        if section == "projects":  # the new project gets a page of its own
            fresh = selectors.application_for_member(request.user, application.pk)
            edit_url = steps.step_url(fresh, steps.application_steps(
                fresh, add=section in saved)[-3].key)
        return redirect(f"{edit_url}{query}#section-{section}")
    if len(saved) < len(posted):
        messages.warning(request, _(
            "Det du skrev er tatt vare på, men noen felt har feil. Delene uten feil er lagret."
        ))
        return redirect(edit_url)
    messages.success(request, _("Søknaden er lagret kl. %(time)s.")
                     % {"time": _clock(timezone.now())})
    if action == "preview":
        return redirect("applications:preview", pk=application.pk)
    if action.startswith("step:") and action.removeprefix("step:") in {
            s.key for s in steps.application_steps(application)}:
        return redirect(steps.step_url(application, action.removeprefix("step:")))
    return redirect(edit_url)
