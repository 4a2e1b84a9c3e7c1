"""The recipient's side: decisions and letters, and accepting a grant (akseptbrev).

Only members of the applicant organisation see anything (404 for everyone else); only a
signatory may accept, and the service checks that again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tilskudd import access
from tilskudd.documents.responses import document_download
from tilskudd.errors import ServiceError, add_to_form

from . import services
from .cases import case_lines
from .forms import AcceptForm
from .grant_changes import grant_changes
from .selectors import (
    decision_for_member,
    decisions_for_member,
    latest_letter,
    letter_for_member,
    live_submission,
)


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/decisions.html", {
        "decisions": list(decisions_for_member(request.user)),
    })


def _decision_page(request, assessment, form, status=200):
    application = assessment.application
    latest = latest_letter(assessment)
    acceptance = getattr(assessment, "acceptance", None)
    lines = case_lines(assessment)
    return render(request, "assessment/decision.html", {
        "assessment": assessment,
        "application": application,
        "submission": live_submission(application),
        "lines": lines,
        # an approved change request changed what is granted now (the applicant sees the
        # approved ones; one waiting or refused changes nothing)
        "changes": grant_changes(application.pk, [(la, str(la.line)) for la in lines])
        if assessment.is_grant else None,
        "letters": sorted(assessment.letters.all(), key=lambda x: -x.version),
        "latest": latest,
        "acceptance": acceptance,
        "may_sign": access.is_signatory(request.user, application.organisation_id),
        "can_accept": assessment.is_grant and acceptance is None and latest is not None
        and latest.is_ready,
        "form": form,
    }, status=status)


@login_required
def decision(request: HttpRequest, application_id: int) -> HttpResponse:
    assessment = decision_for_member(request.user, application_id)
    latest = latest_letter(assessment)
    form = AcceptForm(initial={"letter": latest.pk if latest else None})
    return _decision_page(request, assessment, form)


@login_required
@require_POST
def accept(request: HttpRequest, application_id: int) -> HttpResponse:
    assessment = decision_for_member(request.user, application_id)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _decision_page(request, assessment, form, status=400)
    letter = assessment.letters.filter(pk=form.cleaned_data["letter"]).first()
    if letter is None:
        raise Http404
    try:
        services.grant_accept(assessment=assessment, user=request.user, letter=letter)
    except ServiceError as exc:
        add_to_form(form, exc)
        status = 403 if exc.code in ("not_signatory", "not_member") else 409
        return _decision_page(request, assessment, form, status=status)
    messages.success(request, _("Tilskuddet er akseptert. Takk!"))
    return redirect("assessment:decision", application_id=application_id)


@login_required
def letter(request: HttpRequest, letter_id: int) -> HttpResponse:
    return document_download(letter_for_member(request.user, letter_id), user=request.user)
