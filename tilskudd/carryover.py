"""Funds transferred from last year's grant (overførte midler) as an office decided them,
for the organisation's application in the next round: approved, the amount; refused,
nothing. The application shows the decided amount prefilled and locked (a refusal as kr 0
with a sentence and the letter), its submit refuses a statement that differs
(applications.rules.transferred_funds_error), and the caseworker sees it beside the new
application.

Reporting decides the transfers and registers a provider in its AppConfig.ready()
(`register_carryover_provider`); applications and assessment ask `carryover_for`, so
neither imports reporting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .models import Organisation, Round


@dataclass(frozen=True)
class Carryover:
    """A decided transfer into `round`: how much (kr 0 when `refused`; `requested` is what
    was asked for), from which round, when and by whom, and the decision's letter (its
    reference and address)."""

    amount: Decimal
    from_round: str
    decided_at: datetime
    decided_by: str
    reason: str = ""
    refused: bool = False
    requested: Decimal | None = None
    reference: str = ""
    letter_url: str = ""


#: (organisation id, the round applied in) -> the decided transfer into it, or None.
CarryoverProvider = Callable[[int, Round], Carryover | None]
_providers: list[CarryoverProvider] = []


def register_carryover_provider(provider: CarryoverProvider) -> CarryoverProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def carryover_for(organisation: Organisation | int, round: Round) -> Carryover | None:
    """The decided transfer (approved or refused) into the organisation's application in
    `round`, if any."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    for provider in _providers:
        found = provider(organisation_id, round)
        if found is not None:
            return found
    return None
