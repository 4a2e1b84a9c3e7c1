"""The office's review of a report: approve it, return it for correction with a
message, or give the organisation a later deadline. Reached through reporting.services."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import User
from tilskudd.services import audit
from tilskudd.workflow import require_status

from . import mail, repayments, rules, transfers
from .access import lock, require_staff, transition, when
from .models import DeadlineExtension, Report, ReportStatus


@transaction.atomic
def report_return(
    *, report: Report, user: User, message: str, now: datetime | None = None
) -> Report:
    """A caseworker of the office sends a submitted report back for correction, with a
    message the recipient sees; the recipient corrects it and sends it again. An undecided
    transfer request is withdrawn with it (reporting.transfers)."""
    now = now or timezone.now()
    report = lock(report)
    require_staff(user, report)
    message = (message or "").strip()
    if not message:
        raise ServiceError(
            _("Skriv en melding til mottakeren om hva som må rettes."), "message_required"
        )
    require_status(report, ReportStatus.SUBMITTED,
                   _("Bare en innsendt rapport kan sendes tilbake (rapporten er %(status)s)."),
                   "not_submitted")
    submission = report.submissions.select_for_update().get(returned_at__isnull=True)
    submission.returned_at = now
    submission.save(update_fields=["returned_at"])
    report.correction_message = message
    transition(report, ReportStatus.RETURNED, by=user, note=message)
    transfers.transfer_withdraw_on_return(report=report, user=user, message=message)
    mail.email_return(report, submission, message)
    return report


@transaction.atomic
def report_approve(*, report: Report, user: User, comment: str = "") -> Report:
    """A caseworker of the office approves a submitted report; unused funds the recipient
    chose to repay become a repayment claim, of at most what is left to claim. When that
    is less than the recipient chose, the report returned has the note saying so in
    `repayment_note` (for the caseworker's message; it is in the approval's audit row
    too), otherwise ""."""
    report = lock(report)
    require_staff(user, report)
    require_status(report, ReportStatus.SUBMITTED,
                   _("Bare en innsendt rapport kan godkjennes (rapporten er %(status)s)."),
                   "not_submitted")
    _claim, note = repayments.claim_for_repay_choice(report=report, user=user)
    transition(report, ReportStatus.APPROVED, by=user, note=(comment or "").strip(),
               audit_data={"repayment_note": note} if note else None)
    report.repayment_note = note
    return report


@transaction.atomic
def report_extend_deadline(
    *, report: Report, user: User, new_deadline: datetime, reason: str,
    now: datetime | None = None,
) -> DeadlineExtension:
    """The office gives one organisation a later deadline for its report, recorded with
    who, when, the new deadline and why."""
    now = now or timezone.now()
    report = lock(report)
    require_staff(user, report)
    if not report.is_editable:
        raise ServiceError(
            _("Rapporten er %(status)s, så fristen kan ikke utsettes.")
            % {"status": report.get_status_display().lower()},
            "not_editable",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Skriv hvorfor fristen utsettes."), "reason_required")
    if timezone.is_naive(new_deadline):
        raise ServiceError(_("Fristen må ha tidssone."), "naive_deadline")
    current = report.deadline
    if new_deadline <= current or new_deadline <= now:
        raise ServiceError(
            _("Ny frist må være senere enn gjeldende frist (%(current)s) og senere enn nå.")
            % {"current": when(current)},
            "not_later",
        )
    if new_deadline > rules.latest_extension_allowed(report.application.round.reporting_deadline):
        raise ServiceError(
            _("Fristen kan utsettes med høyst ett år."), "too_late"
        )
    extension = DeadlineExtension(
        report=report, previous_deadline=current, new_deadline=new_deadline, reason=reason,
        granted_by=user, granted_at=now,
    )
    extension.full_clean()
    extension.save()
    report.extended_deadline = new_deadline
    report.updated_at = now
    report.save(update_fields=["extended_deadline", "updated_at"])
    audit(actor=user, action=AuditAction.REPORT_EXTEND_DEADLINE, target=report,
          before={"deadline": current.astimezone(UTC).isoformat()},
          after={"deadline": new_deadline.astimezone(UTC).isoformat()},
          reason=reason)
    mail.email_extension(report, new_deadline)
    return extension
