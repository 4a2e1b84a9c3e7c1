"""Reads for reporting, with their joins named."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications import selectors as application_selectors
from applications.models import Application
from tilskudd import access, deadlines, submissions
from tilskudd.audit import AuditAction
from tilskudd.models import AuditEvent, Membership, Organisation, User

from . import grants
from .models import (
    AttachmentKind,
    Report,
    ReportAttachment,
    ReportBpaLine,
    ReportCompetenceLine,
    ReportProject,
    ReportReceipt,
    ReportStatus,
    ReportSubmission,
)
from .transfer_models import RepaymentClaim, TransferLetter

#: Statuses of a report that has not been sent (or was sent back and not sent again).
UNSENT_STATUSES = [ReportStatus.DRAFT, ReportStatus.RETURNED]


def deadline_expression() -> Coalesce:
    """The deadline that applies to a report: an extension's, or the round's."""
    return Coalesce(F("extended_deadline"), F("application__round__reporting_deadline"))


def with_content(qs: QuerySet[Report]) -> QuerySet[Report]:
    """Everything the report page, the preview, the snapshot and the Excel file read, in a
    fixed number of queries (one for the report, one per part, one for attachments)."""
    return qs.select_related(
        "application__organisation__county__office", "application__round__scheme"
    ).prefetch_related(
        Prefetch("competence_lines",
                 queryset=ReportCompetenceLine.objects.select_related("source")),
        Prefetch("bpa_lines", queryset=ReportBpaLine.objects.select_related("source")),
        Prefetch("projects", queryset=ReportProject.objects.select_related("source")),
        Prefetch("attachments", queryset=ReportAttachment.objects.select_related("uploaded_by")),
    )


def report_for_member(user: User, pk: int) -> Report:
    """The report if `user` is a member of its organisation, else 404 (never 403)."""
    return get_object_or_404(
        with_content(Report.objects.filter(application__organisation__memberships__user=user)),
        pk=pk)


def report_with_content(pk: int) -> Report:
    return with_content(Report.objects.all()).get(pk=pk)


def transfer_letter_for(user: User, transfer_id: int) -> TransferLetter:
    """A transfer decision's letter, for a member of the recipient or the staff of its
    office (access.is_member_or_office_staff, as the change-request and repayment
    letters); 404 for anyone else, as for a transfer without a letter."""
    found = (TransferLetter.objects
             .select_related("transfer__report__application__organisation__county__office",
                             "transfer__report__application__round")
             .filter(transfer_id=transfer_id).first())
    if found is None or not access.is_member_or_office_staff(
            user, found.transfer.report.application.organisation):
        raise Http404
    return found


def repayment_claim_for(user: User, pk: int) -> RepaymentClaim:
    """A repayment claim with its letter and the claims it replaces and is replaced by,
    for a member of the recipient or the staff of its office (access.is_member_or_office_staff,
    as the transfer and change-request letters); 404 for anyone else, as for no claim."""
    claim = (RepaymentClaim.objects
             .select_related("report__application__organisation__county__office",
                             "report__application__round__scheme", "letter",
                             "replaces__report__application__round",
                             "replaced_by__report__application__round")
             .filter(pk=pk).first())
    if claim is None or not access.is_member_or_office_staff(
            user, claim.report.application.organisation):
        raise Http404
    return claim


def membership_for(user: User, report: Report) -> Membership | None:
    return access.membership_for(user, report.application.organisation_id)


def submission_for_member(user: User, reference: str) -> ReportSubmission:
    return submissions.submission_for_member(ReportSubmission, user, reference,
                                             application_path="report__application")


def latest_submission(report: Report) -> ReportSubmission | None:
    return report.submissions.order_by("-submitted_at", "-pk").first()


def reports_for_user(user: User) -> QuerySet[Report]:
    """"Mine rapporter": the reports of the user's organisations, with their submissions
    and receipts, in a fixed number of queries."""
    return (
        Report.objects.filter(application__organisation__memberships__user=user)
        .select_related("application__organisation", "application__round__scheme")
        .prefetch_related(submissions.submissions_with_receipts(ReportSubmission))
        .annotate(deadline_at=deadline_expression())
        .order_by("-application__round__year", "application__organisation__name")
    )


def live_reference() -> Subquery:
    return Subquery(
        ReportSubmission.objects.filter(report=OuterRef("pk"), returned_at__isnull=True)
        .order_by("-submitted_at").values("reference")[:1]
    )


def has_attachment(kind: str) -> Exists:
    return Exists(ReportAttachment.objects.filter(report=OuterRef("pk"), kind=kind))


def for_review(qs: QuerySet[Report]) -> QuerySet[Report]:
    """The caseworker's list: the reports with what the list shows, in one query."""
    return qs.select_related(
        "application__organisation__county__office", "application__round__scheme"
    ).annotate(
        deadline_at=deadline_expression(),
        reference=live_reference(),
        has_auditor_statement=has_attachment(AttachmentKind.AUDITOR_STATEMENT),
        has_project_accounts=has_attachment(AttachmentKind.PROJECT_ACCOUNTS),
    )


def overdue_condition(now: datetime) -> Q:
    """The rule for an overdue report, on a query annotated with `deadline_at`
    (`deadline_expression`): not sent (never, or not again after being returned for
    correction) and its deadline (extensions honoured) has passed. `is_overdue` is the
    same for one report in Python."""
    return Q(status__in=UNSENT_STATUSES, deadline_at__lt=deadlines.cutoff(now))


def is_overdue(report: Report, now: datetime) -> bool:
    return report.status in UNSENT_STATUSES and deadlines.has_passed(report.deadline, now)


def overdue(qs: QuerySet[Report], now: datetime) -> QuerySet[Report]:
    return qs.annotate(deadline_at=deadline_expression()).filter(overdue_condition(now))


def not_overdue(qs: QuerySet[Report], now: datetime) -> QuerySet[Report]:
    return qs.annotate(deadline_at=deadline_expression()).exclude(overdue_condition(now))


def overdue_reports_of(organisation: Organisation, now: datetime) -> list[Report]:
    return list(
        overdue(Report.objects.filter(application__organisation=organisation), now)
        .select_related("application__round__scheme")
        .order_by("application__round__year")
    )


def unsent_reports(now: datetime) -> QuerySet[Report]:
    """Reports not sent yet, whose deadline is still ahead: those reminders go to."""
    return (
        Report.objects.filter(status__in=UNSENT_STATUSES)
        .annotate(deadline_at=deadline_expression())
        .filter(deadline_at__gte=deadlines.cutoff(now))
        .select_related("application__organisation", "application__round__scheme")
    )


def report_id_for(application_id: int) -> int | None:
    """The id of the application's report, or None while it has none."""
    return Report.objects.filter(application_id=application_id).values_list(
        "pk", flat=True
    ).first()


def granted_without_report(
    *, organisation_ids: list[int] | None = None, round_ids: list[int] | None = None,
) -> list[Application]:
    """The granted applications (of these organisations, in these rounds) whose report is
    not opened yet, with organisation (county, office) and round, newest round first;
    three queries (two when every report is opened)."""
    granted = grants.granted_application_ids(organisation_ids=organisation_ids,
                                             round_ids=round_ids)
    opened = set(Report.objects.filter(application_id__in=granted)
                 .values_list("application_id", flat=True))
    return list(application_selectors.applications_with_ids(
        [pk for pk in granted if pk not in opened]))


def overdue_without_report(
    now: datetime, *, organisation_ids: list[int] | None = None,
    round_ids: list[int] | None = None,
) -> list[Application]:
    """The granted applications whose report was never opened although the round's
    reporting deadline has passed by `now` (`is_overdue_without_report`). The gate and the
    figures both count these."""
    return [
        application for application in granted_without_report(
            organisation_ids=organisation_ids, round_ids=round_ids)
        if is_overdue_without_report(application, now)
    ]


def is_overdue_without_report(application: Application, now: datetime) -> bool:
    """Whether a granted application whose report is not opened is overdue: as a report
    not sent is (`is_overdue`), by its round's reporting deadline, since without a report
    there is no extension."""
    return deadlines.has_passed(application.round.reporting_deadline, now)


def receipt_of(submission: ReportSubmission) -> ReportReceipt | None:
    """The submission's PDF receipt job, or None; no query when it was read with the
    submission (select_related "receipt")."""
    try:
        return submission.receipt
    except ObjectDoesNotExist:
        return None


#: What the report's history shows from its own tables rather than the audit trail.
HISTORY_FROM_TABLES = [AuditAction.REPORT_STATUS, AuditAction.REPORT_EXTEND_DEADLINE]


def audit_trail(report: Report) -> QuerySet[AuditEvent]:
    """The audit rows of the report (who, when, what changed), oldest first, besides the
    status changes and extensions its own tables hold."""
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Report), target_id=report.pk)
        .exclude(action__in=HISTORY_FROM_TABLES)
        .select_related("actor")
        .order_by("at", "pk")
    )
