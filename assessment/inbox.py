"""What assessment puts in the inbox (tilskudd.inbox): a grant letter to read and accept,
and the decisions and acceptances lately. What the office does before it decides stays
the office's own. Registered in AssessmentConfig.ready(); one query for the items, two for
the events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.inbox import LETTER, InboxEvent, InboxItem, audited_targets, may_sign
from tilskudd.models import AuditEvent, Membership, OfficeMembership, User
from tilskudd.money import format_nok
from tilskudd.receipts import when

from . import rules
from .amounts import sum_of
from .models import AllocationLetter, Assessment, AssessmentStatus, LineAssessment
from .selectors import GRANT_OUTCOMES, grants_not_accepted


def letter_items(
    user: User, memberships: Sequence[Membership], now: datetime
) -> Iterable[InboxItem]:
    """Grants with a letter ready and not accepted yet."""
    ready = AllocationLetter.objects.filter(assessment=OuterRef("pk"),
                                            status=DocumentStatus.READY)
    waiting = (
        Assessment.objects.filter(
            application__organisation_id__in=[m.organisation_id for m in memberships],
            status=AssessmentStatus.DECIDED, outcome__in=GRANT_OUTCOMES,
            acceptance__isnull=True,
        )
        .annotate(letter_at=Subquery(ready.order_by("-created_at").values("created_at")[:1]),
                  granted_sum=sum_of(LineAssessment.objects.filter(
                      assessment=OuterRef("pk")), "granted"))
        .filter(letter_at__isnull=False)
        .select_related("application__organisation", "application__round__scheme")
        .order_by("decided_at", "pk")
    )
    for assessment in waiting:
        signs = may_sign(memberships, assessment.application.organisation_id)
        yield InboxItem(
            kind=LETTER,
            title=(_("Les og aksepter tilskuddsbrevet for %(name)s") if signs
                   else _("Tilskuddsbrevet for %(name)s venter på aksept")) % {
                "name": assessment.application.round.title},
            detail=_("Innvilget %(amount)s. Brevet kom %(at)s.") % {
                "amount": format_nok(assessment.granted_sum), "at": when(assessment.letter_at)},
            url=reverse("assessment:decision", args=[assessment.application_id]),
            link_text=_("Les brevet og aksepter") if signs else _("Se vedtaket"),
            organisation=assessment.application.organisation.name, for_me=signs,
        )


def _event_text(event: AuditEvent, assessment: Assessment) -> str:
    words = {"name": assessment.application.round.title,
             "org": assessment.application.organisation.name}
    if event.action == AuditAction.GRANT_ACCEPT:
        who = event.actor.full_name if event.actor else ""
        return _("%(org)s: tilskuddet for %(name)s ble akseptert av %(who)s.") % {
            **words, "who": who}
    if event.action == AuditAction.LETTER_GENERATE:
        return _("%(org)s: Statsforvalteren har sendt brev om vedtaket for %(name)s.") % words
    return _("%(org)s: Statsforvalteren har fattet vedtak om %(name)s.") % words


def decision_events(organisation_ids: list[int], limit: int) -> Iterable[InboxEvent]:
    for event, assessment in audited_targets(
        Assessment.objects.filter(application__organisation_id__in=organisation_ids),
        Q(action=AuditAction.ASSESSMENT_STATUS, after__status=AssessmentStatus.DECIDED)
        | Q(action__in=[AuditAction.LETTER_GENERATE, AuditAction.GRANT_ACCEPT]), limit,
        related=("application__organisation", "application__round__scheme"),
    ):
        yield InboxEvent(at=event.at, text=_event_text(event, assessment),
                         url=reverse("assessment:decision", args=[assessment.application_id]))


# --- the office's side (the admin index) -----------------------------------------------------

#: A grant letter not accepted this many days after it was made is followed up (the rule).
LETTER_FOLLOW_UP_DAYS = rules.LETTER_FOLLOW_UP_DAYS
#: Cases that are the office's, by who must act.
CASE_ITEM = "case"
APPROVAL_ITEM = "approval"
LETTER_NOT_ACCEPTED = "letter_not_accepted"


def _case_url(assessment: Assessment) -> str:
    return reverse("admin:assessment_submittedapplication_change",
                   args=[assessment.application_id])


def _case_name(assessment: Assessment) -> str:
    return f"{assessment.application.organisation.name} – {assessment.application.round.title}"


def office_items(
    user: User, membership: OfficeMembership, now: datetime
) -> Iterable[InboxItem]:
    """Cases assigned to the user, recommendations waiting for the user's approval (not
    the user's own: four eyes), and grant letters not accepted after
    LETTER_FOLLOW_UP_DAYS. Three queries."""
    cases = Assessment.objects.filter(
        application__organisation__county__office=membership.office
    ).select_related("application__organisation", "application__round__scheme")
    office = membership.office.name
    for case in cases.filter(assigned_to=user, status__in=[AssessmentStatus.OPEN,
                                                           AssessmentStatus.RETURNED]):
        returned = case.status == AssessmentStatus.RETURNED
        yield InboxItem(
            kind=CASE_ITEM, title=_("Saken %(case)s er tildelt deg") % {
                "case": _case_name(case)},
            detail=_("Innstillingen er sendt tilbake til deg.") if returned
            else _("Vurder søknaden og send innstillingen til godkjenning."),
            url=_case_url(case), link_text=_("Åpne saken"), organisation=office,
            due=case.application.round.application_deadline,
        )
    if membership.may_approve:
        waiting = cases.filter(status=AssessmentStatus.RECOMMENDED).exclude(
            recommended_by=user).select_related("recommended_by")
        for case in waiting:
            yield InboxItem(
                kind=APPROVAL_ITEM, title=_("Innstillingen for %(case)s venter på "
                                            "godkjenning") % {"case": _case_name(case)},
                detail=_("Innstilt av %(who)s %(at)s.") % {
                    "who": case.recommended_by.full_name, "at": when(case.recommended_at)},
                url=_case_url(case), link_text=_("Vurder innstillingen"), organisation=office,
                due=case.recommended_at,
            )
    for case in grants_not_accepted(cases, now):
        yield InboxItem(
            kind=LETTER_NOT_ACCEPTED,
            title=_("Tilskuddet til %(case)s er ikke akseptert") % {"case": _case_name(case)},
            detail=_("Tilskuddsbrevet ble laget %(at)s, for %(days)d dager siden.") % {
                "at": when(case.letter_at), "days": (now - case.letter_at).days},
            url=_case_url(case), link_text=_("Åpne saken"), organisation=office,
            due=case.letter_at,
        )
