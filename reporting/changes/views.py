"""The signatory's pages: «Søk om endring» (the form), the request's page (its status, the
lines, the decision letter) and the letter's PDF. 404 for anyone not a member of the
recipient; the form is the signatory's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tilskudd import access
from tilskudd.documents.responses import document_download
from tilskudd.errors import ServiceError, add_to_form

from . import rules, selectors, services
from .forms import ChangeRequestForm


@login_required
def change_request_new(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, application_id)
    current = selectors.current_grant(application)
    pending = selectors.pending_for(application.pk)
    rnd = application.round
    form = None
    if current is not None and pending is None:
        form = ChangeRequestForm(request.POST or None, lines=current.lines)
        if request.method == "POST" and form.is_valid():
            try:
                change = services.change_request_submit(
                    application=application, user=request.user,
                    reason=form.cleaned_data["reason"], lines=form.changes())
            except ServiceError as error:
                add_to_form(form, error)
            else:
                return redirect(reverse("reporting:change_detail", args=[change.reference])
                                + "?sendt=1")
    return render(request, "reporting/changes/form.html", {
        "application": application, "current": current, "pending": pending, "form": form,
        "deadline": rules.change_deadline(rnd),
        "open": rules.accepts_change_at(rnd, timezone.now()),
        "may_sign": access.is_signatory(request.user, application.organisation),
    })


@login_required
def change_request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    change = selectors.change_request_for_member(request.user, reference)
    return render(request, "reporting/changes/detail.html", {
        "change": change, "application": change.application,
        "letter": getattr(change, "letter", None),
        "sent": request.GET.get("sendt") == "1",
    })


@login_required
def change_letter_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    return document_download(selectors.letter_for_member(request.user, reference),
                             user=request.user)
