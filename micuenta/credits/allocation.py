"""Applying payments to a credit, in memory: the order of docs/credits.md ("Orden de aplicación de los pagos").

A payment pays the mensualidades issued, oldest first, and within each the seguro y cuotas, then the interest, then
the capital; what is left goes to capital not yet due (it shortens the term) and, beyond the whole debt, to the saldo
a favor. The employer's 5 % aportación of a ROA borrower goes to capital only. A credit left owing nothing is paid
off ("liquidado"). Nothing here writes: `micuenta.credits.services.payments.credit_payments_apply` loads the books
under the credits' locks, allocates, and writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Q

from micuenta.core.money import money
from micuenta.credits.models import Credit, CreditStatus, Instalment, PaymentChannel, PaymentSource
from micuenta.credits.rules import ZERO
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.services import AccountRef, Line


@dataclass(frozen=True)
class CreditAccounts:
    """The ledger accounts of one credit: capital, interest and charges owed, and the saldo a favor."""

    capital: int
    interest: int
    charges: int
    excess: int


@dataclass(frozen=True)
class PaymentIn:
    """A payment to apply. What is applied is paid by the `funding` account (the fund's bank when None: the money
    came into the bank); `other_lines` are further postings of the same ledger transaction (an SUA line's aportación
    to the savings, paid with the deduction); `description` and `kind` name that transaction."""

    credit_id: int
    key: str
    amount: Decimal
    paid_on: date
    source: str = PaymentSource.DIRECTO
    channel: str = PaymentChannel.VENTANILLA
    reference: str = ""
    funding: int | None = None
    description: str = ""
    kind: LedgerKind | None = None
    other_lines: tuple[Line, ...] = ()


@dataclass
class OpenInstalment:
    pk: int
    period: date
    charges_left: Decimal
    interest_left: Decimal
    capital_left: Decimal
    paid_charges: Decimal
    paid_interest: Decimal
    paid_capital: Decimal


@dataclass
class Book:
    """A credit's state while payments are applied in memory."""

    credit_id: int
    numero_credito: str
    worker_id: int
    status_before: str
    status: str
    paid_off_on: date | None
    capital: Decimal
    accounts: CreditAccounts
    open: list[OpenInstalment]
    paid_off_by: str = ""  # the key of the payment that left nothing owed
    touched: dict[int, OpenInstalment] = field(default_factory=dict)  # mensualidades a payment changed

    @property
    def owed(self) -> Decimal:
        return self.capital + sum((i.charges_left + i.interest_left for i in self.open), ZERO)


@dataclass
class PlannedPayment:
    payment: PaymentIn
    capital_before: Decimal = ZERO
    to_charges: Decimal = ZERO
    to_interest: Decimal = ZERO
    to_capital: Decimal = ZERO
    to_excess: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)  # the credit side: negative amounts on the credit's accounts

    @property
    def applied(self) -> Decimal:
        return self.to_charges + self.to_interest + self.to_capital + self.to_excess


def _take(left: Decimal, want: Decimal) -> Decimal:
    return min(left, want)


def allocate(book: Book, payment: PaymentIn) -> PlannedPayment:
    """Apply one payment to a credit in memory, in the documented order; returns how it was split."""
    plan = PlannedPayment(payment, capital_before=book.capital)
    left = money(payment.amount)
    if payment.source == PaymentSource.APORTACION:
        # The employer's 5 % goes to capital only: first what has not fallen due (it shortens the term), then
        # capital fallen due, oldest first. What capital cannot take stays in the savings.
        not_due = book.capital - sum((i.capital_left for i in book.open), ZERO)
        take = _take(left, max(ZERO, not_due))
        plan.to_capital += take
        left -= take
        for inst in book.open:
            take = _take(left, inst.capital_left)
            if take:
                inst.capital_left -= take
                inst.paid_capital += take
                book.touched[inst.pk] = inst
                plan.to_capital += take
                left -= take
        book.capital -= plan.to_capital
    else:
        for inst in book.open:
            for part in ("charges", "interest", "capital"):
                have = getattr(inst, f"{part}_left")
                take = _take(left, have)
                if take:
                    setattr(inst, f"{part}_left", have - take)
                    setattr(inst, f"paid_{part}", getattr(inst, f"paid_{part}") + take)
                    setattr(plan, f"to_{part}", getattr(plan, f"to_{part}") + take)
                    book.touched[inst.pk] = inst
                    left -= take
        book.capital -= plan.to_capital
        extra = _take(left, book.capital)  # after everything issued is paid: capital not yet due
        plan.to_capital += extra
        book.capital -= extra
        left -= extra
        plan.to_excess = left
    book.open = [i for i in book.open if i.charges_left or i.interest_left or i.capital_left]
    if book.status != CreditStatus.LIQUIDADO and book.owed == 0:
        book.status = CreditStatus.LIQUIDADO
        book.paid_off_on = payment.paid_on
        book.paid_off_by = payment.key
    acc = book.accounts
    for account, amount in (
        (acc.charges, plan.to_charges),
        (acc.interest, plan.to_interest),
        (acc.capital, plan.to_capital),
        (acc.excess, plan.to_excess),
    ):
        if amount:
            plan.lines.append(Line(AccountRef(account), -amount))
    return plan


def load_books(credit_ids: set[int], accounts: dict[int, CreditAccounts]) -> dict[int, Book]:
    """The credits' open mensualidades and capital, to apply payments to in memory (read under their locks)."""
    open_by_credit: dict[int, list[OpenInstalment]] = defaultdict(list)
    for row in (
        Instalment.objects.filter(credit_id__in=credit_ids)
        .filter(
            Q(paid_charges__lt=F("insurance") + F("fees"))
            | Q(paid_interest__lt=F("interest"))
            | Q(paid_capital__lt=F("capital_due"))
        )
        .order_by("credit_id", "period")
        .values_list(
            "credit_id", "pk", "period", "insurance", "fees", "interest", "capital_due", "paid_charges",
            "paid_interest", "paid_capital",
        )
    ):  # fmt: skip
        credit_id, pk, period, insurance, fees, interest, capital_due, paid_ch, paid_in, paid_cap = row
        open_by_credit[credit_id].append(
            OpenInstalment(
                pk,
                period,
                insurance + fees - paid_ch,
                interest - paid_in,
                capital_due - paid_cap,
                paid_ch,
                paid_in,
                paid_cap,
            )
        )
    return {
        pk: Book(
            pk, numero, worker_id, status, status, paid_off_on, money(balance), accounts[pk], open_by_credit.get(pk, [])
        )
        for pk, numero, worker_id, status, paid_off_on, balance in Credit.objects.filter(pk__in=credit_ids).values_list(
            "pk", "numero_credito", "worker_id", "status", "paid_off_on", "account__balance"
        )
    }
