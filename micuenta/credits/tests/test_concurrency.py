"""Two feeds, the accrual and the statement batch working on the same credits at the same time leave exactly what
they leave one after the other: the credits' row locks (credits.services.locks) make them take turns.

Two identical sets of credits in arrears get the same payments: an SUA deduction and a direct bank payment each,
in the same month. The first set's are run one after the other; the second set's at once, in four threads with
their own database connections (the SUA file, the bank file, the month's accrual, the month's statements). Each
credit of the second set must end exactly as its twin of the first: its mensualidades paid part by part, its
ledger accounts, its payments, its statement. On PostgreSQL the four really overlap; on SQLite they take turns at
the database's write lock, and the test shows the same result.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.periods import bimestre_days, bimestre_of
from micuenta.credits import schedule
from micuenta.credits.checks import servicing_mismatches
from micuenta.credits.feed import BankPaymentsProcessor
from micuenta.credits.models import Credit, CreditPayment, Instalment, Regime, Statement
from micuenta.credits.selectors import statements_compute
from micuenta.credits.services import payments
from micuenta.credits.services.accrual import credits_accrue
from micuenta.credits.services.statements import statement_ensure, statements_generate
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds.runner import feed_run
from micuenta.feeds.tests.helpers import SUA_HEADER, write_feed
from micuenta.ledger.selectors import ledger_mismatches
from micuenta.ledger.services import fund_accounts_lock
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.feed import EmployerPaymentsProcessor
from micuenta.savings.services import sua as sua_services

CREDITS = 30  # per set
BANK_HEADER = "fecha_pago,importe,referencia,concepto,canal,folio"
DEDUCTION = Decimal("2100.00")  # with the bank payment, less than the four mensualidades owed: no saldo a favor
BANK_PAYMENT = Decimal("1900.00")
ACTOR = Actor.system("pruebas")
OVERLAP = 3  # seconds the first feed to read the credits waits for the other one


def _month() -> date:
    """The month of the payments: two months ago, so that it is over (its statement can be stored)."""
    return schedule.add_months(timezone.localdate().replace(day=1), -2)


def _credits(month: date) -> list[Credit]:
    """Credits in arrears: granted four months before `month`, three mensualidades issued and none paid."""
    credits = [
        originate(CreditFactory.create(origination_date=schedule.add_months(month, -4) + timedelta(days=13),
                                       regime=Regime.REA))
        for _ in range(CREDITS)
    ]  # fmt: skip
    credits_accrue(actor=ACTOR, month=schedule.add_months(month, -1), credit_ids=[c.pk for c in credits])
    return credits


def _files(tmp_path: Path, tag: str, employer_nrp: str, credits: list[Credit], month: date) -> tuple[Path, Path]:
    year, bim = bimestre_of(month)
    sua = write_feed(
        tmp_path / f"sua-{tag}.csv",
        SUA_HEADER,
        [
            f"{employer_nrp},{c.worker.nss},{year},{bim},{bimestre_days(year, bim)},500.00,100.00,{DEDUCTION},"
            f"{c.numero_credito},{month + timedelta(days=16):%Y-%m-%d},F-{tag}-{k}"
            for k, c in enumerate(credits)
        ],
    )
    bank = write_feed(
        tmp_path / f"banco-{tag}.csv",
        BANK_HEADER,
        [
            f"{month + timedelta(days=9):%Y-%m-%d},{BANK_PAYMENT},5503,{c.numero_credito},spei,B-{tag}-{k}"
            for k, c in enumerate(credits)
        ],
    )
    return sua, bank


def _jobs(sua: Path, bank: Path, credits: list[Credit], month: date) -> list[Callable[[], object]]:
    ids = [c.pk for c in credits]
    return [
        lambda: feed_run(actor=ACTOR, processor=EmployerPaymentsProcessor(), path=sua),
        lambda: feed_run(actor=ACTOR, processor=BankPaymentsProcessor(), path=bank),
        lambda: credits_accrue(actor=ACTOR, month=month, credit_ids=ids),
        lambda: statements_generate(period=month, credit_ids=ids),
    ]


def _at_once(jobs: list[Callable[[], object]], names: list[str] | None = None) -> list[BaseException]:
    """Run the jobs in threads, started together; each thread has its own database connection."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(job,), name=(names or [])[k] if names else None)
        for k, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def _state(credit: Credit, month: date) -> tuple[object, ...]:
    """Everything the payments and the accrual left on a credit, without its ids."""
    credit = Credit.objects.select_related("account", "interest_account", "charges_account", "excess_account").get(
        pk=credit.pk
    )
    instalments = tuple(
        Instalment.objects.filter(credit=credit)
        .order_by("period")
        .values_list("number", "interest", "insurance", "fees", "capital_due", "paid_charges", "paid_interest",
                     "paid_capital")
    )  # fmt: skip
    payments = CreditPayment.objects.filter(credit=credit).aggregate(
        amount=Sum("amount"), capital=Sum("to_capital"), interest=Sum("to_interest"), charges=Sum("to_charges")
    )
    statement = Statement.objects.filter(credit=credit, period=month).values_list(
        "opening_balance", "payment_due", "interest", "charges", "payments", "capital_paid", "closing_balance",
        "excess_balance",
    ).first()  # fmt: skip
    return (
        credit.status,
        credit.account.balance,
        *(a.balance if a is not None else None for a in (credit.interest_account, credit.charges_account)),
        credit.excess_account.balance if credit.excess_account else None,
        instalments,
        tuple(sorted(payments.items())),
        statement,
    )


@pytest.fixture
def feeds_read_together(monkeypatch):
    """Make the widest window for a lost update: the SUA file and the bank file each wait, once they have read the
    credits' mensualidades, for the other to have read them too — up to OVERLAP seconds. Behind the credits' locks
    the second cannot read before the first commits, so the first waits in vain and goes on; without the locks
    both would read the same figures and each write back its own."""
    together = threading.Barrier(2)
    load_books = payments.load_books

    def read_then_wait(credit_ids, accounts):
        books = load_books(credit_ids, accounts)
        if threading.current_thread() is not threading.main_thread():
            with contextlib.suppress(threading.BrokenBarrierError):
                together.wait(timeout=OVERLAP)
        return books

    monkeypatch.setattr(payments, "load_books", read_then_wait)


@pytest.mark.django_db(transaction=True)
def test_feeds_accrual_and_statements_at_once_leave_what_they_leave_one_after_the_other(tmp_path, feeds_read_together):
    month = _month()
    employer = EmployerFactory.create()
    nrp = employer.registro_patronal
    alone, together = _credits(month), _credits(month)
    sua_alone, bank_alone = _files(tmp_path, "a", nrp, alone, month)
    sua_together, bank_together = _files(tmp_path, "b", nrp, together, month)

    for job in _jobs(sua_alone, bank_alone, alone, month):
        job()
    errors = _at_once(_jobs(sua_together, bank_together, together, month))

    assert errors == []
    # A statement stored before a payment of its month was discarded by it: the next batch states it again. One
    # stored after every payment stays: it must be what its twin's is.
    statements_generate(period=month, credit_ids=[c.pk for c in together])
    for one, twin in zip(alone, together, strict=True):
        assert _state(twin, month) == _state(one, month)
    ids = [c.pk for c in alone + together]
    assert CreditPayment.objects.filter(credit_id__in=ids).count() == 4 * CREDITS
    assert servicing_mismatches(ids) == [] and ledger_mismatches() == []
    # Every statement stored is what the ledger says now (a payment that came after it discarded it).
    stored = list(Statement.objects.filter(credit_id__in=ids, period=month).select_related("credit"))
    recomputed = {s.credit_id: s for s in statements_compute([s.credit for s in stored], month)}
    for statement in stored:
        fresh = recomputed[statement.credit_id]
        assert (statement.payments, statement.closing_balance) == (fresh.payments, fresh.closing_balance)


@pytest.mark.django_db(transaction=True)
def test_the_sua_file_and_the_bank_file_paying_different_credits_never_wait_on_each_other_in_a_circle(
    tmp_path, monkeypatch
):
    """The SUA chunk posts its lines that pay no credit (the fund's bank) before the ones that do (the accrual: the
    fund's income); the bank file posts its accrual before its payment. Each waits, at that moment, for the other to
    reach its own: behind the fund's accounts' lock (ledger.services.fund_accounts_lock) the second cannot, so the
    first goes on; without it each would hold what the other needs next (a deadlock, one file's chunk lost)."""
    month = _month()
    with transaction.atomic():
        fund_accounts_lock()  # every account of the fund exists, as it does in service: none is created meanwhile
    employer = EmployerFactory.create()
    first, second = _credits(month)[:2]
    saver = WorkerFactory.create()
    year, bim = bimestre_of(month)
    paid, days, nrp = month + timedelta(days=16), bimestre_days(year, bim), employer.registro_patronal
    sua = write_feed(
        tmp_path / "sua.csv",
        SUA_HEADER,
        [
            f"{nrp},{saver.nss},{year},{bim},{days},500.00,100.00,0.00,,{paid:%Y-%m-%d},F-1",
            f"{nrp},{first.worker.nss},{year},{bim},{days},500.00,100.00,{DEDUCTION},{first.numero_credito},"
            f"{paid:%Y-%m-%d},F-2",
        ],
    )
    bank = write_feed(
        tmp_path / "banco.csv",
        BANK_HEADER,
        [f"{month + timedelta(days=9):%Y-%m-%d},{BANK_PAYMENT},5503,{second.numero_credito},spei,B-1"],
    )
    both = threading.Barrier(2)
    apply, load_books = sua_services.credit_payments_apply, payments.load_books

    def sua_after_its_own_lines(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both.wait(timeout=OVERLAP)
        return apply(**kwargs)

    def bank_after_its_accrual(credit_ids, accounts):
        books = load_books(credit_ids, accounts)
        if threading.current_thread().name == "bank":
            with contextlib.suppress(threading.BrokenBarrierError):
                both.wait(timeout=OVERLAP)
        return books

    monkeypatch.setattr(sua_services, "credit_payments_apply", sua_after_its_own_lines)
    monkeypatch.setattr(payments, "load_books", bank_after_its_accrual)

    errors = _at_once(
        [
            lambda: feed_run(actor=ACTOR, processor=EmployerPaymentsProcessor(), path=sua),
            lambda: feed_run(actor=ACTOR, processor=BankPaymentsProcessor(), path=bank),
        ],
        names=["sua", "bank"],
    )

    assert errors == []
    assert CreditPayment.objects.filter(credit__in=[first, second]).count() == 2
    assert ledger_mismatches() == [] and servicing_mismatches([first.pk, second.pk]) == []


@pytest.mark.django_db(transaction=True)
def test_a_statement_page_does_not_wait_for_a_feed_holding_the_credit():
    """On PostgreSQL a feed holds the credit's row lock while the page asks for the statement: the page shows the
    figures without storing them. (SQLite has one lock for every writer and no row locks: there the page stores.)"""
    month = _month()
    credit = _credits(month)[0]
    held, done = threading.Event(), threading.Event()
    row_locks = connection.features.has_select_for_update_skip_locked

    def feed_holds_the_credit() -> None:
        if not row_locks:
            held.set()
            return
        try:
            with transaction.atomic():
                list(Credit.objects.select_for_update().filter(pk=credit.pk).values_list("pk", flat=True))
                held.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=feed_holds_the_credit)
    holder.start()
    try:
        assert held.wait(timeout=30)
        period = schedule.add_months(month, -1)
        shown = statement_ensure(credit=credit, period=period)
    finally:
        done.set()
        holder.join(timeout=30)

    expected = statements_compute([credit], period)[0]
    assert (shown.opening_balance, shown.closing_balance) == (expected.opening_balance, expected.closing_balance)
    if row_locks:
        assert shown.pk is None and not Statement.objects.filter(credit=credit).exists()  # stored next time
    assert statement_ensure(credit=credit, period=period).pk == Statement.objects.get(credit=credit).pk
