"""The ledger accounts of each credit: its four, created on first use inside the transaction of the service that
needs them (accrual, payments); the fund's own are `ledger.services.fund_accounts_lock`'s."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from micuenta.core.db.bulk import update_rows
from micuenta.credits.allocation import CreditAccounts
from micuenta.credits.models import Credit
from micuenta.ledger import accounts as codes
from micuenta.ledger.models import Account, AccountKind


def credit_accounts_ensure(credit_ids: Iterable[int]) -> dict[int, CreditAccounts]:
    """The four ledger accounts of each credit, creating the ones it lacks (in bulk). Runs inside the calling
    service's transaction, which holds the credits' locks."""
    rows = list(
        Credit.objects.filter(pk__in=set(credit_ids)).values_list(
            "pk", "numero_credito", "account_id", "interest_account_id", "charges_account_id", "excess_account_id"
        )
    )
    wanted: list[tuple[int, str, str, str, AccountKind]] = []
    for pk, numero, _, interest, charges, excess in rows:
        if interest is None:
            wanted.append(
                (
                    pk,
                    "interest_account_id",
                    codes.credit_interest_code(numero),
                    f"Intereses por cobrar del crédito {numero}",
                    AccountKind.ASSET,
                )
            )
        if charges is None:
            wanted.append(
                (
                    pk,
                    "charges_account_id",
                    codes.credit_charges_code(numero),
                    f"Seguro y cuotas por cobrar del crédito {numero}",
                    AccountKind.ASSET,
                )
            )
        if excess is None:
            wanted.append(
                (
                    pk,
                    "excess_account_id",
                    codes.credit_excess_code(numero),
                    f"Saldo a favor del crédito {numero}",
                    AccountKind.LIABILITY,
                )
            )
    if not wanted:
        return {
            pk: CreditAccounts(capital, interest, charges, excess) for pk, _, capital, interest, charges, excess in rows
        }
    existing = dict(Account.objects.filter(code__in=[w[2] for w in wanted]).values_list("code", "pk"))
    Account.objects.bulk_create(
        [Account(code=code, name=name, kind=kind) for _, _, code, name, kind in wanted if code not in existing],
        batch_size=2000,
    )
    ids = dict(Account.objects.filter(code__in=[w[2] for w in wanted]).values_list("code", "pk"))
    by_field: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pk, column, code, _, _ in wanted:
        by_field[column].append((pk, ids[code]))
    for column, pairs in by_field.items():
        update_rows("credits_credit", [(column, "bigint")], pairs)
    return {
        c["pk"]: CreditAccounts(
            c["account_id"], c["interest_account_id"], c["charges_account_id"], c["excess_account_id"]
        )
        for c in Credit.objects.filter(pk__in=[r[0] for r in rows]).values(
            "pk", "account_id", "interest_account_id", "charges_account_id", "excess_account_id"
        )
    }
