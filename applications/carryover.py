"""Funds the office approved to transfer from last year's grant (tilskudd.carryover) are
the application's «overførte midler», whatever was typed: the services set them on every
save and on submission, and the form shows them locked."""

from __future__ import annotations

from tilskudd.carryover import carryover_for

from .models import Application


def apply_carryover(application: Application) -> None:
    carryover = carryover_for(application.organisation_id, application.round)
    if carryover is not None:
        application.transferred_funds = carryover.amount
