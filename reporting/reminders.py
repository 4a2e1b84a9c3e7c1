"""Reminders: the contact person is e-mailed 30, 7 and 1 days before the report's deadline
(extensions honoured), and again when a report returned for correction has not been sent
again after RETURNED_REMINDER_DAYS days; each office gets a list of its reports that have
become overdue (a returned report not sent again by the deadline among them). Each
reminder is sent once: a tilskudd.reminders.SentReminder row, unique per kind ("report_"
and the ReminderKind) and key (the report's id), is written before the e-mail is scheduled
for after the commit. Every link in them is absolute."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd import access
from tilskudd.languages import in_language_of
from tilskudd.links import absolute_url
from tilskudd.models import Office
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.reminders import SentReminder, record_once, was_sent

from . import rules, selectors
from .choices import ReminderKind
from .models import Report, ReportStatus
from .services import contact_emails, office_of, when

REMINDER_FOR_DAYS = {30: ReminderKind.DAYS_30, 7: ReminderKind.DAYS_7, 1: ReminderKind.DAYS_1}
#: A report's reminder in SentReminder is of the kind KIND_PREFIX + its ReminderKind.
KIND_PREFIX = "report_"


def sent_for(report: Report) -> QuerySet[SentReminder]:
    """The reminders sent about `report`, oldest first."""
    return SentReminder.objects.filter(kind__startswith=KIND_PREFIX, key=str(report.pk))


def kind_of(reminder: SentReminder) -> ReminderKind:
    return ReminderKind(reminder.kind.removeprefix(KIND_PREFIX))


def _record_reminder(report: Report, kind: str, recipients: list[str], now: datetime) -> bool:
    """Record a reminder; False if it was sent before (the unique constraint decides, so
    two runs at once cannot both send it)."""
    return record_once(kind=KIND_PREFIX + kind, key=str(report.pk), recipients=recipients,
                       now=now)


@transaction.atomic
def send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """E-mail the contact person 30, 7 and 1 days before the report's deadline
    (extensions honoured), and each office a list of its reports that have become overdue.
    Each reminder goes once; the e-mails leave when the transaction has committed."""
    now = now or timezone.now()
    counts = {"contact": 0, "office": 0}
    unsent = selectors.unsent_reports(now).annotate(**{
        f"sent_{kind}": was_sent(KIND_PREFIX + kind) for kind in REMINDER_FOR_DAYS.values()})
    for report in unsent:
        days = rules.reminder_due(report.deadline_at, now)
        if days is None:
            continue
        kind = REMINDER_FOR_DAYS[days]
        if getattr(report, f"sent_{kind}"):
            continue
        recipients = contact_emails(report)
        if not _record_reminder(report, kind, recipients, now):
            continue
        counts["contact"] += 1
        if recipients:
            subject, body = _reminder_text(report, days)
            queue_email(to=recipients, subject=subject, body=body, kind=f"reminder_{kind}",
                        reference=str(report.pk))

    counts["contact"] += _send_returned_reminders(now)

    overdue = (
        selectors.overdue(Report.objects.all(), now)
        .exclude(was_sent(KIND_PREFIX + ReminderKind.OVERDUE))
        .select_related("application__organisation__county__office",
                        "application__round__scheme")
        .order_by("application__organisation__name")
    )
    by_office: dict[Office, list[Report]] = defaultdict(list)
    for report in overdue:
        by_office[office_of(report)].append(report)
    for office, reports in by_office.items():
        recipients = _office_emails(office)
        newly = [r for r in reports
                 if _record_reminder(r, ReminderKind.OVERDUE, recipients, now)]
        if not newly:
            continue
        counts["office"] += 1
        if recipients:
            subject, body = _overdue_text(office, newly)
            queue_email(to=recipients, subject=subject, body=body, kind="reminder_overdue",
                        reference=office.code)
    return counts


def _send_returned_reminders(now: datetime) -> int:
    """Remind the contact person of a report returned for correction and still not sent
    again RETURNED_REMINDER_DAYS days after; once per report."""
    returned = (
        Report.objects.filter(status=ReportStatus.RETURNED)
        .exclude(was_sent(KIND_PREFIX + ReminderKind.RETURNED))
        .annotate(returned_at=Max("submissions__returned_at"))
        .filter(returned_at__lte=now - timedelta(days=rules.RETURNED_REMINDER_DAYS))
        .select_related("application__organisation", "application__round__scheme")
        .annotate(deadline_at=selectors.deadline_expression())
    )
    sent = 0
    for report in returned:
        recipients = contact_emails(report)
        if not _record_reminder(report, ReminderKind.RETURNED, recipients, now):
            continue
        sent += 1
        if recipients:
            subject, body = _returned_text(report)
            queue_email(to=recipients, subject=subject, body=body, kind="reminder_returned",
                        reference=str(report.pk))
    return sent


@in_language_of(lambda report: report.application.organisation)
def _returned_text(report: Report) -> tuple[str, str]:
    application = report.application
    subject = _("Påminnelse: rapporten må rettes og sendes inn igjen (%(round)s)") % {
        "round": application.round}
    body = _(
        "%(org)s har ikke sendt inn igjen rapporten om tilskuddet for %(round)s, som ble "
        "sendt tilbake for retting. Meldingen fra Statsforvalteren:\n\n%(message)s\n\n"
        "Frist: %(deadline)s. En rapport som ikke er sendt inn igjen innen fristen, regnes "
        "som forsinket.\n\nRett og send rapporten i portalen: %(url)s"
    ) % {
        "org": application.organisation.name, "round": application.round,
        "message": report.correction_message, "deadline": when(report.deadline_at),
        "url": absolute_url("reporting:edit", report.pk),
    }
    return subject, body


def _office_emails(office: Office) -> list[str]:
    if office.email:
        return [office.email]
    return sorted(m.user.email for m in access.staff_of(office))


@in_language_of(lambda report, days: report.application.organisation)
def _reminder_text(report: Report, days: int) -> tuple[str, str]:
    application = report.application
    subject = _("Påminnelse: rapporten for %(round)s skal sendes innen %(deadline)s") % {
        "round": application.round, "deadline": when(report.deadline_at)}
    if days == 1:
        left = _("Fristen er i morgen.")
    else:
        left = _("Det er %(days)d dager til fristen.") % {"days": days}
    body = _(
        "%(org)s har ikke sendt inn rapporten om tilskuddet for %(round)s. %(left)s\n\n"
        "Frist: %(deadline)s\nInnvilget: %(granted)s\n\n"
        "Skriv og send rapporten i portalen: %(url)s"
    ) % {
        "org": application.organisation.name, "round": application.round, "left": left,
        "deadline": when(report.deadline_at), "granted": format_nok(report.granted_total),
        "url": absolute_url("reporting:edit", report.pk),
    }
    return subject, body


def _overdue_text(office: Office, reports: list[Report]) -> tuple[str, str]:
    subject = _("Forsinkede rapporter: %(count)d") % {"count": len(reports)}
    lines = [
        _("- %(org)s, %(round)s: frist %(deadline)s, innvilget %(granted)s") % {
            "org": r.application.organisation.name, "round": r.application.round,
            "deadline": when(r.deadline_at), "granted": format_nok(r.granted_total)}
        for r in reports
    ]
    body = _("Disse rapportene til %(office)s er ikke sendt inn innen fristen:\n\n%(lines)s"
             "\n\nRapportene i saksbehandlingen: %(url)s")
    body %= {"office": office.name, "lines": "\n".join(lines),
             "url": absolute_url("admin:reporting_report_changelist")}
    return subject, body
