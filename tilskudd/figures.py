"""Figures other apps own that a national or office overview shows, such as reports
received, approved and overdue. An app registers a function in its AppConfig.ready()
(`register_figures`); the overview asks `figures_for` once per page (each function runs
a fixed number of queries, whatever the number of rows), so the app that shows the
figures never imports the app that owns them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class FigureScope:
    """What the figures are about: a round, optionally only some offices, one kind of
    organisation and rural districts (True) or the others (False); `now` for deadlines."""

    round_id: int
    now: datetime
    office_ids: tuple[int, ...] | None = None
    organisation_kind: str = ""
    rural_district: bool | None = None


@dataclass(frozen=True)
class FigureRow:
    """One figure per office (by office id), e.g. "reports approved". `money` says whether
    it is kroner (else a count)."""

    key: str
    label: str
    by_office: dict[int, Decimal | int] = field(default_factory=dict)
    money: bool = False

    def for_office(self, office_id: int) -> Decimal | int:
        return self.by_office.get(office_id, ZERO if self.money else 0)

    @property
    def total(self) -> Decimal | int:
        return sum(self.by_office.values(), ZERO if self.money else 0)


@dataclass(frozen=True)
class FigureGroup:
    """A titled group of figures (a table on the page)."""

    key: str
    title: str
    rows: list[FigureRow]


#: (scope) -> the groups of figures the app owns.
FiguresFn = Callable[[FigureScope], list[FigureGroup]]
_registry: dict[str, FiguresFn] = {}


def register_figures(name: str, fn: FiguresFn) -> FiguresFn:
    _registry[name] = fn
    return fn


def figures_for(scope: FigureScope) -> list[FigureGroup]:
    """Every registered app's figure groups for the scope, in registration order."""
    return [group for fn in _registry.values() for group in fn(scope)]
