"""People with savings histories for the page tests: a small exact one, and long ones posted set-based."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from micuenta.employment.models import EmploymentRelation
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.identity.models import User
from micuenta.identity.tests.factories import UserFactory
from micuenta.ledger.accounts import FUND_BANK, OPENING_BALANCES, YIELD_EXPENSE
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, Transaction
from micuenta.ledger.services import Entry, Line, account_get_or_create, ledger_post, ledger_post_many
from micuenta.people.models import Worker
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.models import Contribution, Pocket, SubaccountPocket
from micuenta.savings.tests.factories import ContributionFactory, open_subaccount


def fund_account(spec: tuple[str, str, Any]) -> Account:
    code, name, kind = spec
    return account_get_or_create(code=code, name=name, kind=kind)


def pocket_account(worker: Worker, pocket: Pocket) -> Account:
    subaccount = open_subaccount(worker, opened_on=date(2000, 1, 1))
    return SubaccountPocket.objects.select_related("account").get(subaccount=subaccount, pocket=pocket).account


def post_to_pocket(
    worker: Worker, pocket: Pocket, *, amount: str, on: date, kind: LedgerKind, description: str, key: str
) -> Transaction:
    """A movement of one pocket: a positive amount comes in (a credit of the liability), a negative one goes out."""
    counter = {
        LedgerKind.SUA: FUND_BANK,
        LedgerKind.YIELD: YIELD_EXPENSE,
        LedgerKind.OPENING: OPENING_BALANCES,
        LedgerKind.REVERSAL: FUND_BANK,
    }[kind]
    value = Decimal(amount)
    lines = [Line(fund_account(counter), value), Line(pocket_account(worker, pocket), -value)]
    return ledger_post(key=key, description=description, effective=on, lines=lines, kind=kind)


def lucia_scene() -> tuple[User, Worker, list[Contribution]]:
    """Lucía: an opening balance in two pockets, a yield, four contributions of 2025 and one correction.

    Total 16,475.00 = 10,000.00 + 500.00 (openings) + 100.00 (yield) + 6,075.00 (contributions) − 200.00.
    """
    worker = WorkerFactory.create(nombre="Lucía", primer_apellido="Aguilar", segundo_apellido="Soto")
    user = UserFactory.create(
        first_name="Lucía", last_name="Aguilar Soto", email="lucia.ahorro@ejemplo.test", worker=worker
    )
    open_subaccount(worker, opened_on=date(2000, 1, 1))
    post_to_pocket(
        worker, Pocket.VIVIENDA_97, amount="10000.00", on=date(2020, 12, 31), kind=LedgerKind.OPENING,
        description="Saldos iniciales migrados", key=f"t:{worker.pk}:apertura97",
    )  # fmt: skip
    post_to_pocket(
        worker, Pocket.FONDO_72_92, amount="500.00", on=date(2020, 12, 31), kind=LedgerKind.OPENING,
        description="Saldos iniciales migrados", key=f"t:{worker.pk}:apertura72",
    )  # fmt: skip
    post_to_pocket(
        worker, Pocket.VIVIENDA_97, amount="100.00", on=date(2024, 12, 31), kind=LedgerKind.YIELD,
        description="Rendimientos de 2024", key=f"t:{worker.pk}:rendimiento2024",
    )  # fmt: skip
    employer = EmployerFactory.create(razon_social="Panadería La Espiga, S.A. de C.V.")
    contributions = [
        ContributionFactory.create(
            worker=worker, employer=employer, year=2025, bimestre=bimestre, sbc=Decimal("500.00")
        )
        for bimestre in (1, 2, 3, 4)
    ]
    post_to_pocket(
        worker, Pocket.VIVIENDA_97, amount="-200.00", on=date(2025, 10, 1), kind=LedgerKind.REVERSAL,
        description="Corrección de un depósito duplicado", key=f"t:{worker.pk}:correccion",
    )  # fmt: skip
    return user, worker, contributions


def saver_with_movements(count: int, *, start: date = date(2000, 1, 3)) -> User:
    """A worker with `count` employer contributions, one a week, each with its Contribution row: set-based.

    The current job's salary asks for more than the 1,000.00 paid each bimestre, so the balance page always has
    short contributions to flag, with a history of 10 movements as with one of 1,000.
    """
    worker = WorkerFactory.create()
    user = UserFactory.create(worker=worker)
    pocket = pocket_account(worker, Pocket.VIVIENDA_97)
    bank = fund_account(FUND_BANK)
    employer = EmployerFactory.create()
    EmploymentRelation.objects.create(worker=worker, employer=employer, started_on=start, sbc=Decimal("400.00"))
    entries = [
        Entry(
            key=f"t:{worker.pk}:sua:{index}",
            description=f"Aportación patronal {index}",
            effective=start + timedelta(days=7 * index),
            lines=(Line(bank, Decimal("1000.00")), Line(pocket, Decimal("-1000.00"))),
            kind=LedgerKind.SUA,
        )
        for index in range(count)
    ]
    ledger_post_many(entries=entries)
    txn_ids = dict(
        Transaction.objects.filter(idempotency_key__startswith=f"t:{worker.pk}:sua:").values_list(
            "idempotency_key", "id"
        )
    )
    contributions = []
    for index, entry in enumerate(entries):
        contributions.append(
            Contribution(
                worker=worker,
                employer=employer,
                year=2025 - index // 6,
                bimestre=6 - index % 6,
                days=60,
                sbc=Decimal("333.33"),
                amount=Decimal("1000.00"),
                paid_on=entry.effective,
                folio_sua=f"F{index}",
                transaction_id=txn_ids[entry.key],
            )
        )
    Contribution.objects.bulk_create(contributions)
    return user


def worker_with_relations(count: int) -> User:
    """A worker with `count` consecutive jobs of 20 days, each followed by a 10-day gap."""
    worker = WorkerFactory.create()
    user = UserFactory.create(worker=worker)
    employers = EmployerFactory.create_batch(3)
    start = date(2000, 1, 3)
    EmploymentRelation.objects.bulk_create(
        [
            EmploymentRelation(
                worker=worker,
                employer=employers[index % 3],
                started_on=start + timedelta(days=30 * index),
                ended_on=start + timedelta(days=30 * index + 19) if index < count - 1 else None,
                sbc=Decimal("400.00"),
            )
            for index in range(count)
        ]
    )
    return user
