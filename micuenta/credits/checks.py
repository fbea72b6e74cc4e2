"""Checks that the servicing records agree with the ledger (read-only): run by tests and by operators."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Sum

from micuenta.core.money import money
from micuenta.credits.models import Credit, CreditPayment, Instalment
from micuenta.credits.rules import ZERO


def servicing_mismatches(credit_ids: Iterable[int] | None = None) -> list[str]:
    """Where the ledger and the servicing records disagree: a credit's interest and charges accounts must hold what
    its mensualidades charged and were not paid, its saldo a favor what payments put there, and its capital can
    never be below the capital fallen due and unpaid, nor negative. Empty when all is well."""
    credits = Credit.objects.select_related("account", "interest_account", "charges_account", "excess_account")
    if credit_ids is not None:
        credits = credits.filter(pk__in=list(credit_ids))
    ids = list(credits.values_list("pk", flat=True))
    owed = {
        row["credit_id"]: row
        for row in Instalment.objects.filter(credit_id__in=ids)
        .values("credit_id")
        .annotate(
            interest_left=Sum(F("interest") - F("paid_interest")),
            charges_left=Sum(F("insurance") + F("fees") - F("paid_charges")),
            capital_left=Sum(F("capital_due") - F("paid_capital")),
        )
    }
    excess = dict(
        CreditPayment.objects.filter(credit_id__in=ids)
        .values("credit_id")
        .annotate(total=Sum("to_excess"))
        .values_list("credit_id", "total")
    )
    problems = []
    for credit in credits:
        row = owed.get(credit.pk, {})
        checks = (
            ("intereses", credit.interest_account, row.get("interest_left")),
            ("seguro y cuotas", credit.charges_account, row.get("charges_left")),
            ("saldo a favor", credit.excess_account, excess.get(credit.pk)),
        )
        for name, account, expected in checks:
            have = money(account.natural_balance) if account is not None else ZERO
            if have != money(expected or ZERO):
                problems.append(f"crédito {credit.pk}: {name} {have} en el libro, {money(expected or ZERO)} esperado")
        capital = money(credit.account.balance)
        if capital < 0 or capital < money(row.get("capital_left") or ZERO):
            problems.append(f"crédito {credit.pk}: capital {capital} menor que lo exigible")
    return problems
