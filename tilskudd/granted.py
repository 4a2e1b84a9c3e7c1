"""The amounts granted per line as they stand now. A decision grants an amount per line;
a later decision, such as an approved change request (reporting.changes), may move money
between the lines. The app that makes those decisions registers a function in its
AppConfig.ready() (`register_current_grants`); the overviews and exports ask
`current_grants` once per page (each function runs one query, whatever the number of
applications), so the app that shows the amounts never imports the app that changed them.
Such a decision recommended and not yet approved registers what it would move
(`register_recommended_moves`), which the pot counts as recommended."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import QuerySet

#: (part, line id): the line of an application (competence line, BPA line or project).
LineKey = tuple[str, int]
#: {application id: {(part, line id): the amount granted now}}
CurrentGrants = dict[int, dict[LineKey, Decimal]]
#: (the applications: a queryset of them or of their ids, or ids) -> their changed lines.
CurrentGrantsFn = Callable[[QuerySet | Iterable[int]], CurrentGrants]
_providers: list[CurrentGrantsFn] = []
_recommended: list[CurrentGrantsFn] = []


def register_current_grants(fn: CurrentGrantsFn) -> CurrentGrantsFn:
    if fn not in _providers:
        _providers.append(fn)
    return fn


def current_grants(applications: QuerySet | Iterable[int]) -> CurrentGrants:
    """The lines whose granted amount a later decision changed, by application, with the
    amount that applies now; applications whose decision stands as it was are left out
    (their lines' amounts are the decision's). A queryset is read as a subquery."""
    return _gathered(_providers, applications)


def register_recommended_moves(fn: CurrentGrantsFn) -> CurrentGrantsFn:
    if fn not in _recommended:
        _recommended.append(fn)
    return fn


def recommended_moves(applications: QuerySet | Iterable[int]) -> CurrentGrants:
    """The lines a later decision recommended for approval, and not yet decided, would
    move, by application, with how much more each would be granted (less: negative);
    applications with nothing waiting are left out. A queryset is read as a subquery."""
    return _gathered(_recommended, applications)


def _gathered(registry: list[CurrentGrantsFn], applications: QuerySet | Iterable[int]
              ) -> CurrentGrants:
    """What every function of `registry` gives for the applications, by application."""
    found: CurrentGrants = {}
    for fn in registry:
        for application_id, amounts in fn(applications).items():
            found.setdefault(application_id, {}).update(amounts)
    return found
