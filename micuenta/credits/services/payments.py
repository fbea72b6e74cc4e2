"""Money into a credit: the one door, `credit_payments_apply`, for every channel (docs/credits.md, "Pagos").

The employers' SUA file (deductions and the 5 % aportación of ROA borrowers) and the bank payments file apply here,
and so will every channel to come (payments online). In one database transaction the service locks the credits the
payments name (primary-key order, `credits_lock`) and the fund's accounts, skips keys already received, issues each
credit's mensualidades up to the month of each payment (the accrual takes the same locks, already held), reads the
open mensualidades and capital under the locks, applies the payments in memory in the documented order
(`micuenta.credits.allocation`) and writes them: one ledger transaction per payment, the `CreditPayment` rows, what
each mensualidad has been paid, a credit paid off (through the status machine), the statements the payments reach,
and an audit event per payment. Two feeds applying to the same credit at the same time take turns at the lock;
neither overwrites the other's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from micuenta.core.actors import ROLE_SYSTEM, Actor
from micuenta.core.audit import Change, audit_record_many
from micuenta.core.db.bulk import insert_rows, update_rows
from micuenta.core.transitions import Move
from micuenta.credits.allocation import Book, PaymentIn, PlannedPayment, allocate, load_books
from micuenta.credits.audit import CreditAction
from micuenta.credits.errors import CreditCode, ServicingError
from micuenta.credits.models import Credit, CreditPayment, PaymentSource
from micuenta.credits.rules import by_month
from micuenta.credits.services.accounts import credit_accounts_ensure
from micuenta.credits.services.accrual import credits_accrue
from micuenta.credits.services.locks import credits_lock
from micuenta.credits.services.statements import statements_discard
from micuenta.credits.status import CREDIT_STATUS, PAYABLE
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.services import AccountRef, Entry, Line, fund_accounts_lock, ledger_post_many_ids


@dataclass(frozen=True)
class PaymentsApplied:
    """What `credit_payments_apply` did: each new payment as applied, and the ledger transaction of each key."""

    planned: list[PlannedPayment]
    transaction_ids: dict[str, int]
    skipped: int  # keys received before: nothing was done with them


def credit_payments_apply(
    *, actor: Actor, payments: Sequence[PaymentIn], allow_unconfirmed: bool = True
) -> PaymentsApplied:
    """Apply payments to credits in the documented order, each its own ledger transaction; idempotent by key."""
    for p in payments:
        if p.amount <= 0:
            raise ServicingError(
                CreditCode.PAYMENT_NOT_POSITIVE, "El importe del pago debe ser mayor que cero.", details={"key": p.key}
            )
    with transaction.atomic():
        locked = set(credits_lock({p.credit_id for p in payments}))
        bank = fund_accounts_lock()[codes.FUND_BANK.code]
        unknown = sorted({p.credit_id for p in payments} - locked)
        if unknown:
            raise ServicingError(
                CreditCode.UNKNOWN_CREDIT, "No hay un crédito con ese número.", details={"credit_ids": unknown}
            )
        # A payment received is a CreditPayment row (its ledger transaction is written with it); one of which
        # nothing could be applied wrote no row, and applying it again applies nothing again.
        seen = set(CreditPayment.objects.filter(key__in=[p.key for p in payments]).values_list("key", flat=True))
        fresh = [p for p in payments if p.key not in seen]
        statuses = dict(Credit.objects.filter(pk__in={p.credit_id for p in fresh}).values_list("pk", "status"))
        for p in fresh:
            if statuses[p.credit_id] not in PAYABLE:
                raise ServicingError(
                    CreditCode.NOT_PAYABLE,
                    "Este crédito no está vigente: no puede recibir pagos. Acude a un Centro de Servicio.",
                    details={"key": p.key},
                )
        planned: list[PlannedPayment] = []
        transaction_ids: dict[str, int] = {}
        if fresh:
            for month in by_month(fresh, lambda p: p.paid_on):
                done, ids = _apply_month(actor, month, bank, allow_unconfirmed)
                planned += done
                transaction_ids.update(ids)
    return PaymentsApplied(planned=planned, transaction_ids=transaction_ids, skipped=len(payments) - len(fresh))


def _apply_month(
    actor: Actor, payments: list[PaymentIn], bank: int, allow_unconfirmed: bool
) -> tuple[list[PlannedPayment], dict[str, int]]:
    """One calendar month of payments: its mensualidades first, then the payments in date order (and the given
    order within a day), so that the next month's interest is computed on the capital they left."""
    credit_ids = {p.credit_id for p in payments}
    credits_accrue(actor=actor, month=payments[0].paid_on, credit_ids=credit_ids, allow_unconfirmed=allow_unconfirmed)
    books = load_books(credit_ids, credit_accounts_ensure(credit_ids))
    ordered = sorted(enumerate(payments), key=lambda item: (item[1].paid_on, item[0]))
    planned: list[PlannedPayment | None] = [None] * len(payments)
    for index, p in ordered:
        planned[index] = allocate(books[p.credit_id], p)
    done = [p for p in planned if p is not None]
    entries = [_entry(p, books[p.payment.credit_id], bank) for p in done if p.applied or p.payment.other_lines]
    transaction_ids = ledger_post_many_ids(entries=entries)
    _record(actor, done, books, transaction_ids)
    return done, transaction_ids


def _merged(lines: Sequence[Line]) -> tuple[Line, ...]:
    """One posting per account (in the order each account first appears), none of zero."""
    totals: dict[int, Line] = {}
    for line in lines:
        have = totals.get(line.account.pk)
        totals[line.account.pk] = line if have is None else Line(have.account, have.amount + line.amount)
    return tuple(line for line in totals.values() if line.amount)


def _entry(plan: PlannedPayment, book: Book, bank: int) -> Entry:
    p = plan.payment
    funding = [Line(AccountRef(p.funding or bank), plan.applied)] if plan.applied else []
    kind = p.kind or (
        LedgerKind.CREDIT_CONTRIBUTION if p.source == PaymentSource.APORTACION else LedgerKind.CREDIT_PAYMENT
    )
    description = p.description or f"Pago al crédito {book.numero_credito}"
    return Entry(p.key, description[:300], p.paid_on, _merged([*funding, *p.other_lines, *plan.lines]), kind=kind)


def _record(actor: Actor, planned: Sequence[PlannedPayment], books: dict[int, Book], txn_ids: dict[str, int]) -> None:
    """Write what the allocation decided: the payments (each with the transaction that carries its lines), the
    mensualidades they paid, the credits they paid off, the statements they reach, and the audit trail. A payment
    of which nothing was applied (an aportación to a credit with no capital left) writes no payment row."""
    applied = [p for p in planned if p.applied]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert_rows(
        "credits_creditpayment",
        (
            "credit_id", "key", "source", "channel", "reference", "paid_on", "amount", "to_charges", "to_interest",
            "to_capital", "to_excess", "transaction_id", "created_at",
        ),
        [
            (
                p.payment.credit_id, p.payment.key, p.payment.source, p.payment.channel, p.payment.reference,
                p.payment.paid_on, p.applied, p.to_charges, p.to_interest, p.to_capital, p.to_excess,
                txn_ids[p.payment.key], now,
            )
            for p in applied
        ],
    )  # fmt: skip
    changed = {pk: inst for book in books.values() for pk, inst in book.touched.items()}
    if changed:
        update_rows(
            "credits_instalment",
            [("paid_charges", "numeric"), ("paid_interest", "numeric"), ("paid_capital", "numeric")],
            [(i.pk, i.paid_charges, i.paid_interest, i.paid_capital) for i in changed.values()],
        )
    paid_off = [b for b in books.values() if b.status != b.status_before]
    if paid_off:
        # Paying a credit off is the engine's consequence of the payment, whoever paid: made as the system, with
        # the payment named in the reason (the payment's own audit event names who paid).
        engine = actor if ROLE_SYSTEM in actor.roles else Actor.system("credit_payments_apply")
        for book in paid_off:
            CREDIT_STATUS.apply_many(
                actor=engine,
                moves=[
                    Move(
                        pk=book.credit_id,
                        current=book.status_before,
                        target=book.status,
                        updates={"paid_off_on": book.paid_off_on},
                        worker_id=book.worker_id,
                    )
                ],
                reason=f"El pago {book.paid_off_by} dejó el crédito sin adeudo.",
            )
    statements_discard((p.payment.credit_id, p.payment.paid_on) for p in applied)
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                action=CreditAction.PAYMENT_APPLIED,
                subject=("credits.credit", p.payment.credit_id),
                worker_id=books[p.payment.credit_id].worker_id,
                before={"capital": p.capital_before},
                after={
                    "capital": p.capital_before - p.to_capital,
                    "key": p.payment.key,
                    "paid_on": p.payment.paid_on,
                    "source": p.payment.source,
                    "channel": p.payment.channel,
                    "amount": p.applied,
                    "to_charges": p.to_charges,
                    "to_interest": p.to_interest,
                    "to_capital": p.to_capital,
                    "to_excess": p.to_excess,
                },
            )
            for p in applied
        ],
    )
