"""The national view's tables, as rows of display text: a row per office and the nation's
sum last, so the template only loops and the numbers can be copied as they are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from applications.models import ApplicationStatus
from tilskudd.figures import FigureGroup
from tilskudd.models import OrganisationKind
from tilskudd.money import format_nok

from ..choices import Outcome
from ..models import Part
from .selectors import STATUS_KEYS, NationalView, OfficeFigures


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    headers: list[str]
    rows: list[list[str]]
    footer: list[str] = field(default_factory=list)


def share(value: float | None) -> str:
    """A share the Norwegian way ("45,5 %"); a dash when there is nothing to divide by."""
    if value is None:
        return "–"
    return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"


def status_labels() -> dict[str, str]:
    return {
        "draft": str(ApplicationStatus.DRAFT.label),
        "to_sign": str(ApplicationStatus.TO_SIGN.label), "not_started": _("Ikke påbegynt"),
        "in_progress": _("Under behandling"), "recommended": _("Innstilt"),
        "granted": str(Outcome.GRANTED.label),
        "partly_granted": str(Outcome.PARTLY_GRANTED.label),
        "rejected": str(Outcome.REJECTED.label),
        "withdrawn": str(ApplicationStatus.WITHDRAWN.label),
    }


def _table(view: NationalView, id: str, caption: str, headers: list[str],
           cells: Callable[[OfficeFigures], list[str]]) -> Table:
    return Table(
        id=id, caption=caption, headers=[_("Embete"), *headers],
        rows=[[o.office.short_name, *cells(o)] for o in view.offices],
        footer=[_("Sum"), *cells(view.total)],
    )


def pot_table(view: NationalView) -> Table:
    return _table(view, "pot", _("Ramme og forbruk"), [
        _("Ramme"), _("Øremerket"), _("Søkt"), _("Innstilt"), _("Innvilget"),
        _("Igjen av rammen"), _("Brukt av rammen"),
    ], lambda o: [format_nok(o.pot), format_nok(o.earmarked), format_nok(o.applied_total),
                  format_nok(o.recommended_total), format_nok(o.granted_total),
                  format_nok(o.remaining), share(o.pot_used)])


def parts_table(view: NationalView) -> Table:
    headers = []
    for part in Part:
        headers += [_("%(part)s søkt") % {"part": part.label},
                    _("%(part)s innstilt") % {"part": part.label},
                    _("%(part)s innvilget") % {"part": part.label}]
    return _table(view, "parts", _("Søkt, innstilt og innvilget per del"), headers, lambda o: [
        format_nok(amount) for part in Part.values
        for amount in (o.applied[part], o.recommended[part], o.granted[part])
    ])


def earmarks_table(view: NationalView) -> Table | None:
    keys = sorted(view.earmark_names, key=lambda key: view.earmark_names[key])
    if not keys:
        return None
    headers = []
    for key in keys:
        name = view.earmark_names[key]
        headers += [_("%(name)s: beløp") % {"name": name}, _("%(name)s: søkt") % {"name": name},
                    _("%(name)s: innstilt") % {"name": name},
                    _("%(name)s: innvilget") % {"name": name}]
    return _table(view, "earmarks", _("Øremerkede deler"), headers, lambda o: [
        format_nok(amount) for key in keys
        for amount in (o.earmarks[key], o.earmark_applied[key], o.earmark_recommended[key],
                       o.earmark_granted[key])
    ])


def statuses_table(view: NationalView) -> Table:
    labels = status_labels()
    return _table(view, "statuses", _("Søknader etter status"),
                  [*(labels[key] for key in STATUS_KEYS), _("Sendt inn i alt")],
                  lambda o: [*(str(o.statuses[key]) for key in STATUS_KEYS),
                             str(o.applications)])


def kinds_table(view: NationalView) -> Table:
    return _table(view, "kinds", _("Innsendte søknader etter type organisasjon"),
                  [str(label) for label in OrganisationKind.labels],
                  lambda o: [str(o.kinds[kind]) for kind in OrganisationKind.values])


def participation_table(view: NationalView) -> Table:
    return _table(view, "participation", _("Kommuner som søkte, og aksept"), [
        _("Kommuner"), _("Kommuner som søkte"), _("Andel som søkte"),
        _("Tilskudd vedtatt"), _("Akseptert"), _("Andel akseptert"),
    ], lambda o: [str(o.municipalities), str(o.municipalities_applied),
                  share(o.municipality_share), str(o.grants), str(o.accepted),
                  share(o.acceptance_share)])


def _figure(value: Decimal | int, money: bool) -> str:
    return format_nok(value) if money else str(value)


def figure_table(view: NationalView, group: FigureGroup) -> Table:
    def cells(o: OfficeFigures) -> list[str]:
        if o.office is None:
            return [_figure(sum((row.for_office(x.office.pk) for x in view.offices),
                                Decimal(0) if row.money else 0), row.money)
                    for row in group.rows]
        return [_figure(row.for_office(o.office.pk), row.money) for row in group.rows]

    return _table(view, f"figures-{group.key}", group.title,
                  [row.label for row in group.rows], cells)


def comparison_table(view: NationalView) -> Table | None:
    """This round against the one before, for the same filters (the nation's sums)."""
    before = view.previous
    if before is None:
        return None
    now, then = view.total, before.total
    rows = [
        (_("Ramme"), then.pot, now.pot, True),
        (_("Innsendte søknader"), then.applications, now.applications, False),
        *((_("%(part)s søkt") % {"part": p.label}, then.applied[p], now.applied[p], True)
          for p in Part),
        *((_("%(part)s innvilget") % {"part": p.label}, then.granted[p], now.granted[p], True)
          for p in Part),
        (_("Innvilget i alt"), then.granted_total, now.granted_total, True),
    ]
    return Table(
        id="comparison",
        caption=_("%(before)s sammenlignet med %(now)s") % {
            "before": before.round.year, "now": view.round.year},
        headers=["", str(before.round.year), str(view.round.year), _("Endring")],
        rows=[[label, _figure(a, money), _figure(b, money), _figure(b - a, money)]
              for label, a, b, money in rows],
    )


def tables(view: NationalView) -> list[Table]:
    found = [pot_table(view), parts_table(view), earmarks_table(view), statuses_table(view),
             kinds_table(view), participation_table(view),
             *(figure_table(view, group) for group in view.figures)]
    return [table for table in found if table is not None]
