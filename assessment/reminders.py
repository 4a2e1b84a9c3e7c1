"""A reminder to accept the grant: a grant letter not accepted LETTER_FOLLOW_UP_DAYS
(14) days after it was made is followed up by an e-mail to the recipient's contact person
and signatories, once per decision (tilskudd.reminders.SentReminder), through the outbox;
it names the application's reference. Run daily by Celery beat (tasks.letter_reminders)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.languages import in_language_of
from tilskudd.links import absolute_url
from tilskudd.outbox import queue_email
from tilskudd.receipts import when
from tilskudd.reminders import record_once

from . import rules
from .cases import live_reference
from .letters import letter_recipients
from .models import Assessment
from .selectors import grants_not_accepted

KIND = "letter_not_accepted"


@transaction.atomic
def send_letter_reminders(*, now: datetime | None = None) -> int:
    """Remind each recipient whose grant letter is not accepted after 14 days; once per
    decision. Returns how many were sent."""
    now = now or timezone.now()
    cases = grants_not_accepted(
        Assessment.objects.select_related("application__organisation__county__office",
                                          "application__round__scheme"),
        now,
    ).annotate(reference=live_reference("application"))
    sent = 0
    for case in cases.order_by("pk"):
        application = case.application
        recipients = letter_recipients(application)
        if not record_once(kind=KIND, key=str(case.pk), recipients=recipients, now=now):
            continue
        sent += 1
        if recipients:
            subject, body = _text(case)
            queue_email(to=recipients, subject=subject, body=body, kind="reminder_letter",
                        reference=case.reference or str(application.pk))
    return sent


@in_language_of(lambda case: case.application.organisation)
def _text(case: Assessment) -> tuple[str, str]:
    application = case.application
    rnd = application.round
    subject = _("Påminnelse: aksepter tilskuddet (%(ref)s)") % {"ref": case.reference}
    body = _(
        "Tilskuddet til %(org)s om %(scheme)s %(year)s (søknad %(ref)s) er ikke akseptert. "
        "Tilskuddsbrevet ble laget %(at)s, for mer enn %(days)d dager siden. Tilskuddet "
        "utbetales når den som har signaturrett, har akseptert det.\n\n"
        "Les brevet og aksepter tilskuddet i portalen: %(url)s"
    ) % {
        "org": application.organisation.name, "scheme": rnd.scheme.name, "year": rnd.year,
        "ref": case.reference, "at": when(case.letter_at), "days": rules.LETTER_FOLLOW_UP_DAYS,
        "url": absolute_url("assessment:decision", application.pk),
    }
    return subject, body
