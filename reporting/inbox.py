"""What reporting puts in the inbox (tilskudd.inbox): a report to write (also one not
opened yet, with its deadline), a report to correct with the office's message, an overdue
report that stops the next application, and the reports sent, returned and approved
lately. Registered in ReportingConfig.ready(); a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.audit import AuditAction
from tilskudd.inbox import (
    REPORT,
    REPORT_OVERDUE,
    REPORT_RETURNED,
    InboxEvent,
    InboxItem,
    audited_targets,
    due_text,
)
from tilskudd.models import Membership, OfficeMembership, User
from tilskudd.receipts import when
from tilskudd.selectors import open_rounds

from . import gates, selectors
from .models import OverdueRule, Report, ReportStatus


def _overdue(name: str, organisation: str, url: str, due: datetime, now: datetime,
             blocks: bool) -> InboxItem:
    """An overdue report: it stops the next application, or (where the open round only
    warns) is to be sent as soon as possible; the gate's own words either way."""
    consequence = (_("En ny søknad kan ikke sendes inn før rapporten er sendt.") if blocks
                   else _("Send rapporten så snart som mulig."))
    return InboxItem(
        kind=REPORT_OVERDUE, title=_("Rapporten for %(name)s er forsinket") % {"name": name},
        detail=" ".join([due_text(due, now), consequence]),
        url=url, link_text=_("Skriv rapporten"), organisation=organisation, due=due,
        blocking=blocks,
    )


def _overdue_blocks() -> bool:
    """Whether an overdue report stops an application in the next open round (its rule)."""
    return gates.overdue_rule(open_rounds().first()) == OverdueRule.BLOCK


def report_items(
    user: User, memberships: Sequence[Membership], now: datetime
) -> Iterable[InboxItem]:
    organisation_ids = [m.organisation_id for m in memberships]
    reports = (
        Report.objects.filter(application__organisation_id__in=organisation_ids,
                              status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
        .select_related("application__organisation", "application__round__scheme")
        .annotate(deadline_at=selectors.deadline_expression())
        .order_by("deadline_at", "pk")
    )
    blocks = None  # the open round's overdue rule, read only if a report is overdue
    for report in reports:
        name = report.application.round.title
        organisation = report.application.organisation.name
        url = reverse("reporting:edit", args=[report.pk])
        if report.status == ReportStatus.RETURNED:
            yield InboxItem(
                kind=REPORT_RETURNED,
                title=_("Rett rapporten for %(name)s") % {"name": name},
                detail=" ".join([
                    _("Statsforvalteren har sendt rapporten tilbake: «%(message)s»")
                    % {"message": report.correction_message},
                    due_text(report.deadline_at, now)]),
                url=url, link_text=_("Rett rapporten"), organisation=organisation,
                due=report.deadline_at,
            )
        elif selectors.is_overdue(report, now):
            blocks = _overdue_blocks() if blocks is None else blocks
            yield _overdue(name, organisation, url, report.deadline_at, now, blocks)
        else:
            yield InboxItem(
                kind=REPORT, title=_("Skriv rapporten for %(name)s") % {"name": name},
                detail=due_text(report.deadline_at, now), url=url,
                link_text=_("Skriv rapporten"), organisation=organisation,
                due=report.deadline_at,
            )
    for application in selectors.granted_without_report(organisation_ids=organisation_ids):
        rnd = application.round
        name = rnd.title
        organisation = application.organisation.name
        url = reverse("reporting:list")
        if selectors.is_overdue_without_report(application, now):
            blocks = _overdue_blocks() if blocks is None else blocks
            yield _overdue(name, organisation, url, rnd.reporting_deadline, now, blocks)
            continue
        detail = due_text(rnd.reporting_deadline, now)
        if not rnd.reporting_open_at(now):
            detail = " ".join([_("Rapporteringen åpner %(at)s.") % {
                "at": when(rnd.reporting_opens_at)}, detail])
        yield InboxItem(
            kind=REPORT, title=_("Skriv rapporten for %(name)s") % {"name": name},
            detail=detail, url=url, link_text=_("Til rapportene"),
            organisation=organisation, due=rnd.reporting_deadline,
        )


EVENT_TEXTS = {
    ReportStatus.SUBMITTED: gettext_lazy("%(org)s: rapporten for %(name)s ble sendt inn av "
                                         "%(who)s."),
    ReportStatus.RETURNED: gettext_lazy("%(org)s: Statsforvalteren sendte rapporten for "
                                        "%(name)s tilbake for retting."),
    ReportStatus.APPROVED: gettext_lazy("%(org)s: Statsforvalteren godkjente rapporten for "
                                        "%(name)s."),
}


def report_events(organisation_ids: list[int], limit: int) -> Iterable[InboxEvent]:
    for event, report in audited_targets(
        Report.objects.filter(application__organisation_id__in=organisation_ids),
        Q(action=AuditAction.REPORT_STATUS, after__status__in=list(EVENT_TEXTS)), limit,
        related=("application__organisation", "application__round__scheme"),
    ):
        text = str(EVENT_TEXTS[event.after["status"]]) % {
            "org": report.application.organisation.name,
            "name": report.application.round.title,
            "who": event.actor.full_name if event.actor else ""}
        yield InboxEvent(at=event.at, text=text, url=reverse("reporting:edit", args=[report.pk]))


#: A report sent in and waiting for the office's review (the admin index).
REVIEW_ITEM = "report_review"


def review_items(
    user: User, membership: OfficeMembership, now: datetime
) -> Iterable[InboxItem]:
    """The office's reports sent in and not reviewed yet, oldest first. One query."""
    reports = (
        Report.objects.filter(
            application__organisation__county__office=membership.office,
            status=ReportStatus.SUBMITTED)
        .select_related("application__organisation", "application__round__scheme")
        .annotate(sent_at=Max("submissions__submitted_at"))
        .order_by("sent_at", "pk")
    )
    for report in reports:
        yield InboxItem(
            kind=REVIEW_ITEM,
            title=_("Rapporten fra %(org)s for %(name)s venter på gjennomgang") % {
                "org": report.application.organisation.name,
                "name": report.application.round.title},
            detail=_("Sendt inn %(at)s.") % {"at": when(report.sent_at)},
            url=reverse("admin:reporting_report_change", args=[report.pk]),
            link_text=_("Gå gjennom rapporten"), organisation=membership.office.name,
            due=report.sent_at,
        )
