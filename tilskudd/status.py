"""One status line per grant, as the applicant understands it:

    Under arbeid → Til signering → Sendt inn → Under behandling →
    Innvilget kr … / Delvis innvilget kr … / Avslått → Akseptert →
    Rapport under arbeid / sendt / godkjent / sendt tilbake

Each app that knows a part of a grant's life registers a stage provider in its
AppConfig.ready() (applications: the application itself; assessment: the case, the
decision and the acceptance; reporting: the report). `grant_status_for(applications)` asks
every provider once for all the applications it is given, and keeps for each application
the stage furthest along. A provider reads with a fixed number of queries whatever the
number of applications, so the archive, the inbox, the receipt and the e-mails all say the
same words in a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from .money import format_nok


class Stage(IntEnum):
    """The stages in the order a grant goes through them (a later one wins)."""

    DRAFT = 10
    WITHDRAWN = 15
    TO_SIGN = 20
    SUBMITTED = 30
    IN_ASSESSMENT = 40
    REJECTED = 50
    GRANTED = 51
    PARTLY_GRANTED = 52
    ACCEPTED = 60
    REPORT_DRAFT = 70
    REPORT_RETURNED = 75
    REPORT_SUBMITTED = 80
    REPORT_APPROVED = 90


LABELS = {
    Stage.DRAFT: _("Under arbeid"),
    Stage.WITHDRAWN: _("Trukket"),
    Stage.TO_SIGN: _("Til signering"),
    Stage.SUBMITTED: _("Sendt inn"),
    Stage.IN_ASSESSMENT: _("Under behandling"),
    Stage.REJECTED: _("Avslått"),
    Stage.GRANTED: _("Innvilget %(amount)s"),
    Stage.PARTLY_GRANTED: _("Delvis innvilget %(amount)s"),
    Stage.ACCEPTED: _("Akseptert"),
    Stage.REPORT_DRAFT: _("Rapport under arbeid"),
    Stage.REPORT_RETURNED: _("Rapport sendt tilbake"),
    Stage.REPORT_SUBMITTED: _("Rapport sendt"),
    Stage.REPORT_APPROVED: _("Rapport godkjent"),
}

#: The stages after a decision to grant: the granted amount is said after them too.
AFTER_GRANT = {Stage.ACCEPTED, Stage.REPORT_DRAFT, Stage.REPORT_RETURNED,
               Stage.REPORT_SUBMITTED, Stage.REPORT_APPROVED}


@dataclass(frozen=True)
class StageFound:
    """What one provider knows about one application: its stage and, for a grant, the
    amount granted."""

    stage: Stage
    granted: Any = None
    #: the decision's stage (granted, partly granted, rejected) once decided
    decision: Stage | None = None


@dataclass(frozen=True)
class GrantStatus:
    """The one status line of an application (`label`), its stage, and the amount granted
    (None before a decision to grant)."""

    application_id: int
    stage: Stage
    granted: Any = None
    decision: Stage | None = None

    @property
    def label(self) -> str:
        return self._say(self.stage)

    @property
    def decision_label(self) -> str:
        """The decision alone («Delvis innvilget kr 200 000», «Avslått»), also after the
        grant is accepted or reported on (letters and e-mails say this); empty before."""
        return self._say(self.decision) if self.decision is not None else ""

    def _say(self, stage: Stage) -> str:
        if stage in (Stage.GRANTED, Stage.PARTLY_GRANTED):
            return str(LABELS[stage]) % {"amount": format_nok(self.granted)}
        return str(LABELS[stage])

    @property
    def key(self) -> str:
        return self.stage.name.lower()

    @property
    def granted_text(self) -> str:
        """«Innvilget kr 260 000» after the decision, also once accepted or reported on."""
        if self.granted is None or self.stage not in AFTER_GRANT | {
                Stage.GRANTED, Stage.PARTLY_GRANTED}:
            return ""
        return str(_("Innvilget %(amount)s")) % {"amount": format_nok(self.granted)}

    @property
    def amount_note(self) -> str:
        """What a line after the status says once the grant is accepted or reported on
        («Innvilget kr 260 000»); empty where the status itself names the amount."""
        return self.granted_text if self.stage in AFTER_GRANT else ""

    def __str__(self) -> str:
        return self.label


#: A provider: (the applications, as objects with `pk`) -> {application id: what it knows}.
StageProvider = Callable[[Sequence[Any]], Mapping[int, StageFound]]
_providers: list[StageProvider] = []
#: A provider that knows only applications come so far (register_stage_provider's
#: from_stage) is asked after the others, for those the others put at that stage or later.
_from_stage: dict[StageProvider, Stage] = {}


def register_stage_provider(provider: StageProvider, *,
                            from_stage: Stage | None = None) -> StageProvider:
    if provider not in _providers:
        _providers.append(provider)
    if from_stage is not None:
        _from_stage[provider] = from_stage
    return provider


def grant_status_for(applications: Iterable[Any]) -> dict[int, GrantStatus]:
    """The status line of each application, by application id: the stage furthest along
    that any provider reports, with the granted amount any provider knows. A provider
    registered with a `from_stage` (reporting: a report exists on a grant only) is asked
    for the applications the others put at that stage or later, and not at all if none."""
    applications = list(applications)
    if not applications:
        return {}
    stages: dict[int, StageFound] = {}
    granted: dict[int, Any] = {}
    decisions: dict[int, Stage] = {}
    for provider in sorted(_providers, key=lambda p: p in _from_stage):  # stable
        asked = applications
        if (from_stage := _from_stage.get(provider)) is not None:
            asked = [a for a in applications
                     if (so_far := stages.get(a.pk)) is not None and so_far.stage >= from_stage]
            if not asked:
                continue
        for application_id, found in provider(asked).items():
            if found.granted is not None:
                granted[application_id] = found.granted
            if found.decision is not None:
                decisions[application_id] = found.decision
            current = stages.get(application_id)
            if current is None or found.stage > current.stage:
                stages[application_id] = found
    return {
        application_id: GrantStatus(application_id=application_id, stage=found.stage,
                                    granted=granted.get(application_id),
                                    decision=decisions.get(application_id))
        for application_id, found in stages.items()
    }


def grant_status(application: Any) -> GrantStatus | None:
    """The status line of one application."""
    return grant_status_for([application]).get(application.pk)
