from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from micuenta.credits.models import Credit, Denomination
from micuenta.credits.tests.factories import CreditFactory
from micuenta.ledger.models import AccountKind

pytestmark = pytest.mark.django_db


def test_factory_credit_is_valid_with_its_ledger_account():
    credit = CreditFactory.create(seq=0)

    credit.full_clean()
    assert credit.numero_credito == "6375152023"
    assert str(credit) == "Crédito 6375152023"
    assert (credit.account.code, credit.account.kind, credit.account.balance) == (
        "credito:6375152023",
        AccountKind.ASSET,
        Decimal("0.00"),
    )
    assert Credit.objects.get(account__code="credito:6375152023") == credit
    first_contribution = credit.worker.first_contribution_on
    assert first_contribution is not None and first_contribution < credit.origination_date


def test_factory_vsm_credit_is_valid():
    credit = CreditFactory.create(vsm=True)

    credit.full_clean()
    assert (credit.denomination, credit.amount_granted_vsm) == (Denomination.VSM, Decimal("180.0000"))
    first_contribution = credit.worker.first_contribution_on
    assert first_contribution is not None and first_contribution < credit.origination_date


@pytest.mark.parametrize(
    ("numero", "message"),
    [
        (
            "123456789",
            "El número de crédito debe tener 10 dígitos y escribiste 9. Lo encuentras en tu estado de cuenta del "
            "crédito o en tu carta de bienvenida.",
        ),
        (
            "12345A7890",
            "El número de crédito solo lleva números: son 10 dígitos. Lo encuentras en tu estado de cuenta del "
            "crédito o en tu carta de bienvenida.",
        ),
    ],
)
def test_numero_credito_must_be_ten_digits(numero, message):
    credit = CreditFactory.create()
    credit.numero_credito = numero

    with pytest.raises(ValidationError) as caught:
        credit.full_clean()

    assert caught.value.message_dict == {"numero_credito": [message]}


def test_vsm_credit_without_amount_in_vsm_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory.create(vsm=True, amount_granted_vsm=None)


@pytest.mark.parametrize("term_months", [0, 11, 361, 480])
def test_term_outside_12_to_360_months_is_refused_by_the_database(term_months):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory.create(term_months=term_months)


@pytest.mark.parametrize("term_months", [12, 360])
def test_term_of_one_to_thirty_years_is_accepted(term_months):
    credit = CreditFactory.create(term_months=term_months)

    assert credit.term_months == term_months


def test_amount_granted_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory.create(amount_granted=Decimal("0.00"))
