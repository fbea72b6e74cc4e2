"""What the borrower's pages read: the credit (through one access selector), what is owed today, the monthly
statement of a period, the history since origination and the balance month by month. Each reads a bounded number
of queries whatever the length of the credit's history."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from micuenta.core import identifiers
from micuenta.core.money import money
from micuenta.core.periods import month_name
from micuenta.credits import schedule
from micuenta.credits.accrual import Issued, credit_pending
from micuenta.credits.models import (
    Credit,
    CreditPayment,
    CreditStatus,
    Denomination,
    Instalment,
    PaymentSource,
    Regime,
    Statement,
)
from micuenta.credits.rules import (
    charge_rates,
    due_date,
    mensualidad,
    missing_vsm_factor,
    unit_factors,
    vsm_unit_value,
)
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Posting, Transaction
from micuenta.people.models import Worker

ZERO = Decimal("0.00")

REGIME_PLAIN: dict[str, str] = {
    Regime.ROA: "Tu patrón descuenta los pagos de tu salario y los entrega al Instituto cada bimestre (ROA).",
    Regime.REA: "Pagas tú directamente cada mes, porque no tienes un patrón que te descuente (REA).",
}


def credits_of_worker(worker: Worker) -> QuerySet[Credit]:
    """The credits a worker holds or co-holds, newest first."""
    return (
        Credit.objects.filter(Q(worker=worker) | Q(co_borrower=worker))
        .exclude(status__in=(CreditStatus.EN_TRAMITE, CreditStatus.CANCELADO))
        .select_related("account", "interest_account", "charges_account", "excess_account")
        .order_by("-origination_date")
    )


@dataclass(frozen=True)
class CreditRef:
    """What a feed needs to know of a credit it names: whose it is and whether it takes payments
    (read under the credit's lock: `credits.services.locks.credits_lock_by_numero`)."""

    pk: int
    numero_credito: str
    worker_id: int
    co_borrower_id: int | None
    status: str
    regime: str
    origination_date: date
    denomination: str

    FIELDS: ClassVar[tuple[str, ...]] = (
        "pk", "numero_credito", "worker_id", "co_borrower_id", "status", "regime", "origination_date", "denomination",
    )  # fmt: skip


def credit_get_for_worker(*, worker: Worker, numero_credito: str) -> Credit:
    """The worker's credit, or Http404: a stranger's credit looks like one that does not exist."""
    try:
        numero_credito = identifiers.validate_numero_credito(numero_credito)
    except ValidationError:
        raise Http404("No encontramos ese crédito entre los tuyos.") from None  # not a número de crédito: no query
    credit = credits_of_worker(worker).filter(numero_credito=numero_credito).first()
    if credit is None:
        raise Http404("No encontramos ese crédito entre los tuyos.")
    return credit


def _natural(account: object) -> Decimal:
    return ZERO if account is None else money(account.balance)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Debt:
    """What the borrower owes on `today` and what to pay (the four payment options, docs/sources.md#payment-options)."""

    today: date
    capital: Decimal
    interest_owed: Decimal
    charges_owed: Decimal
    excess: Decimal  # saldo a favor
    mensualidad: Decimal  # the regular one: capital + interest + seguro + cuotas
    overdue_count: int
    overdue_amount: Decimal  # "Pago para estar al corriente"
    next_instalment_amount: Decimal  # "Pago de mi mensualidad"
    next_due: date | None
    regime_text: str
    unit_value: Decimal | None  # VSM credits: the monthly value of one VSM now
    months_left: int  # mensualidades still to issue at the level payment
    units_year: int | None = None  # VSM credits: the year of the unit value used when this year's is not loaded
    overdue_since: date | None = None  # the due date of the oldest mensualidad still unpaid after it
    payoff_policy: str = "mes_completo"  # settings.MICUENTA_PAYOFF_INTEREST (docs/credits.md#payoff-interest)
    unearned_interest: Decimal = ZERO  # al_dia: this month's interest for the days still to come, not in the payoff
    interest_days: int = 0  # al_dia: the days of this month the payoff counts interest for

    @property
    def balance(self) -> Decimal:
        """Saldo actual: capital plus interest and charges charged and not paid."""
        return self.capital + self.interest_owed + self.charges_owed

    @property
    def payoff(self) -> Decimal:
        """Saldo para liquidar today: everything charged and not paid, and all the capital; under the "al_dia"
        policy, less this month's interest for the days still to come."""
        return self.balance - self.unearned_interest

    @property
    def balance_units(self) -> Decimal | None:
        if self.unit_value is None or self.unit_value == 0:
            return None
        return (self.balance / self.unit_value).quantize(Decimal("0.01"))


def credit_debt(credit: Credit, *, today: date) -> Debt:
    """Saldos y movimientos on `today`: what is on the books plus the mensualidades of the months up to today that
    the monthly accrual has not issued yet (worked out, not written), so the payoff shown is what a payment today
    settles. A bounded number of queries (its accounts come with the credit)."""
    open_rows = list(
        Instalment.objects.filter(credit=credit)
        .filter(
            Q(paid_charges__lt=F("insurance") + F("fees"))
            | Q(paid_interest__lt=F("interest"))
            | Q(paid_capital__lt=F("capital_due"))
        )
        .order_by("period")
    )
    unit_value = None
    figures_month = today.replace(day=1)  # the month whose mensualidad and VSM value the figures reach
    units_year: int | None = None
    if (
        credit.denomination == Denomination.VSM
        and credit.amount_granted_vsm
        and credit.status != CreditStatus.LIQUIDADO
    ):
        factors = unit_factors()
        missing = missing_vsm_factor(
            denomination=credit.denomination, origination=credit.origination_date, day=today, factors=factors
        )
        if missing is not None:
            # January's update is not published yet: the figures stay at the last December that has its value.
            figures_month = date(missing - 1, 12, 1)
            units_year = missing - 1
        unit_value = vsm_unit_value(credit, figures_month, factors)
    rates = charge_rates()
    pending = credit_pending(credit, through=figures_month, rates=rates)
    unpaid = [(i.due_date, i.remaining) for i in open_rows] + [(i.due_date, i.amount) for i in pending]
    overdue = [amount for due, amount in unpaid if due < today]
    overdue_dates = [due for due, _ in unpaid if due < today]
    policy, unearned, days = _payoff_interest(today, open_rows, pending)
    current = [(due, amount) for due, amount in unpaid if due >= today]
    regular = mensualidad(credit, unit_value, on=figures_month, rates=rates)
    capital = _natural(credit.account) + sum((i.capital_update for i in pending), ZERO)
    issued = Instalment.objects.filter(credit=credit).count() + len(pending)
    if current:
        next_due: date | None = current[0][0]
        next_amount = current[0][1]
    elif credit.status in (CreditStatus.LIQUIDADO, CreditStatus.PRORROGA) or capital <= 0:
        # Paid off, or en prórroga: no mensualidad falls due until the prórroga ends.
        next_due, next_amount = None, ZERO
    else:
        next_period = schedule.add_months(today, 1)
        next_due = due_date(regime=credit.regime, period=next_period)
        next_amount = regular
    return Debt(
        today=today,
        capital=max(capital, ZERO),
        interest_owed=_natural(credit.interest_account) + sum((i.interest for i in pending), ZERO),
        charges_owed=_natural(credit.charges_account) + sum((i.insurance + i.fees for i in pending), ZERO),
        excess=-_natural(credit.excess_account) if credit.excess_account else ZERO,
        mensualidad=regular if credit.status != CreditStatus.LIQUIDADO else ZERO,
        overdue_count=len(overdue),
        overdue_amount=sum(overdue, ZERO),
        next_instalment_amount=next_amount,
        next_due=next_due,
        regime_text=REGIME_PLAIN.get(credit.regime, credit.get_regime_display()),
        unit_value=unit_value,
        months_left=max(0, credit.term_months - issued),
        units_year=units_year,
        overdue_since=min(overdue_dates) if overdue_dates else None,
        payoff_policy=policy,
        unearned_interest=unearned,
        interest_days=days,
    )


PAYOFF_POLICIES = ("mes_completo", "al_dia")


def _payoff_interest(today: date, open_rows: list[Instalment], pending: list[Issued]) -> tuple[str, Decimal, int]:
    """The payoff policy in force and, under "al_dia", the part of this month's interest (charged whole on the 1st)
    for the days from today to the month's end, at most what of it is still unpaid, and the days counted: the days
    before today (a payoff on the 4th counts the 1st, 2nd and 3rd)."""
    policy = settings.MICUENTA_PAYOFF_INTEREST
    if policy not in PAYOFF_POLICIES:
        raise ImproperlyConfigured(f"MICUENTA_PAYOFF_INTEREST debe ser uno de {PAYOFF_POLICIES}, no «{policy}».")
    days = (today - today.replace(day=1)).days
    if policy == "mes_completo":
        return policy, ZERO, days
    month = today.replace(day=1)
    # This month's interest still unpaid: on the books, or worked out for a mensualidad not issued yet.
    unpaid = [i.interest - i.paid_interest for i in open_rows if i.period == month]
    unpaid += [i.interest for i in pending if i.period == month]
    interest = [i.interest for i in open_rows if i.period == month] + [i.interest for i in pending if i.period == month]
    if not interest:
        return policy, ZERO, days
    length = calendar.monthrange(today.year, today.month)[1]
    unearned = money(interest[0] * (length - days) / length)
    return policy, min(unearned, unpaid[0]), days


# --- statements ----------------------------------------------------------------------------------------------


def _balances_before(account_ids: list[int], day: date) -> dict[int, Decimal]:
    """Each account's balance at the start of `day`, from the ledger's postings (one query)."""
    rows = (
        Posting.objects.filter(account_id__in=account_ids, transaction__effective_date__lt=day)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    return {account_id: money(total) for account_id, total in rows}


def statements_compute(credits: list[Credit], period: date) -> list[Statement]:
    """The monthly statements of `period` for these credits (not saved), in five queries whatever their number:
    saldo inicial + intereses + seguros y cargos + actualización − pagos aplicados = saldo final, every figure
    from the ledger and the mensualidad of that month."""
    period = period.replace(day=1)
    end = schedule.add_months(period, 1)
    owed_ids = [
        a for c in credits for a in (c.account_id, c.interest_account_id, c.charges_account_id) if a is not None
    ]
    excess_ids = [c.excess_account_id for c in credits if c.excess_account_id is not None]
    opening = _balances_before(owed_ids, period)
    closing = _balances_before(owed_ids + excess_ids, end)
    ids = [c.pk for c in credits]
    instalments = {i.credit_id: i for i in Instalment.objects.filter(credit_id__in=ids, period=period)}
    paid = {
        row["credit_id"]: row
        for row in CreditPayment.objects.filter(credit_id__in=ids, paid_on__gte=period, paid_on__lt=end)
        .values("credit_id")
        .annotate(amount=Sum("amount"), capital=Sum("to_capital"))
    }
    statements = []
    for c in credits:
        accounts = [a for a in (c.account_id, c.interest_account_id, c.charges_account_id) if a is not None]
        instalment = instalments.get(c.pk)
        payments = paid.get(c.pk, {})
        statements.append(
            Statement(
                credit=c,
                period=period,
                cutoff=end - timedelta(days=1),
                opening_balance=sum((opening.get(a, ZERO) for a in accounts), ZERO),
                payment_due=instalment.amount if instalment else ZERO,
                interest=instalment.interest if instalment else ZERO,
                charges=instalment.charges if instalment else ZERO,
                capital_update=instalment.capital_update if instalment else ZERO,
                payments=money(payments.get("amount") or ZERO),
                capital_paid=money(payments.get("capital") or ZERO),
                closing_balance=sum((closing.get(a, ZERO) for a in accounts), ZERO),
                excess_balance=-closing.get(c.excess_account_id, ZERO) if c.excess_account_id else ZERO,
            )
        )
    return statements


def statement_figures(credit: Credit, period: date) -> Statement:
    """The monthly statement of `period` for one credit (not saved)."""
    return statements_compute([credit], period)[0]


def statement_credit_ids(period: date) -> list[int]:
    """Credits with a statement for `period` not stored yet: granted before the month began; paid-off ones up to
    the month of payoff and then only in the months money arrived in (the same months as `statement_periods`)."""
    period = period.replace(day=1)
    moved = CreditPayment.objects.filter(
        credit=OuterRef("pk"), paid_on__gte=period, paid_on__lt=schedule.add_months(period, 1)
    )
    return list(
        Credit.objects.filter(origination_date__lt=period)
        .exclude(status__in=(CreditStatus.EN_TRAMITE, CreditStatus.CANCELADO))
        .exclude(Q(status=CreditStatus.LIQUIDADO, paid_off_on__lt=period) & ~Exists(moved))
        .exclude(statements__period=period)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def statement_periods(credit: Credit, *, today: date) -> list[date]:
    """The months with a statement: from the month after origination to the last month that has ended (newest
    first); for a credit paid off, up to the month of payoff and the later months money arrived in (an employer
    that kept deducting): no month of nothing but zeros."""
    first = schedule.add_months(credit.origination_date, 1)
    last = schedule.add_months(today, -1)  # the month before today's: the last one that has ended
    if credit.status != CreditStatus.LIQUIDADO or credit.paid_off_on is None:
        months = schedule.months_between(first, last)
        return [schedule.add_months(first, k) for k in range(months, -1, -1)]
    payoff = credit.paid_off_on.replace(day=1)
    until = min(payoff, last)
    months = schedule.months_between(first, until)
    periods = {schedule.add_months(first, k) for k in range(months + 1)}
    after = CreditPayment.objects.filter(credit=credit, paid_on__gte=schedule.add_months(payoff, 1))
    periods |= {day.replace(day=1) for day in after.values_list("paid_on", flat=True) if day.replace(day=1) <= last}
    return sorted(periods, reverse=True)


@dataclass(frozen=True)
class StatementMonth:
    """What a month's statement tells beside its figures: the mensualidad of the month (with its due date) and the
    payments that arrived in it."""

    instalment: Instalment | None
    payments: list[CreditPayment]

    @property
    def payroll_count(self) -> int:
        return sum(1 for p in self.payments if p.source == PaymentSource.NOMINA)

    @property
    def payroll_total(self) -> Decimal:
        return sum((p.amount for p in self.payments if p.source == PaymentSource.NOMINA), ZERO)


def statement_month(credit: Credit, period: date) -> StatementMonth:
    """The month's mensualidad and payments (two queries)."""
    period = period.replace(day=1)
    end = schedule.add_months(period, 1)
    instalment = Instalment.objects.filter(credit=credit, period=period).first()
    payments = list(
        CreditPayment.objects.filter(credit=credit, paid_on__gte=period, paid_on__lt=end).order_by("paid_on", "pk")
    )
    return StatementMonth(instalment=instalment, payments=payments)


# --- history -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    day: date
    concept: str
    charge: Decimal  # what the movement added to the debt
    payment: Decimal  # what it paid (capital, interest, charges)
    excess: Decimal  # what went to the saldo a favor
    balance: Decimal  # what was owed after it


def credit_history(credit: Credit) -> list[HistoryRow]:
    """Every movement since origination, oldest first, with the balance after each, read from the ledger: the
    amount granted, each month's interest and charges (with the January update of a VSM credit), each payment and
    how much of it went to the debt and to the saldo a favor, and the migrated balance of a credit that came from
    an earlier system. The balance after the last row is the ledger's. Two queries."""
    owed = {a for a in (credit.account_id, credit.interest_account_id, credit.charges_account_id) if a is not None}
    excess = credit.excess_account_id
    postings = (
        Posting.objects.filter(account_id__in=owed | ({excess} if excess else set()))
        .select_related("transaction")
        .order_by("transaction__effective_date", "transaction_id")
    )
    payments = {p.transaction_id: p for p in CreditPayment.objects.filter(credit=credit)}
    grouped: dict[int, tuple[Transaction, Decimal, Decimal, bool]] = {}
    for posting in postings:
        txn, to_debt, to_excess, capital_moved = grouped.get(
            posting.transaction_id, (posting.transaction, ZERO, ZERO, False)
        )
        if posting.account_id in owed:
            to_debt += posting.amount
            capital_moved = capital_moved or posting.account_id == credit.account_id
        else:
            to_excess -= posting.amount
        grouped[posting.transaction_id] = (txn, to_debt, to_excess, capital_moved)
    balance = ZERO
    rows = []
    for txn, to_debt, to_excess, capital_moved in grouped.values():
        balance += to_debt
        payment = payments.get(txn.pk)
        rows.append(
            HistoryRow(
                txn.effective_date,
                _concept(txn, payment, capital_moved),
                max(to_debt, ZERO),
                max(-to_debt, ZERO),
                to_excess,
                balance,
            )
        )
    return rows


def _concept(txn: Transaction, payment: CreditPayment | None, capital_moved: bool) -> str:
    if payment is not None:
        return _payment_concept(payment)
    if txn.kind == LedgerKind.CREDIT_ORIGINATION:
        return "Otorgamiento del crédito"
    if txn.kind == LedgerKind.CREDIT_ACCRUAL:
        text = f"Intereses y seguro de {month_name(txn.effective_date)}"
        return text + " y actualización anual del saldo en VSM" if capital_moved else text
    if txn.kind == LedgerKind.CREDIT_MIGRATED:
        return "Saldo migrado del sistema anterior (resume los movimientos previos)"
    if txn.kind == LedgerKind.REVERSAL:
        return "Corrección de un movimiento anterior"
    return txn.description


def _lower_first(text: str) -> str:
    """The text with its first letter in lower case ("transferencia SPEI"): acronyms keep their capitals."""
    return text[:1].lower() + text[1:]


def _payment_concept(payment: CreditPayment) -> str:
    return {
        "nomina": "Pago de tu patrón (descuento de nómina)",
        "aportacion": "Aportación patronal aplicada a capital",
        "directo": f"Pago directo ({_lower_first(payment.get_channel_display())})",
    }.get(payment.source, "Pago")


def balance_by_month(credit: Credit) -> list[tuple[date, Decimal]]:
    """The balance owed at the end of each month since origination, from the history (for the chart)."""
    points: dict[date, Decimal] = {}
    for row in credit_history(credit):
        points[row.day.replace(day=1)] = row.balance
    return sorted(points.items())


__all__ = [
    "CreditRef",
    "Debt",
    "HistoryRow",
    "balance_by_month",
    "credit_debt",
    "credit_get_for_worker",
    "credit_history",
    "credits_of_worker",
    "statement_credit_ids",
    "statement_figures",
    "statement_month",
    "statement_periods",
]
