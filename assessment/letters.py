"""After the decision: the letter (a new version each time, made by a Celery job and
e-mailed to the applicant's contact person and signatories when committed) and the
recipient's acceptance of the grant (akseptbrev) by a signatory."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from applications.models import Application
from tilskudd import access
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.languages import in_language_of
from tilskudd.links import absolute_url
from tilskudd.models import User
from tilskudd.outbox import queue_email
from tilskudd.services import audit
from tilskudd.status import grant_status

from .access import lock_case, office_of, require_staff
from .models import Acceptance, AllocationLetter, Assessment, EventAction, LetterKind
from .selectors import live_submission
from .workflow import record_step


def letter_recipients(application: Application) -> list[str]:
    signatories = access.signatory_emails(application.organisation_id)
    return sorted({application.contact_email, *signatories} - {""})


@in_language_of(lambda letter, assessment: assessment.application.organisation)
def _email_letter_on_commit(letter: AllocationLetter, assessment: Assessment) -> None:
    application = assessment.application
    recipients = letter_recipients(application)
    if not recipients:
        return
    rnd = application.round
    submission = live_submission(application)
    reference = submission.reference if submission else ""
    if letter.kind == LetterKind.GRANT:
        subject = _("Tilskuddsbrev: %(scheme)s %(year)s") % {"scheme": rnd.scheme.name,
                                                             "year": rnd.year}
        action = _("Tilskuddet må aksepteres av den som har signaturrett, i portalen.")
    else:
        subject = _("Svar på søknad: %(scheme)s %(year)s") % {"scheme": rnd.scheme.name,
                                                              "year": rnd.year}
        action = ""
    body = _(
        "%(office)s har fattet vedtak om søknaden fra %(org)s: %(outcome)s.\n\n"
        "Referanse: %(ref)s\n\n"
        "Brevet (versjon %(version)d) ligger i portalen: %(path)s\n\n%(action)s"
    ) % {
        "ref": reference,
        "office": application.organisation.county.office.name,
        "org": application.organisation.name,
        "outcome": grant_status(application).decision_label.lower(),
        "version": letter.version,
        "path": absolute_url("assessment:decision", application.pk),
        "action": action,
    }
    queue_email(to=recipients, subject=f"{subject} ({reference})" if reference else subject,
                body=body.strip(), kind="allocation_letter",
                reference=reference or str(application.pk))


@transaction.atomic
def letter_generate(
    *, assessment: Assessment, user: User, replace: bool = True
) -> AllocationLetter:
    """Make the letter for a decision by a Celery job: a grant letter (tilskuddsbrev) or a
    rejection. Each call makes a new version and never overwrites an earlier one; with
    replace=False a decision that already has a letter keeps it (bulk runs, double clicks).
    The applicant's contact person and signatories are e-mailed when it is committed."""
    assessment = lock_case(assessment)
    require_staff(user, office_of(assessment))
    if not assessment.is_decided:
        raise ServiceError(
            _("Det kan bare lages brev når vedtaket er fattet (saken er %(status)s).")
            % {"status": assessment.get_status_display().lower()},
            "not_decided",
        )
    latest = assessment.letters.order_by("-version").first()
    if latest is not None and not replace:
        return latest
    version = (assessment.letters.aggregate(v=Max("version"))["v"] or 0) + 1
    letter = AllocationLetter(
        assessment=assessment, version=version, created_by=user,
        kind=LetterKind.GRANT if assessment.is_grant else LetterKind.REJECTION,
    )
    letter.full_clean()
    letter.save()
    letter.enqueue_on_commit()
    record_step(assessment, EventAction.LETTER, by=user,
            note=_("%(kind)s, versjon %(version)d")
            % {"kind": letter.get_kind_display(), "version": version})
    audit(actor=user, action=AuditAction.LETTER_GENERATE, target=assessment,
          before={"letter_version": latest.version if latest else None},
          after={"letter_version": version}, kind=str(letter.kind))
    _email_letter_on_commit(letter, assessment)
    return letter


@transaction.atomic
def grant_accept(*, assessment: Assessment, user: User, letter: AllocationLetter) -> Acceptance:
    """A signatory of the recipient accepts the grant (akseptbrev) on the terms of the
    newest letter; name, time and the letter version are recorded. A second acceptance
    returns the first."""
    assessment = lock_case(assessment)
    organisation = assessment.application.organisation
    access.require_signatory(user, organisation, refusal=_(
        "Bare den som har signaturrett for %(org)s kan akseptere tilskuddet."))
    existing = Acceptance.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    if not (assessment.is_decided and assessment.is_grant):
        raise ServiceError(_("Det er ikke innvilget noe tilskudd å akseptere."), "no_grant")
    latest = assessment.letters.order_by("-version").first()
    if latest is None or letter.pk != latest.pk:
        raise ServiceError(
            _("Det finnes en nyere versjon av tilskuddsbrevet. Les den før du aksepterer."),
            "not_latest_letter",
        )
    if not latest.is_ready:
        raise ServiceError(
            _("Tilskuddsbrevet er ikke ferdig laget ennå. Prøv igjen om litt."),
            "letter_not_ready",
        )
    acceptance = Acceptance(
        assessment=assessment, letter=latest, accepted_by=user,
        accepted_name=user.full_name or user.email,
    )
    acceptance.full_clean()
    acceptance.save()
    record_step(assessment, EventAction.ACCEPTED, by=user,
            note=_("%(name)s aksepterte versjon %(version)d av tilskuddsbrevet.")
            % {"name": acceptance.accepted_name, "version": latest.version})
    audit(actor=user, action=AuditAction.GRANT_ACCEPT, target=assessment,
          before={"accepted_by": None, "letter_version": None},
          after={"accepted_by": user.pk, "letter_version": latest.version})
    return acceptance
