from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from micuenta.ledger.accounts import FUND_BANK
from micuenta.ledger.models import Account, AccountKind
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.models import Contribution, HousingSubaccount, Pocket, SubaccountPocket, pocket_for_contribution
from micuenta.savings.services.subaccounts import subaccount_open
from micuenta.savings.tests.factories import TEST_ACTOR, ContributionFactory, open_subaccount

pytestmark = pytest.mark.django_db


def test_subaccount_open_creates_four_pockets_with_liability_accounts():
    worker = WorkerFactory.create()

    subaccount = subaccount_open(actor=TEST_ACTOR, worker=worker, opened_on=date(1998, 3, 2))

    assert subaccount.opened_on == date(1998, 3, 2)
    pockets = subaccount.pockets.select_related("account").order_by("id")
    assert [(p.pocket, p.account.code, p.account.kind, p.account.balance) for p in pockets] == [
        ("fondo_72_92", f"ahorro:{worker.pk}:fondo_72_92", AccountKind.LIABILITY, Decimal("0.00")),
        ("vivienda_92", f"ahorro:{worker.pk}:vivienda_92", AccountKind.LIABILITY, Decimal("0.00")),
        ("vivienda_97", f"ahorro:{worker.pk}:vivienda_97", AccountKind.LIABILITY, Decimal("0.00")),
        ("solo_infonavit", f"ahorro:{worker.pk}:solo_infonavit", AccountKind.LIABILITY, Decimal("0.00")),
    ]
    assert pockets[0].account.name == f"Fondo de Ahorro 1972-1992 — derechohabiente {worker.pk}"


def test_subaccount_open_twice_adds_nothing():
    worker = WorkerFactory.create()
    first = subaccount_open(actor=TEST_ACTOR, worker=worker, opened_on=date(1998, 3, 2))

    second = subaccount_open(actor=TEST_ACTOR, worker=worker, opened_on=date(2025, 1, 2))

    assert second.pk == first.pk
    assert second.opened_on == date(1998, 3, 2)
    assert HousingSubaccount.objects.count() == 1
    assert SubaccountPocket.objects.count() == 4
    assert Account.objects.filter(code__startswith=f"ahorro:{worker.pk}:").count() == 4


def test_one_pocket_of_each_kind_per_subaccount():
    subaccount = open_subaccount()
    account = Account.objects.create(code="prueba:duplicada", name="Duplicada", kind=AccountKind.LIABILITY)

    with pytest.raises(IntegrityError), transaction.atomic():
        SubaccountPocket.objects.create(subaccount=subaccount, pocket=Pocket.VIVIENDA_97, account=account)


@pytest.mark.parametrize(
    ("day", "pocket"),
    [
        (date(1972, 5, 1), Pocket.FONDO_72_92),
        (date(1992, 2, 29), Pocket.FONDO_72_92),
        (date(1992, 3, 1), Pocket.VIVIENDA_92),
        (date(1997, 6, 30), Pocket.VIVIENDA_92),
        (date(1997, 7, 1), Pocket.VIVIENDA_97),
        (date(2025, 1, 1), Pocket.VIVIENDA_97),
    ],
)
def test_pocket_for_contribution(day, pocket):
    assert pocket_for_contribution(day) == pocket


def test_no_pocket_before_the_fund_collected_contributions():
    with pytest.raises(ValueError, match=r"^no housing contributions existed on 1972-04-30$"):
        pocket_for_contribution(date(1972, 4, 30))


def test_factory_contribution_is_five_percent_of_the_bimestre_posted_to_its_pocket():
    # docs/sources.md#aportacion: bimestre 1-2025, 59 days, SBC 500.00 → 1,475.00. Due on 17 March 2025, a holiday
    # (natalicio de Benito Juárez, third Monday of March), so paid on the 18th (docs/sources.md#payment-deadline).
    contribution = ContributionFactory.create(year=2025, bimestre=1, sbc=Decimal("500.00"))

    contribution.full_clean()
    assert (contribution.days, contribution.amount) == (59, Decimal("1475.00"))
    assert contribution.paid_on == date(2025, 3, 18)
    assert contribution.pocket == Pocket.VIVIENDA_97
    pocket = SubaccountPocket.objects.select_related("account").get(
        subaccount__worker=contribution.worker, pocket=Pocket.VIVIENDA_97
    )
    assert pocket.account.natural_balance == Decimal("1475.00")
    assert Account.objects.get(code=FUND_BANK.code).balance == Decimal("1475.00")
    assert contribution.transaction.effective_date == date(2025, 3, 18)
    assert str(contribution) == "2025-1 1475.00"


def test_factory_contribution_of_1995_goes_to_vivienda_92():
    contribution = ContributionFactory.create(year=1995, bimestre=3, sbc=Decimal("40.00"))

    assert (contribution.pocket, contribution.days, contribution.amount) == (
        Pocket.VIVIENDA_92,
        61,
        Decimal("122.00"),
    )


@pytest.mark.parametrize("bimestre", [0, 7])
def test_bimestre_outside_1_to_6_is_refused_by_the_database(bimestre):
    contribution = ContributionFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=contribution.pk).update(bimestre=bimestre)


def test_one_contribution_per_worker_employer_bimestre_and_folio_sua():
    first = ContributionFactory.create(year=2025, bimestre=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionFactory.create(
            worker=first.worker,
            employer=first.employer,
            year=2025,
            bimestre=2,
            folio_sua=first.folio_sua,
            transaction=first.transaction,
        )


def test_a_complementary_payment_of_the_same_bimestre_has_its_own_folio():
    first = ContributionFactory.create(year=2025, bimestre=2)

    second = ContributionFactory.create(
        worker=first.worker, employer=first.employer, year=2025, bimestre=2, amount=Decimal("100.00")
    )

    assert second.folio_sua != first.folio_sua


def test_same_bimestre_from_another_employer_is_accepted():
    first = ContributionFactory.create(year=2025, bimestre=2)

    second = ContributionFactory.create(worker=first.worker, year=2025, bimestre=2)

    assert second.employer_id != first.employer_id
    pocket = SubaccountPocket.objects.select_related("account").get(
        subaccount__worker=first.worker, pocket=Pocket.VIVIENDA_97
    )
    assert pocket.account.natural_balance == Decimal("3050.00")  # 2 × 5 % × 500.00 × 61 days
