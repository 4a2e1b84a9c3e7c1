"""The transfer decision as a PDF letter (TransferLetter, made by a Celery job when the
office decides: reporting.transfers._decide): the decision on the recipient's request to
transfer unused funds to next year, approved or refused, with the amounts, the grounds and
what the recipient may do; and the letters in the archive. Written to the organisation in
its language form (LetterJob), as the change-request and repayment letters are."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilskudd.archive import ArchiveDocument
from tilskudd.documents.pdf import render_pdf
from tilskudd.links import absolute_url
from tilskudd.money import format_nok

from .access import office_of
from .repayments import claim_reference
from .transfer_models import (
    ClaimCause,
    ClaimStatus,
    TransferDecision,
    TransferLetter,
    TransferStatus,
)


def transfer_reference(transfer: TransferDecision) -> str:
    """«OVF-2026-00042»: the decision's reference, to quote in all contact about it."""
    return f"OVF-{transfer.report.application.round.year}-{transfer.pk:05d}"


def letter_url(transfer: TransferDecision) -> str:
    return reverse("reporting:transfer_letter", args=[transfer.pk])


def letter_create(transfer: TransferDecision) -> TransferLetter:
    """The decided transfer's letter job, sent to the worker once committed."""
    letter = TransferLetter(transfer=transfer, created_at=transfer.decided_at)
    letter.full_clean()
    letter.save()
    letter.enqueue_on_commit()
    return letter


def letter_context(transfer: TransferDecision, letter: TransferLetter) -> dict[str, Any]:
    report = transfer.report
    application = report.application
    approved = transfer.status == TransferStatus.APPROVED
    # a refusal claims back what was left to claim (repayments.capped_to_left): the claim
    # made with the decision, if any, in the same transaction
    claim = None if approved else (
        report.repayment_claims.filter(cause=ClaimCause.TRANSFER_REFUSED)
        .exclude(status=ClaimStatus.CANCELLED).order_by("pk").first())
    submission = report.submissions.filter(returned_at__isnull=True).first()
    return {
        "transfer": transfer, "letter": letter, "approved": approved,
        "reference": transfer_reference(transfer),
        "report": report, "application": application,
        "organisation": application.organisation, "office": office_of(report),
        "round": application.round, "next_year": application.round.year + 1,
        # the letter's own row of its head (documents/letterhead.html), after our reference
        "letterhead_rows": [(_("Deres rapport"), _("%(ref)s, sendt %(date)s") % {
            "ref": submission.reference,
            "date": date_format(timezone.localtime(submission.submitted_at), "DATE_FORMAT")})
        ] if submission else [],
        "letter_date": timezone.localtime(letter.created_at),
        "transferred": transfer.amount if approved else Decimal(0),
        "claim": claim, "claim_reference": claim_reference(claim) if claim else "",
        # over the threshold one proposed and another decided (four eyes)
        "caseworker": transfer.proposed_by or transfer.decided_by,
        "approver": transfer.decided_by if transfer.proposed_by_id else None,
    }


def render_transfer_letter(job: TransferLetter) -> tuple[bytes, str]:
    transfer = (TransferDecision.objects
                .select_related("report__application__organisation__county__office",
                                "report__application__round__scheme", "proposed_by",
                                "decided_by")
                .get(pk=job.transfer_id))
    pdf = render_pdf("reporting/transfer_letter_pdf.html", letter_context(transfer, job))
    kind = ("overforing-godkjent" if transfer.status == TransferStatus.APPROVED
            else "overforing-avslag")
    return pdf, f"{kind}-{transfer_reference(transfer)}.pdf"


def letter_sentence(transfer: TransferDecision) -> str:
    """What the decision's e-mail says of the letter (in the e-mail's language)."""
    return _("Brevet om vedtaket ligger i portalen: %(url)s") % {
        "url": absolute_url("reporting:transfer_letter", transfer.pk)}


def transfer_documents(application_ids: list[int]) -> Iterable[ArchiveDocument]:
    """Every transfer decision's letter, with its checksum, in the archive. One query."""
    letters = (TransferLetter.objects
               .filter(transfer__report__application_id__in=application_ids)
               .select_related("transfer__report__application__round")
               .order_by("created_at", "pk"))
    for letter in letters:
        transfer = letter.transfer
        ready = letter.is_ready
        yield ArchiveDocument(
            application_id=transfer.report.application_id,
            title=_("Vedtak om overføring %(ref)s (%(amount)s, %(status)s)") % {
                "ref": transfer_reference(transfer), "amount": format_nok(transfer.amount),
                "status": transfer.get_status_display().lower()},
            status=letter.get_status_display(),
            created_at=letter.created_at,
            url=letter_url(transfer) if ready else "",
            sha256=letter.sha256 if ready else "",
        )
