"""The servicing engine against the ledger: accrual, the order payments are applied in, payoff and saldo a favor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from micuenta.credits.allocation import PaymentIn
from micuenta.credits.models import CreditPayment, CreditStatus, Instalment, PaymentSource, Regime
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.selectors import ledger_mismatches

pytestmark = pytest.mark.django_db


def test_accrual_issues_each_month_once_with_interest_on_the_capital():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))

    report = accrue(month=date(2025, 5, 1))
    again = accrue(month=date(2025, 5, 1))

    first, second = Instalment.objects.filter(credit=credit).order_by("period")
    assert (first.period, first.number, second.period, second.number) == (date(2025, 4, 1), 1, date(2025, 5, 1), 2)
    assert first.interest == Decimal("1063.37")
    assert first.capital_due == Decimal("573.77")
    assert first.insurance == Decimal("75.95")  # 364,582.34 × 0.25 % / 12
    assert first.due_date == date(2025, 4, 30)
    assert second.interest == Decimal("1063.37")  # nothing paid: the capital is the same
    assert (report.instalments, again.instalments) == (2, 0)
    assert ledger_mismatches() == []


def test_payment_goes_to_charges_interest_capital_oldest_first_then_to_capital_then_saldo_a_favor():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    accrue(month=date(2025, 5, 1))
    mensualidad = Decimal("75.95") + Decimal("1063.37") + Decimal("573.77")

    [plan] = payments_post([PaymentIn(credit.pk, "p1", mensualidad + Decimal("100.00"), date(2025, 5, 10))])

    # April's mensualidad whole; of May's, the insurance (75.95) and then 24.05 of its interest.
    assert (plan.to_charges, plan.to_interest, plan.to_capital) == (
        Decimal("151.90"),
        Decimal("1087.42"),
        Decimal("573.77"),
    )
    first, second = Instalment.objects.filter(credit=credit).order_by("period")
    assert first.remaining == 0
    assert (second.paid_charges, second.paid_interest, second.paid_capital) == (
        Decimal("75.95"),
        Decimal("24.05"),
        Decimal("0.00"),
    )
    [extra] = payments_post([PaymentIn(credit.pk, "p2", Decimal("3000.00"), date(2025, 5, 20))])
    second.refresh_from_db()
    assert second.remaining == 0
    # May's interest left (1,039.32) and its capital (573.77); the other 1,386.91 goes to capital not yet due.
    assert (extra.to_interest, extra.to_capital) == (Decimal("1039.32"), Decimal("573.77") + Decimal("1386.91"))
    credit.refresh_from_db()
    assert credit.status == CreditStatus.VIGENTE
    assert ledger_mismatches() == []


def test_paying_more_than_the_debt_pays_off_and_leaves_a_saldo_a_favor():
    credit = originate(CreditFactory.create(amount_granted=Decimal("20000.00"), term_months=24, regime=Regime.REA))
    accrue(month=date(2025, 4, 1))

    [plan] = payments_post([PaymentIn(credit.pk, "p1", Decimal("25000.00"), date(2025, 4, 20))])
    [later] = payments_post([PaymentIn(credit.pk, "p2", Decimal("300.00"), date(2025, 5, 20))])

    credit.refresh_from_db()
    assert credit.status == CreditStatus.LIQUIDADO
    assert credit.paid_off_on == date(2025, 4, 20)
    owed = Decimal("20000.00") + Decimal("58.33") + Decimal("4.17")  # capital, April's interest at 3.5 %, insurance
    assert plan.to_excess == Decimal("25000.00") - owed
    assert (later.to_excess, later.to_capital) == (Decimal("300.00"), Decimal("0.00"))
    assert credit.account.natural_balance == 0
    assert not Instalment.objects.filter(credit=credit, period=date(2025, 5, 1)).exists()
    assert CreditPayment.objects.filter(credit=credit).count() == 2
    assert payments_post([PaymentIn(credit.pk, "p2", Decimal("300.00"), date(2025, 5, 20))]) == []
    assert ledger_mismatches() == []


def test_employer_five_percent_goes_to_capital_not_yet_due():
    credit = originate(CreditFactory.create())
    accrue(month=date(2025, 4, 1))

    [plan] = payments_post(
        [PaymentIn(credit.pk, "a1", Decimal("1000.00"), date(2025, 4, 17), source=PaymentSource.APORTACION)]
    )

    assert (plan.to_capital, plan.to_interest, plan.to_charges) == (Decimal("1000.00"), 0, 0)
    assert Instalment.objects.get(credit=credit).paid == 0


def test_history_reads_the_ledger_including_a_migrated_balance():
    from micuenta.credits.selectors import credit_history
    from micuenta.credits.services.accounts import credit_accounts_ensure
    from micuenta.ledger.accounts import OPENING_BALANCES
    from micuenta.ledger.services import AccountRef, Line, account_get_or_create, ledger_post

    credit = originate(CreditFactory.create(origination_date=date(2025, 2, 5), regime=Regime.REA))
    accounts = credit_accounts_ensure([credit.pk])[credit.pk]
    opening = account_get_or_create(code=OPENING_BALANCES.code, name=OPENING_BALANCES.name, kind=OPENING_BALANCES.kind)
    ledger_post(
        key="migrado",
        description="Saldo migrado",
        effective=date(2025, 2, 28),
        lines=[
            Line(AccountRef(accounts.capital), Decimal("-100000.00")),
            Line(AccountRef(accounts.interest), Decimal("900.00")),
            Line(opening, Decimal("99100.00")),
        ],
        kind=LedgerKind.CREDIT_MIGRATED,
    )
    payments_post([PaymentIn(credit.pk, "p", Decimal("2000.00"), date(2025, 3, 20))])
    credit.refresh_from_db()

    rows = credit_history(credit)

    assert [r.concept for r in rows] == [
        "Otorgamiento del crédito",
        "Saldo migrado del sistema anterior (resume los movimientos previos)",
        "Intereses y seguro de marzo de 2025",
        "Pago directo (depósito en ventanilla bancaria)",
    ]
    assert rows[1].payment == Decimal("99100.00")
    assert credit.interest_account is not None and credit.charges_account is not None
    owed = credit.account.balance + credit.interest_account.balance + credit.charges_account.balance
    assert rows[-1].balance == owed
