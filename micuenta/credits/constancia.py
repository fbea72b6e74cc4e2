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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from micuenta.core.models import Inpc, Udi
from micuenta.core.money import money
from micuenta.credits.models import Credit, InterestYear
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


def _unavailable(credit: Credit, year: int) -> ConstanciaUnavailable | None:
    if credit.origination_date > date(year, 12, 31):
        return ConstanciaUnavailable(f"Tu crédito se formalizó después de {year}.")
    if credit.paid_off_on is not None and credit.paid_off_on < date(year, 1, 1):
        return ConstanciaUnavailable(f"Tu crédito ya estaba liquidado en {year}.")
    if credit.interest_account_id is None:
        return ConstanciaUnavailable("Tu crédito aún no tiene intereses registrados.")
    return None


def constancia_inputs_many(credits: Sequence[Credit], year: int) -> dict[int, InterestInputs | ConstanciaUnavailable]:
    """The inputs of each credit in `year` (or why it has none), from the ledger's capital and interest accounts,
    the INPC and the UDI: five queries for the whole batch, whatever its size."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    found: dict[int, InterestInputs | ConstanciaUnavailable] = {}
    owed: list[Credit] = []
    for credit in credits:
        reason = _unavailable(credit, year)
        if reason is None:
            owed.append(credit)
        else:
            found[credit.pk] = reason
    if not owed:
        return found
    capital = Posting.objects.filter(account_id__in=[c.account_id for c in owed])
    before: dict[int, Decimal] = dict(
        capital.filter(transaction__effective_date__lt=start)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
        .order_by()
    )
    days: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for account_id, day, total in (
        capital.filter(transaction__effective_date__gte=start, transaction__effective_date__lte=end)
        .values("account_id", "transaction__effective_date")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "transaction__effective_date", "total")
        .order_by()
    ):
        days[account_id].append((day, total))
    interest = {
        account_id: (accrued or ZERO, paid or ZERO)
        for account_id, accrued, paid in Posting.objects.filter(
            account_id__in=[c.interest_account_id for c in owed],
            transaction__effective_date__gte=start,
            transaction__effective_date__lte=end,
        )
        .values("account_id")
        .annotate(
            accrued=Sum("amount", filter=Q(transaction__kind=LedgerKind.CREDIT_ACCRUAL, amount__gt=0)),
            paid=Sum("amount", filter=Q(transaction__kind__in=PAYMENT_KINDS, amount__lt=0)),
        )
        .values_list("account_id", "accrued", "paid")
        .order_by()
    }
    inpc = {
        (y, m): v for y, m, v in Inpc.objects.filter(year__in=(year - 1, year)).values_list("year", "month", "value")
    }
    udi_days = {credit.pk: _udi_day(credit, start) for credit in owed}
    udi = dict(Udi.objects.filter(date__in=set(udi_days.values())).values_list("date", "value"))
    for credit in owed:
        first_month = credit.origination_date.month if credit.origination_date >= start else 1
        last_month = credit.paid_off_on.month if credit.paid_off_on and credit.paid_off_on <= end else 12
        opening = money(before.get(credit.account_id) or 0)
        month_sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for day, total in days.get(credit.account_id, ()):
            month_sums[day.month] += total
        balance, balances = opening, []
        for month in range(1, last_month + 1):
            balance = money(balance + month_sums[month])
            if month >= first_month:
                balances.append(balance)
        if credit.origination_date >= start:
            at_start = money(
                opening + sum((t for d, t in days.get(credit.account_id, ()) if d <= credit.origination_date), ZERO)
            )
        else:
            at_start = opening
        before_first = date(year, first_month, 1) - timedelta(days=1)
        inpc_last, inpc_before = inpc.get((year, last_month)), inpc.get((before_first.year, before_first.month))
        udi_value = udi.get(udi_days[credit.pk])
        accrued, paid = interest.get(credit.interest_account_id or 0, (ZERO, ZERO))
        if inpc_last is None or inpc_before is None:
            found[credit.pk] = ConstanciaUnavailable(
                f"Aún no tenemos el INPC que se necesita para {year}. Intenta más adelante."
            )
        elif udi_value is None:
            found[credit.pk] = ConstanciaUnavailable(f"Aún no tenemos el valor de la UDI que se necesita para {year}.")
        else:
            found[credit.pk] = InterestInputs(
                year=year,
                first_month=first_month,
                last_month=last_month,
                month_end_balances=tuple(balances),
                nominal_accrued=money(accrued),
                nominal_paid=money(-paid),
                inpc_last=inpc_last,
                inpc_before_first=inpc_before,
                balance_at_start=at_start,
                udi_at_start=udi_value,
            )
    return found


def _udi_day(credit: Credit, start: date) -> date:
    """The day of the balance compared with 750,000 UDIS: 31 December before the year, or the origination day."""
    return start - timedelta(days=1) if credit.origination_date < start else credit.origination_date


def constancia_inputs(credit: Credit, year: int) -> InterestInputs:
    """The inputs of `credit` in `year`; raises ConstanciaUnavailable with the reason it has none."""
    found = constancia_inputs_many([credit], year)[credit.pk]
    if isinstance(found, ConstanciaUnavailable):
        raise found
    return found


def constancia_years(credit: Credit, today: date) -> tuple[list[int], list[int]]:
    """The closed fiscal years `credit` was owed in, newest first, split in two: those whose INPC (the period's
    last month and the month before its first) the reference data holds, and those it does not."""
    last = today.year - 1
    if credit.paid_off_on is not None:
        last = min(last, credit.paid_off_on.year)
    known = set(Inpc.objects.values_list("year", "month"))
    ready: list[int] = []
    missing: list[int] = []
    for year in range(last, credit.origination_date.year - 1, -1):
        first_month = credit.origination_date.month if credit.origination_date.year == year else 1
        paid_off = credit.paid_off_on
        last_month = paid_off.month if paid_off is not None and paid_off.year == year else 12
        before = date(year, first_month, 1) - timedelta(days=1)
        if (year, last_month) in known and (before.year, before.month) in known:
            ready.append(year)
        else:
            missing.append(year)
    return ready, missing


def interest_inputs_row(row: InterestYear) -> InterestInputs:
    return InterestInputs(
        year=row.year,
        first_month=row.first_month,
        last_month=row.last_month,
        month_end_balances=tuple(Decimal(b) for b in row.month_end_balances),
        nominal_accrued=row.nominal_accrued,
        nominal_paid=row.nominal_paid,
        inpc_last=row.inpc_last,
        inpc_before_first=row.inpc_before_first,
        balance_at_start=row.balance_at_start,
        udi_at_start=row.udi_at_start,
    )


def constancia_figures(credit: Credit, year: int) -> InterestFigures:
    """The figures of `credit` in `year`: from the inputs kept for it (`generate_constancias` or an earlier issue),
    else computed now from the ledger without keeping them."""
    row = InterestYear.objects.filter(credit=credit, year=year).first()
    inputs = interest_inputs_row(row) if row is not None else constancia_inputs(credit, year)
    return real_interest_compute(inputs)


__all__ = [
    "ConstanciaUnavailable",
    "InterestFigures",
    "InterestInputs",
    "constancia_figures",
    "constancia_inputs",
    "constancia_inputs_many",
    "constancia_years",
    "interest_inputs_row",
    "real_interest_compute",
]
