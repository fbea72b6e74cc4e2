"""The one lock order of the servicing engine: a credit's row, locked before anything of it is read to be written.

Accrual, payments (from every channel) and the statement batch all take `credits_lock` first, inside their
transaction and before they touch the ledger, so that two of them working on the same credit at the same time
take turns instead of overwriting each other's figures, and never wait on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable

from micuenta.credits.models import Credit
from micuenta.credits.selectors import CreditRef


def credits_lock(credit_ids: Iterable[int]) -> list[int]:
    """Lock these credits' rows until the transaction ends, always in primary-key order (so two services that
    lock overlapping credits never wait on each other in a circle); returns the ids found. Every service that
    reads a credit's balance or mensualidades to write them back takes these locks first."""
    return list(
        Credit.objects.select_for_update().filter(pk__in=list(credit_ids)).order_by("pk").values_list("pk", flat=True)
    )


def credits_lock_by_numero(numeros: Iterable[str]) -> dict[str, CreditRef]:
    """Lock the credits with these números (primary-key order) and read them under the lock, in one query: a feed
    decides what a line may pay (its status, its regime) from the credit as it stands while the chunk holds it."""
    return {
        row[1]: CreditRef(*row)
        for row in Credit.objects.select_for_update()
        .filter(numero_credito__in=set(numeros))
        .order_by("pk")
        .values_list(*CreditRef.FIELDS)
    }
