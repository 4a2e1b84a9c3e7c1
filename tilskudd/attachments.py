"""A PDF someone attached (to an application, a report, and the flows after them), once
for every app: the model's fields, the one way a file is taken in, and the one download.

Each app's subclass adds the foreign key to what the file belongs to, its own kinds and a
`folder` (where its files are stored):

    class Attachment(PdfAttachment):
        application = models.ForeignKey(Application, ..., related_name="attachments")
        kind = models.CharField(...)

        @property
        def folder(self) -> str:
            return f"attachments/{self.application_id}"

    attachment = Attachment.store_pdf(uploaded, uploaded_by=user, application=app, kind=k)

The views (add, download, remove) are `AttachmentViews`, and the list on the owner's page
is templates/documents/attachment_list.html.

The file is checked by its content (`tilskudd.uploads.checked_pdf_sha256`), stored under a
generated name, and the person's name for it is kept made harmless for pages and downloads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Self

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .documents.responses import attachment_download
from .fields import acting_user
from .storage import discard, is_storage_error
from .uploads import (
    MAX_PDF_BYTES,
    checked_pdf_sha256,
    download_name,
    generated_pdf_name,
    note_refused_uploads,
    safe_original_name,
)

logger = logging.getLogger(__name__)


def pdf_attachment_path(instance: PdfAttachment, filename: str) -> str:
    """A generated name in the subclass's folder: the person's own name for the file is
    kept in original_name, never in the path."""
    return f"{instance.folder}/{generated_pdf_name()}"


class PdfAttachment(models.Model):
    title = models.CharField(gettext_lazy("tittel"), max_length=200)
    file = models.FileField(gettext_lazy("fil"), upload_to=pdf_attachment_path, max_length=300)
    #: The person's name for the file, made harmless (tilskudd.uploads.safe_original_name);
    #: empty on rows from before it was kept.
    original_name = models.CharField(
        gettext_lazy("opprinnelig filnavn"), max_length=150, blank=True
    )
    size = models.PositiveIntegerField(gettext_lazy("størrelse (byte)"))
    sha256 = models.CharField(gettext_lazy("SHA-256"), max_length=64)
    uploaded_by = acting_user(gettext_lazy("lastet opp av"))
    uploaded_at = models.DateTimeField(gettext_lazy("lastet opp"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def folder(self) -> str:
        """Where the subclass's files are stored (below MEDIA_ROOT)."""
        raise NotImplementedError

    @property
    def download_name(self) -> str:
        """Shown on pages and offered as the downloaded file's name."""
        return download_name(self.original_name, self.file.name)

    @classmethod
    def store_pdf(
        cls, uploaded: UploadedFile, *, uploaded_by, title: str = "",
        max_bytes: int = MAX_PDF_BYTES, **fields: Any,
    ) -> Self:
        """Check `uploaded` (ValidationError({"file": ...}) unless it is a harmless PDF of at
        most `max_bytes`), then save it with its size, checksum and harmless original name;
        `title` defaults to that name. `fields`: the owner and the subclass's own fields.
        Call inside the service's transaction, after its permission checks."""
        sha256 = checked_pdf_sha256(uploaded, max_bytes)
        original_name = safe_original_name(uploaded.name or "")
        attachment = cls(
            title=title or original_name, file=uploaded, original_name=original_name,
            size=uploaded.size, sha256=sha256, uploaded_by=uploaded_by, **fields,
        )
        attachment.full_clean()
        attachment._store(uploaded)
        return attachment

    def _store(self, uploaded: UploadedFile) -> None:
        """Write the file under a name chosen here, then the row. A storage that refuses
        the file (a full disk, the bucket down) leaves nothing of it behind and is
        ValidationError({"file": ...}): the page says, next to the field, that the file
        was not saved and to try again, and the service's transaction keeps nothing."""
        field = self._meta.get_field("file")
        storage = field.storage
        written: list[str] = []
        try:
            written.append(storage.get_available_name(
                field.generate_filename(self, uploaded.name or ""), max_length=field.max_length))
            written.append(storage.save(written[0], uploaded, max_length=field.max_length))
            self.file = written[-1]
            self.save()
        except Exception as error:
            for name in dict.fromkeys(written):
                discard(storage, name)
            if not is_storage_error(error):
                raise
            logger.exception("The storage did not take the attachment %s", written[:1])
            raise ValidationError({"file": _(
                "Filen ble ikke lagret fordi lagringen ikke svarer akkurat nå. Det du ellers "
                "har fylt ut, er tatt vare på. Prøv å laste opp filen igjen om litt."
            )}, code="storage_unavailable") from error

    def discard(self) -> None:
        """Delete the row (call inside the service's transaction), and its file once that
        is committed: a storage that does not answer then leaves the file behind, logged
        (tilskudd.storage.discard), instead of failing the removal the person asked for."""
        storage, name = self.file.storage, self.file.name
        self.delete()
        if name:
            transaction.on_commit(lambda: discard(storage, name), robust=True)


def find_attachment(attachments: Iterable[PdfAttachment], attachment_id: int) -> PdfAttachment:
    """The attachment with this id among an owner's (already read), else 404."""
    for attachment in attachments:
        if attachment.pk == attachment_id:
            return attachment
    raise Http404


def attachment_download_view(
    owner_for_member: Callable[[Any, int], models.Model], related_name: str = "attachments"
):
    """The download view for one app's attachments: `owner_for_member(user, pk)` is the
    app's selector that answers 404 unless the user may see the owner; the file is handed
    out (and audited) by tilskudd.documents.responses.attachment_download."""

    @login_required
    @require_GET
    def download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
        owner = owner_for_member(request.user, pk)
        attachment = find_attachment(getattr(owner, related_name).all(), attachment_id)
        return attachment_download(attachment, user=request.user)

    return download


@dataclass(frozen=True)
class AttachmentViews:
    """The add, download and remove views of one app's attachments, written once:

        views = AttachmentViews(
            owner_for_member=selectors.application_for_member, owner_field="application",
            add=services.attachment_add, remove=services.attachment_remove,
            form_class=AttachmentForm, render_page=render_edit,
            page_url=lambda application: reverse("applications:edit", args=[application.pk]),
        )

    `owner_for_member(user, pk)` answers 404 unless the user may see the owner; `add` and
    `remove` are the app's services (add takes the owner as `owner_field`, user, uploaded,
    kind, title); a file the checks refuse is shown next to the form's field on the page
    `render_page(request, owner, attachment_form=form)` draws, with `refused_status`; after
    adding or removing, the person is back at `page_url(owner)`'s attachments section. A
    refusal of the service itself (not editable) is left to tilskudd.errors' middleware."""

    owner_for_member: Callable[[Any, int], models.Model]
    owner_field: str
    add: Callable[..., PdfAttachment]
    remove: Callable[..., None]
    form_class: type[forms.Form]
    render_page: Callable[..., HttpResponse]
    page_url: Callable[[models.Model], str]
    refused_status: int = 200
    related_name: str = "attachments"

    def _section(self, owner: models.Model) -> str:
        return f"{self.page_url(owner)}#section-attachments"

    @property
    def add_view(self):
        @login_required
        @require_POST
        def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
            owner = self.owner_for_member(request.user, pk)
            form = self.form_class(request.POST, request.FILES)
            note_refused_uploads(request, form)
            if form.is_valid():
                try:
                    attachment = self.add(
                        **{self.owner_field: owner}, user=request.user,
                        uploaded=form.cleaned_data["file"], kind=form.cleaned_data["kind"],
                        title=form.cleaned_data["title"],
                    )
                except ValidationError as error:  # the file's content: next to the field
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(request, _("Vedlegget «%(title)s» er lastet opp.")
                                     % {"title": attachment.title})
                    return redirect(self._section(owner))
            response = self.render_page(request, owner, attachment_form=form)
            response.status_code = self.refused_status
            return response

        return attachment_add

    @property
    def download_view(self):
        return attachment_download_view(self.owner_for_member, self.related_name)

    @property
    def remove_view(self):
        @login_required
        @require_POST
        def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
            owner = self.owner_for_member(request.user, pk)
            attachment = find_attachment(getattr(owner, self.related_name).all(), attachment_id)
            self.remove(attachment=attachment, user=request.user)
            messages.success(request, _("Vedlegget «%(title)s» er fjernet.")
                             % {"title": attachment.title})
            return redirect(self._section(owner))

        return attachment_remove
