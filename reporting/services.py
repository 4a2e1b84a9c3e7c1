"""Every change to a report goes through one of these functions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from tilskudd.audit import AuditAction, changes, snapshot
from tilskudd.errors import ServiceError
from tilskudd.models import (
    Membership,
    MembershipRole,
    Office,
    OfficeMembership,
    Organisation,
    User,
)
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.services import audit
from tilskudd.workflow import Workflow

from . import grants, rules, selectors
from .models import (
    ALLOWED_TRANSITIONS,
    AttachmentKind,
    DeadlineExtension,
    Report,
    ReportAttachment,
    ReportBpaLine,
    ReportCompetenceLine,
    ReportEvent,
    ReportProject,
    ReportReceipt,
    ReportStatus,
    ReportSubmission,
)
from .snapshot import account, report_snapshot

#: What the recipient writes in the report's header.
HEADER_FIELDS = ["text_report", "unused_choice", "transfer_reason"]
#: What the audit trail shows before and after a save of the draft.
AUDITED_FIELDS = [*HEADER_FIELDS, "used_total"]
#: What the recipient fills in on each line, by part.
LINE_FIELDS = {
    "competence": ["completed", "still_studying", "stopped", "amount_used"],
    "bpa": ["trained", "amount_used"],
    "projects": ["status", "goal_achievement", "results", "continues", "amount_used"],
}
PARTS = {"competence": ReportCompetenceLine, "bpa": ReportBpaLine, "projects": ReportProject}
DATE_TIME = "j. F Y \\k\\l. H:i"
ZERO = Decimal(0)

logger = logging.getLogger(__name__)


#: Report references: RAP-2026-5001-7F3K.
REFERENCE_PREFIX = "RAP"


def when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), DATE_TIME)


# --- who may do what ----------------------------------------------------------------------


def _membership(user: User, organisation: Organisation) -> Membership:
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise ServiceError(_("Du har ikke tilgang til denne organisasjonen."), "not_member")
    return membership


def _require_signatory(user: User, report: Report) -> None:
    organisation = report.application.organisation
    if _membership(user, organisation).role != MembershipRole.SIGNATORY:
        raise ServiceError(
            _("Bare den som har signaturrett for %(org)s kan sende inn rapporten.")
            % {"org": organisation.name},
            "not_signatory",
        )


def _require_editable(report: Report) -> None:
    if not report.is_editable:
        raise ServiceError(
            _("Rapporten er %(status)s og kan ikke endres.")
            % {"status": report.get_status_display().lower()},
            "not_editable",
        )


def ensure_editable(*, report: Report, user: User) -> None:
    """Raise ServiceError unless `user` may change the report now (an Excel upload asks
    before it reads the file)."""
    _membership(user, report.application.organisation)
    _require_editable(report)


def office_of(report: Report) -> Office:
    return report.application.organisation.county.office


def _require_staff(user: User, report: Report) -> OfficeMembership:
    office = office_of(report)
    membership = (
        OfficeMembership.objects.filter(user=user, user__is_active=True)
        .select_related("office").first()
    )
    if membership is None or membership.office_id != office.pk:
        raise ServiceError(
            _("Du arbeider ikke ved %(office)s og kan ikke behandle denne rapporten.")
            % {"office": office.name},
            "not_office_staff",
        )
    return membership


def _lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("application__organisation__county__office", "application__round")
        .get(pk=report.pk)
    )


#: The one place a report's status changes (see tilskudd.workflow): it refuses moves the
#: workflow lacks, saves the report (with whatever else the caller set on it) and records
#: the step and one audit row with the status before and after.
REPORT_WORKFLOW = Workflow(
    history=ReportEvent, subject="report", allowed=ALLOWED_TRANSITIONS,
    action=AuditAction.REPORT_STATUS, status_choices=ReportStatus,
    refusal=gettext_lazy("Rapporten kan ikke gå fra «%(from)s» til «%(to)s»."),
)


def transition(report: Report, to: ReportStatus, *, by: User, note: str = "") -> ReportEvent:
    return REPORT_WORKFLOW.transition(report, to, by=by, note=note)


# --- opening --------------------------------------------------------------------------------


@transaction.atomic
def report_open(
    *, application: Application, user: User | None = None, now: datetime | None = None
) -> Report:
    """Open the report on a granted application, prefilled from the decision: one line per
    granted line. A second call returns the same report. `user` None: the system (beat)."""
    now = now or timezone.now()
    application = Application.objects.select_related("organisation", "round").get(
        pk=application.pk
    )
    if user is not None:
        _membership(user, application.organisation)
    existing = Report.objects.filter(application=application).first()
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
    try:
        with transaction.atomic():
            report = Report(
                application=application,
                granted_total=grant.granted_total,
                auditor_required=rules.auditor_required(grant.granted_total),
                transferred_in=application.transferred_funds,
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
    ids = grants.granted_application_ids()
    due = (
        Application.objects.filter(pk__in=ids, report__isnull=True)
        .select_related("round")
        .order_by("pk")
    )
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
    _membership(user, report.application.organisation)
    report = _lock(report)
    _require_editable(report)
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
    _membership(user, report.application.organisation)
    report = _lock(report)
    _require_editable(report)
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
    _membership(user, report.application.organisation)
    report = _lock(report)
    _require_editable(report)
    title = attachment.title
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.delete(save=False))
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
    _require_signatory(user, report)
    report = _lock(report)
    if report.status == ReportStatus.SUBMITTED:
        return report.submissions.get(returned_at__isnull=True)
    _require_editable(report)
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
    receipt = ReportReceipt.objects.create(submission=submission)
    receipt.enqueue_on_commit()
    _email_receipt_on_commit(submission, report)
    return submission


def _recipient_emails(report: Report) -> list[str]:
    """The contact person of the application and the organisation's signatories."""
    application = report.application
    signatories = Membership.objects.filter(
        organisation_id=application.organisation_id, role=MembershipRole.SIGNATORY,
        user__is_active=True,
    ).values_list("user__email", flat=True)
    return sorted({application.contact_email, *signatories} - {""})


def contact_emails(report: Report) -> list[str]:
    """The contact person; the signatories when the application names none."""
    contact = report.application.contact_email
    return [contact] if contact else _recipient_emails(report)


def _email_receipt_on_commit(submission: ReportSubmission, report: Report) -> None:
    recipients = sorted({submission.submitted_by.email, report.application.contact_email} - {""})
    content = submission.content
    subject = _("Kvittering: rapport sendt inn (%(ref)s)") % {"ref": submission.reference}
    body = _(
        "Rapporten er sendt inn.\n\n"
        "Referansenummer: %(ref)s\n"
        "Sendt: %(at)s\n"
        "Avsender: %(org)s\n"
        "Mottaker: %(office)s\n"
        "Innvilget: %(granted)s, brukt: %(used)s, ubrukt: %(unused)s\n"
        "%(choice)s\n"
        "Oppgi referansenummeret i all kontakt om rapporten. En PDF-kopi ligger under "
        "«Mine rapporter» i portalen."
    ) % {
        "ref": submission.reference,
        "at": when(submission.submitted_at),
        "org": content["organisation"]["name"],
        "office": content["office"],
        "granted": format_nok(submission.granted_total),
        "used": format_nok(submission.used_total),
        "unused": format_nok(submission.unused_total),
        "choice": submission.get_unused_choice_display() if submission.unused_choice else "",
    }
    queue_email(to=recipients, subject=subject, body=body, kind="report_receipt",
                reference=submission.reference)


# --- the office's review ------------------------------------------------------------------------


@transaction.atomic
def report_return(
    *, report: Report, user: User, message: str, now: datetime | None = None
) -> Report:
    """A caseworker of the office sends a submitted report back for correction, with a
    message the recipient sees; the recipient corrects it and sends it again."""
    now = now or timezone.now()
    report = _lock(report)
    _require_staff(user, report)
    message = (message or "").strip()
    if not message:
        raise ServiceError(
            _("Skriv en melding til mottakeren om hva som må rettes."), "message_required"
        )
    if report.status != ReportStatus.SUBMITTED:
        raise ServiceError(
            _("Bare en innsendt rapport kan sendes tilbake (rapporten er %(status)s).")
            % {"status": report.get_status_display().lower()},
            "not_submitted",
        )
    submission = report.submissions.select_for_update().get(returned_at__isnull=True)
    submission.returned_at = now
    submission.save(update_fields=["returned_at"])
    report.correction_message = message
    transition(report, ReportStatus.RETURNED, by=user, note=message)
    recipients = _recipient_emails(report)
    if recipients:
        subject = _("Rapporten må rettes: %(round)s") % {"round": report.application.round}
        body = _(
            "%(office)s har sendt rapporten %(ref)s tilbake for retting:\n\n%(message)s\n\n"
            "Rett rapporten og send den inn på nytt: %(path)s"
        ) % {"office": office_of(report).name, "ref": submission.reference, "message": message,
             "path": reverse("reporting:edit", args=[report.pk])}
        queue_email(to=recipients, subject=subject, body=body, kind="report_return",
                    reference=submission.reference)
    return report


@transaction.atomic
def report_approve(*, report: Report, user: User, comment: str = "") -> Report:
    """A caseworker of the office approves a submitted report."""
    report = _lock(report)
    _require_staff(user, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ServiceError(
            _("Bare en innsendt rapport kan godkjennes (rapporten er %(status)s).")
            % {"status": report.get_status_display().lower()},
            "not_submitted",
        )
    transition(report, ReportStatus.APPROVED, by=user, note=(comment or "").strip())
    return report


@transaction.atomic
def report_extend_deadline(
    *, report: Report, user: User, new_deadline: datetime, reason: str,
    now: datetime | None = None,
) -> DeadlineExtension:
    """The office gives one organisation a later deadline for its report, recorded with
    who, when, the new deadline and why."""
    now = now or timezone.now()
    report = _lock(report)
    _require_staff(user, report)
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
    recipients = _recipient_emails(report)
    if recipients:
        subject = _("Utsatt frist for rapporten: %(round)s") % {"round": report.application.round}
        body = _("%(office)s har utsatt fristen for rapporten fra %(org)s til %(deadline)s.")
        body %= {"office": office_of(report).name,
                 "org": report.application.organisation.name,
                 "deadline": when(new_deadline)}
        queue_email(to=recipients, subject=subject, body=body, kind="report_extend_deadline",
                    reference=str(report.pk))
    return extension
