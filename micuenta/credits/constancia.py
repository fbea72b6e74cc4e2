"""The Constancia de Intereses' figures: the nominal interest of a credit in a fiscal year and the real interest
deductible (docs/sources.md#real-interest).

LISR art. 151 fr. IV lets a person deduct the *real* interest paid in the year on the mortgage of their home, when
the credit does not exceed 750,000 UDIS; RLISR art. 257 says how: the nominal interest paid minus the inflation
adjustment, which is the credit's average balance (the balances at the last day of each month of the period,
divided by the number of months) times the factor INPC of the period's last month ÷ INPC of the month before its
first month − 1. When the balance at 31 December of the previous year exceeds 750,000 UDIS, RLISR art. 254 allows
the proportion 750,000 UDIS ÷ that balance. A real interest below zero is zero.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from micuenta.core.models import Inpc, Udi
from micuenta.core.money import money
from micuenta.credits.models import Credit
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Posting

UDIS_LIMIT = Decimal("750000")  # LISR art. 151 fr. IV
PROPORTION_PLACES = Decimal("0.000001")  # the CFDI's PropDeducDelCredit carries six decimals
ZERO = Decimal("0.00")
PAYMENT_KINDS = (LedgerKind.CREDIT_PAYMENT, LedgerKind.CREDIT_CONTRIBUTION)


class ConstanciaUnavailable(Exception):
    """The figures cannot be computed (a year not closed, no INPC or UDI yet, no interest in the year)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class InterestInputs:
    year: int
    first_month: int  # the period: the months of the year the credit was owed
    last_month: int
    month_end_balances: tuple[Decimal, ...]  # capital owed at the last day of each month of the period
    nominal_accrued: Decimal  # intereses nominales devengados in the year
    nominal_paid: Decimal  # of them (or of earlier ones), paid in the year
    inpc_last: Decimal  # INPC of the period's last month
    inpc_before_first: Decimal  # INPC of the month before the period's first month
    balance_at_start: Decimal  # saldo insoluto at 31 December of the previous year (or at origination, that year)
    udi_at_start: Decimal  # the UDI of that same day


@dataclass(frozen=True)
class InterestFigures:
    inputs: InterestInputs
    average_balance: Decimal
    inflation_factor: Decimal
    inflation_adjustment: Decimal
    limit_pesos: Decimal  # 750,000 UDIS in pesos on that day
    proportion: Decimal | None  # RLISR art. 254, when the balance exceeded the limit
    real_interest: Decimal

    @property
    def nominal_accrued(self) -> Decimal:
        return self.inputs.nominal_accrued

    @property
    def nominal_paid(self) -> Decimal:
        return self.inputs.nominal_paid


def real_interest_compute(inputs: InterestInputs) -> InterestFigures:
    """RLISR art. 257 and 254 on `inputs`: full precision until the pesos, then centavos (half up)."""
    balances = inputs.month_end_balances
    if not balances:
        raise ConstanciaUnavailable("El crédito no tuvo saldo en ese año.")
    average = sum(balances, Decimal(0)) / Decimal(len(balances))
    factor = inputs.inpc_last / inputs.inpc_before_first - 1
    adjustment = money(average * factor)
    real = max(ZERO, money(inputs.nominal_paid - adjustment))
    limit = money(UDIS_LIMIT * inputs.udi_at_start)
    proportion: Decimal | None = None
    if inputs.balance_at_start > limit:
        proportion = (limit / inputs.balance_at_start).quantize(PROPORTION_PLACES, rounding=ROUND_HALF_UP)
        real = money(real * proportion)
    return InterestFigures(
        inputs=inputs,
        average_balance=money(average),
        inflation_factor=factor,
        inflation_adjustment=adjustment,
        limit_pesos=limit,
        proportion=proportion,
        real_interest=real,
    )


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def constancia_inputs(credit: Credit, year: int) -> InterestInputs:
    """The inputs of `credit` in `year`, from the ledger (capital and interest accounts), INPC and UDI."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if credit.origination_date > end:
        raise ConstanciaUnavailable(f"Tu crédito se formalizó después de {year}.")
    if credit.paid_off_on is not None and credit.paid_off_on < start:
        raise ConstanciaUnavailable(f"Tu crédito ya estaba liquidado en {year}.")
    first_month = credit.origination_date.month if credit.origination_date >= start else 1
    last_month = credit.paid_off_on.month if credit.paid_off_on and credit.paid_off_on <= end else 12
    capital = Posting.objects.filter(account_id=credit.account_id)
    opening_day = max(start, credit.origination_date)
    before = capital.filter(transaction__effective_date__lt=start).aggregate(total=Sum("amount"))["total"]
    balance = money(before or 0)
    month_sums: dict[int, Decimal] = {}
    rows = (
        capital.filter(transaction__effective_date__gte=start, transaction__effective_date__lte=end)
        .values_list("transaction__effective_date", "amount")
        .order_by()
    )
    for day, amount in rows:
        month_sums[day.month] = month_sums.get(day.month, ZERO) + amount
    balances: list[Decimal] = []
    for month in range(1, last_month + 1):
        balance = money(balance + month_sums.get(month, ZERO))
        if month >= first_month:
            balances.append(balance)
    if credit.origination_date >= start:
        at_start = money(
            capital.filter(transaction__effective_date__lte=credit.origination_date).aggregate(total=Sum("amount"))[
                "total"
            ]
            or 0
        )
    else:
        at_start = money(before or 0)
    if credit.interest_account_id is None:
        raise ConstanciaUnavailable("Tu crédito aún no tiene intereses registrados.")
    interest = Posting.objects.filter(
        account_id=credit.interest_account_id,
        transaction__effective_date__gte=start,
        transaction__effective_date__lte=end,
    )
    accrued = interest.filter(transaction__kind=LedgerKind.CREDIT_ACCRUAL, amount__gt=0).aggregate(t=Sum("amount"))
    paid = interest.filter(Q(transaction__kind__in=PAYMENT_KINDS), amount__lt=0).aggregate(t=Sum("amount"))
    inpc_last = Inpc.objects.filter(year=year, month=last_month).values_list("value", flat=True).first()
    before_first = date(year, first_month, 1) - timedelta(days=1)
    inpc_before = (
        Inpc.objects.filter(year=before_first.year, month=before_first.month).values_list("value", flat=True).first()
    )
    if inpc_last is None or inpc_before is None:
        raise ConstanciaUnavailable(f"Aún no tenemos el INPC que se necesita para {year}. Intenta más adelante.")
    udi_day = opening_day - timedelta(days=1) if opening_day == start else opening_day
    udi = Udi.objects.filter(date=udi_day).values_list("value", flat=True).first()
    if udi is None:
        raise ConstanciaUnavailable(f"Aún no tenemos el valor de la UDI que se necesita para {year}.")
    return InterestInputs(
        year=year,
        first_month=first_month,
        last_month=last_month,
        month_end_balances=tuple(balances),
        nominal_accrued=money(accrued["t"] or 0),
        nominal_paid=money(-(paid["t"] or 0)),
        inpc_last=inpc_last,
        inpc_before_first=inpc_before,
        balance_at_start=at_start,
        udi_at_start=udi,
    )


def constancia_figures(credit: Credit, year: int) -> InterestFigures:
    return real_interest_compute(constancia_inputs(credit, year))


__all__ = ["ConstanciaUnavailable", "InterestFigures", "InterestInputs", "constancia_figures", "real_interest_compute"]
