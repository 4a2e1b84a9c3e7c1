"""Every change to a case goes through one of these functions.

The four-eyes rule and the pot are enforced here, not only in the admin: a caseworker
recommends, a different approver at the same office approves (the decision, vedtak) or
sends back, and an approval that would overspend the pot or an earmark is refused, with
the office's budget row locked so two approvers at once cannot overspend it together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, ApplicationStatus
from tilskudd.audit import AuditAction, changes
from tilskudd.errors import ServiceError
from tilskudd.links import absolute_url
from tilskudd.models import (
    Membership,
    MembershipRole,
    Office,
    OfficeBudget,
    OfficeMembership,
    User,
)
from tilskudd.money import format_nok
from tilskudd.outbox import queue_email
from tilskudd.services import audit
from tilskudd.workflow import Workflow

from . import rules
from .models import (
    ALLOWED_TRANSITIONS,
    CRITERION_CHOICES,
    Acceptance,
    AllocationLetter,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    EventAction,
    LetterKind,
    LineAssessment,
    Part,
    ProjectScore,
)
from .selectors import approved_by_bucket, earmark_amounts

CRITERIA = [key for key, _label in CRITERION_CHOICES]


#: The refusal's old name, kept for code outside assessment that still catches it.
AssessmentError = ServiceError


@dataclass(frozen=True)
class LineInput:
    """What the caseworker entered for one line: `id` is the LineAssessment's."""

    id: int
    recommended: Decimal | None
    justification: str = ""
    #: criterion key -> score (None clears it); only for projects
    scores: Mapping[str, int | None] | None = None


# --- who may do what -------------------------------------------------------------------


def office_of(assessment: Assessment) -> Office:
    return assessment.application.organisation.county.office


def _require_staff(user: User, office: Office) -> OfficeMembership:
    membership = (
        OfficeMembership.objects.filter(user=user, user__is_active=True)
        .select_related("office")
        .first()
    )
    if membership is None or membership.office_id != office.pk:
        raise ServiceError(
            _("Du arbeider ikke ved %(office)s og kan ikke behandle denne søknaden.")
            % {"office": office.name},
            "not_office_staff",
        )
    return membership


def _require_approver(user: User, assessment: Assessment) -> None:
    """The four-eyes rule: an approver at the application's office who did not make
    the recommendation."""
    membership = _require_staff(user, office_of(assessment))
    if not membership.may_approve:
        raise ServiceError(
            _("Bare en godkjenner ved embetet kan godkjenne eller sende tilbake en innstilling."),
            "not_approver",
        )
    if assessment.recommended_by_id == user.pk:
        raise ServiceError(
            _("Du kan ikke godkjenne eller sende tilbake din egen innstilling. En annen "
              "godkjenner ved embetet må gjøre det (fire øyne)."),
            "own_recommendation",
        )


def _require_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise ServiceError(
            _("Saken er %(status)s og kan ikke endres.")
            % {"status": assessment.get_status_display().lower()},
            "not_editable",
        )


def _require_submitted(application: Application) -> None:
    if application.status != ApplicationStatus.SUBMITTED:
        raise ServiceError(
            _("Søknaden er ikke sendt inn (status: %(status)s) og kan ikke behandles.")
            % {"status": application.get_status_display().lower()},
            "not_submitted",
        )


def _lock(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("application__organisation__county__office", "application__round")
        .get(pk=assessment.pk)
    )


# --- the workflow ----------------------------------------------------------------------


#: The one place a case's status changes: refuses moves the workflow lacks, saves the case
#: (with whatever else the caller set on it), records the step in AssessmentEvent and one
#: typed audit row with the status (and what else changed) before and after.
ASSESSMENT_WORKFLOW = Workflow(
    history=AssessmentEvent, subject="assessment", allowed=ALLOWED_TRANSITIONS,
    action=AuditAction.ASSESSMENT_STATUS, status_choices=AssessmentStatus,
    refusal=gettext_lazy("Saken kan ikke gå fra «%(from)s» til «%(to)s»."),
)


def _record(
    assessment: Assessment, action: EventAction, *, by: User, note: str = "",
    from_status: str = "", to_status: str = "",
) -> AssessmentEvent:
    """A step in the case's history that does not change its status."""
    return AssessmentEvent.objects.create(
        assessment=assessment, action=action, by=by, note=note,
        from_status=from_status, to_status=to_status,
    )


def _application_lines(application: Application) -> list[tuple[str, object]]:
    return (
        [(Part.COMPETENCE, line) for line in application.competence_lines.all()]
        + [(Part.BPA, line) for line in application.bpa_lines.all()]
        + [(Part.PROJECTS, line) for line in application.projects.all()]
    )


FK_FOR_PART = {Part.COMPETENCE: "competence_line", Part.BPA: "bpa_line",
               Part.PROJECTS: "project"}


def _sync_lines(assessment: Assessment) -> None:
    """One LineAssessment per line of the application, with the applied amount as it is
    (lines removed from the application take their assessment with them)."""
    existing = {(la.part, la.line_id): la for la in assessment.lines.all()}
    new = []
    for part, line in _application_lines(assessment.application):
        la = existing.get((part, line.pk))
        if la is None:
            new.append(LineAssessment(assessment=assessment, part=part, applied=line.amount,
                                      **{FK_FOR_PART[part]: line}))
        elif la.applied != line.amount:
            la.applied = line.amount
            if la.recommended is not None and la.recommended > la.applied:
                la.recommended = None
            la.save(update_fields=["applied", "recommended"])
    for la in new:
        la.full_clean(exclude=["assessment"])
    LineAssessment.objects.bulk_create(new)


@transaction.atomic
def assessment_open(*, application: Application, user: User) -> Assessment:
    """The office's case for a submitted application, created the first time a caseworker
    opens it; a second call returns the same case."""
    application = Application.objects.select_related(
        "organisation__county__office", "round"
    ).get(pk=application.pk)
    _require_staff(user, application.organisation.county.office)
    assessment = Assessment.objects.filter(application=application).first()
    if assessment is None:
        _require_submitted(application)
        try:
            with transaction.atomic():
                assessment = Assessment(application=application)
                assessment.full_clean()
                assessment.save()
        except IntegrityError:  # a colleague opened it at the same moment
            assessment = Assessment.objects.get(application=application)
        else:
            _record(assessment, EventAction.OPENED, by=user, to_status=assessment.status)
            audit(actor=user, action=AuditAction.ASSESSMENT_OPEN, target=assessment,
                  before={"status": ""}, after={"status": str(assessment.status)})
    if assessment.is_editable and application.status == ApplicationStatus.SUBMITTED:
        assessment = _lock(assessment)  # two colleagues opening at once add lines once
        _sync_lines(assessment)
    assessment.application = application
    return assessment


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    user: User,
    lines: Sequence[LineInput] = (),
    internal_notes: str | None = None,
) -> Assessment:
    """Save recommended amounts, justifications, project scores and internal notes while
    the case is under assessment (or sent back)."""
    assessment = _lock(assessment)
    _require_staff(user, office_of(assessment))
    _require_editable(assessment)
    _require_submitted(assessment.application)
    _sync_lines(assessment)
    existing = {la.pk: la for la in assessment.lines.all()}
    before = _saved_values(assessment, existing.values())
    changed = 0
    for data in lines:
        la = existing.get(data.id)
        if la is None:
            raise ServiceError(_("Linjen hører ikke til denne saken."), "unknown_line")
        la.recommended = data.recommended
        la.justification = (data.justification or "").strip()
        la.full_clean()
        la.save(update_fields=["recommended", "justification"])
        if data.scores is not None:
            _save_scores(la, data.scores)
        changed += 1
    if internal_notes is not None:
        assessment.internal_notes = internal_notes
    assessment.updated_at = timezone.now()
    assessment.full_clean()
    assessment.save(update_fields=["internal_notes", "updated_at"])
    old, new = changes(before, _saved_values(assessment, existing.values()))
    audit(actor=user, action=AuditAction.ASSESSMENT_SAVE, target=assessment,
          before=old, after=new, lines=changed)
    return assessment


def _saved_values(assessment: Assessment, lines) -> dict[str, object]:
    """What assessment_save may change, flat for the audit row's before/after."""
    values: dict[str, object] = {"internal_notes": assessment.internal_notes}
    for la in lines:
        values[f"line_{la.pk}_recommended"] = (
            None if la.recommended is None else str(la.recommended)
        )
        values[f"line_{la.pk}_justification"] = la.justification
    return values


def _save_scores(la: LineAssessment, scores: Mapping[str, int | None]) -> None:
    if la.part != Part.PROJECTS and any(v is not None for v in scores.values()):
        raise ServiceError(_("Bare prosjekter får poeng per kriterium."), "scores_not_project")
    for criterion, score in scores.items():
        if criterion not in CRITERIA:
            raise ServiceError(_("Ukjent kriterium: %(c)s.") % {"c": criterion}, "criterion")
        if score is None:
            ProjectScore.objects.filter(line=la, criterion=criterion).delete()
            continue
        obj = ProjectScore.objects.filter(line=la, criterion=criterion).first() or ProjectScore(
            line=la, criterion=criterion
        )
        obj.score = score
        obj.full_clean()
        obj.save()


@transaction.atomic
def assessment_assign(*, assessment: Assessment, user: User, assignee: User | None) -> Assessment:
    """Give the case to a caseworker at the office (or to nobody)."""
    assessment = _lock(assessment)
    office = office_of(assessment)
    _require_staff(user, office)
    if assignee is not None:
        try:
            _require_staff(assignee, office)
        except ServiceError:
            raise ServiceError(
                _("%(name)s arbeider ikke ved %(office)s.")
                % {"name": assignee, "office": office.name},
                "assignee_not_staff",
            ) from None
    before = assessment.assigned_to_id
    if before == (assignee.pk if assignee else None):
        return assessment
    assessment.assigned_to = assignee
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["assigned_to", "updated_at"])
    _record(assessment, EventAction.ASSIGNED, by=user,
            note=str(assignee) if assignee else _("Ingen saksbehandler"))
    audit(actor=user, action=AuditAction.ASSESSMENT_ASSIGN, target=assessment,
          before={"assigned_to": before}, after={"assigned_to": assessment.assigned_to_id})
    return assessment


def _missing_for_recommendation(assessment: Assessment) -> list[str]:
    problems = []
    lines = list(assessment.lines.select_related("competence_line", "bpa_line", "project")
                 .prefetch_related("scores"))
    if not lines:
        problems.append(_("Søknaden har ingen linjer å vurdere."))
    for la in lines:
        name = f"{la.get_part_display()}: {la.line}"
        if la.recommended is None:
            problems.append(_("%(line)s mangler innstilt beløp.") % {"line": name})
        elif rules.justification_required(applied=la.applied, recommended=la.recommended) and (
            not la.justification
        ):
            problems.append(
                _("%(line)s: skriv en kort begrunnelse når beløpet er lavere enn det som er "
                  "søkt.") % {"line": name}
            )
        if la.part == Part.PROJECTS:
            scored = {s.criterion for s in la.scores.all()}
            if scored != set(CRITERIA):
                problems.append(
                    _("%(line)s mangler poeng på %(n)d av %(total)d kriterier.")
                    % {"line": name, "n": len(set(CRITERIA) - scored), "total": len(CRITERIA)}
                )
    return problems


@transaction.atomic
def assessment_recommend(*, assessment: Assessment, user: User, comment: str = "") -> Assessment:
    """The caseworker's recommendation (innstilling), sent for approval. Every line needs
    an amount, every cut a justification, every project a score on each criterion."""
    assessment = _lock(assessment)
    _require_staff(user, office_of(assessment))
    _require_editable(assessment)
    _require_submitted(assessment.application)
    _sync_lines(assessment)
    problems = _missing_for_recommendation(assessment)
    if problems:
        raise ServiceError(
            _("Innstillingen kan ikke sendes ennå: %(problems)s")
            % {"problems": " ".join(problems)},
            "incomplete",
        )
    also_changed = {"recommended_by": (assessment.recommended_by_id, user.pk)}
    assessment.recommended_by = user
    assessment.recommended_at = timezone.now()
    ASSESSMENT_WORKFLOW.transition(
        assessment, AssessmentStatus.RECOMMENDED, by=user, note=comment.strip(),
        action=EventAction.RECOMMENDED, also_changed=also_changed,
    )
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, user: User, comment: str) -> Assessment:
    """An approver sends the recommendation back to the caseworker, saying why."""
    assessment = _lock(assessment)
    _require_approver(user, assessment)
    if not comment.strip():
        raise ServiceError(
            _("Skriv en kommentar til saksbehandleren om hvorfor innstillingen sendes tilbake."),
            "comment_required",
        )
    ASSESSMENT_WORKFLOW.transition(assessment, AssessmentStatus.RETURNED, by=user,
                                   note=comment.strip(), action=EventAction.RETURNED)
    return assessment


def _lock_budget(assessment: Assessment) -> OfficeBudget:
    application = assessment.application
    office = application.organisation.county.office
    try:
        # The row lock serialises approvals against one pot: a second approver waits here
        # until the first has committed, then sums what is granted including the first.
        return OfficeBudget.objects.select_for_update().get(
            office=office, round=application.round_id
        )
    except OfficeBudget.DoesNotExist:
        raise ServiceError(
            _("%(office)s har ingen ramme for %(round)s. Rammen må registreres før vedtak.")
            % {"office": office.name, "round": application.round},
            "no_budget",
        ) from None


def _check_pot(assessment: Assessment, budget: OfficeBudget) -> None:
    earmarks = earmark_amounts(budget)
    keys = set(earmarks)
    granted = approved_by_bucket(budget, keys)
    wanted: dict[str, Decimal] = {}
    for la in assessment.lines.select_related("project"):
        bucket = rules.earmark_bucket(
            part=la.part, topic=la.project.topic if la.project_id else None, earmark_keys=keys
        )
        wanted[bucket] = wanted.get(bucket, Decimal(0)) + (la.recommended or Decimal(0))
    for bucket, amount in sorted(wanted.items()):
        if not amount:
            continue
        if bucket == rules.GENERAL:
            available = budget.pot - sum(earmarks.values(), Decimal(0))
            used = granted.get(rules.GENERAL, Decimal(0))
            if used + amount > available:
                raise ServiceError(
                    _("Godkjenningen ville overskride rammen. Igjen av rammen utenom øremerkede "
                      "midler: %(left)s. Denne innstillingen: %(amount)s.")
                    % {"left": format_nok(available - used), "amount": format_nok(amount)},
                    "pot_exceeded",
                )
        else:
            used = granted.get(bucket, Decimal(0))
            if used + amount > earmarks[bucket]:
                name = budget.earmarks.filter(key=bucket).values_list("name", flat=True).first()
                raise ServiceError(
                    _("Godkjenningen ville overskride den øremerkede delen «%(name)s». Igjen: "
                      "%(left)s. Denne innstillingen bruker %(amount)s av den.")
                    % {"name": name, "left": format_nok(earmarks[bucket] - used),
                       "amount": format_nok(amount)},
                    "earmark_exceeded",
                )


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user: User, comment: str = "") -> Assessment:
    """An approver at the office, not the one who recommended, approves the recommendation;
    it becomes the decision (vedtak): granted, partly granted or rejected. Refused if it
    would overspend the pot or an earmark."""
    assessment = _lock(assessment)
    _require_approver(user, assessment)
    if assessment.status != AssessmentStatus.RECOMMENDED:
        raise ServiceError(
            _("Bare en innstilling som venter på godkjenning kan godkjennes (saken er "
              "%(status)s).") % {"status": assessment.get_status_display().lower()},
            "not_recommended",
        )
    _require_submitted(assessment.application)
    budget = _lock_budget(assessment)
    _check_pot(assessment, budget)
    lines = list(assessment.lines.all())
    applied = sum((la.applied for la in lines), Decimal(0))
    granted = sum((la.recommended or Decimal(0) for la in lines), Decimal(0))
    for la in lines:
        la.granted = la.recommended
        la.full_clean()
    LineAssessment.objects.bulk_update(lines, ["granted"])
    outcome = rules.outcome_for(applied=applied, granted=granted)
    also_changed = {"outcome": (assessment.outcome, outcome),
                    "decided_by": (assessment.decided_by_id, user.pk)}
    assessment.outcome = outcome
    assessment.decided_by = user
    assessment.decided_at = timezone.now()
    ASSESSMENT_WORKFLOW.transition(
        assessment, AssessmentStatus.DECIDED, by=user, note=comment.strip(),
        action=EventAction.APPROVED, also_changed=also_changed,
        audit_data={"granted": str(granted), "budget": budget.pk},
    )
    return assessment


# --- letters and acceptance -------------------------------------------------------------


def _recipients(application: Application) -> list[str]:
    signatories = Membership.objects.filter(
        organisation=application.organisation, role=MembershipRole.SIGNATORY,
        user__is_active=True,
    ).values_list("user__email", flat=True)
    return sorted({application.contact_email, *signatories} - {""})


def _email_letter_on_commit(letter: AllocationLetter, assessment: Assessment) -> None:
    application = assessment.application
    recipients = _recipients(application)
    if not recipients:
        return
    rnd = application.round
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
        "Brevet (versjon %(version)d) ligger i portalen: %(path)s\n\n%(action)s"
    ) % {
        "office": application.organisation.county.office.name,
        "org": application.organisation.name,
        "outcome": assessment.get_outcome_display().lower(),
        "version": letter.version,
        "path": absolute_url("assessment:decision", application.pk),
        "action": action,
    }
    queue_email(to=recipients, subject=subject, body=body.strip(), kind="allocation_letter",
                reference=str(application.pk))


@transaction.atomic
def letter_generate(
    *, assessment: Assessment, user: User, replace: bool = True
) -> AllocationLetter:
    """Make the letter for a decision by a Celery job: a grant letter (tilskuddsbrev) or a
    rejection. Each call makes a new version and never overwrites an earlier one; with
    replace=False a decision that already has a letter keeps it (bulk runs, double clicks).
    The applicant's contact person and signatories are e-mailed when it is committed."""
    assessment = _lock(assessment)
    _require_staff(user, office_of(assessment))
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
    _record(assessment, EventAction.LETTER, by=user,
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
    assessment = _lock(assessment)
    organisation = assessment.application.organisation
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise ServiceError(_("Du har ikke tilgang til denne organisasjonen."), "not_member")
    if membership.role != MembershipRole.SIGNATORY:
        raise ServiceError(
            _("Bare den som har signaturrett for %(org)s kan akseptere tilskuddet.")
            % {"org": organisation.name},
            "not_signatory",
        )
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
    _record(assessment, EventAction.ACCEPTED, by=user,
            note=_("%(name)s aksepterte versjon %(version)d av tilskuddsbrevet.")
            % {"name": acceptance.accepted_name, "version": latest.version})
    audit(actor=user, action=AuditAction.GRANT_ACCEPT, target=assessment,
          before={"accepted_by": None, "letter_version": None},
          after={"accepted_by": user.pk, "letter_version": latest.version})
    return acceptance
