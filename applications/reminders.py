"""Reminders before the application deadline: 7 and 1 days before it
(rules.DEADLINE_REMINDER_DAYS), the contact person and the signatories of an organisation
whose application is not sent (a draft, waiting for signing, or withdrawn and not sent
again) are e-mailed, each reminder once (tilskudd.reminders.SentReminder), through the
outbox. Run daily by Celery beat (tasks.deadline_reminders)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd import access, deadlines
from tilskudd.languages import in_language_of
from tilskudd.links import absolute_url
from tilskudd.outbox import queue_email
from tilskudd.receipts import when
from tilskudd.reminders import due_before, record_once

from . import rules
from .models import SUBMITTABLE_STATUSES, Application

KIND = "application_deadline_%(days)d"


@transaction.atomic
def send_deadline_reminders(*, now: datetime | None = None) -> int:
    """E-mail every organisation with an unsent application in an open round 7 and 1
    days before the deadline, each reminder once. Returns how many were sent."""
    now = now or timezone.now()
    unsent = (
        Application.objects.filter(
            status__in=SUBMITTABLE_STATUSES, round__opens_at__lte=now,
            round__application_deadline__gte=deadlines.cutoff(now),
        )
        .select_related("organisation", "round__scheme")
        .order_by("round__application_deadline", "pk")
    )
    sent = 0
    for application in unsent:
        deadline = application.round.application_deadline
        days = due_before(deadline, now, rules.DEADLINE_REMINDER_DAYS)
        if days is None:
            continue
        recipients = sorted({application.contact_email,
                             *access.signatory_emails(application.organisation)} - {""})
        if not record_once(kind=KIND % {"days": days}, key=str(application.pk),
                           recipients=recipients, now=now):
            continue
        sent += 1
        if recipients:
            subject, body = _text(application, days)
            queue_email(to=recipients, subject=subject, body=body,
                        kind=f"reminder_application_{days}", reference=str(application.pk))
    return sent


@in_language_of(lambda application, days: application.organisation)
def _text(application: Application, days: int) -> tuple[str, str]:
    rnd = application.round
    subject = _("Påminnelse: søknaden om %(scheme)s %(year)s skal sendes innen %(deadline)s") % {
        "scheme": rnd.scheme.name, "year": rnd.year, "deadline": when(rnd.application_deadline)}
    left = (_("Fristen er i morgen.") if days == 1
            else _("Det er %(days)d dager til fristen.") % {"days": days})
    body = _(
        "Søknaden fra %(org)s om %(scheme)s %(year)s er ikke sendt inn. %(left)s\n\n"
        "Frist: %(deadline)s\nStatus: %(status)s\n\n"
        "Bare den som har signaturrett, kan sende søknaden. Åpne søknaden i portalen: "
        "%(url)s"
    ) % {
        "org": application.organisation.name, "scheme": rnd.scheme.name, "year": rnd.year,
        "left": left, "deadline": when(rnd.application_deadline),
        "status": application.get_status_display().lower(),
        "url": absolute_url("applications:edit", application.pk),
    }
    return subject, body
