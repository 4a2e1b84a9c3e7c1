"""Funds the office decided on transferring from last year's grant (tilskudd.carryover)
are the application's «overførte midler», whatever was typed: approved, the amount;
refused, kr 0. The services set them on every save of the header, the form shows them
locked, and the submit refuses a statement that differs (rules.transferred_funds_error)."""

from __future__ import annotations

from tilskudd.carryover import Carryover, carryover_for

from .models import Application


def decided_carryover(application: Application) -> Carryover | None:
    return carryover_for(application.organisation_id, application.round)


def apply_carryover(application: Application) -> None:
    carryover = decided_carryover(application)
    if carryover is not None:
        application.transferred_funds = carryover.amount
