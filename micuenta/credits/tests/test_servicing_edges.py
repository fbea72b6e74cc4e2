"""Servicing paths the everyday tests do not reach: a VSM credit across January, a non-zero cuota de
administración, an employer 5 % larger than the capital not yet due, and the consistency check catching a broken
credit (docs/credits.md). Every expected figure is worked out by hand from the inputs in the comments."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from micuenta.core.policies import clear_policy_cache
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.checks import servicing_mismatches
from micuenta.credits.models import ChargeRate, Instalment, PaymentSource, Regime, UnitUpdate
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.ledger.accounts import FEE_INCOME, INSURANCE_PAYABLE
from micuenta.ledger.models import Account
from micuenta.ledger.selectors import ledger_mismatches

pytestmark = pytest.mark.django_db


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_januarys_interest_of_a_vsm_credit_is_on_the_capital_after_the_january_update():
    credit = originate(CreditFactory.create(vsm=True, origination_date=date(2025, 5, 20), regime=Regime.REA))
    UnitUpdate.objects.update_or_create(year=2026, defaults={"factor": Decimal("0.05000"), "confirmed": True,
                                                             "source": "prueba"})  # fmt: skip
    accrue(month=date(2025, 12, 1))
    credit.account.refresh_from_db()
    capital = credit.account.balance  # nothing paid: the capital granted in pesos, as on the books in December
    december = Instalment.objects.get(credit=credit, period=date(2025, 12, 1))
    assert december.interest == _cents(capital * Decimal("0.09") / 12)

    accrue(month=date(2026, 1, 1))

    january = Instalment.objects.get(credit=credit, period=date(2026, 1, 1))
    update = _cents(capital * Decimal("0.05"))
    assert january.capital_update == update
    assert january.opening_capital == capital + update
    assert january.interest == _cents((capital + update) * Decimal("0.09") / 12)  # not on the December capital
    assert january.interest != _cents(capital * Decimal("0.09") / 12)
    credit.account.refresh_from_db()
    assert credit.account.balance == capital + update
    assert servicing_mismatches([credit.pk]) == [] and ledger_mismatches() == []


def test_a_non_zero_cuota_de_administracion_is_charged_paid_with_the_seguro_and_booked_as_income():
    ChargeRate.objects.create(valid_from=date(2025, 4, 1), damage_insurance=Decimal("0.0025"),
                              administration_fee=Decimal("0.0012"), source="prueba", confirmed=True)  # fmt: skip
    clear_policy_cache()
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    accrue(month=date(2025, 4, 1))
    april = Instalment.objects.get(credit=credit)
    # 364,582.34 × 0.12 % / 12 = 36.458… → 36.46; × 0.25 % / 12 = 75.95
    assert (april.insurance, april.fees) == (Decimal("75.95"), Decimal("36.46"))
    fee_income = Account.objects.get(code=FEE_INCOME.code)
    insurance = Account.objects.get(code=INSURANCE_PAYABLE.code)
    assert (fee_income.balance, insurance.balance) == (Decimal("-36.46"), Decimal("-75.95"))

    # A payment of 100.00 pays the seguro y cuotas first (112.41 owed): 100.00 to charges, nothing to interest.
    [first] = payments_post([PaymentIn(credit.pk, "c1", Decimal("100.00"), date(2025, 4, 10))])
    assert (first.to_charges, first.to_interest, first.to_capital) == (Decimal("100.00"), 0, 0)
    # Then 12.41 of charges left, the interest (364,582.34 × 3.5 % / 12 = 1,063.37) and 10.00 of capital.
    [second] = payments_post([PaymentIn(credit.pk, "c2", Decimal("1085.78"), date(2025, 4, 12))])
    assert (second.to_charges, second.to_interest, second.to_capital) == (
        Decimal("12.41"), Decimal("1063.37"), Decimal("10.00"),
    )  # fmt: skip
    april.refresh_from_db()
    assert april.paid_charges == Decimal("112.41") == april.insurance + april.fees
    credit.refresh_from_db()
    assert credit.charges_account is not None and credit.charges_account.balance == 0
    assert servicing_mismatches([credit.pk]) == [] and ledger_mismatches() == []


def test_an_employer_5_percent_beyond_the_capital_not_yet_due_pays_capital_already_due_oldest_first():
    credit = originate(CreditFactory.create(amount_granted=Decimal("20000.00"), term_months=24))
    accrue(month=date(2025, 5, 1))
    april, may = Instalment.objects.filter(credit=credit).order_by("period")
    not_due = Decimal("20000.00") - april.capital_due - may.capital_due
    assert april.capital_due > Decimal("100.00")

    [plan] = payments_post(
        [PaymentIn(credit.pk, "a1", not_due + Decimal("100.00"), date(2025, 5, 17), source=PaymentSource.APORTACION)]
    )

    assert (plan.to_capital, plan.to_interest, plan.to_charges, plan.to_excess) == (not_due + 100, 0, 0, 0)
    april.refresh_from_db()
    may.refresh_from_db()
    assert (april.paid_capital, may.paid_capital) == (Decimal("100.00"), Decimal("0.00"))
    assert (april.paid_interest, april.paid_charges) == (0, 0)  # the 5 % never pays interest or seguro
    credit.account.refresh_from_db()
    assert credit.account.balance == april.capital_due + may.capital_due - Decimal("100.00")
    assert servicing_mismatches([credit.pk]) == [] and ledger_mismatches() == []


def test_servicing_mismatches_finds_a_credit_whose_mensualidades_and_books_disagree():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    healthy = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    accrue(month=date(2025, 4, 1))
    payments_post([PaymentIn(credit.pk, "p1", Decimal("500.00"), date(2025, 4, 10))])
    assert servicing_mismatches() == []

    # Broken behind the services' back: the mensualidad says more interest was paid than the ledger shows.
    Instalment.objects.filter(credit=credit).update(paid_interest=Decimal("500.00"))

    problems = servicing_mismatches()
    # 500.00 paid 75.95 of seguro and 424.05 of the 1,063.37 interest: 639.32 left on the books, 563.37 by the rows.
    assert problems == [f"crédito {credit.pk}: intereses 639.32 en el libro, 563.37 esperado"]
    assert servicing_mismatches([healthy.pk]) == []
