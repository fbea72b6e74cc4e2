"""The ledger: balanced, idempotent, append-only, and its cached balances provably right."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from micuenta.ledger.models import Account, AccountKind, Posting, Transaction
from micuenta.ledger.selectors import account_balance, ledger_mismatches
from micuenta.ledger.services import (
    Entry,
    LedgerError,
    Line,
    account_get_or_create,
    ledger_post,
    ledger_post_many,
    ledger_reverse,
)
from micuenta.ledger.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


@pytest.fixture
def bank():
    return AccountFactory.create(code="fondo:bancos", kind=AccountKind.ASSET)


@pytest.fixture
def savings():
    return AccountFactory.create(code="ahorro:sv97:1", kind=AccountKind.LIABILITY)


def test_a_balanced_transaction_moves_both_balances(bank, savings):
    txn = ledger_post(
        key="sua:2025-1:linea-1",
        description="Aportación 1er bimestre 2025",
        effective=DAY,
        lines=[Line(bank, Decimal("1475.00")), Line(savings, Decimal("-1475.00"))],
    )
    bank.refresh_from_db()
    savings.refresh_from_db()
    assert bank.balance == Decimal("1475.00")
    assert savings.balance == Decimal("-1475.00")
    assert savings.natural_balance == Decimal("1475.00")
    assert sorted(p.amount for p in txn.postings.all()) == [Decimal("-1475.00"), Decimal("1475.00")]
    assert account_balance(account=savings) == Decimal("-1475.00")


def test_an_unbalanced_transaction_is_refused_and_nothing_is_written(bank, savings):
    with pytest.raises(LedgerError) as excinfo:
        ledger_post(
            key="k1",
            description="x",
            effective=DAY,
            lines=[Line(bank, Decimal("10.00")), Line(savings, Decimal("-9.99"))],
        )
    assert excinfo.value.code == "asiento_descuadrado"
    assert excinfo.value.details["difference"] == "0.01"
    assert Transaction.objects.count() == 0
    assert Posting.objects.count() == 0


@pytest.mark.parametrize(
    ("amounts", "code"),
    [((Decimal("5.00"),), "asiento_incompleto"), ((Decimal("0.00"), Decimal("0.00")), "movimiento_en_cero")],
)
def test_malformed_transactions_are_refused(bank, savings, amounts, code):
    accounts = [bank, savings]
    with pytest.raises(LedgerError) as excinfo:
        ledger_post(
            key="k", description="x", effective=DAY, lines=[Line(accounts[i], a) for i, a in enumerate(amounts)]
        )
    assert excinfo.value.code == code


def test_amounts_are_rounded_half_up_to_centavos_before_the_balance_check(bank, savings):
    ledger_post(
        key="k", description="x", effective=DAY, lines=[Line(bank, Decimal("0.005")), Line(savings, Decimal("-0.01"))]
    )
    bank.refresh_from_db()
    assert bank.balance == Decimal("0.01")


def test_replaying_an_idempotency_key_adds_nothing(bank, savings):
    lines = [Line(bank, Decimal("100.00")), Line(savings, Decimal("-100.00"))]
    first = ledger_post(key="pago:42", description="Pago", effective=DAY, lines=lines)
    again = ledger_post(key="pago:42", description="Pago", effective=DAY, lines=lines)
    assert again.pk == first.pk
    assert Transaction.objects.count() == 1
    assert Posting.objects.count() == 2
    bank.refresh_from_db()
    assert bank.balance == Decimal("100.00")


def test_a_reversal_cancels_and_points_at_the_original(bank, savings):
    original = ledger_post(
        key="k",
        description="Error",
        effective=DAY,
        lines=[Line(bank, Decimal("50.00")), Line(savings, Decimal("-50.00"))],
    )
    reversal = ledger_reverse(original=original, key="k:reverso", description="Corrección", effective=DAY)
    assert reversal.reverses_id == original.pk
    assert original.reversed_by == reversal
    bank.refresh_from_db()
    savings.refresh_from_db()
    assert (bank.balance, savings.balance) == (Decimal("0.00"), Decimal("0.00"))
    assert ledger_reverse(original=original, key="k:reverso", description="Corrección", effective=DAY) == reversal
    with pytest.raises(LedgerError) as excinfo:
        ledger_reverse(original=original, key="k:otro-reverso", description="x", effective=DAY)
    assert excinfo.value.code == "asiento_ya_revertido"


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_update_and_delete_of_postings_and_transactions(bank, savings):
    txn = ledger_post(
        key="k", description="x", effective=DAY, lines=[Line(bank, Decimal("1.00")), Line(savings, Decimal("-1.00"))]
    )
    posting = txn.postings.get(amount__gt=0)
    statements = [
        ("UPDATE ledger_posting SET amount = 2 WHERE id = %s", [posting.pk]),
        ("DELETE FROM ledger_posting WHERE id = %s", [posting.pk]),
        ("UPDATE ledger_transaction SET description = 'otra' WHERE id = %s", [txn.pk]),
        ("DELETE FROM ledger_transaction WHERE id = %s", [txn.pk]),
    ]
    for sql, params in statements:
        with pytest.raises((IntegrityError, DatabaseError), match="append-only"):
            _raw(sql, params)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(amount=Decimal("3.00"))
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Transaction.objects.filter(pk=txn.pk).delete()
    posting.refresh_from_db()
    assert posting.amount == Decimal("1.00")
    assert Posting.objects.count() == 2


@pytest.mark.parametrize("amounts", [(Decimal("5.00"),), (), (Decimal("5.00"), Decimal("-4.99"))])
def test_the_database_refuses_an_unbalanced_transaction_at_commit_on_postgresql(bank, savings, amounts):
    if connection.vendor == "postgresql":
        # The constraint trigger is deferred to commit; make it fire now, inside this test's transaction.
        with pytest.raises(IntegrityError, match="unbalanced"), transaction.atomic():
            txn = Transaction.objects.create(idempotency_key="crudo", description="x", effective_date=DAY)
            for account, amount in zip([bank, savings], amounts, strict=False):
                Posting.objects.create(transaction=txn, account=account, amount=amount)
            connection.cursor().execute("SET CONSTRAINTS ledger_transaction_balanced IMMEDIATE")
    else:
        # SQLite has no deferred triggers: the service is the guard (see the unbalanced test above).
        assert connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_posting'")
            assert cursor.fetchone()[0] == 2


def test_a_balanced_transaction_built_posting_by_posting_passes_the_commit_check(bank, savings):
    txn = Transaction.objects.create(idempotency_key="a-mano", description="x", effective_date=DAY)
    Posting.objects.create(transaction=txn, account=bank, amount=Decimal("5.00"))
    Posting.objects.create(transaction=txn, account=savings, amount=Decimal("-5.00"))
    if connection.vendor == "postgresql":
        connection.cursor().execute("SET CONSTRAINTS ledger_transaction_balanced IMMEDIATE")
    assert Posting.objects.filter(transaction=txn).count() == 2


def test_a_posting_of_zero_is_refused_by_the_database(bank):
    with pytest.raises(IntegrityError), transaction.atomic():
        txn = Transaction.objects.create(idempotency_key="cero", description="x", effective_date=DAY)
        Posting.objects.create(transaction=txn, account=bank, amount=Decimal("0.00"))


def test_post_many_is_set_based_idempotent_and_counts_new_ones(bank, savings, django_assert_max_num_queries):
    entries = [
        Entry(
            key=f"lote:{i}",
            description="Aportación",
            effective=DAY,
            lines=(Line(bank, Decimal("10.50")), Line(savings, Decimal("-10.50"))),
        )
        for i in range(300)
    ]
    with django_assert_max_num_queries(12):
        assert ledger_post_many(entries=entries) == 300
    assert ledger_post_many(entries=entries) == 0
    assert ledger_post_many(entries=[*entries, Entry("lote:nuevo", "x", DAY, entries[0].lines)]) == 1
    bank.refresh_from_db()
    assert bank.balance == Decimal("3160.50")
    assert Posting.objects.count() == 602
    assert ledger_mismatches() == []


def test_post_many_refuses_a_batch_with_a_repeated_key(bank, savings):
    lines = (Line(bank, Decimal("1.00")), Line(savings, Decimal("-1.00")))
    with pytest.raises(LedgerError) as excinfo:
        ledger_post_many(entries=[Entry("a", "x", DAY, lines), Entry("a", "x", DAY, lines)])
    assert excinfo.value.code == "clave_repetida_en_lote"
    assert Transaction.objects.count() == 0


def test_ledger_check_passes_and_fails(bank, savings, capsys):
    ledger_post(
        key="k", description="x", effective=DAY, lines=[Line(bank, Decimal("7.00")), Line(savings, Decimal("-7.00"))]
    )
    call_command("ledger_check")
    assert "ledger_check: OK — 2 accounts, 1 transactions, 2 postings; every transaction balances" in (
        capsys.readouterr().out
    )
    Account.objects.filter(pk=bank.pk).update(balance=Decimal("7.01"))  # a cache gone wrong
    with pytest.raises(CommandError, match="1 of 2 accounts"):
        call_command("ledger_check")
    assert "fondo:bancos: cached 7.01 != postings 7.00" in capsys.readouterr().err


def test_ledger_check_fails_on_an_unbalanced_transaction_written_behind_the_services_back(bank, savings, capsys):
    txn = ledger_post(
        key="k", description="x", effective=DAY, lines=[Line(bank, Decimal("7.00")), Line(savings, Decimal("-7.00"))]
    )
    with connection.cursor() as cursor:  # a third posting by raw SQL, and the cached balance bumped to match it
        cursor.execute(
            "INSERT INTO ledger_posting (transaction_id, account_id, amount) VALUES (%s, %s, %s)",
            [txn.pk, bank.pk, "0.50"],
        )
    Account.objects.filter(pk=bank.pk).update(balance=Decimal("7.50"))
    assert ledger_mismatches() == []  # every cache matches its postings: that check alone would pass

    try:
        with pytest.raises(CommandError, match=r"1 of 1 transactions do not balance; all postings sum 0.50, not zero"):
            call_command("ledger_check")
        assert "k (asiento" in capsys.readouterr().err
    finally:
        # PostgreSQL's deferred trigger would refuse the test's own transaction when the test case checks
        # constraints at teardown; postings are append-only, so a fourth one balances it again.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ledger_posting (transaction_id, account_id, amount) VALUES (%s, %s, %s)",
                [txn.pk, savings.pk, "-0.50"],
            )


def test_account_get_or_create_is_idempotent():
    a = account_get_or_create(code="x:1", name="X", kind=AccountKind.EXPENSE)
    b = account_get_or_create(code="x:1", name="Otro nombre", kind=AccountKind.EXPENSE)
    assert a.pk == b.pk
    assert Account.objects.count() == 1


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2)


class LedgerInvariants(HypothesisTestCase):
    """Property tests: whatever is posted, balances equal sums, every transaction sums to zero."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        moves=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), amounts), min_size=1, max_size=15),
        reverse_some=st.booleans(),
    )
    def test_balances_always_equal_the_sum_of_postings(self, moves, reverse_some):
        accounts = [AccountFactory.create(kind=AccountKind.ASSET) for _ in range(4)]
        posted = []
        for i, (debit, credit, amount) in enumerate(moves):
            if debit == credit:
                continue
            posted.append(
                ledger_post(
                    key=f"p:{i}",
                    description="x",
                    effective=DAY,
                    lines=[Line(accounts[debit], amount), Line(accounts[credit], -amount)],
                )
            )
        if reverse_some and posted:
            ledger_reverse(original=posted[0], key="r:0", description="x", effective=DAY)
        assert ledger_mismatches() == []
        total = sum((account_balance(account=a) for a in accounts), Decimal("0.00"))
        assert total == Decimal("0.00")
        for txn in Transaction.objects.all():
            assert sum(p.amount for p in txn.postings.all()) == Decimal("0.00")
        if reverse_some and posted:
            first = posted[0].postings.all()
            for p in first:
                reversed_sum = sum(
                    q.amount
                    for q in Posting.objects.filter(
                        account=p.account, transaction__in=[posted[0].pk, posted[0].reversed_by.pk]
                    )
                )
                assert reversed_sum == Decimal("0.00")

    @settings(max_examples=25, deadline=None)
    @given(values=st.lists(amounts, min_size=2, max_size=6))
    def test_any_unbalanced_set_is_refused(self, values):
        accounts = [AccountFactory.create() for _ in values]
        lines = [Line(a, v) for a, v in zip(accounts, values, strict=True)]  # all debits: never balanced
        with pytest.raises(LedgerError):
            ledger_post(key="u", description="x", effective=DAY, lines=lines)
        assert Transaction.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_committed_postings_pass_the_commit_time_checks_and_stay_append_only():
    bank = AccountFactory.create(code="fondo:bancos")
    savings = AccountFactory.create(code="ahorro:1", kind=AccountKind.LIABILITY)
    # Committed for real: on PostgreSQL the deferred balance trigger runs at this commit.
    ledger_post(
        key="k", description="x", effective=DAY, lines=[Line(bank, Decimal("2.50")), Line(savings, Decimal("-2.50"))]
    )
    assert Posting.objects.count() == 2
    with pytest.raises((IntegrityError, DatabaseError), match="append-only"):
        _raw("DELETE FROM ledger_posting")
    assert Posting.objects.count() == 2
    call_command("ledger_check")


@pytest.mark.django_db(transaction=True)
def test_flushing_the_test_database_keeps_the_triggers():
    # Runs after a transactional test has flushed the tables: the triggers must be back.
    bank, other = AccountFactory.create(), AccountFactory.create()
    txn = ledger_post(
        key="k2", description="x", effective=DAY, lines=[Line(bank, Decimal("1.00")), Line(other, Decimal("-1.00"))]
    )
    with pytest.raises((IntegrityError, DatabaseError), match="append-only"):
        _raw("UPDATE ledger_transaction SET description = 'y' WHERE id = %s", [txn.pk])
