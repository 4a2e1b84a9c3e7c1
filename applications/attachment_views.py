"""Attachments of a draft: add (checked as a PDF by its content), download (audited) and
remove, the shared views of tilskudd.attachments. Only members of the organisation reach
them; others get 404."""

from __future__ import annotations

from tilskudd.attachments import AttachmentViews

from . import selectors, services
from .forms import AttachmentForm
from .steps import step_url
from .views import render_edit

ATTACHMENTS = AttachmentViews(
    owner_for_member=selectors.application_for_member, owner_field="application",
    add=services.attachment_add, remove=services.attachment_remove,
    form_class=AttachmentForm, render_page=render_edit,
    page_url=lambda application: step_url(application, "vedlegg"),
)
