"""Reports in the applicant's archive ("Mine søknader"): the receipt of each sending, and
a link to write the report while it is open."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.archive import ArchiveDocument
from tilskudd.submissions import submissions_with_receipts

from .models import Report, ReportStatus, ReportSubmission


def report_documents(application_ids: list[int]) -> Iterable[ArchiveDocument]:
    reports = Report.objects.filter(application_id__in=application_ids).prefetch_related(
        submissions_with_receipts(ReportSubmission, order=("submitted_at", "pk")))
    for report in reports:
        for submission in report.submissions.all():
            receipt = getattr(submission, "receipt", None)
            ready = receipt is not None and receipt.is_ready
            yield ArchiveDocument(
                application_id=report.application_id,
                title=_("Rapport %(ref)s (kvittering)") % {"ref": submission.reference},
                status=receipt.get_status_display() if receipt else "",
                created_at=submission.submitted_at,
                url=reverse("reporting:receipt_pdf", args=[submission.reference]) if ready
                else "",
                sha256=receipt.sha256 if ready else "",
            )
        if report.is_editable:
            yield ArchiveDocument(
                application_id=report.application_id,
                # the status line of the row says where the report stands (tilskudd.status)
                title=_("Rapport"),
                status="",
                created_at=report.created_at,
                action_url=reverse("reporting:edit", args=[report.pk]),
                action_label=_("Rett rapporten") if report.status == ReportStatus.RETURNED
                else _("Skriv rapporten"),
            )
