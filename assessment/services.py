"""Every change to a case goes through one of these functions (the letters and the
acceptance live in assessment.letters and are imported from here as well).

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
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, ApplicationStatus
from tilskudd.audit import AuditAction, changes
from tilskudd.errors import ServiceError
from tilskudd.models import OfficeBudget, User
from tilskudd.money import format_nok
from tilskudd.services import audit
from tilskudd.workflow import require_status

from . import rules
from .access import (
    lock_case,
    office_of,
    require_approver,
    require_editable,
    require_staff,
    require_submitted,
)
from .amounts import store_case_totals
from .cases import application_lines
from .letters import grant_accept, letter_generate
from .models import (
    CRITERION_CHOICES,
    Assessment,
    AssessmentStatus,
    EventAction,
    LineAssessment,
    Part,
    ProjectScore,
)
from .pot import earmarks_of, overruns
from .workflow import ASSESSMENT_WORKFLOW, record_step

__all__ = [
    "ASSESSMENT_WORKFLOW", "LineInput", "ServiceError",
    "assessment_approve", "assessment_assign", "assessment_open", "assessment_recommend",
    "assessment_return", "assessment_save", "grant_accept", "letter_generate", "office_of",
    "pot_lock",
]

CRITERIA = [key for key, _label in CRITERION_CHOICES]


@dataclass(frozen=True)
class LineInput:
    """What the caseworker entered for one line: `id` is the LineAssessment's."""

    id: int
    recommended: Decimal | None
    justification: str = ""
    #: criterion key -> score (None clears it); only for projects
    scores: Mapping[str, int | None] | None = None


FK_FOR_PART = {Part.COMPETENCE: "competence_line", Part.BPA: "bpa_line",
               Part.PROJECTS: "project"}


def _sync_lines(assessment: Assessment) -> None:
    """One LineAssessment per line of the application, with the applied amount as it is
    (lines removed from the application take their assessment with them)."""
    existing = {(la.part, la.line_id): la for la in assessment.lines.all()}
    new = []
    for part, line in application_lines(assessment.application):
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
    require_staff(user, application.organisation.county.office)
    assessment = Assessment.objects.filter(application=application).first()
    if assessment is None:
        require_submitted(application)
        try:
            with transaction.atomic():
                assessment = Assessment(application=application)
                assessment.full_clean()
                assessment.save()
        except IntegrityError:  # a colleague opened it at the same moment
            assessment = Assessment.objects.get(application=application)
        else:
            record_step(assessment, EventAction.OPENED, by=user, to_status=assessment.status)
            audit(actor=user, action=AuditAction.ASSESSMENT_OPEN, target=assessment,
                  before={"status": ""}, after={"status": str(assessment.status)})
    if assessment.is_editable and application.status == ApplicationStatus.SUBMITTED:
        assessment = lock_case(assessment)  # two colleagues opening at once add lines once
        _sync_lines(assessment)
        store_case_totals(assessment)
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
    assessment = lock_case(assessment)
    require_staff(user, office_of(assessment))
    require_editable(assessment)
    require_submitted(assessment.application)
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
    store_case_totals(assessment)
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
    assessment = lock_case(assessment)
    office = office_of(assessment)
    require_staff(user, office)
    if assignee is not None:
        try:
            require_staff(assignee, office)
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
    record_step(assessment, EventAction.ASSIGNED, by=user,
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
    assessment = lock_case(assessment)
    require_staff(user, office_of(assessment))
    require_editable(assessment)
    require_submitted(assessment.application)
    _sync_lines(assessment)
    store_case_totals(assessment)
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
    assessment = lock_case(assessment)
    require_approver(user, assessment)
    if not comment.strip():
        raise ServiceError(
            _("Skriv en kommentar til saksbehandleren om hvorfor innstillingen sendes tilbake."),
            "comment_required",
        )
    ASSESSMENT_WORKFLOW.transition(assessment, AssessmentStatus.RETURNED, by=user,
                                   note=comment.strip(), action=EventAction.RETURNED)
    return assessment


def _lock_budget(assessment: Assessment) -> OfficeBudget:
    return pot_lock(application=assessment.application)


def pot_lock(*, application: Application) -> OfficeBudget:
    """The application's pot (its office's budget for its round), locked in the caller's
    transaction. An approval takes it, and so does a later decision that moves granted
    money between the parts of the pot (reporting.changes), before it asks
    selectors.overruns_after_move."""
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
    """Refused if the recommendation would overspend an earmark or the pot's rest (the
    pot's one rule, pot.overruns, which a change request's approval asks too); the first
    part overspent is named."""
    earmarks = earmarks_of(budget)
    keys = {e.key for e in earmarks}
    wanted: dict[str, Decimal] = {}
    for la in assessment.lines.select_related("project"):
        bucket = rules.earmark_bucket(
            part=la.part, topic=la.project.topic if la.project_id else None, earmark_keys=keys
        )
        wanted[bucket] = wanted.get(bucket, Decimal(0)) + (la.recommended or Decimal(0))
    found = overruns(budget, earmarks, wanted)
    if not found:
        return
    first = found[0]
    words = {"name": first.name, "left": format_nok(first.left),
             "amount": format_nok(first.after - first.granted)}
    if not first.earmarked:
        raise ServiceError(
            _("Godkjenningen ville overskride rammen. Igjen av rammen utenom øremerkede "
              "midler: %(left)s. Denne innstillingen: %(amount)s.") % words,
            "pot_exceeded",
        )
    raise ServiceError(
        _("Godkjenningen ville overskride den øremerkede delen «%(name)s». Igjen: "
          "%(left)s. Denne innstillingen bruker %(amount)s av den.") % words,
        "earmark_exceeded",
    )


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user: User, comment: str = "") -> Assessment:
    """An approver at the office, not the one who recommended, approves the recommendation;
    it becomes the decision (vedtak): granted, partly granted or rejected. Refused if it
    would overspend the pot or an earmark."""
    assessment = lock_case(assessment)
    require_approver(user, assessment)
    require_status(assessment, AssessmentStatus.RECOMMENDED,
                   _("Bare en innstilling som venter på godkjenning kan godkjennes (saken er "
                     "%(status)s)."), "not_recommended")
    require_submitted(assessment.application)
    budget = _lock_budget(assessment)
    _check_pot(assessment, budget)
    lines = list(assessment.lines.all())
    applied = sum((la.applied for la in lines), Decimal(0))
    granted = sum((la.recommended or Decimal(0) for la in lines), Decimal(0))
    for la in lines:
        la.granted = la.recommended
        la.full_clean()
    LineAssessment.objects.bulk_update(lines, ["granted"])
    store_case_totals(assessment)
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
