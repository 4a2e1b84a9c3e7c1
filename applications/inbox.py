"""What the applications app puts in the inbox (tilskudd.inbox): drafts to finish before
the deadline, applications waiting for a signature, and the latest sendings. Registered
in ApplicationsConfig.ready(); one query for the items, two for the events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd import deadlines
from tilskudd.audit import AuditAction
from tilskudd.inbox import (
    DRAFT,
    TO_SIGN,
    InboxEvent,
    InboxItem,
    audited_targets,
    due_text,
    may_sign,
)
from tilskudd.models import AuditEvent, Membership, User

from .models import EDITABLE_STATUSES, Application, ApplicationStatus


def application_items(
    user: User, memberships: Sequence[Membership], now: datetime
) -> Iterable[InboxItem]:
    applications = (
        Application.objects.filter(
            organisation_id__in=[m.organisation_id for m in memberships],
            status__in=[*EDITABLE_STATUSES, ApplicationStatus.TO_SIGN],
            round__opens_at__lte=now,
            round__application_deadline__gte=deadlines.cutoff(now),
        )
        .select_related("organisation", "round__scheme", "signature_requested_by")
        .order_by("round__application_deadline", "pk")
    )
    for application in applications:
        deadline = application.round.application_deadline
        signs = may_sign(memberships, application.organisation_id)
        if application.is_to_sign:
            by = application.signature_requested_by
            yield InboxItem(
                kind=TO_SIGN,
                title=(_("Søknaden om %(name)s venter på din signatur") if signs
                       else _("Søknaden om %(name)s venter på signatur"))
                % {"name": application.round.title},
                detail=" ".join(filter(None, [
                    _("Sendt til signering av %(who)s.") % {"who": by.full_name} if by else "",
                    due_text(deadline, now)])),
                url=reverse("applications:preview", args=[application.pk]),
                link_text=_("Kontroller og send inn") if signs else _("Se søknaden"),
                organisation=application.organisation.name, due=deadline, for_me=signs,
            )
        else:
            yield InboxItem(
                kind=DRAFT,
                title=_("Fullfør søknaden om %(name)s") % {"name": application.round.title},
                detail=due_text(deadline, now),
                url=reverse("applications:edit", args=[application.pk]),
                link_text=_("Fortsett på søknaden"),
                organisation=application.organisation.name, due=deadline,
            )


def _event_text(event: AuditEvent, application: Application) -> str:
    to = event.after.get("status")
    name = {"name": application.round.title, "org": application.organisation.name,
            "who": event.actor.full_name if event.actor else ""}
    if to == ApplicationStatus.SUBMITTED:
        return _("%(org)s: søknaden om %(name)s ble sendt inn av %(who)s.") % name
    if to == ApplicationStatus.TO_SIGN:
        return _("%(org)s: søknaden om %(name)s ble sendt til signering av %(who)s.") % name
    if to == ApplicationStatus.WITHDRAWN:
        return _("%(org)s: søknaden om %(name)s ble trukket av %(who)s.") % name
    if event.data.get("note") == _("Tatt tilbake fra signering."):
        return _("%(org)s: søknaden om %(name)s ble tatt tilbake fra signering av %(who)s.") % name
    return _("%(org)s: søknaden om %(name)s ble sendt tilbake fra signering av %(who)s.") % name


def application_events(organisation_ids: list[int], limit: int) -> Iterable[InboxEvent]:
    changed = Q(after__status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.TO_SIGN,
                                   ApplicationStatus.WITHDRAWN]) | Q(
        before__status=ApplicationStatus.TO_SIGN, after__status=ApplicationStatus.DRAFT)
    for event, application in audited_targets(
        Application.objects.filter(organisation_id__in=organisation_ids),
        Q(action=AuditAction.APPLICATION_STATUS) & changed, limit,
        related=("organisation", "round__scheme"),
    ):
        yield InboxEvent(at=event.at, text=_event_text(event, application),
                         url=reverse("applications:archive"))
