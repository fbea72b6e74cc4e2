"""accrue_credits and generate_statements as staff run them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from micuenta.credits.allocation import PaymentIn
from micuenta.credits.models import Instalment, Statement, UnitUpdate
from micuenta.credits.selectors import statement_credit_ids
from micuenta.credits.tasks import generate_statements
from micuenta.credits.tests.factories import CreditFactory, originate, payments_post
from micuenta.ledger.models import Transaction

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_accrue_credits_issues_the_months_missing_and_is_idempotent():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14)))

    first = run("accrue_credits", "--month", "2025-06")
    second = run("accrue_credits", "--month", "2025-06")

    assert "Mensualidades emitidas: 3" in first
    assert "Intereses: $3,190.11" in first  # 1,063.37 a month: nothing was paid, the capital stayed
    assert "Seguro de daños y cuotas: $227.85" in first
    assert "Mensualidades emitidas: 0" in second
    assert Instalment.objects.filter(credit=credit).count() == 3
    assert Transaction.objects.filter(kind="credito_devengo").count() == 3


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2025-13", "«2025-13» no es un mes: escríbelo como AAAA-MM, por ejemplo 2026-03."),
        ("marzo", "«marzo» no es un mes: escríbelo como AAAA-MM, por ejemplo 2026-03."),
        ("0000-01", "«0000-01» no es un mes: escríbelo como AAAA-MM, por ejemplo 2026-03."),
        ("2999-01", "El mes 2999-01 todavía no empieza: solo se procesan meses que ya comenzaron."),
    ],
)
def test_accrue_credits_explains_a_bad_month(month, message):
    with pytest.raises(CommandError, match=message):
        run("accrue_credits", "--month", month)
    with pytest.raises(CommandError, match=message):
        run("generate_statements", "--month", month)


def test_a_vsm_credit_january_needs_a_confirmed_factor_or_the_flag():
    credit = originate(
        CreditFactory.create(vsm=True, origination_date=date(2023, 11, 20), amount_granted=Decimal("500000.00"))
    )
    UnitUpdate.objects.filter(year=2024).update(confirmed=False)

    with pytest.raises(
        CommandError, match="El factor de actualización de 2024 para créditos en VSM no está confirmado"
    ):
        run("accrue_credits", "--month", "2024-01")
    assert not Instalment.objects.filter(credit=credit).exists()  # nothing half-written

    out = run("accrue_credits", "--month", "2024-01", "--allow-unconfirmed")
    january = Instalment.objects.get(credit=credit, period=date(2024, 1, 1))
    assert january.capital_update == Decimal("23280.00")  # 500,000 × 4.656 %
    assert "Actualización de créditos en VSM: $23,280.00" in out


def test_generate_statements_queues_tasks_that_store_each_statement_once():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14)))
    payments_post([PaymentIn(credit.pk, "p1", Decimal("1713.09"), date(2025, 4, 10))])

    out = run("generate_statements", "--month", "2025-04")

    assert "Créditos sin estado de cuenta de 04/2025: 1" in out
    assert "Tareas en cola: 1" in out
    task = DBTaskResult.objects.get(task_path="micuenta.credits.tasks.generate_statements")
    stored = generate_statements.call(*task.args_kwargs["args"])
    assert stored == 1 and generate_statements.call("2025-04-01", [credit.pk]) == 0
    statement = Statement.objects.get(credit=credit)
    assert (statement.opening_balance, statement.payments, statement.closing_balance) == (
        Decimal("364582.34"),
        Decimal("1713.09"),
        Decimal("364582.34") - Decimal("573.77"),
    )
    assert statement_credit_ids(date(2025, 4, 1)) == []


def test_the_batch_states_a_paid_off_credit_only_up_to_payoff_and_when_money_arrives():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), amount_granted=Decimal("20000.00")))
    payments_post([PaymentIn(credit.pk, "todo", Decimal("20062.50"), date(2025, 4, 20))])
    payments_post([PaymentIn(credit.pk, "tarde", Decimal("500.00"), date(2025, 7, 17))])
    credit.refresh_from_db()
    assert credit.paid_off_on == date(2025, 4, 20)

    stated = [m for m in range(4, 10) if statement_credit_ids(date(2025, m, 1)) == [credit.pk]]

    assert stated == [4, 7]  # the month of payoff and the month the late deduction arrived; no months of zeros


def test_a_statement_asked_for_while_the_batch_stores_it_is_the_stored_one(monkeypatch):
    from micuenta.credits.services import statements

    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14)))
    payments_post([PaymentIn(credit.pk, "p1", Decimal("1713.09"), date(2025, 4, 10))])
    month_is_over = statements._month_is_over

    def raced(period):
        monkeypatch.setattr(statements, "_month_is_over", month_is_over)
        generate_statements.call("2025-04-01", [credit.pk])  # the page found none; the batch stores it now
        return month_is_over(period)

    monkeypatch.setattr(statements, "_month_is_over", raced)
    shown = statements.statement_ensure(credit=credit, period=date(2025, 4, 1))

    assert shown.pk == Statement.objects.get(credit=credit).pk
    assert Statement.objects.filter(credit=credit).count() == 1
