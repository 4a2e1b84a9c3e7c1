"""Attachments of a report: add (checked as a PDF by its content), download (the shared,
audited view) and remove. Only members of the organisation reach them; others get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tilskudd.attachments import attachment_download_view, find_attachment
from tilskudd.uploads import note_refused_uploads

from . import selectors, services
from .forms import AttachmentForm
from .views import render_edit


def _attachments_section(report) -> str:
    return reverse("reporting:edit", args=[report.pk]) + "#section-attachments"


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
            return redirect(_attachments_section(report))
    return render_edit(request, report, attachment_form=form, status=422)


attachment_download = attachment_download_view(selectors.report_for_member)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    report = selectors.report_for_member(request.user, pk)
    attachment = find_attachment(report.attachments.all(), attachment_id)
    services.report_attachment_remove(attachment=attachment, user=request.user)
    messages.success(request, _("Vedlegget «%(title)s» er fjernet.") % {"title": attachment.title})
    return redirect(_attachments_section(report))
