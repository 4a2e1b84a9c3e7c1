"""The decision on a change request as a PDF letter (made by a Celery job: ChangeLetter),
and its e-mail to the recipient's contact person and signatories."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilskudd import access
from tilskudd.documents.pdf import render_pdf
from tilskudd.languages import in_language_of
from tilskudd.links import absolute_url
from tilskudd.outbox import queue_email

from .models import ChangeLetter, ChangeRequest, ChangeStatus
from .rules import OSLO


def letter_context(change: ChangeRequest, letter: ChangeLetter) -> dict[str, Any]:
    application = change.application
    lines = list(change.lines.all())
    approved = change.status == ChangeStatus.APPROVED
    unchanged = [line for line in lines if line.requested == line.granted]
    return {
        "change": change,
        "letter": letter,
        "approved": approved,
        "application": application,
        "organisation": application.organisation,
        "office": application.organisation.county.office,
        "round": application.round,
        "lines": lines,
        "moved": [line for line in lines if line.requested != line.granted],
        # the rest are one row of the letter's table, with their sum
        "unchanged": unchanged,
        "unchanged_total": sum((line.granted for line in unchanged), Decimal(0)),
        "content_changes": [line for line in lines if line.new_content],
        "granted_total": change.granted_total,
        "requested_total": sum((line.requested for line in lines), Decimal(0)),
        # the letter's own row of its head (documents/letterhead.html), after our reference
        "letterhead_rows": [(_("Deres endringssøknad"), _("sendt %(date)s") % {
            "date": date_format(timezone.localtime(change.requested_at, OSLO), "DATE_FORMAT")})],
        "decided_at": timezone.localtime(change.decided_at, OSLO),
        "letter_date": timezone.localtime(letter.created_at, OSLO),
        "reason": change.recommendation_note,
        "caseworker": change.recommended_by,
        "approver": change.decided_by,
    }


def render_change_letter(job: ChangeLetter) -> tuple[bytes, str]:
    change = (ChangeRequest.objects.select_related(
        "application__organisation__county__office", "application__round__scheme",
        "recommended_by", "decided_by").get(pk=job.change_request_id))
    pdf = render_pdf("reporting/changes/letter_pdf.html", letter_context(change, job))
    kind = "endring-innvilget" if change.status == ChangeStatus.APPROVED else "endring-avslag"
    return pdf, f"{kind}-{change.reference}.pdf"


@in_language_of(lambda change: change.application.organisation)
def email_decision(change: ChangeRequest) -> None:
    """To the contact person and the signatories, in the caller's transaction (sent after
    the commit), with a link to the request's page where the letter is."""
    application = change.application
    recipients = sorted({application.contact_email,
                         *access.signatory_emails(application.organisation_id)} - {""})
    rnd = application.round
    approved = change.status == ChangeStatus.APPROVED
    subject = _("Svar på endringssøknad %(ref)s: %(scheme)s %(year)s") % {
        "ref": change.reference, "scheme": rnd.scheme.name, "year": rnd.year}
    body = _(
        "%(office)s har behandlet endringssøknaden %(ref)s fra %(org)s: %(outcome)s.\n\n"
        "Brevet ligger i portalen: %(url)s"
    ) % {
        "office": application.organisation.county.office.name, "ref": change.reference,
        "org": application.organisation.name,
        "outcome": _("endringen er innvilget") if approved else _("endringen er avslått"),
        "url": absolute_url("reporting:change_detail", change.reference),
    }
    queue_email(to=recipients, subject=subject, body=body, kind="change_letter",
                reference=change.reference)
