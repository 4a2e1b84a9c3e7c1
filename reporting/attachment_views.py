"""Attachments of a report: add (checked as a PDF by its content), download (audited) and
remove, the shared views of tilskudd.attachments. Only members of the organisation reach
them; others get 404."""

from __future__ import annotations

from tilskudd.attachments import AttachmentViews

from . import selectors, services
from .forms import AttachmentForm
from .steps import ATTACHMENTS as ATTACHMENTS_STEP
from .steps import step_url
from .views import render_edit

ATTACHMENTS = AttachmentViews(
    owner_for_member=selectors.report_for_member, owner_field="report",
    add=services.report_attachment_add, remove=services.report_attachment_remove,
    form_class=AttachmentForm, render_page=render_edit,
    page_url=lambda report: step_url(report, ATTACHMENTS_STEP), refused_status=422,
)
