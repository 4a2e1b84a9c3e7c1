"""A repayment claim's page and its letter (PDF), for the recipient's members and the
office's staff (selectors.repayment_claim_for); everyone else gets 404. Each download is
audited.

A cancelled claim's letter stays the file that was sent (its SHA-256 is in the archive),
so the mark is put where the letter is fetched: its link leads to the claim's page, which
says the claim is cancelled, when and why (and which claim replaces it), next to the link
to the original letter (`?original=1`), whose file name says «kansellert» too."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd import access
from tilskudd.documents.responses import document_download

from .repayments import ORIGINAL, claim_reference, letter_url
from .selectors import repayment_claim_for
from .transfer_models import ClaimStatus


@login_required
def repayment_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = repayment_claim_for(request.user, pk)
    replacement = getattr(claim, "replaced_by", None)
    return render(request, "reporting/repayment_claim.html", {
        "claim": claim, "reference": claim_reference(claim),
        "application": claim.report.application,
        # the office's staff read it too, but only members have Mine søknader to go back to
        "is_member": access.is_member(request.user, claim.report.application.organisation),
        "office": claim.report.application.organisation.county.office,
        "letter": getattr(claim, "letter", None),
        "letter_url": letter_url(claim),
        "replacement": replacement,
        "replacement_reference": claim_reference(replacement) if replacement else "",
        "replacement_url": reverse("reporting:repayment_claim", args=[replacement.pk])
        if replacement else "",
        "replaces_reference": claim_reference(claim.replaces) if claim.replaces else "",
    })


@login_required
def repayment_letter(request: HttpRequest, pk: int) -> HttpResponse:
    claim = repayment_claim_for(request.user, pk)
    filename = claim_reference(claim)
    if claim.status == ClaimStatus.CANCELLED:
        if request.GET.get(ORIGINAL) != "1":  # an old link: the page says it is cancelled
            return redirect("reporting:repayment_claim", claim.pk)
        filename = f"{filename}-{_('kansellert')}"
    return document_download(getattr(claim, "letter", None), f"{filename}.pdf",
                             user=request.user)
