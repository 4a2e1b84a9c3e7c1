"""The e-mails the applications app sends, each queued in the outbox (tilskudd.outbox),
which sends it after the transaction commits."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tilskudd import access
from tilskudd.languages import in_language_of, in_submitted_language
from tilskudd.links import absolute_url
from tilskudd.models import Organisation, User
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.receipt_mail import queue_receipt_email
from tilskudd.receipts import when

from .models import Application, Submission


def _signatory_emails(organisation: Organisation) -> list[str]:
    return access.signatory_emails(organisation)


def _about(application: Application, user: User) -> dict[str, object]:
    """Who did it and which application (scheme and year), as the e-mails name them."""
    return {"user": user.full_name, "scheme": application.round.scheme.name,
            "year": application.round.year}


@in_language_of(lambda application, *args: application.organisation)
def email_signature_request(application: Application, user: User) -> None:
    """Tell the organisation's signatories that an application waits for them."""
    recipients = _signatory_emails(application.organisation)
    if not recipients:
        return
    link = absolute_url("applications:preview", application.pk)
    subject = _("Søknad klar til signering: %(org)s") % {"org": application.organisation.name}
    body = _(
        "%(user)s har gjort søknaden om %(scheme)s %(year)s klar og ber deg kontrollere "
        "og sende den inn.\n\nÅpne søknaden: %(link)s\n\nSøknadsfrist: %(deadline)s."
    ) % (_about(application, user)
         | {"link": link, "deadline": when(application.round.application_deadline)})
    queue_email(to=recipients, subject=subject, body=body,
                kind="application_request_signature", reference=str(application.pk))


@in_language_of(lambda application, *args: application.organisation)
def email_sent_back(application: Application, user: User, requester: User | None,
                    comment: str) -> None:
    """Tell whoever sent the application for signing that it came back, and why."""
    recipients = sorted({requester.email if requester else "", application.contact_email}
                        - {""})
    if not recipients:
        return
    subject = _("Søknaden er sendt tilbake fra signering: %(org)s") % {
        "org": application.organisation.name}
    body = _(
        "%(user)s har sendt søknaden om %(scheme)s %(year)s tilbake uten å sende den inn."
        "\n\nKommentar: %(comment)s\n\nÅpne søknaden: %(link)s"
    ) % (_about(application, user)
         | {"comment": comment, "link": absolute_url("applications:edit", application.pk)})
    queue_email(to=recipients, subject=subject, body=body,
                kind="application_sent_back", reference=str(application.pk))


@in_submitted_language
def email_receipt(submission: Submission, application: Application) -> None:
    content = submission.content
    queue_receipt_email(
        submission, contact_email=application.contact_email, kind="application_receipt",
        subject=_("Kvittering: søknad sendt inn (%(ref)s)"),
        body=_(
            "Søknaden er sendt inn.\n\n"
            "Referansenummer: %(ref)s\n"
            "Sendt: %(at)s\n"
            "Avsender: %(org)s (org.nr. %(orgnr)s)\n"
            "Mottaker: %(office)s\n"
            "Sum søkt: %(total)s\n\n"
            "Oppgi referansenummeret i all kontakt om søknaden. Kvitteringen med PDF-kopi: "
            "%(link)s"
        ),
        orgnr=content["organisation"]["org_number"] or "–",
        total=format_nok(content["totals"]["applied"]),
        link=absolute_url("applications:receipt", submission.reference),
    )
