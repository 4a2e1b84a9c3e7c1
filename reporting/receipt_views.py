"""The receipt of a sent report (the shared receipt page, tilskudd.receipts), the PDF
copy's state for the page's polling, and the PDF copy itself. Only members of the
organisation see them; everyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.money import format_nok
from tilskudd.receipts import Fact, Link, ReceiptWords, receipt_document_views, render_receipt

from . import selectors
from .models import ReportSubmission

REPORT_RECEIPT = ReceiptWords(
    title=gettext_lazy("Kvittering for rapport"), heading=gettext_lazy("Rapporten er sendt inn"),
    pdf_heading=gettext_lazy("PDF-kopi av rapporten"), thing=gettext_lazy("rapporten"),
)


def _facts(submission: ReportSubmission) -> list[Fact]:
    """The account as it was sent, the choice for unused funds, and where it stands."""
    choice = (submission.get_unused_choice_display() if submission.unused_choice
              else _("Ingen ubrukte midler"))
    status = (_("Sendt tilbake for retting") if submission.returned_at
              else submission.report.get_status_display())
    return [
        Fact(_("Innvilget"), format_nok(submission.granted_total)),
        Fact(_("Brukt"), format_nok(submission.used_total)),
        Fact(_("Ubrukt"), format_nok(submission.unused_total)),
        Fact(_("Ubrukte midler"), choice, id="unused-choice"),
        Fact(_("Status"), status),
    ]


@login_required
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    submission = selectors.submission_for_member(request.user, reference)
    return render_receipt(
        request, submission=submission, job=selectors.receipt_of(submission),
        words=REPORT_RECEIPT, facts=_facts(submission),
        pdf_url=reverse("reporting:receipt_pdf", args=[reference]),
        page_url=reverse("reporting:receipt", args=[reference]),
        status_url=reverse("reporting:receipt_status", args=[reference]),
        links=[Link(_("Til Mine rapporter"), reverse("reporting:list"))],
        content_template="reporting/includes/content.html",
        context={"report": submission.report},
    )


receipt_status, receipt_pdf = receipt_document_views(
    submission_for_member=selectors.submission_for_member, job_of=selectors.receipt_of,
    pdf_url_name="reporting:receipt_pdf",
)
