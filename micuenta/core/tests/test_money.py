"""Amounts as people read them: "$1,234.50"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given
from hypothesis import strategies as st

from micuenta.core.money import format_pesos, money

centavos = st.integers(min_value=-(10**14), max_value=10**14).map(lambda c: Decimal(c).scaleb(-2))


def test_examples():
    assert format_pesos(Decimal("1234.5")) == "$1,234.50"
    assert format_pesos(Decimal("-5")) == "-$5.00"
    assert format_pesos(Decimal("-0.00")) == "$0.00"
    assert format_pesos(Decimal("0.004")) == "$0.00"
    assert format_pesos(Decimal("1234567.891")) == "$1,234,567.89"  # past the centavo dropped, not rounded
    assert format_pesos(Decimal("999.999")) == "$999.99"


@given(centavos)
def test_the_same_as_django_localized_for_mexico(value: Decimal):
    with translation.override("es-mx"):
        expected = number_format(abs(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    assert format_pesos(value) == ("-" if value < 0 else "") + "$" + expected


@pytest.mark.parametrize("value", [0.1, 1.0, float("nan"), float("inf"), -float("inf")])
def test_money_refuses_floats_even_nan_and_infinity(value):
    with pytest.raises(TypeError):
        money(value)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), "NaN", "Infinity"])
def test_money_refuses_decimal_nan_and_infinity(value):
    with pytest.raises(ValueError):
        money(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.005", "0.01"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("1.0049", "1.00"), (3, "3.00")],
)
def test_money_rounds_half_a_centavo_up(value, expected):
    assert money(value) == Decimal(expected)  # hand-rounded: half a centavo goes away from zero
    assert str(money(value)) == expected
