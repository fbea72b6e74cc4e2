"""Working out a credit's mensualidades, in memory: from the state of a credit (its capital, the capital fallen due
and unpaid, its next month), the mensualidades up to a month — interest on the capital, seguro and cuota, the
capital that falls due, and each January the update of a credit in VSM (docs/credits.md, "Devengo mensual").

Nothing here writes: `micuenta.credits.services.accrual` writes what `issue` works out, under the credits' locks;
the pages show what `credit_pending` works out for the months the accrual has not run yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Max, Sum

from micuenta.core.money import money
from micuenta.core.policies import Timeline
from micuenta.credits import schedule
from micuenta.credits.errors import CreditCode, ServicingError
from micuenta.credits.models import ChargeRate, Credit, Denomination, Instalment, UnitUpdate
from micuenta.credits.rules import (
    ZERO,
    charge_rates,
    due_date,
    level_payment,
    monthly_charges,
    unit_factors,
    vsm_unit_value,
)
from micuenta.credits.status import ACCRUING


@dataclass
class CreditState:
    """A credit as the accrual reads it; `issue` advances it month by month."""

    pk: int
    numero_credito: str
    worker_id: int
    product: str
    denomination: str
    amount_granted: Decimal
    amount_granted_vsm: Decimal | None
    annual_rate: Decimal
    term_months: int
    origination_date: date
    regime: str
    capital: Decimal  # the balance of the capital account
    capital_due_unpaid: Decimal  # capital of issued mensualidades not yet paid
    next_period: date


def _due_rows(credit_ids: Iterable[int] | None, month: date) -> Any:  # an annotated QuerySet[Credit]
    qs = Credit.objects.filter(status__in=ACCRUING, origination_date__lt=month)
    if credit_ids is not None:
        qs = qs.filter(pk__in=list(credit_ids))
    return qs.annotate(last_period=Max("instalments__period"))


def accrual_due(credit_ids: Iterable[int] | None, month: date) -> list[int]:
    """The credits (all when None) that have a mensualidad to issue up to `month`, by primary key."""
    rows = _due_rows(credit_ids, month).values_list("pk", "origination_date", "last_period")
    return sorted(pk for pk, origination, last in rows if (last or origination) < month)


def load_states(credit_ids: Iterable[int], month: date) -> list[CreditState]:
    """The state of these credits, of those that have a mensualidad to issue up to `month` (three queries)."""
    found = _due_rows(credit_ids, month).values(
        "pk", "numero_credito", "worker_id", "product", "denomination", "amount_granted", "amount_granted_vsm",
        "annual_rate", "term_months", "origination_date", "regime", "account__balance", "last_period",
    )  # fmt: skip
    rows = [r for r in found if (r["last_period"] or r["origination_date"]) < month]
    unpaid = (
        dict(
            Instalment.objects.filter(credit_id__in=[r["pk"] for r in rows])
            .filter(paid_capital__lt=F("capital_due"))
            .values("credit_id")
            .annotate(unpaid=Sum(F("capital_due") - F("paid_capital")))
            .values_list("credit_id", "unpaid")
        )
        if rows
        else {}
    )
    return [
        CreditState(
            r["pk"], r["numero_credito"], r["worker_id"], r["product"], r["denomination"], r["amount_granted"],
            r["amount_granted_vsm"], r["annual_rate"], r["term_months"], r["origination_date"], r["regime"],
            money(r["account__balance"]), money(unpaid.get(r["pk"], ZERO)),
            schedule.add_months(r["last_period"] or r["origination_date"], 1),
        )
        for r in sorted(rows, key=lambda r: r["pk"])
    ]  # fmt: skip


@dataclass(frozen=True)
class Issued:
    """A mensualidad as the accrual issues it (before it is written)."""

    period: date
    number: int
    due_date: date
    opening_capital: Decimal  # after the VSM update of January
    capital_update: Decimal
    unit_value: Decimal | None
    interest: Decimal
    insurance: Decimal
    fees: Decimal
    capital_due: Decimal

    @property
    def amount(self) -> Decimal:
        return self.interest + self.insurance + self.fees + self.capital_due


def issue(
    s: CreditState,
    month: date,
    factors: dict[int, UnitUpdate],
    rates: Timeline[ChargeRate],
    allow_unconfirmed: bool,
    unconfirmed: set[int],
) -> list[Issued]:
    """The mensualidades of a credit from its next month up to `month`, worked out in memory (`s` advances)."""
    issued = []
    period = s.next_period
    while period <= month and s.capital > 0:
        insurance, fee = monthly_charges(amount_granted=s.amount_granted, product=s.product, rates=rates.on(period))
        number = schedule.months_between(s.origination_date, period)
        unit_value = None
        update = ZERO
        if s.denomination == Denomination.VSM and s.amount_granted_vsm:
            unit_value = vsm_unit_value(s, period, factors)
            if period.month == 1 and period.year > s.origination_date.year:
                factor = factors[period.year]
                if not factor.confirmed:
                    if not allow_unconfirmed:
                        raise ServicingError(
                            CreditCode.VSM_FACTOR_UNCONFIRMED,
                            f"El factor de actualización de {period.year} para créditos en VSM no está confirmado; "
                            "confírmalo en la administración o usa --allow-unconfirmed.",
                            details={"year": period.year},
                        )
                    unconfirmed.add(period.year)
                update = money(s.capital * factor.factor)
        s.capital += update
        interest = schedule.month_interest(s.capital, s.annual_rate)
        due = schedule.capital_due(
            capital_not_due=s.capital - s.capital_due_unpaid,
            payment=level_payment(s, unit_value),
            interest=interest,
            number=number,
            term=s.term_months,
        )
        issued.append(
            Issued(
                period, number, due_date(regime=s.regime, period=period), s.capital, update, unit_value, interest,
                insurance, fee, due,
            )
        )  # fmt: skip
        s.capital_due_unpaid += due
        period = schedule.add_months(period, 1)
    s.next_period = period
    return issued


def credit_pending(credit: Credit, *, through: date, rates: Timeline[ChargeRate] | None = None) -> list[Issued]:
    """The mensualidades the accrual would issue for this credit up to the month of `through`, not written: what
    a page adds to the balance so that "saldo para liquidar" today is what a payment today would settle."""
    states = load_states([credit.pk], through.replace(day=1))
    if not states:
        return []
    factors = unit_factors() if credit.denomination == Denomination.VSM else {}
    return issue(states[0], through.replace(day=1), factors, rates or charge_rates(), True, set())
