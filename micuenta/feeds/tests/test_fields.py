"""The field parsers every feed shares: amounts carry their point and two decimals, dates are not older than the
IMSS, and a space around a value is not the format (docs/feeds.md, "The files")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from micuenta.feeds import fields
from micuenta.feeds.fields import LineError

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("500", "importe_sin_dos_decimales"),
        ("163714", "importe_sin_dos_decimales"),
        ("1475.5", "importe_sin_dos_decimales"),
        ("1475.", "importe_sin_dos_decimales"),
        (" 500.00", "importe_invalido"),
        ("500.00 ", "importe_invalido"),
        ("1,475.50", "importe_invalido"),
        ("-5.00", "importe_invalido"),
        ("1475.505", "importe_invalido"),
    ],
)
def test_an_amount_without_exactly_two_decimals_or_with_a_space_is_refused(value, code):
    with pytest.raises(LineError) as caught:
        fields.amount(value, "importe")
    assert caught.value.code == code


def test_an_amount_with_its_two_decimals_is_read_exactly():
    assert fields.amount("1475.50", "importe") == Decimal("1475.50")
    assert fields.amount("0.00", "importe") == Decimal("0")


@pytest.mark.parametrize(
    ("value", "code"),
    [("1900-01-01", "fecha_invalida"), ("1943-01-18", "fecha_invalida"), (" 2025-01-01", "fecha_invalida"),
     ("2026-12-05", "fecha_futura")],
)  # fmt: skip
def test_a_date_before_the_imss_or_after_today_is_refused(value, code):
    with pytest.raises(LineError) as caught:
        fields.day(value, "fecha_pago", today=TODAY)
    assert caught.value.code == code


def test_the_imss_first_day_and_today_are_accepted():
    assert fields.day("1943-01-19", "fecha", today=TODAY) == date(1943, 1, 19)
    assert fields.day("2026-12-04", "fecha", today=TODAY) == TODAY
