"""Posting to the ledger: balanced, idempotent, append-only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from micuenta.core.db.bulk import insert_rows, reserve_ids
from micuenta.core.money import money
from micuenta.ledger.accounts import FUND_ACCOUNTS
from micuenta.ledger.errors import LedgerCode, LedgerError
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, AccountKind, Posting, Transaction


class AccountRef(NamedTuple):
    """An account known only by its id: batch jobs name thousands of accounts without loading them."""

    pk: int


@dataclass(frozen=True)
class Line:
    account: Account | AccountRef
    amount: Decimal  # + debit, − credit


@dataclass(frozen=True)
class Entry:
    """One ledger transaction to post, as used by `ledger_post_many`."""

    key: str
    description: str
    effective: date
    lines: tuple[Line, ...]
    kind: LedgerKind = LedgerKind.UNSPECIFIED


def account_get_or_create(*, code: str, name: str, kind: AccountKind) -> Account:
    """The account with this code, created when missing."""
    account, _ = Account.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return account


def fund_accounts_lock() -> dict[str, int]:
    """Lock every account of the fund's own until the transaction ends, in id order; returns their ids by code.

    Each service that moves money takes this lock first, after the rows of the people it works on (a credit's,
    `credits.services.locks`), and before it posts: the fund's accounts (its bank, its income) are in nearly
    every transaction, and posting updates them in whatever order a service's batches come, so without one lock
    taken first two services could each hold one of them and wait for the other's. Created when missing."""
    found = dict(Account.objects.filter(code__in=[spec.code for spec in FUND_ACCOUNTS]).values_list("code", "pk"))
    for spec in FUND_ACCOUNTS:
        if spec.code not in found:
            found[spec.code] = account_get_or_create(code=spec.code, name=spec.name, kind=spec.kind).pk
    return dict(
        Account.objects.select_for_update().filter(pk__in=list(found.values())).order_by("pk").values_list("code", "pk")
    )


def _checked_lines(key: str, lines: Iterable[Line]) -> list[Line]:
    checked = [Line(account=line.account, amount=money(line.amount)) for line in lines]
    if len(checked) < 2:
        raise LedgerError(
            LedgerCode.TOO_FEW_LINES, "Un asiento necesita al menos dos movimientos.", details={"key": key}
        )
    if any(line.amount == 0 for line in checked):
        raise LedgerError(LedgerCode.ZERO_LINE, "Un movimiento contable no puede ser de cero.", details={"key": key})
    total = sum((line.amount for line in checked), Decimal("0.00"))
    if total != 0:
        raise LedgerError(
            LedgerCode.UNBALANCED,
            "El asiento no cuadra: los cargos y los abonos deben sumar lo mismo.",
            details={"key": key, "difference": str(total)},
        )
    if any(line.account.pk is None for line in checked):
        raise LedgerError(LedgerCode.UNSAVED_ACCOUNT, "Cuenta contable inexistente.", details={"key": key})
    return checked


def _apply_balances(deltas: dict[int, Decimal]) -> None:
    """Add each delta to its account's cached balance in one statement (UPDATE … FROM (VALUES …))."""
    if not deltas:
        return
    items = sorted(deltas.items())  # a fixed order: concurrent posters lock accounts alike, no deadlock
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params: list[int | str] = []
            for account_id, delta in chunk:
                params += [account_id, str(delta)]
            # ROUND keeps SQLite, whose NUMERIC is a double, on exact centavos after every addition.
            # On SQLite the VALUES columns are text; CAST makes the comparison and the sum numeric.
            sql = (
                "UPDATE ledger_account SET balance = ROUND(balance + CAST(v.column2 AS NUMERIC), 2) "  # noqa: S608
                f"FROM (VALUES {values}) AS v WHERE ledger_account.id = CAST(v.column1 AS INTEGER)"
            )
            cursor.execute(sql, params)


def _deltas(lines: Iterable[Line]) -> dict[int, Decimal]:
    """Each account's net change."""
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        deltas[line.account.pk] += line.amount
    return deltas


def _post(
    *,
    key: str,
    description: str,
    effective: date,
    checked: list[Line],
    kind: LedgerKind = LedgerKind.UNSPECIFIED,
    reverses: Transaction | None = None,
) -> Transaction:
    """Write one checked transaction unless its key is already posted; then return the first one."""
    existing = Transaction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            txn = Transaction.objects.create(
                idempotency_key=key, description=description, kind=kind, effective_date=effective, reverses=reverses
            )
            Posting.objects.bulk_create(
                [Posting(transaction=txn, account_id=line.account.pk, amount=line.amount) for line in checked]
            )
            _apply_balances(_deltas(checked))
    except IntegrityError:
        # Another process posted the same key between the check and the insert.
        existing = Transaction.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    return txn


def ledger_post(
    *, key: str, description: str, effective: date, lines: Sequence[Line], kind: LedgerKind = LedgerKind.UNSPECIFIED
) -> Transaction:
    """Post a balanced transaction once: posting the same key again returns the first one and adds nothing."""
    checked = _checked_lines(key, lines)
    return _post(key=key, description=description, effective=effective, checked=checked, kind=kind)


def ledger_post_many(*, entries: Sequence[Entry], batch_size: int = 20000) -> int:
    """Post many transactions set-based, in the caller's database transaction; returns how many were new.

    Keys already in the ledger are skipped, so a replayed batch adds nothing. Meant for feeds and batch
    jobs that run one at a time (a concurrent poster of the same key makes the insert fail, rolling back).
    """
    return len(ledger_post_many_ids(entries=entries, batch_size=batch_size))


def ledger_post_many_ids(*, entries: Sequence[Entry], batch_size: int = 20000) -> dict[str, int]:
    """As `ledger_post_many`, returning the id of each transaction it created, by key."""
    checked = [(entry, _checked_lines(entry.key, entry.lines)) for entry in entries]
    keys = [entry.key for entry, _ in checked]
    if len(set(keys)) != len(keys):
        raise LedgerError(LedgerCode.DUPLICATE_KEY, "Hay claves de idempotencia repetidas en el lote.")
    created: dict[str, int] = {}
    with transaction.atomic():
        for start in range(0, len(checked), batch_size):
            chunk = checked[start : start + batch_size]
            chunk_keys = [entry.key for entry, _ in chunk]
            seen = set(
                Transaction.objects.filter(idempotency_key__in=chunk_keys).values_list("idempotency_key", flat=True)
            )
            fresh = [(entry, lines) for entry, lines in chunk if entry.key not in seen]
            if not fresh:
                continue
            # Set-based: reserved ids, then one COPY (PostgreSQL) or executemany (SQLite) per table.
            txn_ids = reserve_ids("ledger_transaction", len(fresh))
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            insert_rows(
                "ledger_transaction",
                ("id", "idempotency_key", "description", "kind", "effective_date", "created_at"),
                [
                    (tid, e.key, e.description, e.kind, e.effective, now)
                    for tid, (e, _) in zip(txn_ids, fresh, strict=True)
                ],
            )
            posting_rows = [
                (tid, line.account.pk, line.amount)
                for tid, (_, lines) in zip(txn_ids, fresh, strict=True)
                for line in lines
            ]
            insert_rows("ledger_posting", ("transaction_id", "account_id", "amount"), posting_rows)
            _apply_balances(_deltas(line for _, lines in fresh for line in lines))
            created.update((e.key, tid) for tid, (e, _) in zip(txn_ids, fresh, strict=True))
    return created


def ledger_reverse(*, original: Transaction, key: str, description: str, effective: date) -> Transaction:
    """Correct a mistake: a new transaction with every posting of `original` turned around."""
    if Transaction.objects.filter(reverses=original).exclude(idempotency_key=key).exists():
        raise LedgerError(
            LedgerCode.ALREADY_REVERSED, "Este asiento ya fue revertido.", details={"key": original.idempotency_key}
        )
    existing = Transaction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    lines = [Line(account=p.account, amount=-p.amount) for p in original.postings.select_related("account")]
    checked = _checked_lines(key, lines)
    return _post(
        key=key,
        description=description,
        effective=effective,
        checked=checked,
        kind=LedgerKind.REVERSAL,
        reverses=original,
    )
