"""The repayment letter (PDF) for the recipient's members and the office's staff; everyone
else gets 404. Each download is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from tilskudd import access
from tilskudd.documents.responses import document_download

from .repayments import claim_reference
from .transfer_models import RepaymentClaim


@login_required
def repayment_letter(request: HttpRequest, pk: int) -> HttpResponse:
    claim = (RepaymentClaim.objects
             .select_related("report__application__organisation__county__office",
                             "report__application__round", "letter")
             .filter(pk=pk).first())
    if claim is None:
        raise Http404
    organisation = claim.report.application.organisation
    if not (access.is_member(request.user, organisation)
            or access.is_office_staff(request.user, organisation.county.office)):
        raise Http404
    return document_download(getattr(claim, "letter", None), f"{claim_reference(claim)}.pdf",
                             user=request.user)
