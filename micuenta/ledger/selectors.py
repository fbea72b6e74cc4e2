from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from micuenta.core.money import money
from micuenta.ledger.models import Account


def account_balance(*, account: Account) -> Decimal:
    """The balance as the sum of the account's postings (not the cached value)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(amount), 0) FROM ledger_posting WHERE account_id = %s", [account.pk])
        (total,) = cursor.fetchone()
    return money(str(total))


@dataclass(frozen=True)
class BalanceMismatch:
    account_code: str
    cached: Decimal
    postings: Decimal


def ledger_mismatches() -> list[BalanceMismatch]:
    """Every account whose cached balance differs from the sum of its postings."""
    sql = """
        SELECT a.code, a.balance, COALESCE(s.total, 0)
        FROM ledger_account a
        LEFT JOIN (SELECT account_id, ROUND(SUM(amount), 2) AS total FROM ledger_posting GROUP BY account_id) s
               ON s.account_id = a.id
    """
    mismatches = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for code, cached, total in cursor.fetchall():
            cached_money, total_money = money(str(cached)), money(str(total))
            if cached_money != total_money:
                mismatches.append(BalanceMismatch(account_code=code, cached=cached_money, postings=total_money))
    return mismatches


@dataclass(frozen=True)
class UnbalancedTransaction:
    transaction_id: int
    idempotency_key: str
    total: Decimal


def ledger_unbalanced_transactions() -> list[UnbalancedTransaction]:
    """Every transaction whose postings do not sum to zero (double entry: each one must balance by itself)."""
    sql = """
        SELECT t.id, t.idempotency_key, s.total
        FROM (SELECT transaction_id, ROUND(SUM(amount), 2) AS total FROM ledger_posting GROUP BY transaction_id) s
        JOIN ledger_transaction t ON t.id = s.transaction_id
        WHERE s.total <> 0
        ORDER BY t.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [UnbalancedTransaction(pk, key, money(str(total))) for pk, key, total in cursor.fetchall()]


def ledger_postings_total() -> Decimal:
    """The sum of every posting in the ledger: zero when the books balance."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(ROUND(SUM(amount), 2), 0) FROM ledger_posting")
        (total,) = cursor.fetchone()
    return money(str(total))
