"""The PDF copy of a submission, made from its frozen content."""

from __future__ import annotations

from django.utils import timezone

from tilskudd.documents.pdf import render_pdf

from .models import ReceiptDocument


def render_receipt(job: ReceiptDocument) -> tuple[bytes, str]:
    submission = job.submission
    content = submission.content
    pdf = render_pdf(
        "applications/receipt_pdf.html",
        {
            "submission": submission,
            "content": content,
            "submitted_at": timezone.localtime(submission.submitted_at),
            "submitted_by": submission.submitted_by,
        },
    )
    return pdf, f"{submission.reference}.pdf"
