"""The synthetic population: consistent, reproducible, set-based, and right to the centavo."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from micuenta.core import identifiers
from micuenta.core.reference import uma_on
from micuenta.credits.models import Credit, CreditStatus, Denomination, Regime
from micuenta.demo.population import (
    FIVE_PERCENT,
    bimestre_end,
    bimestre_start,
    payment_deadline,
    population_seed,
)
from micuenta.employment.models import Employer, EmploymentMovement, EmploymentRelation, MovementType
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Posting, Transaction
from micuenta.ledger.selectors import ledger_mismatches
from micuenta.people.models import Worker, WorkerStatus
from micuenta.savings.models import Contribution

pytestmark = pytest.mark.django_db(transaction=True)


def test_bimestre_helpers():
    assert (bimestre_start(2025, 1), bimestre_end(2025, 1)) == (date(2025, 1, 1), date(2025, 2, 28))
    assert (bimestre_start(2024, 1), bimestre_end(2024, 1)) == (date(2024, 1, 1), date(2024, 2, 29))
    assert bimestre_end(2025, 6) == date(2025, 12, 31)
    # Day 17 of the following month, moved to the next business day (docs/sources.md#payment-deadline).
    assert payment_deadline(2025, 5) == date(2025, 11, 18)  # 17 Nov 2025 is the Revolution holiday (Monday)
    assert payment_deadline(2025, 6) == date(2026, 1, 19)  # 17 Jan 2026 is a Saturday


def test_a_thousand_people_are_valid_consistent_and_fast():
    started = time.monotonic()
    report = population_seed(workers=1000, seed=42)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"1,000 workers took {elapsed:.1f} s"
    assert report.workers == Worker.objects.count() == 1000
    assert report.employers == Employer.objects.count() == 50
    assert len({e.estado for e in Employer.objects.all()}) >= 5

    for worker in Worker.objects.all():
        assert identifiers.validate_nss(worker.nss) == worker.nss
        assert identifiers.validate_curp(worker.curp) == worker.curp
        result = identifiers.validate_rfc(worker.rfc)
        assert result.kind == "fisica"
        assert result.check_digit_ok is True
        # The CURP and the RFC say the same about the person.
        assert worker.curp[:10] == worker.rfc[:10] or worker.curp[4:10] == worker.rfc[4:10]
        assert worker.curp[4:10] == worker.fecha_nacimiento.strftime("%y%m%d")
        assert worker.curp[10] == worker.sexo
    for employer in Employer.objects.all():
        identifiers.validate_registro_patronal(employer.registro_patronal)
        assert identifiers.validate_rfc(employer.rfc).kind == "moral"
    for credit in Credit.objects.all():
        identifiers.validate_numero_credito(credit.numero_credito)

    # Histories with job changes and gaps; every relation starts with an alta or a reingreso.
    per_worker = Worker.objects.annotate(n=Count("relations"))
    assert per_worker.filter(n__gte=3).count() > 200
    assert EmploymentMovement.objects.filter(kind=MovementType.REINGRESO).exists()
    assert (
        EmploymentMovement.objects.filter(kind=MovementType.BAJA).count()
        == EmploymentRelation.objects.filter(ended_on__isnull=False).count()
    )

    # Money: every cached balance equals its postings; every transaction sums to zero.
    assert ledger_mismatches() == []
    # (SQLite keeps NUMERIC as a double: sums are rounded back to centavos before comparing.)
    totals = Posting.objects.values("transaction").annotate(total=Sum("amount"))
    assert [t for t in totals if Decimal(t["total"]).quantize(Decimal("0.01")) != 0] == []

    # Credits of several kinds and ages.
    kinds = set(Credit.objects.values_list("denomination", "regime", "status").distinct())
    assert {d for d, _, _ in kinds} == {Denomination.PESOS, Denomination.VSM}
    assert {r for _, r, _ in kinds} == {Regime.ROA, Regime.REA}
    assert {CreditStatus.VIGENTE, CreditStatus.LIQUIDADO} <= {s for _, _, s in kinds}
    assert not Credit.objects.filter(worker__status=WorkerStatus.FALLECIDO).exists()


def test_contributions_follow_the_rule_and_some_employers_fall_short():
    population_seed(workers=300, seed=9)
    contributions = list(Contribution.objects.select_related("employer").order_by("pk")[:2000])
    assert len(contributions) > 500
    exact = underpaid = 0
    for c in contributions:
        start = bimestre_start(c.year, c.bimestre)
        assert c.sbc <= 25 * uma_on(start).daily  # SBC capped at 25 UMA (docs/sources.md#sbc-cap)
        assert 1 <= c.days <= (bimestre_end(c.year, c.bimestre) - start).days + 1
        assert c.amount > 0
        full = (FIVE_PERCENT * c.sbc * c.days).quantize(Decimal("0.01"))
        exact += c.amount == full
        underpaid += c.amount == (full * Decimal("0.7")).quantize(Decimal("0.01"))
    # Every line is 5 % × SBC × days, or 70 % of it for an underpaying employer; the few others are two
    # periods with one employer in one bimestre (a reingreso), summed into one SUA line.
    assert exact + underpaid >= 0.97 * len(contributions)
    assert underpaid > 0
    late = [c for c in contributions if c.paid_on > payment_deadline(c.year, c.bimestre)]
    assert late, "some employers pay late"
    ledger_total = Posting.objects.filter(transaction__contributions__isnull=False).distinct()
    assert ledger_total.exists()


def test_the_same_seed_gives_the_same_people():
    population_seed(workers=120, seed=5)
    first = list(Worker.objects.order_by("curp").values_list("nss", "curp", "rfc", "nombre", "fecha_nacimiento"))
    money_first = list(
        Contribution.objects.order_by("worker__curp", "year", "bimestre").values_list("amount", flat=True)
    )
    call_command("flush", interactive=False, verbosity=0)
    population_seed(workers=120, seed=5)
    second = list(Worker.objects.order_by("curp").values_list("nss", "curp", "rfc", "nombre", "fecha_nacimiento"))
    money_second = list(
        Contribution.objects.order_by("worker__curp", "year", "bimestre").values_list("amount", flat=True)
    )
    assert first == second
    assert money_first == money_second
    population_seed(workers=10, seed=6)
    assert Worker.objects.count() == 130


def test_seeding_the_same_seed_twice_is_refused_and_adds_nothing(capsys):
    call_command("seed_population", "--workers", "20", "--seed", "3")
    out = capsys.readouterr().out
    assert "20/20 people" in out
    assert "Population (seed 3, as of 2026-10-31): 20 workers" in out
    transactions = Transaction.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("seed_population", "--workers", "20", "--seed", "3")
    assert Worker.objects.count() == 20
    assert Transaction.objects.count() == transactions
    call_command("ledger_check")


def test_credits_arrive_as_a_saldo_migrado_at_the_cut_over_and_the_engine_continues_them():
    from micuenta.credits.models import Instalment
    from micuenta.credits.tests.factories import accrue
    from micuenta.demo.population import DEFAULT_AS_OF, cutover_month

    population_seed(workers=400, seed=11)
    assert not Transaction.objects.filter(kind="credito_intereses_pagos").exists()
    assert Transaction.objects.filter(kind=LedgerKind.CREDIT_MIGRATED).exists()
    cutover = cutover_month(DEFAULT_AS_OF)
    assert set(
        Transaction.objects.filter(kind=LedgerKind.CREDIT_MIGRATED).values_list("effective_date", flat=True)
    ) == {date(2026, 9, 30)}
    credits = Credit.objects.select_related("account", "interest_account", "charges_account", "excess_account")
    for credit in credits:
        rows = list(credit.instalments.order_by("period"))
        if credit.status == CreditStatus.LIQUIDADO:
            assert credit.account.balance == 0 and credit.paid_off_on is not None and not rows
            continue
        assert credit.account.balance > 0
        assert rows and rows[-1].period < cutover
        unpaid = [i for i in rows if i.remaining > 0]
        # What is owed in interest and charges is what the open mensualidades say.
        assert credit.interest_account is not None and credit.charges_account is not None
        assert credit.interest_account.balance == sum(i.interest for i in unpaid)
        assert credit.charges_account.balance == sum(i.charges for i in unpaid)
    atrasados = [c for c in credits if c.instalments.filter(paid_interest=0).count() >= 2]
    assert atrasados, "some credits are in arrears"
    assert credits.filter(status=CreditStatus.LIQUIDADO, excess_account__balance__lt=0).exists()

    accruing = credits.filter(status=CreditStatus.VIGENTE).count()
    report = accrue(month=cutover, allow_unconfirmed=True)
    assert report.instalments == accruing == Instalment.objects.filter(period=cutover).count()
    assert ledger_mismatches() == []
