"""Every change to an application goes through one of these functions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.access import require_membership, require_signatory
from tilskudd.audit import AuditAction, changes, snapshot
from tilskudd.errors import ServiceError
from tilskudd.gates import blocking, submission_gates, withdrawal_gates_for
from tilskudd.models import Organisation, Round, User
from tilskudd.receipts import when
from tilskudd.services import audit
from tilskudd.uploads import MAX_PDF_BYTES
from tilskudd.workflow import Workflow

from . import kept_input, mail
from .carryover import apply_carryover, decided_carryover
from .content import locked_with_lines
from .lines import PARTS, save_lines
from .list_fields import set_list_fields
from .models import (
    ALLOWED_TRANSITIONS,
    SUBMITTABLE_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    ReceiptDocument,
    StatusChange,
    Submission,
)
from .rules import check_application
from .snapshot import application_snapshot, totals

MAX_ATTACHMENT_BYTES = MAX_PDF_BYTES


def _require_signatory(user: User, application: Application) -> None:
    require_signatory(user, application.organisation, refusal=_(
        "Bare den som har signaturrett for %(org)s kan sende inn eller trekke søknaden."))


def require_editable(application: Application) -> None:
    if application.is_to_sign:
        raise ServiceError(
            _("Søknaden er sendt til signering og kan ikke endres. Ta den tilbake først om du "
              "må endre den."),
            "not_editable",
        )
    if not application.is_editable:
        raise ServiceError(
            _("Søknaden er sendt inn og kan ikke endres. Trekk den først om du må endre den."),
            "not_editable",
        )


#: The one place an application's status changes: it refuses moves ALLOWED_TRANSITIONS
#: lacks, writes the StatusChange row and one APPLICATION_STATUS audit row.
APPLICATION_WORKFLOW = Workflow(
    history=StatusChange, subject="application", allowed=ALLOWED_TRANSITIONS,
    action=AuditAction.APPLICATION_STATUS, status_choices=ApplicationStatus,
    refusal=gettext_lazy("Søknaden kan ikke gå fra «%(from)s» til «%(to)s»."),
)


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_start(
    *, organisation: Organisation, round: Round, user: User, now: datetime | None = None
) -> Application:
    """Open the organisation's application for the round; a second call opens the same one.
    `now`: the moment to check the round's window against (demo data, tests)."""
    now = now or timezone.now()
    require_membership(user, organisation)
    if not round.scheme.is_eligible(organisation):
        raise ServiceError(
            _("%(kind)s kan ikke søke på denne ordningen.")
            % {"kind": organisation.get_kind_display()},
            "not_eligible",
        )
    existing = Application.objects.filter(organisation=organisation, round=round).first()
    if existing:
        return existing
    if not round.accepts_applications_at(now):
        raise ServiceError(_("Søknadsrunden er ikke åpen."), "round_closed")
    try:
        with transaction.atomic():
            application = Application(organisation=organisation, round=round)
            apply_carryover(application)
            application.full_clean()
            application.save()
    except IntegrityError:  # a parallel request created it first
        return Application.objects.get(organisation=organisation, round=round)
    audit(actor=user, action=AuditAction.APPLICATION_START, target=application,
          after={"status": str(application.status)})
    return application


HEADER_FIELDS = [
    "contact_name", "contact_email", "contact_phone", "signatory_name", "signatory_title",
    "purpose", "own_financing", "other_financing", "other_financing_source",
    "control_measures", "transferred_funds", "has_leve_hele_livet_plan",
]


def _audited(application: Application, parts: list[str]) -> dict[str, Any]:
    """What an update's audit row compares: the header fields, and the line count of
    each part the update replaces."""
    return snapshot(application, HEADER_FIELDS) | {
        f"{part}_lines": PARTS[part].objects.filter(application=application).count()
        for part in parts
    }


@transaction.atomic
def application_update(
    *,
    application: Application,
    user: User,
    header: dict[str, Any] | None = None,
    competence: list[dict[str, Any]] | None = None,
    bpa: list[dict[str, Any]] | None = None,
    projects: list[dict[str, Any]] | None = None,
    source: str = "form",
    known: dict[str, set[int]] | None = None,
) -> Application:
    """Save the given sections of a draft; a part given as a list replaces that part's
    lines (lines with an "id" are updated, others created, the rest removed), or with
    `known` given for the part (the ids of the lines the page showed) removes only those
    of them it no longer holds (lines.save_lines)."""
    require_membership(user, application.organisation)
    application = _lock(application)
    require_editable(application)
    given = {part: lines for part, lines in (("competence", competence), ("bpa", bpa),
                                             ("projects", projects)) if lines is not None}
    was = _audited(application, list(given))
    if header is not None:
        for key in HEADER_FIELDS:
            if key in header:
                setattr(application, key, header[key])
        apply_carryover(application)
        application.full_clean()
    for part, lines in given.items():
        save_lines(application, part, lines, (known or {}).get(part))
    changed = ["header"] * (header is not None) + list(given)
    # What is saved now supersedes input kept from an earlier invalid save of that section.
    application.draft_input = {
        k: v for k, v in application.draft_input.items() if k not in changed
    }
    application.updated_at = timezone.now()
    application.save()
    before, after = changes(was, _audited(application, list(given)))
    audit(actor=user, action=AuditAction.APPLICATION_UPDATE, target=application,
          before=before, after=after, sections=changed, source=source)
    return application


@transaction.atomic
def application_keep_input(
    *, application: Application, user: User, section: str, raw: dict[str, Any] | None
) -> None:
    """Keep (or with raw=None forget) what was typed in a section that did not validate,
    so a person who leaves the page finds it again."""
    require_membership(user, application.organisation)
    application = _lock(application)
    if not application.is_editable:
        return
    kept = dict(application.draft_input)
    if raw is None:
        kept.pop(section, None)
    else:  # cut to what a person could have typed (kept_input.py)
        kept = kept_input.with_section(kept, section, raw)
    if kept != application.draft_input:
        Application.objects.filter(pk=application.pk).update(draft_input=kept)


SIGNATURE_FIELDS = ["signature_requested_at", "signature_requested_by"]


@transaction.atomic
def application_request_signature(*, application: Application, user: User) -> None:
    """An editor sends the application for signing: it is locked ("Til signering") until
    a signatory submits it or sends it back, or an editor takes it back."""
    require_membership(user, application.organisation)
    application = _lock(application)
    require_editable(application)
    was = snapshot(application, SIGNATURE_FIELDS)
    application.signature_requested_at = timezone.now()
    application.signature_requested_by = user
    now = snapshot(application, SIGNATURE_FIELDS)
    APPLICATION_WORKFLOW.transition(
        application, ApplicationStatus.TO_SIGN, by=user,
        also_changed={name: (was[name], now[name]) for name in SIGNATURE_FIELDS},
    )
    mail.email_signature_request(application, user)


def _require_to_sign(application: Application) -> None:
    if not application.is_to_sign:
        raise ServiceError(_("Søknaden er ikke sendt til signering."), "not_to_sign")


@transaction.atomic
def application_take_back(*, application: Application, user: User) -> None:
    """A member takes an application sent for signing back, to change it (→ draft)."""
    require_membership(user, application.organisation)
    application = _lock(application)
    _require_to_sign(application)
    APPLICATION_WORKFLOW.transition(application, ApplicationStatus.DRAFT, by=user)


@transaction.atomic
def application_send_back(*, application: Application, user: User, comment: str) -> None:
    """A signatory sends an application sent for signing back to the editors, with a
    comment saying what to change; whoever sent it is e-mailed."""
    _require_signatory(user, application)
    application = _lock(application)
    _require_to_sign(application)
    if not comment.strip():
        raise ServiceError(_("Skriv hva som må endres før søknaden kan sendes inn."),
                           "comment_required")
    APPLICATION_WORKFLOW.transition(application, ApplicationStatus.DRAFT, by=user,
                                    note=comment.strip())
    mail.email_sent_back(application, user, application.signature_requested_by,
                         comment.strip())


@transaction.atomic
def application_submit(
    *, application: Application, user: User, now: datetime | None = None,
    shown_transferred: Decimal | None = None,
) -> Submission:
    """Send the application. Atomic and idempotent: a double click or a second tab gets
    the same submission back. Refused for non-signatories, after the deadline, or while
    a rule is broken; a refusal changes nothing. `shown_transferred`: the funds
    transferred from last year the preview showed (the office's decided amount once it
    decided, send_views), sent if they are still what it decided."""
    now = now or timezone.now()
    _require_signatory(user, application)
    # Read once, with everything the rules and the snapshot need, under the row lock.
    application = locked_with_lines(application.pk)
    if application.status == ApplicationStatus.SUBMITTED:
        return application.submissions.get(withdrawn_at__isnull=True)
    if application.status not in SUBMITTABLE_STATUSES:
        require_editable(application)
    rnd = application.round
    if not rnd.accepts_applications_at(now):
        raise ServiceError(
            _("Søknadsfristen gikk ut %(deadline)s. Søknaden er ikke sendt, men utkastet er "
              "lagret.") % {"deadline": when(rnd.application_deadline)},
            "deadline_passed",
        )
    # Conditions other apps set, such as an overdue report from an earlier round.
    stops = blocking(submission_gates(application.organisation, rnd, now))
    if stops:
        raise ServiceError(" ".join(gate.message for gate in stops), "report_overdue")
    # a transfer decided after the last save is sent as decided only when the preview the
    # signatory sent from showed it (it shows the decided amount); else the statement must
    # agree with the decision (rules.transferred_funds_error): the signatory sees what is sent
    carryover = decided_carryover(application)
    if carryover is not None and shown_transferred == carryover.amount:
        apply_carryover(application)
    broken = check_application(application, carryover, shown=shown_transferred)
    if broken:
        raise ServiceError(
            _("Søknaden kan ikke sendes før feilene er rettet."), "rules", errors=broken
        )
    submission = Submission.create_with_reference(
        prefix=rnd.scheme.code, year=rnd.year, organisation=application.organisation,
        application=application, submitted_at=now, submitted_by=user,
        content=application_snapshot(application), total_applied=totals(application)["applied"],
    )
    application.draft_input = {}
    set_list_fields(application)  # the caseworkers' list reads these columns
    APPLICATION_WORKFLOW.transition(
        application, ApplicationStatus.SUBMITTED, by=user, note=submission.reference,
        audit_data={"reference": submission.reference},
        unchanged=("organisation", "round"),  # read under the lock above
    )
    receipt = ReceiptDocument.objects.create(submission=submission)
    receipt.enqueue_on_commit()
    mail.email_receipt(submission, application)
    return submission


def withdrawal_refusal(
    application: Application, now: datetime | None = None
) -> ServiceError | None:
    """Why the application cannot be withdrawn now (None: it can, by a signatory).
    application_withdraw asks this, and so does every page that offers «Trekk søknaden»."""
    return withdrawal_refusals([application], now)[application.pk]


def withdrawal_refusals(
    applications: list[Application], now: datetime | None = None
) -> dict[int, ServiceError | None]:
    """withdrawal_refusal for many applications, asking the gates once for all of those
    the cheap checks let through (so a list page costs the same for 10 or 50)."""
    now = now or timezone.now()
    refusals: dict[int, ServiceError | None] = {}
    for application in applications:
        if application.status != ApplicationStatus.SUBMITTED:
            refusals[application.pk] = ServiceError(
                _("Bare en innsendt søknad kan trekkes."), "not_submitted")
        elif not application.round.accepts_applications_at(now):
            refusals[application.pk] = ServiceError(
                _("Søknadsfristen er ute, og søknaden kan ikke lenger trekkes her. "
                  "Kontakt Statsforvalteren."),
                "deadline_passed",
            )
    asked = [a.pk for a in applications if a.pk not in refusals]
    for pk, gates in withdrawal_gates_for(asked).items():
        stops = blocking(gates)
        refusals[pk] = ServiceError(stops[0].message, "under_assessment") if stops else None
    return refusals


@transaction.atomic
def application_withdraw(
    *, application: Application, user: User, reason: str, now: datetime | None = None
) -> Submission:
    """A signatory takes a submitted application back before the deadline, with a reason.
    It becomes editable again and may be submitted anew (with a new reference)."""
    now = now or timezone.now()
    _require_signatory(user, application)
    application = _lock(application)
    refusal = withdrawal_refusal(application, now)
    if refusal is not None and refusal.code != "under_assessment":
        raise refusal
    if not reason.strip():
        raise ServiceError(_("Skriv hvorfor søknaden trekkes."), "reason_required")
    if refusal is not None:
        raise refusal
    submission = application.submissions.select_for_update().get(withdrawn_at__isnull=True)
    submission.withdrawn_at = now
    submission.withdrawn_by = user
    submission.withdraw_reason = reason.strip()
    submission.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    APPLICATION_WORKFLOW.transition(
        application, ApplicationStatus.WITHDRAWN, by=user, note=reason.strip(),
        audit_data={"reference": submission.reference},
    )
    return submission


@transaction.atomic
def attachment_add(
    *, application: Application, user: User, uploaded: UploadedFile, kind: str, title: str
) -> Attachment:
    """Attach a PDF, checked by its content (not its name) and size; stored under a
    generated name, with the person's name for it kept made harmless."""
    require_membership(user, application.organisation)
    application = _lock(application)
    require_editable(application)
    attachment = Attachment.store_pdf(
        uploaded, uploaded_by=user, title=title, max_bytes=MAX_ATTACHMENT_BYTES,
        application=application, kind=kind,
    )
    audit(actor=user, action=AuditAction.ATTACHMENT_ADD, target=application,
          after={"attachment": attachment.title}, title=attachment.title)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, user: User) -> None:
    application = attachment.application
    require_membership(user, application.organisation)
    application = _lock(application)
    require_editable(application)
    title = attachment.title
    attachment.discard()
    audit(actor=user, action=AuditAction.ATTACHMENT_REMOVE, target=application,
          before={"attachment": title}, title=title)
