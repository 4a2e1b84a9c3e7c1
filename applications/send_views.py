"""The applicant's pages around sending: preview, signature request (and taking it back
or sending it back), submit and withdrawal. Thin: selectors read, services write."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tilskudd.errors import ServiceError
from tilskudd.gates import submission_gates

from . import rules, selectors, services, steps
from .carryover import apply_carryover, decided_carryover
from .forms import SendBackForm, WithdrawForm
from .header_form import decided_text
from .models import Application
from .page_texts import js_texts
from .snapshot import application_snapshot
from .views import render_submitted

# -- Preview, signature, submit, withdraw ----------------------------------------------


def _render_preview(
    request: HttpRequest, application: Application, error: ServiceError | None = None,
    send_back_form: SendBackForm | None = None,
) -> HttpResponse:
    membership = selectors.membership_for(request.user, application)
    # the office's decision on last year's transfer is what is sent (the submit sets it if
    # the preview showed it): shown here, with why, though the draft was saved before it
    carryover = decided_carryover(application)
    decided_note = None
    if carryover is not None and carryover.amount != application.transferred_funds:
        decided_note = mark_safe(decided_text(carryover, None))  # noqa: S308 - data escaped there
        apply_carryover(application)  # not saved: the preview shows what the submit sends
    broken = rules.check_application(application)  # once, for the list and the steps
    return render(request, "applications/preview.html", {
        "send_back_form": send_back_form or SendBackForm(),
        "application": application,
        "organisation": application.organisation,
        "round": application.round,
        "content": application_snapshot(application),
        "decided_note": decided_note,
        "shown_transferred": str(application.transferred_funds),
        "missing": steps.missing(application, broken),
        "step_list": steps.step_list(application, steps.SUMMARY, broken),
        "may_sign": bool(membership and membership.may_sign),
        "error": error,
        "error_items": [{"text": e.message, "href": steps.anchor(application, e)}
                        for e in error.errors]
        if error else [],
        "gates": submission_gates(application.organisation, application.round),
        "js_texts": js_texts(),
    })


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    if not (application.is_editable or application.is_to_sign):
        return render_submitted(request, application)
    return _render_preview(request, application)


def _signing_step(service: Callable[..., object], done: str, then: str):
    """A POST on the way to signing (ask for a signature, take the request back): the
    service moves the application, the next page (`then`) says `done`."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_for_member(request.user, pk)
        service(application=application, user=request.user)
        messages.success(request, str(done))
        return redirect(then, pk=application.pk)

    return view


request_signature = _signing_step(
    services.application_request_signature, gettext_lazy("Signaturberettiget er varslet."),
    "applications:preview")
take_back = _signing_step(
    services.application_take_back,
    gettext_lazy("Søknaden er tatt tilbake fra signering og kan endres."), "applications:edit")


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _render_preview(request, application, send_back_form=form)
    services.application_send_back(application=application, user=request.user,
                                   comment=form.cleaned_data["comment"])
    messages.success(request, _("Søknaden er sendt tilbake med kommentaren din."))
    return redirect("applications:preview", pk=application.pk)


def _amount(posted: str | None) -> Decimal | None:
    """The amount the preview's form carried (its hidden «transferred_funds»), or None."""
    try:
        amount = Decimal(posted or "")
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    # The service reads the application with its lines once, under its lock.
    application = selectors.application_ref_for_member(request.user, pk)
    try:
        submission = services.application_submit(
            application=application, user=request.user,
            shown_transferred=_amount(request.POST.get("transferred_funds")))
    except ServiceError as error:  # shown on the preview, each broken rule with its link
        application = selectors.application_for_member(request.user, pk)
        return _render_preview(request, application, error=error)
    return redirect("applications:receipt", reference=submission.reference)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    submission = selectors.live_submission(application)
    if submission is None:
        messages.error(request, _("Bare en innsendt søknad kan trekkes."))
        return redirect("applications:edit", pk=application.pk)
    membership = selectors.membership_for(request.user, application)
    refusal = services.withdrawal_refusal(application)
    form = WithdrawForm(request.POST if request.method == "POST" and refusal is None else None)
    if form.is_bound and form.is_valid():
        try:
            services.application_withdraw(
                application=application, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            if error.code != "reason_required":
                refusal = error
            else:
                form.add_error("reason", error.message)
        else:
            messages.success(request, _(
                "Søknaden %(ref)s er trukket. Du kan endre den og sende den inn på nytt før "
                "fristen."
            ) % {"ref": submission.reference})
            return redirect("applications:edit", pk=application.pk)
    return render(request, "applications/withdraw.html", {
        "application": application,
        "round": application.round,
        "submission": submission,
        "form": form,
        "refusal": refusal,
        "may_sign": bool(membership and membership.may_sign),
    })
