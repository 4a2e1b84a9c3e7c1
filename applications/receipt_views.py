"""The receipt of a submitted application (the shared receipt page, tilskudd.receipts),
the PDF copy's state for the page's polling, and the PDF copy itself. Only members of
the organisation see them; everyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.money import format_nok
from tilskudd.receipts import (
    Fact,
    Link,
    ReceiptWords,
    receipt_document_views,
    render_receipt,
    when,
)
from tilskudd.status import grant_status

from . import selectors, services
from .models import Submission

APPLICATION_RECEIPT = ReceiptWords(
    title=gettext_lazy("Kvittering"), heading=gettext_lazy("Søknaden er sendt inn"),
    pdf_heading=gettext_lazy("PDF-kopi av søknaden"), thing=gettext_lazy("søknaden"),
)


def _pdf_url(submission: Submission) -> str:
    return reverse("applications:receipt_pdf", args=[submission.reference])


def _withdrawn_notice(submission: Submission) -> list[str]:
    if submission.withdrawn_at is None:
        return []
    return [
        _("Søknaden ble trukket %(at)s.") % {"at": when(submission.withdrawn_at)},
        _("Begrunnelse: %(reason)s") % {"reason": submission.withdraw_reason},
    ]


@login_required
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    submission = selectors.receipt_for_member(request.user, reference)
    application = submission.application
    membership = selectors.membership_for(request.user, application)
    links = [Link(_("Mine søknader"), reverse("applications:archive"))]
    if (submission.withdrawn_at is None and membership and membership.may_sign
            and services.withdrawal_refusal(application) is None):
        links.append(Link(_("Trekk søknaden"),
                          reverse("applications:withdraw", args=[application.pk])))
    content = submission.content
    return render_receipt(
        request, submission=submission, job=selectors.receipt_of(submission),
        words=APPLICATION_RECEIPT,
        facts=[
            Fact(_("Gjelder"), f"{content['scheme']} {content['round_year']}"),
            Fact(_("Sum søkt"), format_nok(submission.total_applied)),
            Fact(_("Status nå"), grant_status(application).label, "grant-status"),
        ],
        pdf_url=_pdf_url(submission),
        page_url=reverse("applications:receipt", args=[reference]),
        status_url=reverse("applications:receipt_status", args=[reference]),
        links=links, notice=_withdrawn_notice(submission), stylesheet="css/application.css",
        context={"application": application},
    )


receipt_status, receipt_pdf = receipt_document_views(
    submission_for_member=selectors.submission_for_member, job_of=selectors.receipt_of,
    pdf_url_name="applications:receipt_pdf",
)
