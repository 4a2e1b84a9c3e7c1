"""Every change to a change request: the signatory asks (`change_request_submit`); at the
office a caseworker recommends (`change_request_recommend`) and another member of staff who
may approve makes the recommendation the decision (`change_request_decide`) or sends it
back (`change_request_return`): four eyes, like the allocation. An approved change moves
the money between the lines (reporting.grants reads it; a report still being written is
brought up to date); a refusal changes nothing. Either way the decision is a PDF letter,
e-mailed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from tilskudd import access
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import Office, User
from tilskudd.receipts import when
from tilskudd.references import new_reference
from tilskudd.services import audit
from tilskudd.workflow import Workflow, require_status

from ..models import LINE_MODELS, Report
from . import letters, rules, selectors
from .models import (
    ALLOWED_TRANSITIONS,
    PENDING_STATUSES,
    ChangeLetter,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeRequestLine,
    ChangeStatus,
    Recommendation,
)

#: Change request references: END-2027-5001-7F3K.
REFERENCE_PREFIX = "END"

CHANGE_WORKFLOW = Workflow(
    history=ChangeRequestEvent, subject="change_request", allowed=ALLOWED_TRANSITIONS,
    action=AuditAction.CHANGE_REQUEST_STATUS, status_choices=ChangeStatus,
    refusal=gettext_lazy("Endringssøknaden kan ikke gå fra «%(from)s» til «%(to)s»."),
)


@dataclass(frozen=True)
class LineChange:
    """What the signatory asks for one line of the decision."""

    part: str
    line_id: int
    requested: Decimal
    new_content: str = ""


# --- who may act ------------------------------------------------------------------------


def office_of(change: ChangeRequest) -> Office:
    return change.application.organisation.county.office


STAFF_ONLY = gettext_lazy("Du arbeider ikke ved %(office)s og kan ikke behandle denne "
                          "endringssøknaden.")


def _require_staff(user: User, change: ChangeRequest):
    return access.require_office_staff(user, office_of(change), refusal=STAFF_ONLY)


def _require_approver(user: User, change: ChangeRequest) -> None:
    """Four eyes: one who may approve at the office, and not the one who recommended."""
    access.require_approver(user, office_of(change), recommended_by_id=change.recommended_by_id,
                            refusal=STAFF_ONLY)


def _lock(change: ChangeRequest) -> ChangeRequest:
    return (ChangeRequest.objects.select_for_update(of=("self",))
            .select_related("application__organisation__county__office",
                            "application__round__scheme")
            .get(pk=change.pk))


def lock_pending(application_id: int) -> ChangeRequest | None:
    """The application's change request waiting for a decision, if any, locked as a
    decision locks it, before the report: reporting.services.report_open takes it first
    too, so an opening and a decision at the same time wait for each other, never deadlock,
    and the report opens with the lines as the decision leaves them."""
    return (ChangeRequest.objects.select_for_update(of=("self",))
            .filter(application_id=application_id, status__in=PENDING_STATUSES).first())


def _require_report_open(application_id: int) -> None:
    """Once the report is sent, the lines it reports on can no longer move."""
    _refuse_unless_open(Report.objects.filter(application_id=application_id).first())


def _refuse_unless_open(report: Report | None) -> None:
    if report is not None and not report.is_editable:
        raise ServiceError(_("Rapporten for tilskuddet er sendt inn, så det kan ikke lenger "
                             "søkes om endring."), "report_sent")


# --- the recipient's side ---------------------------------------------------------------


def _asked_lines(current: selectors.CurrentGrant, changes: Iterable[LineChange]
                 ) -> list[rules.AskedLine]:
    """The decision's lines with what is asked for each (a line not named: unchanged)."""
    asked = {(c.part, c.line_id): c for c in changes}
    unknown = set(asked) - {(line.part, line.line_id) for line in current.lines}
    if unknown:
        raise ServiceError(_("Endringen kan bare gjelde linjene i vedtaket."), "unknown_line")
    return [
        rules.AskedLine(
            part=line.part, line_id=line.line_id, label=line.label, granted=line.granted,
            requested=asked[key].requested if (key := (line.part, line.line_id)) in asked
            else line.granted,
            new_content=asked[key].new_content.strip() if key in asked else "",
        )
        for line in current.lines
    ]


@transaction.atomic
def change_request_submit(
    *, application: Application, user: User, reason: str, lines: Iterable[LineChange],
    now: datetime | None = None,
) -> ChangeRequest:
    """A signatory of the recipient asks to move money between the decision's lines (the
    sum stays the grant) or to change a project's content, with a reason, before the
    round's change deadline, after the grant is accepted; one request at a time."""
    now = now or timezone.now()
    application = selectors.application_for_member(user, application.pk)
    organisation = application.organisation
    access.require_signatory(user, organisation, refusal=_(
        "Bare den som har signaturrett for %(org)s kan søke om endring."))
    current = selectors.current_grant(application)
    if current is None:
        raise ServiceError(_("Søknaden har ikke fått innvilget tilskudd, så det er ingenting "
                             "å endre."), "no_grant")
    if current.grant.accepted_at is None:
        raise ServiceError(_("Tilskuddet må aksepteres før dere kan søke om endring."),
                           "not_accepted")
    rnd = application.round
    if not rules.accepts_change_at(rnd, now):
        raise ServiceError(_("Fristen for å søke om endring var %(due)s.")
                           % {"due": when(rules.change_deadline(rnd))}, "deadline_passed")
    _require_report_open(application.pk)
    if selectors.pending_for(application.pk) is not None:
        raise ServiceError(_("Dere har allerede en endringssøknad til behandling. Vent på "
                             "svaret før dere søker om en ny endring."), "pending")
    asked = _asked_lines(current, lines)
    errors = rules.check_request(asked, current.granted_total, reason)
    if errors:
        raise ServiceError(_("Endringssøknaden er ikke sendt. Rett feilene som er markert."),
                           "invalid", errors)
    change = ChangeRequest(
        application=application, reference=new_reference(REFERENCE_PREFIX, rnd.year,
                                                         organisation),
        granted_total=current.granted_total, reason=reason.strip(), requested_by=user,
        requested_at=now,
    )
    # The one-pending-request rule is the database's to keep (two requests at once end in
    # the IntegrityError below), so full_clean leaves the constraints to it.
    change.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:  # a request sent at the same moment won
        raise ServiceError(_("Dere har allerede en endringssøknad til behandling. Vent på "
                             "svaret før dere søker om en ny endring."), "pending") from None
    ChangeRequestLine.objects.bulk_create([
        ChangeRequestLine(change_request=change, part=a.part, line_id=a.line_id,
                          label=a.label[:300], granted=a.granted, requested=a.requested,
                          new_content=a.new_content)
        for a in asked
    ])
    ChangeRequestEvent.objects.create(change_request=change, from_status="",
                                      to_status=change.status, by=user, at=now)
    audit(actor=user, action=AuditAction.CHANGE_REQUEST_SUBMIT, target=change,
          before={"status": ""}, after={"status": change.status},
          lines={f"{a.part}:{a.line_id}": [str(a.granted), str(a.requested)]
                 for a in asked if a.changed})
    return change


# --- the office's side ------------------------------------------------------------------


@transaction.atomic
def change_request_recommend(
    *, change_request: ChangeRequest, user: User, recommendation: str, note: str,
) -> ChangeRequest:
    """A member of the office's staff recommends approving or refusing, with a reason; it
    then waits for another to approve."""
    change = _lock(change_request)
    _require_staff(user, change)
    if recommendation not in Recommendation.values:
        raise ServiceError(_("Velg om endringen skal innvilges eller avslås."),
                           "no_recommendation", [rules.RuleError(
                               "office", _("Velg om endringen skal innvilges eller avslås."),
                               field="recommendation")])
    if not note.strip():
        raise ServiceError(_("Skriv en begrunnelse for innstillingen."), "no_reason",
                           [rules.RuleError("office", _("Skriv en begrunnelse for "
                                                        "innstillingen."), field="note")])
    change.recommendation = recommendation
    change.recommendation_note = note.strip()
    change.recommended_by = user
    change.recommended_at = timezone.now()
    CHANGE_WORKFLOW.transition(
        change, ChangeStatus.RECOMMENDED, by=user, note=change.recommendation_note,
        also_changed={"recommendation": ("", recommendation)},
    )
    return change


@transaction.atomic
def change_request_return(*, change_request: ChangeRequest, user: User, note: str = ""
                          ) -> ChangeRequest:
    """An approver sends the recommendation back to be made again."""
    change = _lock(change_request)
    _require_approver(user, change)
    before = change.recommendation
    change.recommendation, change.recommendation_note = "", ""
    change.recommended_by, change.recommended_at = None, None
    CHANGE_WORKFLOW.transition(change, ChangeStatus.SUBMITTED, by=user, note=note.strip(),
                               also_changed={"recommendation": (before, "")})
    return change


@transaction.atomic
def change_request_decide(*, change_request: ChangeRequest, user: User, note: str = ""
                          ) -> ChangeRequest:
    """Another approver at the office makes the recommendation the decision: approved (the
    lines move; a report being written gets the new amounts) or refused (nothing moves).
    An approval that would grant an earmark, or the pot's rest, more than it holds is
    refused as a case's approval is (_check_pot), and nothing changes. The letter is made
    by a Celery job and e-mailed when committed."""
    change = _lock(change_request)
    _require_approver(user, change)
    require_status(change, ChangeStatus.RECOMMENDED,
                   _("Bare en innstilling som venter på godkjenning kan godkjennes "
                     "(endringssøknaden er %(status)s)."), "not_recommended")
    approve = change.recommendation == Recommendation.APPROVE
    report = None
    if approve:
        # the report locked before it is asked whether it is still being written: a
        # report_submit at the same time waits for this decision, or this one for it
        report = (Report.objects.select_for_update(of=("self",))
                  .filter(application_id=change.application_id).first())
        _check_still_valid(change, report)
        _check_pot(change)
    change.decided_by = user
    change.decided_at = timezone.now()
    to = ChangeStatus.APPROVED if approve else ChangeStatus.REFUSED
    CHANGE_WORKFLOW.transition(change, to, by=user, note=note.strip(),
                               also_changed={"decided_by": (None, user.pk)})
    if report is not None:
        _apply_to_report(change, report)
    letter = ChangeLetter(change_request=change)
    letter.full_clean()
    letter.save()
    letter.enqueue_on_commit()
    audit(actor=user, action=AuditAction.CHANGE_LETTER_GENERATE, target=change,
          before={}, after={"letter": letter.pk}, status=str(to))
    letters.email_decision(change)
    return change


def _check_still_valid(change: ChangeRequest, report: Report | None) -> None:
    """The grant the request was made on is the grant now, and its `report` (locked by the
    caller) not sent."""
    _refuse_unless_open(report)
    current = selectors.current_grant(selectors.application_with_lines(change.application_id))
    lines = list(change.lines.all())
    now = {(line.part, line.line_id): line.granted for line in current.lines} if current else {}
    if current is None or current.granted_total != change.granted_total or any(
            now.get((line.part, line.line_id)) != line.granted for line in lines):
        raise ServiceError(_("Tilskuddet er endret etter at endringssøknaden ble sendt. "
                             "Endringssøknaden må avslås og sendes på nytt."), "grant_changed")


def _check_pot(change: ChangeRequest) -> None:
    """The change grants no earmark, nor the pot's rest, more than it holds, as an
    approval of a case may not (assessment's rule). The pot is locked as that approval
    locks it, after the change request and the report, so two approvals against one
    earmark, a change's and a case's, wait for each other and the second counts the first."""
    budget = assessment_services.pot_lock(application=change.application)
    moves = {(line.part, line.line_id): line.requested - line.granted
             for line in change.lines.all() if line.requested != line.granted}
    overruns = assessment_selectors.overruns_after_move(budget, moves)
    if overruns:
        raise ServiceError(" ".join(rules.pot_refusal(o) for o in overruns),
                           "earmark_exceeded" if overruns[0].earmarked else "pot_exceeded")


#: A report line's fields that the recipient does not type.
_NOT_TYPED = {"id", "report", "source", "granted"}


def _typed(row) -> bool:
    """Whether the recipient has typed anything on the report line (used, persons, text)."""
    return any(getattr(row, field.attname) not in (None, "")
               for field in row._meta.concrete_fields if field.name not in _NOT_TYPED)


def _apply_to_report(change: ChangeRequest, report: Report) -> None:
    """The report still being written (locked, asked under the lock) gets the new amounts:
    lines granted nothing now are taken out (kept at kr 0 when anything was typed on
    them), lines granted money now are added. Without a
    report there is nothing to do: it opens with the new amounts (reporting.grants)."""
    for line in change.lines.all():
        model = LINE_MODELS[line.part]
        existing = model.objects.filter(report=report, source_id=line.line_id)
        if line.requested == 0:
            if any(_typed(row) for row in existing):
                existing.update(granted=0)  # what was typed is kept; the rules flag it
            else:
                existing.delete()
        elif not existing.update(granted=line.requested):
            model.objects.create(report=report, source_id=line.line_id, granted=line.requested)


__all__ = ["CHANGE_WORKFLOW", "LineChange", "change_request_decide", "change_request_recommend",
           "change_request_return", "change_request_submit", "lock_pending"]
