"""The balance over time as an SVG drawn on the server: no script, no library, with a table of the same data.

The drawing is a step line: a balance stays as it is until the next month with a movement. Sizes are in the
viewBox's units; the stylesheet (micuenta.css, "Charts") sets colours and a larger type on narrow screens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from micuenta.core.money import format_pesos
from micuenta.core.periods import month_end, month_name

WIDTH = 640
HEIGHT = 300
LEFT = 128  # room for "$1,000,000" at the phone size of the labels
RIGHT = 16
TOP = 16
BOTTOM = 44
MAX_Y_TICKS = 5
MAX_X_LABELS = 6
# The widest a label's glyph can be, in viewBox units, at the largest label size (22px on a phone, micuenta.css
# "Charts"): digits of the body font are about 0.6 em wide. A year label near an edge is anchored to stay inside.
LABEL_GLYPH = 0.6 * 22


def nice_step(span: Decimal, max_ticks: int = MAX_Y_TICKS) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 × 10ⁿ that covers `span` in at most `max_ticks` steps."""
    if span <= 0:
        return Decimal(1)
    raw = span / max_ticks
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if power * factor >= raw:
            return power * factor
    return power * 10  # pragma: no cover - 10 × power always covers raw


def axis_pesos(value: Decimal) -> str:
    """An axis label: whole pesos, thousands grouped ("$250,000")."""
    sign = "-" if value < 0 else ""
    return f"{sign}${number_format(abs(value), decimal_pos=0, use_l10n=True, force_grouping=True)}"


@dataclass(frozen=True)
class BalancePoint:
    month: date  # first day of the month
    balance: Decimal  # at the end of that month


@dataclass(frozen=True)
class YearRow:
    day: date  # 31 December, or the end of the last month with data in the current year
    balance: Decimal


def year_end_rows(points: Sequence[BalancePoint]) -> list[YearRow]:
    """The table beside the chart: the balance at the close of each year (the last year: its last month)."""
    last_of_year: dict[int, BalancePoint] = {}
    for point in points:
        last_of_year[point.month.year] = point
    rows = []
    final_year = points[-1].month.year if points else None
    for year, point in sorted(last_of_year.items()):
        day = month_end(point.month) if year == final_year else date(year, 12, 31)
        rows.append(YearRow(day=day, balance=point.balance))
    return rows


@dataclass(frozen=True)
class _Scale:
    start: date
    end: date
    low: Decimal
    high: Decimal

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / span

    def y(self, value: Decimal) -> float:
        span = self.high - self.low or Decimal(1)
        return float(TOP + (HEIGHT - TOP - BOTTOM) * (self.high - value) / span)


def _y_ticks(points: Sequence[BalancePoint]) -> tuple[Decimal, Decimal, list[Decimal]]:
    low = min(Decimal(0), *(p.balance for p in points))
    high = max(Decimal(0), *(p.balance for p in points))
    step = nice_step(high - low)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if last == first:
        last = first + step
    ticks = []
    value = first
    while value <= last:
        ticks.append(value)
        value += step
    return first, last, ticks


def _x_ticks(start: date, end: date) -> list[tuple[date, str]]:
    years = [year for year in range(start.year, end.year + 1) if start <= date(year, 1, 1) <= end]
    if not years:
        return [(start, str(start.year))]
    every = -(-len(years) // MAX_X_LABELS)  # ceiling division
    return [(date(year, 1, 1), str(year)) for year in years if (year - years[-1]) % every == 0]


def x_label_position(x: float, label: str) -> tuple[float, str]:
    """Where a label centred under `x` goes and its text-anchor, so that none of it falls outside the drawing."""
    half = len(label) * LABEL_GLYPH / 2
    if x + half > WIDTH:
        return WIDTH - 1, "end"
    if x - half < 0:
        return 1, "start"
    return x, "middle"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def balance_chart(points: Sequence[BalancePoint], *, chart_id: str, title: str) -> SafeString:
    """The chart as an inline <svg role="img"> named by its <title> and described in words by its <desc>."""
    if not points:
        return SafeString("")
    start = points[0].month
    end = month_end(points[-1].month) + timedelta(days=1)
    low, high, y_ticks = _y_ticks(points)
    scale = _Scale(start=start, end=end, low=low, high=high)

    # Step line: each balance holds from its month until the next point's month.
    corners: list[tuple[float, float]] = []
    for index, point in enumerate(points):
        until = points[index + 1].month if index + 1 < len(points) else end
        y = scale.y(point.balance)
        corners += [(scale.x(point.month), y), (scale.x(until), y)]
    line = "M" + " L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in corners)
    base = _fmt(scale.y(max(low, Decimal(0))))
    area = f"{line} L{_fmt(corners[-1][0])} {base} L{_fmt(corners[0][0])} {base} Z"

    first, last = points[0], points[-1]
    description = (
        f"Tu saldo pasó de {format_pesos(first.balance)} al cierre de {month_name(first.month)} "
        f"a {format_pesos(last.balance)} al cierre de {month_name(last.month)}."
    )
    plot_left, plot_right, plot_bottom = LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM
    grid = format_html_join(
        "",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        (
            (plot_left, plot_right, _fmt(scale.y(v)), _fmt(scale.y(v)), plot_left - 8, _fmt(scale.y(v)), axis_pesos(v))
            for v in y_ticks
        ),
    )
    years = format_html_join(
        "",
        '<line class="chart-tick" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (
                _fmt(scale.x(day)),
                _fmt(scale.x(day)),
                plot_bottom,
                plot_bottom + 6,
                _fmt(x_label_position(scale.x(day), label)[0]),
                HEIGHT - 12,
                x_label_position(scale.x(day), label)[1],
                label,
            )
            for day, label in _x_ticks(start, end)
        ),
    )
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-titulo {id}-desc" '
        'focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-titulo">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{grid}"
        '<path class="chart-area" d="{area}"/><path class="chart-line" d="{line}"/>'
        '<line class="chart-axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        "{years}</svg>",
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        grid=grid,
        area=area,
        line=line,
        left=plot_left,
        right=plot_right,
        bottom=plot_bottom,
        years=years,
    )
