"""Bar charts drawn as SVG on the server: the geometry is computed here and
templates/assessment/national/chart.html draws it with presentation attributes only (no
style attribute, no script), so the strict Content-Security-Policy allows it. Every chart
is shown with its data table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tilskudd.money import format_nok

from ..models import Part
from .selectors import NationalView

LABEL_WIDTH = 150
BAR_AREA = 330
VALUE_WIDTH = 130
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
BAR_HEIGHT = 12
ROW_GAP = 10
TOP = 30
#: Contrast against white of at least 4.5:1 (WCAG 1.4.11 asks 3:1 of graphics).
COLOURS = {"applied": "#5c636a", "granted": "#0a58ca", "pot": "#5c636a", "used": "#146c43"}


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str
    text: str
    text_x: int
    text_y: int


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str
    x: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    rows: list[ChartRow]
    legend: list[LegendItem]
    headers: list[str]
    table: list[list[str]]


def bar_chart(*, id: str, title: str, description: str, series: list[tuple[str, str]],
              rows: list[tuple[str, list[Decimal]]]) -> BarChart:
    """Horizontal grouped bars: one group per row (an office), one bar per series (key,
    label), scaled to the largest value of the chart."""
    largest = max((v for _label, values in rows for v in values), default=Decimal(0)) or 1
    group = len(series) * BAR_HEIGHT + ROW_GAP
    drawn = []
    for i, (label, values) in enumerate(rows):
        top = TOP + i * group
        bars = []
        for j, ((key, _series_label), value) in enumerate(zip(series, values, strict=True)):
            y = top + j * BAR_HEIGHT
            width = round(BAR_AREA * float(value) / float(largest))
            bars.append(Bar(x=LABEL_WIDTH, y=y, width=width, height=BAR_HEIGHT - 2,
                            fill=COLOURS[key], text=format_nok(value),
                            text_x=LABEL_WIDTH + width + 4, text_y=y + BAR_HEIGHT - 3))
        drawn.append(ChartRow(label=label, label_y=top + len(series) * BAR_HEIGHT // 2 + 3,
                              bars=bars))
    legend = [LegendItem(label=label, fill=COLOURS[key], x=LABEL_WIDTH + k * 150)
              for k, (key, label) in enumerate(series)]
    return BarChart(
        id=id, title=title, description=description, width=WIDTH,
        height=TOP + len(rows) * group + 4, label_width=LABEL_WIDTH - 6, rows=drawn,
        legend=legend, headers=[_("Embete"), *(label for _key, label in series)],
        table=[[label, *(format_nok(v) for v in values)] for label, values in rows],
    )


def applied_and_granted(view: NationalView, part: str) -> BarChart:
    label = str(Part(part).label)
    return bar_chart(
        id=f"chart-{part}",
        title=_("%(part)s: søkt og innvilget per embete") % {"part": label},
        description=_("Stolpediagram. Søkt og innvilget beløp for %(part)s per embete; "
                      "tallene står i tabellen ved siden av.") % {"part": label.lower()},
        series=[("applied", _("Søkt")), ("granted", _("Innvilget"))],
        rows=[(o.office.short_name, [o.applied[part], o.granted[part]]) for o in view.offices],
    )


def pot_used(view: NationalView) -> BarChart:
    return bar_chart(
        id="chart-pot",
        title=_("Brukt av rammen per embete"),
        description=_("Stolpediagram. Rammen og det som er innvilget av den per embete; "
                      "tallene står i tabellen ved siden av."),
        series=[("pot", _("Ramme")), ("used", _("Innvilget"))],
        rows=[(o.office.short_name, [o.pot, o.granted_total]) for o in view.offices],
    )


def charts(view: NationalView) -> list[BarChart]:
    return [*(applied_and_granted(view, part) for part in Part.values), pot_used(view)]
