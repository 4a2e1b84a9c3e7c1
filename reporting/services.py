"""Every change to a report goes through one of these functions: the recipient's side
(open, save the draft, attachments, submit) here, the office's review in review.py; both
are imported from this module.

Who may do what and REPORT_WORKFLOW live in access.py, the e-mails in mail.py."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import selectors as application_selectors
from applications.models import Application
from tilskudd.access import require_membership
from tilskudd.audit import AuditAction, changes, snapshot
from tilskudd.errors import ServiceError
from tilskudd.models import User
from tilskudd.services import audit

from . import grants, mail, rules, selectors, transfers
from .access import (
    REPORT_WORKFLOW,
    ensure_editable,
    lock,
    office_of,
    require_editable,
    require_signatory,
    transition,
    when,
)
from .changes import services as change_services
from .mail import contact_emails
from .models import (
    LINE_MODELS,
    AttachmentKind,
    Report,
    ReportAttachment,
    ReportReceipt,
    ReportStatus,
    ReportSubmission,
)
from .review import report_approve, report_extend_deadline, report_return
from .snapshot import account, report_snapshot

#: The public names other modules import from here.
__all__ = [
    "REPORT_WORKFLOW", "contact_emails", "ensure_editable", "office_of", "report_approve",
    "report_attachment_add", "report_attachment_remove", "report_extend_deadline",
    "report_open", "report_return", "report_submit", "report_update", "reports_open_due",
    "transition", "when",
]

#: What the recipient writes in the report's header.
HEADER_FIELDS = ["text_report", "unused_choice", "transfer_reason"]
#: What the audit trail shows before and after a save of the draft.
AUDITED_FIELDS = [*HEADER_FIELDS, "used_total"]
#: What the recipient fills in on each line, by part.
LINE_FIELDS = {
    "competence": ["completed", "still_studying", "stopped", "persons_explanation",
                   "amount_used"],
    "bpa": ["trained", "amount_used"],
    "projects": ["status", "goal_achievement", "results", "continues", "amount_used"],
}
PARTS = LINE_MODELS
ZERO = Decimal(0)

logger = logging.getLogger(__name__)


#: Report references: RAP-2026-5001-7F3K.
REFERENCE_PREFIX = "RAP"


# --- opening --------------------------------------------------------------------------------


@transaction.atomic
def report_open(
    *, application: Application, user: User | None = None, now: datetime | None = None
) -> Report:
    """Open the report on a granted application, prefilled from the decision: one line per
    granted line. A second call returns the same report. `user` None: the system (beat)."""
    now = now or timezone.now()
    application = application_selectors.applications_with_ids([application.pk]).get()
    if user is not None:
        require_membership(user, application.organisation)
    # A change decision's locks in its order (the change request, then the report), so a
    # decision at the same time waits for this opening and then moves its lines, or this
    # opening for the decision and then reads the grant as the decision left it.
    change_services.lock_pending(application.pk)
    existing = Report.objects.select_for_update(of=("self",)).filter(
        application=application).first()
    if existing:
        return existing
    rnd = application.round
    if not rnd.reporting_open_at(now):
        raise ServiceError(
            _("Rapporteringen for %(round)s åpner %(opens)s.")
            % {"round": rnd, "opens": when(rnd.reporting_opens_at)},
            "not_open",
        )
    grant = grants.grant_for(application.pk)
    if grant is None:
        raise ServiceError(
            _("Søknaden har ikke fått innvilget tilskudd, så det skal ikke rapporteres på den."),
            "no_grant",
        )
    transfers.lock_year_before(application)  # before transferred_into reads its decision
    try:
        with transaction.atomic():
            report = Report(
                application=application,
                granted_total=grant.granted_total,
                auditor_required=rules.auditor_required(grant.granted_total),
                transferred_in=transfers.transferred_into(application),
                created_at=now,
                updated_at=now,
            )
            # The one-report-per-application rule is the database's to keep, so two
            # requests at once end in the IntegrityError below, not in a ValidationError.
            report.full_clean(validate_unique=False)
            report.save()
    except IntegrityError:  # a parallel request (or the beat) opened it first
        return Report.objects.get(application=application)
    sources = {
        "competence": application.competence_lines.all(),
        "bpa": application.bpa_lines.all(),
        "projects": application.projects.all(),
    }
    for part, lines in sources.items():
        rows = [
            PARTS[part](report=report, source=line, granted=grant.granted_for(part, line.pk))
            for line in lines
            if grant.granted_for(part, line.pk) > 0
        ]
        PARTS[part].objects.bulk_create(rows)
    audit(actor=user, action=AuditAction.REPORT_OPEN, target=report, before={"status": ""},
          after={"status": report.status}, granted=str(grant.granted_total))
    return report


def reports_open_due(*, now: datetime | None = None) -> list[Report]:
    """Open the report of every granted application whose round's reporting has opened
    (the daily task; a recipient may open theirs earlier by visiting the page)."""
    now = now or timezone.now()
    due = sorted(selectors.granted_without_report(), key=lambda application: application.pk)
    opened = []
    for application in due:
        if not application.round.reporting_open_at(now):
            continue
        try:
            opened.append(report_open(application=application, now=now))
        except ServiceError:  # one that cannot be opened must not stop the others
            logger.exception("Could not open the report of application %s", application.pk)
    return opened


# --- the recipient's draft --------------------------------------------------------------------


def _recompute_used(report: Report) -> None:
    report.used_total = sum(
        (model.objects.filter(report=report).aggregate(s=Sum("amount_used"))["s"] or ZERO
         for model in PARTS.values()),
        start=ZERO,
    )


@transaction.atomic
def report_update(
    *,
    report: Report,
    user: User,
    header: dict[str, Any] | None = None,
    competence: list[dict[str, Any]] | None = None,
    bpa: list[dict[str, Any]] | None = None,
    projects: list[dict[str, Any]] | None = None,
    source: str = "form",
) -> Report:
    """Save what the recipient has written. The lines are fixed by the decision: each
    dict names an existing line by "id" and gives its fields; none is added or removed.
    The account (used in total) is computed here from the stored lines."""
    require_membership(user, report.application.organisation)
    report = lock(report)
    require_editable(report)
    before = snapshot(report, AUDITED_FIELDS)
    if header is not None:
        for key in HEADER_FIELDS:
            if key in header:
                setattr(report, key, header[key] if header[key] is not None else "")
    for part, values in (("competence", competence), ("bpa", bpa), ("projects", projects)):
        if values is None:
            continue
        model = PARTS[part]
        existing = {line.pk: line for line in model.objects.filter(report=report)}
        for data in values:
            line = existing.get(data.get("id"))
            if line is None:
                raise ServiceError(_("Linjen hører ikke til denne rapporten."), "unknown_line")
            for key in LINE_FIELDS[part]:
                if key in data:
                    value = data[key]
                    if value is None and not model._meta.get_field(key).null:
                        value = ""  # a text or choice left empty
                    setattr(line, key, value)
            try:
                line.full_clean(exclude=["report", "source"])
            except ValidationError as error:
                raise ServiceError(" ".join(error.messages), "invalid") from error
            line.save()
    _recompute_used(report)
    report.updated_at = timezone.now()
    report.full_clean()
    report.save()
    changed = [name for name, value in (("header", header), ("competence", competence),
                                        ("bpa", bpa), ("projects", projects)) if value is not None]
    before, after = changes(before, snapshot(report, AUDITED_FIELDS))
    audit(actor=user, action=AuditAction.REPORT_UPDATE, target=report, before=before,
          after=after, sections=changed, source=source)
    return report


@transaction.atomic
def report_attachment_add(
    *, report: Report, user: User, uploaded: UploadedFile, kind: str, title: str = ""
) -> ReportAttachment:
    """Attach a PDF, checked by its content (not its name) and its size."""
    require_membership(user, report.application.organisation)
    report = lock(report)
    require_editable(report)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Velg hva slags vedlegg dette er.")})
    attachment = ReportAttachment.store_pdf(
        uploaded, uploaded_by=user, title=(title or "").strip(),
        max_bytes=rules.MAX_ATTACHMENT_BYTES, report=report, kind=kind,
    )
    report.updated_at = timezone.now()
    report.save(update_fields=["updated_at"])
    audit(actor=user, action=AuditAction.REPORT_ATTACHMENT_ADD, target=report,
          after={"attachment": attachment.title}, kind=kind, sha256=attachment.sha256)
    return attachment


@transaction.atomic
def report_attachment_remove(*, attachment: ReportAttachment, user: User) -> None:
    report = attachment.report
    require_membership(user, report.application.organisation)
    report = lock(report)
    require_editable(report)
    title = attachment.title
    attachment.discard()
    audit(actor=user, action=AuditAction.REPORT_ATTACHMENT_REMOVE, target=report,
          before={"attachment": title})


# --- submit, receipt ---------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, report: Report, user: User, now: datetime | None = None) -> ReportSubmission:
    """Send the report. Atomic and idempotent: a double click gets the same submission.
    Refused for non-signatories, after the deadline (extensions honoured; a report the
    office returned for correction may be sent again after it), or while a rule is broken
    (the required attachment among them); a refusal changes nothing."""
    now = now or timezone.now()
    require_signatory(user, report)
    report = lock(report)
    if report.status == ReportStatus.SUBMITTED:
        return report.submissions.get(returned_at__isnull=True)
    require_editable(report)
    if report.status == ReportStatus.DRAFT and not rules.accepts_report_at(report.deadline, now):
        raise ServiceError(
            _("Fristen for rapporten gikk ut %(deadline)s. Rapporten er ikke sendt, men "
              "utkastet er lagret. Kontakt %(office)s om du trenger utsatt frist.")
            % {"deadline": when(report.deadline), "office": office_of(report).name},
            "deadline_passed",
        )
    report = selectors.report_with_content(report.pk)
    broken = rules.check_report(report)
    if broken:
        raise ServiceError(
            _("Rapporten kan ikke sendes før feilene er rettet."), "rules", errors=broken
        )
    sums = account(report)
    unused = sums["unused"]
    submission = ReportSubmission.create_with_reference(
        prefix=REFERENCE_PREFIX, year=report.application.round.year,
        organisation=report.application.organisation,
        report=report, submitted_at=now, submitted_by=user, content=report_snapshot(report),
        granted_total=sums["granted"], used_total=sums["used"], unused_total=unused,
        unused_choice=report.unused_choice if unused > 0 else "",
    )
    report.correction_message = ""
    transition(report, ReportStatus.SUBMITTED, by=user, note=submission.reference)
    transfers.transfer_reopen_on_submit(report=report, submission=submission, user=user,
                                        now=now)
    receipt = ReportReceipt.objects.create(submission=submission)
    receipt.enqueue_on_commit()
    mail.email_receipt(submission, report)
    return submission
