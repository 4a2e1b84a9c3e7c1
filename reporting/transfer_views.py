"""A transfer decision's letter (PDF), for the recipient's members and the office's staff
(access.is_member_or_office_staff, as the change-request and repayment letters); everyone
else gets 404. Each download is audited (document_download)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from tilskudd import access
from tilskudd.documents.responses import document_download

from .transfer_letters import transfer_reference
from .transfer_models import TransferLetter


@login_required
def transfer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = (TransferLetter.objects
              .select_related("transfer__report__application__organisation__county__office",
                              "transfer__report__application__round")
              .filter(transfer_id=pk).first())
    if letter is None or not access.is_member_or_office_staff(
            request.user, letter.transfer.report.application.organisation):
        raise Http404
    return document_download(letter, f"{transfer_reference(letter.transfer)}.pdf",
                             user=request.user)
