"""Subcuentas de Vivienda opened through their service, and employer contributions posted to the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from micuenta.core.actors import Actor
from micuenta.core.money import money
from micuenta.core.periods import bimestre_days, bimestre_start, payment_deadline
from micuenta.employment.models import Employer
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.ledger.accounts import FUND_BANK
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Transaction
from micuenta.ledger.services import Line, account_get_or_create, ledger_post
from micuenta.people.models import Worker
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.feed import sua_key
from micuenta.savings.models import Contribution, HousingSubaccount, SubaccountPocket, pocket_for_contribution
from micuenta.savings.services.subaccounts import subaccount_open

TEST_ACTOR = Actor.system("pruebas")

# The employer contributes 5 % of the SBC for every day worked (Ley del Infonavit art. 29 fr. II).
CONTRIBUTION_RATE = Decimal("0.05")
SATURDAY = 5  # date.weekday()


def open_subaccount(worker: Worker | None = None, *, opened_on: date | None = None) -> HousingSubaccount:
    """The worker's subaccount with its four pockets, opened by the service on the first IMSS registration."""
    if worker is None:
        worker = WorkerFactory.create()
    if opened_on is None:
        opened_on = worker.first_contribution_on or date(2025, 1, 2)
    return subaccount_open(actor=TEST_ACTOR, worker=worker, opened_on=opened_on)


class ContributionFactory(DjangoModelFactory[Contribution]):
    """A full bimestre at the given SBC, paid on its due date and posted: fund's bank (debit) to the pocket (credit).

    ``build()`` leaves ``transaction`` empty; ``create()`` opens the worker's subaccount when needed and posts.
    """

    class Meta:
        model = Contribution

    worker = factory.SubFactory(WorkerFactory)
    employer = factory.SubFactory(EmployerFactory)
    year = 2025
    bimestre = 1
    days = factory.LazyAttribute(lambda o: bimestre_days(o.year, o.bimestre))
    sbc = Decimal("500.00")
    amount = factory.LazyAttribute(lambda o: money(o.sbc * o.days * CONTRIBUTION_RATE))
    paid_on = factory.LazyAttribute(lambda o: payment_deadline(o.year, o.bimestre))
    folio_sua = factory.Sequence(lambda n: f"SUA{n:08d}")
    pocket = factory.LazyAttribute(lambda o: pocket_for_contribution(bimestre_start(o.year, o.bimestre)).value)
    transaction = None

    @classmethod
    def _create(cls, model_class: type[Contribution], *args: Any, **kwargs: Any) -> Contribution:
        if kwargs.get("transaction") is None:
            kwargs["transaction"] = contribution_post(**kwargs)
        return super()._create(model_class, *args, **kwargs)


def contribution_post(
    *, worker: Worker, employer: Employer, year: int, bimestre: int, amount: Decimal, paid_on: date, pocket: str,
    folio_sua: str, **_: Any,
) -> Transaction:  # fmt: skip
    subaccount = open_subaccount(worker)
    pocket_account = (
        SubaccountPocket.objects.select_related("account").get(subaccount=subaccount, pocket=pocket).account
    )
    code, name, kind = FUND_BANK
    bank = account_get_or_create(code=code, name=name, kind=kind)
    return ledger_post(
        key=sua_key(employer_id=employer.pk, worker_id=worker.pk, year=year, bimestre=bimestre, folio=folio_sua),
        description=f"Aportación patronal {year}-{bimestre}",
        effective=paid_on,
        lines=[Line(bank, amount), Line(pocket_account, -amount)],
        kind=LedgerKind.SUA,
    )
