"""What an employer withholds for a credit in a bimestre, by the discount the Aviso de Retención (or de
Modificación) states: the three forms printed on the avisos (docs/documents.md, "Avisos").

- Porcentaje: salario diario integrado × porcentaje × días laborados con crédito.
- Cuota fija en pesos: cuota mensual × meses del bimestre ÷ días del bimestre × días laborados con crédito.
- Factor de descuento: factor × valor mensual de la UMI (before 2017 the VSM) × meses del bimestre ÷ días del
  bimestre × días laborados con crédito.

A worker who earns one minimum wage has at most 20 % of it withheld (Ley Federal del Trabajo art. 110 fr. III y
97 fr. III; Reglamento de inscripción, pago de aportaciones y entero de descuentos, art. 47). Figures keep full
precision and are rounded to centavos once, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from micuenta.core.money import money
from micuenta.credits.models import DiscountType

MONTHS_IN_BIMESTER = 2
MINIMUM_WAGE_CAP = Decimal("0.20")


@dataclass(frozen=True)
class Bimester:
    days: int  # calendar days of the bimestre (59, 60, 61 or 62)
    days_with_credit: int  # days worked with the credit in force


def bimester_discount(
    kind: str,
    value: Decimal,
    bimester: Bimester,
    *,
    daily_salary: Decimal | None = None,
    unit_monthly: Decimal | None = None,
    minimum_wage_daily: Decimal | None = None,
) -> Decimal:
    """The amount withheld in one bimestre. `value` is the porcentaje (20 for 20 %), the cuota fija in pesos a
    month, or the factor; `daily_salary` the SDI (porcentaje, and the minimum-wage cap); `unit_monthly` the UMI's
    (or VSM's) monthly value (factor). With `minimum_wage_daily`, a salary at that minimum caps the amount at 20 %
    of it for the days worked."""
    if not 0 <= bimester.days_with_credit <= bimester.days:
        raise ValueError("days_with_credit must be between 0 and the bimestre's days")
    days = Decimal(bimester.days_with_credit)
    if kind == DiscountType.PORCENTAJE:
        if daily_salary is None:
            raise ValueError("a porcentaje needs the daily salary")
        amount = daily_salary * value / 100 * days
    elif kind == DiscountType.CUOTA_FIJA:
        amount = value * MONTHS_IN_BIMESTER / Decimal(bimester.days) * days
    elif kind == DiscountType.FACTOR:
        if unit_monthly is None:
            raise ValueError("a factor needs the unit's monthly value")
        amount = value * unit_monthly * MONTHS_IN_BIMESTER / Decimal(bimester.days) * days
    else:
        raise ValueError(f"unknown discount type {kind!r}")
    if minimum_wage_daily is not None and daily_salary is not None and daily_salary <= minimum_wage_daily:
        amount = min(amount, minimum_wage_daily * MINIMUM_WAGE_CAP * days)
    return money(amount)


def monthly_discount(kind: str, value: Decimal, *, unit_monthly: Decimal | None = None) -> Decimal | None:
    """The discount a month, as an aviso prints it, for the two forms that have one (None for a porcentaje)."""
    if kind == DiscountType.CUOTA_FIJA:
        return money(value)
    if kind == DiscountType.FACTOR and unit_monthly is not None:
        return money(value * unit_monthly)
    return None
