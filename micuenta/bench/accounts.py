"""The people who sign in during a run: Mi Cuenta accounts for synthetic workers of the population, half of them
borrowers with a credit being paid, half savers without one. Made in the run's copy of the database only."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef

from micuenta.credits.models import Credit
from micuenta.credits.status import ACCRUING
from micuenta.identity.models import User
from micuenta.people.models import Worker
from micuenta.savings.models import Contribution

# Synthetic accounts in a throw-away copy; the .test domain cannot receive mail (RFC 2606).
BENCH_PASSWORD = "Banco-de-Pruebas-2026"  # noqa: S105


@dataclass(frozen=True)
class BenchPerson:
    username: str
    worker_id: int
    credit_id: int | None


def _spread(ids: list[int], count: int) -> list[int]:
    """`count` ids taken evenly across the list (the population is in seed order, not sorted by anything)."""
    if len(ids) <= count:
        return ids
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]


def bench_people(count: int) -> list[BenchPerson]:
    """Accounts for `count` people (half borrowers when there are enough), all with the same password; the hash
    is made once and shared, so making them costs no hashing."""
    borrowers = dict(
        Credit.objects.filter(status__in=ACCRUING, co_borrower__isnull=True, worker__account__isnull=True)
        .order_by("worker_id")
        .values_list("worker_id", "pk")
    )
    chosen_borrowers = _spread(sorted(borrowers), count // 2)
    candidates = (
        Worker.objects.filter(account__isnull=True)
        .filter(Exists(Contribution.objects.filter(worker=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    savers = [pk for pk in candidates[: count * 20] if pk not in borrowers]
    chosen_savers = _spread(savers, count - len(chosen_borrowers))
    encoded = make_password(BENCH_PASSWORD)
    people = [BenchPerson(f"bench-{w}@micuenta.test", w, borrowers[w]) for w in chosen_borrowers] + [
        BenchPerson(f"bench-{w}@micuenta.test", w, None) for w in chosen_savers
    ]
    with transaction.atomic():
        User.objects.bulk_create(
            [User(email=p.username, password=encoded, worker_id=p.worker_id, first_name="Prueba") for p in people],
            batch_size=1000,
        )
    return people
