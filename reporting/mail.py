"""The e-mails a report sends, queued in the outbox inside the service's transaction:
the receipt, the office's request for correction, a later deadline; and who gets them."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from tilskudd import access
from tilskudd.languages import in_language_of, in_submitted_language
from tilskudd.links import absolute_url
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.receipt_mail import queue_receipt_email
from tilskudd.receipts import when

from .access import office_of
from .models import Report, ReportSubmission


def recipient_emails(report: Report) -> list[str]:
    """The contact person of the application and the organisation's signatories."""
    application = report.application
    signatories = access.signatory_emails(application.organisation_id)
    return sorted({application.contact_email, *signatories} - {""})


def contact_emails(report: Report) -> list[str]:
    """The contact person; the signatories when the application names none."""
    contact = report.application.contact_email
    return [contact] if contact else recipient_emails(report)


@in_submitted_language
def email_receipt(submission: ReportSubmission, report: Report) -> None:
    queue_receipt_email(
        submission, contact_email=report.application.contact_email, kind="report_receipt",
        subject=_("Kvittering: rapport sendt inn (%(ref)s)"),
        body=_(
            "Rapporten er sendt inn.\n\n"
            "Referansenummer: %(ref)s\n"
            "Sendt: %(at)s\n"
            "Avsender: %(org)s\n"
            "Mottaker: %(office)s\n"
            "Innvilget: %(granted)s, brukt: %(used)s, ubrukt: %(unused)s\n"
            "%(choice)s\n"
            "Oppgi referansenummeret i all kontakt om rapporten. En PDF-kopi ligger under "
            "«Mine rapporter» i portalen."
        ),
        granted=format_nok(submission.granted_total),
        used=format_nok(submission.used_total),
        unused=format_nok(submission.unused_total),
        choice=submission.get_unused_choice_display() if submission.unused_choice else "",
    )


@in_language_of(lambda report, *args: report.application.organisation)
def email_return(report: Report, submission: ReportSubmission, message: str) -> None:
    """To the contact person and signatories: what the office wants corrected."""
    recipients = recipient_emails(report)
    if recipients:
        subject = _("Rapporten må rettes: %(round)s") % {"round": report.application.round}
        body = _(
            "%(office)s har sendt rapporten %(ref)s tilbake for retting:\n\n%(message)s\n\n"
            "Rett rapporten og send den inn på nytt: %(path)s"
        ) % {"office": office_of(report).name, "ref": submission.reference, "message": message,
             "path": absolute_url("reporting:edit", report.pk)}
        queue_email(to=recipients, subject=subject, body=body, kind="report_return",
                    reference=submission.reference)


@in_language_of(lambda report, *args: report.application.organisation)
def email_extension(report: Report, new_deadline: datetime) -> None:
    """To the contact person and signatories: the report's new deadline."""
    recipients = recipient_emails(report)
    if recipients:
        subject = _("Utsatt frist for rapporten: %(round)s") % {"round": report.application.round}
        body = _("%(office)s har utsatt fristen for rapporten fra %(org)s til %(deadline)s.")
        body %= {"office": office_of(report).name,
                 "org": report.application.organisation.name,
                 "deadline": when(new_deadline)}
        queue_email(to=recipients, subject=subject, body=body, kind="report_extend_deadline",
                    reference=str(report.pk))
