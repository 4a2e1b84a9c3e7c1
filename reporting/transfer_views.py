"""A transfer decision's letter (PDF), for the recipient's members and the office's staff
(selectors.transfer_letter_for); everyone else gets 404. Each download is audited
(document_download)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from tilskudd.documents.responses import document_download

from .selectors import transfer_letter_for
from .transfer_letters import transfer_reference


@login_required
def transfer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = transfer_letter_for(request.user, pk)
    return document_download(letter, f"{transfer_reference(letter.transfer)}.pdf",
                             user=request.user)
