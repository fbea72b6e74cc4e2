"""The balance chart: an SVG of steps with labelled axes, and the table of the same data."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from micuenta.core.charts import BalancePoint, axis_pesos, balance_chart, nice_step, year_end_rows
from micuenta.core.periods import month_end


def point(year: int, month: int, balance: str) -> BalancePoint:
    return BalancePoint(month=date(year, month, 1), balance=Decimal(balance))


SERIES = [
    point(2020, 12, "112954.66"),
    point(2021, 3, "115174.42"),
    point(2025, 12, "230196.96"),
    point(2026, 9, "245202.32"),
]


@pytest.mark.parametrize(
    ("span", "step"),
    [("245202.32", "50000"), ("1000", "200"), ("3", "1"), ("0.5", "1"), ("0", "1"), ("12000", "2500"), ("99", "20")],
)
def test_nice_steps_cover_the_span_in_at_most_five(span, step):
    assert nice_step(Decimal(span)) == Decimal(step)
    assert nice_step(Decimal(span)) * 5 >= Decimal(span)


def test_axis_labels_are_whole_pesos_with_thousands():
    assert axis_pesos(Decimal(250000)) == "$250,000"
    assert axis_pesos(Decimal(0)) == "$0"
    assert axis_pesos(Decimal(-1500)) == "-$1,500"


def test_month_end():
    assert month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert month_end(date(2025, 12, 1)) == date(2025, 12, 31)


def test_the_table_has_the_balance_at_each_year_end_and_the_last_month():
    rows = year_end_rows(SERIES)
    assert [(r.day, r.balance) for r in rows] == [
        (date(2020, 12, 31), Decimal("112954.66")),
        (date(2021, 12, 31), Decimal("115174.42")),
        (date(2025, 12, 31), Decimal("230196.96")),
        (date(2026, 9, 30), Decimal("245202.32")),
    ]
    assert year_end_rows([]) == []


def test_the_chart_is_an_accessible_svg_with_pesos_and_years():
    svg = str(balance_chart(SERIES, chart_id="g", title="Tu saldo"))
    assert svg.startswith(
        '<svg class="chart" id="g" viewBox="0 0 640 300" role="img" aria-labelledby="g-titulo g-desc"'
    )
    assert '<title id="g-titulo">Tu saldo</title>' in svg
    assert (
        '<desc id="g-desc">Tu saldo pasó de $112,954.66 al cierre de diciembre de 2020 a $245,202.32 al cierre de '
        "septiembre de 2026.</desc>"
    ) in svg
    y_labels = re.findall(r'text-anchor="end" dominant-baseline="middle">([^<]+)<', svg)
    assert y_labels == ["$0", "$50,000", "$100,000", "$150,000", "$200,000", "$250,000"]
    x_labels = re.findall(r'text-anchor="middle">([^<]+)<', svg)
    assert x_labels == ["2021", "2022", "2023", "2024", "2025", "2026"]
    assert svg.count('class="chart-line"') == 1
    assert "<script" not in svg and "style=" not in svg


def test_the_line_is_a_step_per_point_and_stays_inside_the_plot():
    svg = str(balance_chart(SERIES, chart_id="g", title="Tu saldo"))
    line = re.search(r'class="chart-line" d="M([^"]+)"', svg)
    assert line
    corners = [tuple(float(v) for v in pair.split()) for pair in line.group(1).split(" L")]
    assert len(corners) == 2 * len(SERIES)
    assert corners[0][0] == 128  # the first month starts at the left edge of the plot
    assert corners[-1][0] == 624  # the last month ends at the right edge
    assert all(128 <= x <= 624 and 16 <= y <= 256 for x, y in corners)
    assert [y for _, y in corners] == sorted((y for _, y in corners), reverse=True)  # never goes down


def test_a_long_history_labels_every_few_years():
    svg = str(balance_chart([point(1985, 3, "100"), point(2026, 5, "90000")], chart_id="g", title="t"))
    x_labels = re.findall(r'text-anchor="\w+">(\d{4})<', svg)  # the last one may be anchored at the right edge
    assert len(x_labels) <= 6
    assert x_labels[-1] == "2026"


def test_a_short_history_inside_one_year_labels_its_year():
    svg = str(balance_chart([point(2025, 3, "1475"), point(2025, 5, "3000")], chart_id="g", title="t"))
    assert re.findall(r'text-anchor="middle">([^<]+)<', svg) == ["2025"]


def test_a_negative_balance_draws_the_axis_below_zero():
    svg = str(balance_chart([point(2025, 1, "100"), point(2025, 2, "-50")], chart_id="g", title="t"))
    assert re.findall(r'text-anchor="end" dominant-baseline="middle">([^<]+)<', svg) == ["-$50", "$0", "$50", "$100"]


def test_no_points_no_chart():
    assert balance_chart([], chart_id="g", title="t") == ""


def _label_extents(svg: str) -> list[tuple[float, float]]:
    """Each year label's left and right edge in viewBox units, with digits 0.6 em wide at the phone's 22px."""
    extents = []
    for x, anchor, text in re.findall(
        r'<text class="chart-label" x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)">(\d{4})<', svg
    ):
        width = len(text) * 0.6 * 22
        left = {"start": float(x), "middle": float(x) - width / 2, "end": float(x) - width}[anchor]
        extents.append((left, left + width))
    return extents


@pytest.mark.parametrize("last", [date(2026, 1, 1), date(2026, 2, 1), date(2026, 12, 1)])
def test_no_year_label_is_cut_at_the_right_edge(last):
    # A history ending just after a new year puts that year's tick at the right edge of the plot.
    svg = str(balance_chart([point(2019, 7, "1000"), BalancePoint(last, Decimal("5000"))], chart_id="g", title="t"))
    extents = _label_extents(svg)
    assert extents and extents[-1][0] > extents[0][0]
    for left, right in extents:
        assert left >= 0 and right <= 640
