"""generate_constancias as staff run it: a closed year only, the inputs of every credit owed that year kept by
background tasks in chunks, idempotent, the same figures as one credit at a time; the page and the PDF then read the
inputs kept."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from micuenta.core.money import format_pesos
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.constancia import ConstanciaUnavailable, constancia_figures, constancia_inputs
from micuenta.credits.models import Credit, InterestYear, Regime
from micuenta.credits.tasks import generate_interest_years
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.documents.models import OfficialDocument
from micuenta.identity.tests.factories import UserFactory
from micuenta.mfa.tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_queued() -> int:
    """What the worker would do: each queued task's own call, in order."""
    added = 0
    for task in DBTaskResult.objects.filter(task_path="micuenta.credits.tasks.generate_interest_years").order_by(
        "enqueued_at"
    ):
        added += generate_interest_years.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
        task.delete()
    return added


@pytest.fixture
def today_2026(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 3, 1))


@pytest.fixture
def credits(today_2026):
    """Four credits owed in 2025 in different ways, one granted after it and one paid off before it."""
    made = [
        originate(CreditFactory.create(origination_date=date(2023, 5, 10), regime=Regime.REA)),
        originate(CreditFactory.create(origination_date=date(2024, 10, 14), regime=Regime.REA)),
        originate(CreditFactory.create(origination_date=date(2025, 1, 1), regime=Regime.REA)),
        originate(CreditFactory.create(origination_date=date(2025, 6, 20), regime=Regime.REA)),
    ]
    accrue(month=date(2025, 12, 1), credit_ids=[c.pk for c in made])
    payments_post(
        [
            PaymentIn(c.pk, f"g:{c.pk}:{m}", Decimal(1500 + 250 * i), date(2025, m, 17))
            for i, c in enumerate(made)
            for m in (2, 5, 7, 9, 11)
            if date(2025, m, 17) > c.origination_date
        ]
    )
    later = originate(CreditFactory.create(origination_date=date(2026, 1, 20), regime=Regime.REA))
    gone = CreditFactory.create(origination_date=date(2010, 1, 20), regime=Regime.REA, paid_off_on=date(2024, 8, 1))
    return [Credit.objects.get(pk=c.pk) for c in made], later, gone


def test_a_year_not_closed_or_not_a_year_is_refused_with_what_to_do(today_2026):
    with pytest.raises(CommandError, match="no ha terminado"):
        run("generate_constancias", "--year", "2026")
    with pytest.raises(CommandError, match="cuatro cifras"):
        run("generate_constancias", "--year", "25")
    with pytest.raises(CommandError, match="Falta el INPC de diciembre de 1950"):
        run("generate_constancias", "--year", "1950")
    assert not DBTaskResult.objects.exists()
    assert "constancia 2025" in run("generate_constancias", "--latest")  # 2025: the last closed year with its INPC


def test_every_credit_owed_in_the_year_is_kept_once_in_chunks(credits, monkeypatch):
    owed, later, gone = credits
    monkeypatch.setattr("micuenta.credits.management.commands.generate_constancias.CONSTANCIAS_PER_TASK", 3)
    out = run("generate_constancias", "--year", "2025")
    assert "Créditos sin cifras de la constancia 2025: 4" in out and "Tareas en cola: 2" in out
    assert run_queued() == 4

    kept = {row.credit_id: row for row in InterestYear.objects.filter(year=2025)}
    assert set(kept) == {c.pk for c in owed}  # not the one granted in 2026 nor the one paid off in 2024
    assert later.pk not in kept and gone.pk not in kept
    for credit in owed:
        alone = constancia_inputs(credit, 2025)  # one credit at a time: the batch did not mix credits
        row = kept[credit.pk]
        assert [Decimal(b) for b in row.month_end_balances] == list(alone.month_end_balances)
        assert (row.nominal_paid, row.nominal_accrued) == (alone.nominal_paid, alone.nominal_accrued)
        assert row.balance_at_start == alone.balance_at_start and row.udi_at_start == alone.udi_at_start
        assert (row.first_month, row.last_month) == (alone.first_month, alone.last_month)
        assert row.real_interest == constancia_figures(credit, 2025).real_interest
    assert len({row.nominal_paid for row in kept.values()}) == 4 and all(r.nominal_paid > 0 for r in kept.values())
    assert kept[owed[3].pk].first_month == 6 and len(kept[owed[3].pk].month_end_balances) == 7

    again = run("generate_constancias", "--year", "2025")
    assert "Créditos sin cifras de la constancia 2025: 0" in again and "Tareas en cola: 0" in again
    assert generate_interest_years.call(2025, [c.pk for c in owed]) == 0  # a task run twice adds nothing
    assert InterestYear.objects.filter(year=2025).count() == 4
    with pytest.raises(ConstanciaUnavailable, match="después de 2025"):
        constancia_figures(later, 2025)


def test_the_page_and_the_pdf_read_the_inputs_kept(client, credits):
    credit = credits[0][1]
    run("generate_constancias", "--year", "2025")
    run_queued()
    # A payment dated in 2025 that arrives after the figures were kept does not change the constancia issued.
    kept = constancia_figures(credit, 2025)
    payments_post([PaymentIn(credit.pk, f"late:{credit.pk}", Decimal("3000.00"), date(2025, 12, 18))])
    assert constancia_inputs(credit, 2025).nominal_paid > kept.nominal_paid
    sign_in_verified(client, UserFactory.create(worker=credit.worker))
    shown = client.get(reverse("credits:constancia"), {"ejercicio": "2025"}).content.decode()
    assert format_pesos(kept.nominal_paid) in shown and format_pesos(kept.real_interest) in shown
    pdf = client.get(reverse("credits:constancia_pdf", args=[2025]))
    assert pdf.status_code == 200
    document = OfficialDocument.objects.get(kind="constancia_intereses", subject_id=str(credit.pk))
    assert document.data["intereses_pagados"] == str(kept.nominal_paid)


def test_the_first_pdf_keeps_the_inputs_when_the_batch_has_not_run(client, credits):
    credit = credits[0][0]
    sign_in_verified(client, UserFactory.create(worker=credit.worker))
    assert not InterestYear.objects.exists()
    assert client.get(reverse("credits:constancia_pdf", args=[2025])).status_code == 200
    row = InterestYear.objects.get(credit=credit, year=2025)
    assert row.real_interest == constancia_figures(credit, 2025).real_interest
    assert run("generate_constancias", "--year", "2025").startswith("Créditos sin cifras de la constancia 2025: 3")
