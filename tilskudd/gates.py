"""Conditions other apps put on submitting an application, such as an overdue report
from an earlier round. An app registers a check in its AppConfig.ready(); the
applications app asks `submission_gates` when an application is submitted and the start
page shows what they say, so applications never imports the apps that set them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .models import Organisation, Round


@dataclass(frozen=True)
class Gate:
    """What a check found: a message for the applicant, and whether it stops the
    submission (blocking) or is only a warning. `url` points to where it is put right."""

    message: str
    blocking: bool
    url: str = ""


#: A check: (organisation, the round applied in or None, now) -> what it found.
GateCheck = Callable[[Organisation, Round | None, datetime], list[Gate]]
_checks: list[GateCheck] = []


def register_submission_gate(check: GateCheck) -> GateCheck:
    if check not in _checks:
        _checks.append(check)
    return check


def submission_gates(
    organisation: Organisation, round: Round | None = None, now: datetime | None = None
) -> list[Gate]:
    """Everything every registered check finds for the organisation; blocking ones first."""
    now = now or timezone.now()
    found = [gate for check in _checks for gate in check(organisation, round, now)]
    return sorted(found, key=lambda gate: not gate.blocking)


def blocking(gates: list[Gate]) -> list[Gate]:
    return [gate for gate in gates if gate.blocking]


#: A check on withdrawing submitted applications, asked for many at once (a page that
#: offers «Trekk søknaden» on a list asks once for all of it):
#: (application ids) -> what it found, by application id (ids it found nothing for may
#: be left out).
WithdrawalCheck = Callable[[list[int]], dict[int, list[Gate]]]
_withdrawal_checks: list[WithdrawalCheck] = []


def register_withdrawal_gate(check: WithdrawalCheck) -> WithdrawalCheck:
    """An app that builds on submitted applications (assessment) may forbid withdrawing
    one it has started to decide on."""
    if check not in _withdrawal_checks:
        _withdrawal_checks.append(check)
    return check


def withdrawal_gates_for(application_ids: list[int]) -> dict[int, list[Gate]]:
    """What every registered check finds for each application: one question per check,
    however many applications."""
    found: dict[int, list[Gate]] = {pk: [] for pk in application_ids}
    if not application_ids:
        return found
    for check in _withdrawal_checks:
        for pk, gates in check(list(application_ids)).items():
            found.setdefault(pk, []).extend(gates)
    return found


def withdrawal_gates(application_id: int) -> list[Gate]:
    return withdrawal_gates_for([application_id])[application_id]
