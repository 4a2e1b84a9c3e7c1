"""The reminder of an overdue repayment claim: when a claim is still not paid the day after
its due date (in Oslo), the recipient (the contact person and the signatories, as the
claim's own e-mail) is reminded once, with the amount, the reference to pay with and the
letter's link. Sent by reporting.tasks.daily (the «reporting-daily» beat entry); once per
claim through tilskudd.reminders (a SentReminder row of the kind REMINDER_KIND, key the
claim's id, written before the e-mail is queued for after the commit)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilskudd.languages import in_language_of
from tilskudd.links import absolute_url
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.reminders import record_once, was_sent

from . import mail
from .access import office_of
from .repayments import claim_reference
from .transfer_models import ClaimStatus, RepaymentClaim

REMINDER_KIND = "repayment_overdue"


@transaction.atomic
def send_overdue_claim_reminders(*, now: datetime | None = None) -> int:
    """Remind the recipient of each claim not paid by its due date, once; the number sent.
    The e-mails leave when the transaction has committed."""
    now = now or timezone.now()
    overdue = (
        RepaymentClaim.objects.filter(status=ClaimStatus.OPEN,
                                      due_date__lt=timezone.localdate(now))
        .exclude(was_sent(REMINDER_KIND))
        .select_related("report__application__organisation__county__office",
                        "report__application__round__scheme")
        .order_by("due_date", "pk")
    )
    sent = 0
    for claim in overdue:
        report = claim.report
        recipients = mail.recipient_emails(report)
        if not record_once(kind=REMINDER_KIND, key=str(claim.pk), recipients=recipients,
                           now=now):
            continue
        sent += 1
        if recipients:
            subject, body = _overdue_text(claim)
            queue_email(to=recipients, subject=subject, body=body, kind=REMINDER_KIND,
                        reference=claim_reference(claim))
    return sent


@in_language_of(lambda claim: claim.report.application.organisation)
def _overdue_text(claim: RepaymentClaim) -> tuple[str, str]:
    report = claim.report
    application = report.application
    subject = _("Påminnelse: kravet om tilbakebetaling %(ref)s er ikke betalt") % {
        "ref": claim_reference(claim)}
    body = _(
        "Fristen for å betale tilbake %(amount)s av tilskuddet for %(round)s gikk ut "
        "%(due)s, og %(office)s har ikke registrert at %(org)s har betalt.\n\n"
        "Merk innbetalingen med %(ref)s. Har dere betalt nylig, kan dere se bort fra denne "
        "påminnelsen.\n\nBrevet om kravet: %(url)s"
    ) % {
        "amount": format_nok(claim.amount), "round": application.round,
        "due": date_format(claim.due_date, "DATE_FORMAT"), "office": office_of(report).name,
        "org": application.organisation.name, "ref": claim_reference(claim),
        "url": absolute_url("reporting:repayment_letter", claim.pk),
    }
    return subject, body
