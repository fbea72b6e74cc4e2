"""Synthetic credits with a valid número de crédito and their own ledger account."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from micuenta.core.actors import Actor
from micuenta.core.identifiers import generate_numero_credito
from micuenta.credits.allocation import PaymentIn, PlannedPayment
from micuenta.credits.models import Credit, CreditStatus, Denomination, DiscountType, Product, Regime
from micuenta.credits.services.accrual import AccrualReport, credits_accrue
from micuenta.credits.services.origination import credit_originate
from micuenta.credits.services.payments import credit_payments_apply
from micuenta.ledger.accounts import credit_code
from micuenta.ledger.models import AccountKind
from micuenta.ledger.tests.factories import AccountFactory
from micuenta.people.tests.factories import WorkerFactory


class CreditFactory(DjangoModelFactory[Credit]):
    """A Crédito Infonavit in pesos as in docs/sources.md#mensualidad: 364,582.34 at 3.50 % for 360 months,
    repaid by payroll deduction (ROA) of a fixed 1,637.14 a month. The ``vsm`` trait gives a VSM credit.

    Its ledger account is an asset of the fund (what the borrower owes), coded ``credito:<número>``, with no
    postings yet.
    """

    class Meta:
        model = Credit

    class Params:
        seq = factory.Sequence(int)
        rng = factory.LazyAttribute(lambda o: random.Random(f"credito:{o.seq}"))  # noqa: S311 (synthetic data)
        vsm = factory.Trait(
            denomination=Denomination.VSM,
            amount_granted_vsm=Decimal("180.0000"),
            annual_rate=Decimal("0.0900"),
            origination_date=date(2005, 6, 15),
            # Born in the 1970s, so the first IMSS registration (18-25 years of age) precedes the credit.
            worker=factory.SubFactory(
                WorkerFactory,
                fecha_nacimiento=factory.LazyAttribute(lambda w: date(1970, 1, 1) + timedelta(days=w.seq % 3_650)),
            ),
            term_months=300,
            discount_type=DiscountType.PORCENTAJE,
            discount_value=Decimal("0.2000"),
        )

    numero_credito = factory.LazyAttribute(lambda o: generate_numero_credito(o.rng))
    worker = factory.SubFactory(WorkerFactory)
    co_borrower = None
    product = Product.TRADICIONAL
    denomination = Denomination.PESOS
    amount_granted = Decimal("364582.34")
    amount_granted_vsm = None
    annual_rate = Decimal("0.0350")
    term_months = 360
    origination_date = date(2025, 3, 14)
    regime = Regime.ROA
    discount_type = DiscountType.CUOTA_FIJA
    discount_value = Decimal("1637.1400")
    status = CreditStatus.VIGENTE
    account = factory.SubFactory(
        AccountFactory,
        code=factory.LazyAttribute(lambda a: credit_code(a.factory_parent.numero_credito)),
        name=factory.LazyAttribute(lambda a: f"Crédito {a.factory_parent.numero_credito}"),
        kind=AccountKind.ASSET,
    )
    calle_numero = "Av. Juárez 120"
    colonia = "Centro"
    municipio = "Guadalajara"
    estado = "JC"
    codigo_postal = "44100"


TEST_ACTOR = Actor.system("pruebas")


def originate(credit: Credit) -> Credit:
    """Post the credit's amount granted to the ledger, as the fund does on the day it is formalised."""
    return credit_originate(actor=TEST_ACTOR, credit=credit)


def payments_post(payments: list[PaymentIn]) -> list[PlannedPayment]:
    """Apply payments through the credits' one door, as the system; the payments as applied."""
    return credit_payments_apply(actor=TEST_ACTOR, payments=payments).planned


def accrue(**kwargs: Any) -> AccrualReport:
    """The monthly accrual, as the system."""
    return credits_accrue(actor=TEST_ACTOR, **kwargs)
