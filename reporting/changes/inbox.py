"""What change requests put in the inbox (tilskudd.inbox), the admin index and the
archive (tilskudd.archive): the recipient's answer to read, a request waiting at the
office, «Søk om endring» on an accepted grant, the requests and their letters. Registered
in ReportingConfig.ready(); one query each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from assessment import selectors as assessment_selectors
from tilskudd.archive import ArchiveDocument
from tilskudd.inbox import InboxItem, due_text
from tilskudd.models import Membership, OfficeMembership, User
from tilskudd.receipts import when

from ..choices import EDITABLE_STATUSES
from ..models import Report
from . import rules
from .models import DECIDED_STATUSES, PENDING_STATUSES, ChangeRequest, ChangeStatus

#: What an item is about.
CHANGE_ANSWERED = "change_answered"
CHANGE_PENDING = "change_pending"
CHANGE_TO_RECOMMEND = "change_to_recommend"
CHANGE_TO_APPROVE = "change_to_approve"
#: A decided change request's answer stays in the inbox this long.
ANSWER_SHOWN_DAYS = 30


def change_items(
    user: User, memberships: Sequence[Membership], now: datetime
) -> Iterable[InboxItem]:
    """The organisations' requests waiting at the office, and the answers of the last
    ANSWER_SHOWN_DAYS days. One query."""
    changes = (
        ChangeRequest.objects.filter(
            application__organisation_id__in=[m.organisation_id for m in memberships])
        .filter(Q(status__in=PENDING_STATUSES)
                | Q(status__in=DECIDED_STATUSES,
                    decided_at__gte=now - timedelta(days=ANSWER_SHOWN_DAYS)))
        .select_related("application__organisation", "application__round__scheme")
        .order_by("requested_at", "pk")
    )
    for change in changes:
        url = reverse("reporting:change_detail", args=[change.reference])
        organisation = change.application.organisation.name
        if change.is_pending:
            yield InboxItem(
                kind=CHANGE_PENDING, for_me=False, organisation=organisation, url=url,
                title=_("Endringssøknaden for %(name)s er til behandling") % {
                    "name": change.application.round.title},
                detail=_("Sendt %(at)s. Statsforvalteren svarer i et brev.") % {
                    "at": when(change.requested_at)},
                link_text=_("Se endringssøknaden"),
            )
        else:
            yield InboxItem(
                kind=CHANGE_ANSWERED, organisation=organisation, url=url,
                title=_("Les svaret på endringssøknaden for %(name)s") % {
                    "name": change.application.round.title},
                detail=(_("Endringen er innvilget %(at)s.") if change.status
                        == ChangeStatus.APPROVED else _("Endringen er avslått %(at)s.")) % {
                    "at": when(change.decided_at)},
                link_text=_("Les brevet"),
            )


def office_change_items(
    user: User, membership: OfficeMembership, now: datetime
) -> Iterable[InboxItem]:
    """Requests waiting for a recommendation, and recommendations waiting for the user's
    approval (not the user's own: four eyes). One query."""
    waiting = ChangeRequest.objects.filter(
        application__organisation__county__office=membership.office,
        status__in=PENDING_STATUSES,
    ).select_related("application__organisation", "application__round__scheme",
                     "recommended_by").order_by("requested_at", "pk")
    for change in waiting:
        words = {"org": change.application.organisation.name,
                 "name": change.application.round.title}
        url = reverse("admin:reporting_changerequest_change", args=[change.pk])
        if change.status == ChangeStatus.SUBMITTED:
            yield InboxItem(
                kind=CHANGE_TO_RECOMMEND, url=url, organisation=membership.office.name,
                title=_("Endringssøknad fra %(org)s for %(name)s venter på innstilling")
                % words,
                detail=_("Sendt %(at)s.") % {"at": when(change.requested_at)},
                link_text=_("Behandle endringssøknaden"), due=change.requested_at,
            )
        elif membership.may_approve and change.recommended_by_id != user.pk:
            yield InboxItem(
                kind=CHANGE_TO_APPROVE, url=url, organisation=membership.office.name,
                title=_("Innstillingen om endringssøknad fra %(org)s for %(name)s venter på "
                        "godkjenning") % words,
                detail=_("Innstilt av %(who)s %(at)s.") % {
                    "who": change.recommended_by.full_name, "at": when(change.recommended_at)},
                link_text=_("Vurder innstillingen"), due=change.recommended_at,
            )


def change_documents(application_ids: list[int]) -> Iterable[ArchiveDocument]:
    """Each change request, with its letter and checksum once made. One query."""
    for change in (ChangeRequest.objects.filter(application_id__in=application_ids)
                   .select_related("letter").order_by("requested_at", "pk")):
        letter = getattr(change, "letter", None)
        ready = letter is not None and letter.is_ready
        yield ArchiveDocument(
            application_id=change.application_id,
            title=_("Endringssøknad %(ref)s") % {"ref": change.reference},
            status=change.get_status_display(), created_at=change.requested_at,
            url=reverse("reporting:change_letter", args=[change.reference]) if ready else "",
            sha256=letter.sha256 if ready else "",
            action_url=reverse("reporting:change_detail", args=[change.reference]),
            action_label=_("Se endringssøknaden"),
        )


def change_actions(application_ids: list[int]) -> Iterable[ArchiveDocument]:
    """«Søk om endring» on an accepted grant while its round's change deadline is open, no
    request is being handled and the report is not sent. One query."""
    now = timezone.now()
    open_ = (
        Application.objects.filter(
            pk__in=assessment_selectors.accepted_grant_ids(application_ids))
        .annotate(
            pending=Exists(ChangeRequest.objects.filter(application=OuterRef("pk"),
                                                        status__in=PENDING_STATUSES)),
            report_sent=Exists(Report.objects.filter(application=OuterRef("pk")).exclude(
                status__in=EDITABLE_STATUSES)),
        )
        .filter(pending=False, report_sent=False)
        .select_related("round")
    )
    for application in open_:
        if not rules.accepts_change_at(application.round, now):
            continue
        deadline = rules.change_deadline(application.round)
        yield ArchiveDocument(
            application_id=application.pk, title=_("Endring av tilskuddet"),
            status=due_text(deadline, now), created_at=now,
            action_url=reverse("reporting:change_new", args=[application.pk]),
            action_label=_("Søk om endring"),
        )


def register() -> None:
    """Called from ReportingConfig.ready()."""
    from tilskudd.archive import register_archive_provider
    from tilskudd.inbox import register_inbox_provider, register_office_provider
    from tilskudd.status import Stage

    # a change is asked for (and offered) once the grant is accepted
    register_archive_provider(change_documents, from_stage=Stage.ACCEPTED)
    register_archive_provider(change_actions, from_stage=Stage.ACCEPTED)
    register_inbox_provider(items=change_items)
    register_office_provider(office_change_items)
