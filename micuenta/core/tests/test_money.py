"""Amounts as people read them: "$1,234.50"."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given
from hypothesis import strategies as st

from micuenta.core.money import format_pesos

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
