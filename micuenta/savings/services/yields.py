"""Crediting the rendimientos of a period to every pocket that earns them (micuenta.savings.yields has the rules)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Posting
from micuenta.ledger.services import account_get_or_create, fund_accounts_lock, ledger_post_many
from micuenta.savings.audit import SavingsAction
from micuenta.savings.models import POCKETS_WITH_YIELD, SubaccountPocket
from micuenta.savings.yields import CHUNK, YieldPeriod, accrued_yield, rate_for, yields_entry, yields_key


@dataclass
class YieldReport:
    period: str
    accounts: int = 0
    posted: int = 0
    already: int = 0
    total: Decimal = Decimal("0.00")


def _balances(
    account_ids: list[int], period: YieldPeriod
) -> tuple[dict[int, Decimal], dict[int, list[tuple[date, Decimal]]]]:
    """Natural balances (credit positive) before the period, and each day's net change inside it: two queries."""
    opening = {
        row["account_id"]: -Decimal(row["total"])
        for row in Posting.objects.filter(account_id__in=account_ids, transaction__effective_date__lt=period.start)
        .values("account_id")
        .annotate(total=Sum("amount"))
    }
    changes: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for row in (
        Posting.objects.filter(
            account_id__in=account_ids,
            transaction__effective_date__gte=period.start,
            transaction__effective_date__lte=period.end,
        )
        .values("account_id", "transaction__effective_date")
        .annotate(total=Sum("amount"))
    ):
        changes[row["account_id"]].append((row["transaction__effective_date"], -Decimal(row["total"])))
    return opening, changes


def yields_post(*, actor: Actor, period: YieldPeriod, progress: Callable[[int], object] | None = None) -> YieldReport:
    """Credit the period's yields to every pocket that earns them, a chunk of pockets per transaction (each with its
    audit event: the period, the rate, how many pockets and how much)."""
    rule = rate_for(period.start.year)
    rate = rule.rate
    expense = account_get_or_create(
        code=codes.YIELD_EXPENSE.code, name=codes.YIELD_EXPENSE.name, kind=codes.YIELD_EXPENSE.kind
    )
    report = YieldReport(period=period.key)
    accounts = (
        SubaccountPocket.objects.filter(pocket__in=list(POCKETS_WITH_YIELD))
        .order_by("account_id")
        .values_list("account_id", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    chunk: list[int] = []

    def flush() -> None:
        with transaction.atomic():
            fund_accounts_lock()
            credited = set(
                Posting.objects.filter(
                    account_id__in=chunk,
                    transaction__kind=LedgerKind.YIELD,
                    transaction__effective_date__gte=period.start,
                    transaction__effective_date__lte=period.end,
                ).values_list("account_id", flat=True)
            )
            todo = [pk for pk in chunk if pk not in credited]
            opening, changes = _balances(todo, period)
            amounts = {}
            for account_id in todo:
                amount = accrued_yield(
                    opening=opening.get(account_id, Decimal("0")),
                    changes=changes.get(account_id, ()),
                    start=period.start,
                    end=period.end,
                    annual_rate=rate,
                )
                if amount > 0:
                    amounts[account_id] = amount
            if amounts:
                ledger_post_many(
                    entries=[
                        yields_entry(period=period, expense=expense, amounts=amounts, key=yields_key(period, amounts))
                    ]
                )
            if amounts:
                audit_record(
                    actor=actor,
                    action=SavingsAction.YIELDS_CREDITED,
                    subject=rule,  # the rate's row the pockets were credited at
                    after={
                        "period": period.key,
                        "rate": rate,
                        "pockets": len(amounts),
                        "total": sum(amounts.values(), Decimal("0.00")),
                        "account_ids": [min(amounts), max(amounts)],
                    },
                )
            report.accounts += len(chunk)
            report.posted += len(amounts)
            report.already += len(credited)
            report.total += sum(amounts.values(), Decimal("0.00"))
        if progress is not None:
            progress(len(chunk))

    for account_id in accounts:
        chunk.append(account_id)
        if len(chunk) == CHUNK:
            flush()
            chunk = []
    if chunk:
        flush()
    return report
