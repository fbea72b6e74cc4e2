"""A ROA borrower's bimestre on Cuánto ahorro tengo: the employer's 5 % is shown with the credit deduction paid
with it, and the page says the 5 % went to the credit, so the bimestre does not look unpaid."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from micuenta.credits.models import CreditPayment
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds.tests.helpers import SUA_HEADER, run_feed, write_feed
from micuenta.identity.tests.factories import UserFactory
from micuenta.identity.tests.signin import sign_in
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.models import SubaccountPocket

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_roa_borrowers_bimestre_shows_the_5_percent_applied_to_the_credit(client, tmp_path):
    employer = EmployerFactory.create(razon_social="Aceros del Norte, S.A.")
    worker = WorkerFactory.create()
    user = UserFactory.create(worker=worker)
    credit = originate(CreditFactory.create(worker=worker))
    row = (
        f"{employer.registro_patronal},{worker.nss},2025,2,61,800.00,2440.00,3274.28,{credit.numero_credito},"
        "2025-05-16,F2"
    )
    run_feed("import_employer_payments", write_feed(tmp_path / "sua.csv", SUA_HEADER, [row]))
    # The oracle: the payments the credit received and the pocket's balance, read from their tables.
    assert CreditPayment.objects.filter(credit=credit, source="aportacion", amount=Decimal("2440.00")).exists()
    pocket = SubaccountPocket.objects.get(subaccount__worker=worker, pocket="vivienda_97")
    assert pocket.account.natural_balance == Decimal("0.00")

    sign_in(client, user)
    page = text(client.get(reverse("savings:balance")))

    assert "Aceros del Norte, S.A. 16/05/2025 $2,440.00 se abonó a tu crédito $3,274.28" in page
    assert "la aportación del 5 % que paga tu patrón se abona a tu crédito" in page
    assert "no se suma al saldo de tu Subcuenta de Vivienda" in page
