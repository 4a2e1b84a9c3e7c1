"""The PDF copy of a report submission, made from its frozen content."""

from __future__ import annotations

from django.utils import timezone

from tilskudd.documents.pdf import render_pdf

from .models import ReportReceipt


def render_receipt(job: ReportReceipt) -> tuple[bytes, str]:
    submission = job.submission
    pdf = render_pdf(
        "reporting/receipt_pdf.html",
        {
            "submission": submission,
            "content": submission.content,
            "submitted_at": timezone.localtime(submission.submitted_at),
            "submitted_by": submission.submitted_by,
        },
    )
    return pdf, f"{submission.reference}.pdf"
