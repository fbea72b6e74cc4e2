"""The rules of a credit's mensualidad, read-only: the charge rates in force, the VSM factors, the level payment,
the due date. Services (accrual, payments) and selectors (the pages) both use them; nothing here writes.

The rules themselves are in docs/credits.md: the level payment is the French annuity of `schedule`; the seguro de
daños and the cuota de administración are yearly rates over the amount granted (`ChargeRate`, an effective-dated
policy that staff keep in the administration), charged a twelfth a month, no seguro de daños for Mejoravit; a
credit in VSM is updated each January by that year's factor (`UnitUpdate`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, TypeVar

from micuenta.core.money import money
from micuenta.core.periods import bimestre_of, payment_deadline
from micuenta.core.policies import Timeline, in_force, timeline
from micuenta.credits import schedule
from micuenta.credits.errors import CreditCode, ServicingError
from micuenta.credits.models import ChargeRate, Credit, Denomination, Product, Regime, UnitUpdate

ZERO = Decimal("0.00")
T = TypeVar("T")


class Terms(Protocol):
    """What the rules read of a credit: a `Credit`, or the accrual's in-memory state of one."""

    pk: int
    product: str
    denomination: str
    amount_granted: Decimal
    amount_granted_vsm: Decimal | None
    annual_rate: Decimal
    term_months: int
    origination_date: date


def charge_rates() -> Timeline[ChargeRate]:
    """Every ChargeRate row, for a run that charges many months (one query)."""
    return timeline(ChargeRate)


def monthly_charges(*, amount_granted: Decimal, product: str, rates: ChargeRate) -> tuple[Decimal, Decimal]:
    """The seguro de daños and the cuota de administración of one month at `rates`. Mejoravit, a loan for
    improvements with no mortgage, carries no seguro de daños (docs/credits.md, "Seguro y cuotas")."""
    insurance = ZERO if product == Product.MEJORAVIT else money(amount_granted * rates.damage_insurance / 12)
    return insurance, money(amount_granted * rates.administration_fee / 12)


def unit_factors() -> dict[int, UnitUpdate]:
    """The yearly factors of credits in VSM, by year."""
    return {row.year: row for row in UnitUpdate.objects.all()}


def due_date(*, regime: str, period: date) -> date:
    """When the mensualidad of `period` must be paid: a REA borrower pays it within its month (the last day); a
    ROA borrower's employer pays it with the bimestre, by the SUA deadline (day 17 of the next month)."""
    if regime == Regime.REA:
        return schedule.add_months(period, 1) - timedelta(days=1)
    return payment_deadline(*bimestre_of(period))


def level_payment(credit: Terms, unit_value: Decimal | None) -> Decimal:
    """The monthly payment of capital and interest in pesos (for a VSM credit, in the month whose unit value is
    given)."""
    if credit.denomination == Denomination.VSM and credit.amount_granted_vsm:
        units = schedule.annuity_exact(credit.amount_granted_vsm, credit.annual_rate, credit.term_months)
        return money(units * (unit_value or vsm_origination_value(credit)))
    return schedule.annuity(credit.amount_granted, credit.annual_rate, credit.term_months)


def mensualidad(
    credit: Credit, unit_value: Decimal | None, *, on: date, rates: Timeline[ChargeRate] | None = None
) -> Decimal:
    """The regular mensualidad as issued in the month of `on`: the level payment (of the month whose VSM value is
    given, for a VSM credit) plus the seguro de daños and the cuota de administración in force then (from `rates`
    when the caller has read them already)."""
    in_force_then = rates.on(on) if rates is not None else in_force(ChargeRate, on)
    insurance, fee = monthly_charges(amount_granted=credit.amount_granted, product=credit.product, rates=in_force_then)
    return level_payment(credit, unit_value) + insurance + fee


def vsm_origination_value(credit: Terms) -> Decimal:
    """The monthly value of one VSM when the credit was granted: the amount in pesos over the amount in VSM."""
    if not credit.amount_granted_vsm:
        raise ServicingError(CreditCode.NO_VSM_AMOUNT, "El crédito no tiene monto en VSM.", details={"pk": credit.pk})
    return (credit.amount_granted / credit.amount_granted_vsm).quantize(schedule.UNIT_PLACES)


def missing_vsm_factor(
    *, denomination: str, origination: date, day: date, factors: dict[int, UnitUpdate]
) -> int | None:
    """The first year whose VSM factor a credit needs to be serviced up to `day` and is not loaded (None if none, or
    a credit in pesos): a feed line that would need it waits in quarantine until staff load it."""
    if denomination != Denomination.VSM:
        return None
    return next((year for year in range(origination.year + 1, day.year + 1) if year not in factors), None)


MISSING_FACTOR_REASON = (
    "Falta el factor de actualización de {year} de los créditos en VSM: este pago se podrá cargar de nuevo en cuanto "
    "el Instituto lo registre (administración → actualizaciones anuales de créditos en VSM)."
)


def vsm_unit_value(credit: Terms, period: date, factors: dict[int, UnitUpdate]) -> Decimal:
    """The monthly value of one VSM of this credit in `period`: each January since origination adds its factor."""
    years = range(credit.origination_date.year + 1, period.year + 1)
    missing = [year for year in years if year not in factors]
    if missing:
        raise ServicingError(
            CreditCode.VSM_FACTOR_MISSING,
            f"Falta el factor de actualización de créditos en VSM de {missing[0]}; cárgalo en la administración.",
            details={"year": missing[0]},
        )
    return schedule.vsm_unit_value(vsm_origination_value(credit), [factors[year].factor for year in years])


def by_month(items: Sequence[T], day: Callable[[T], date]) -> list[list[T]]:
    """Items grouped by the calendar month of `day(item)`, oldest month first, each in the given order."""
    groups: dict[date, list[T]] = defaultdict(list)
    for item in items:
        groups[day(item).replace(day=1)].append(item)
    return [groups[month] for month in sorted(groups)]
