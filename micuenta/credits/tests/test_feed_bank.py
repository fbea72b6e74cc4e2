"""The bank payments file: borrowers' direct payments applied to their credits; replay, quarantine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from micuenta.credits.checks import servicing_mismatches
from micuenta.credits.models import CreditPayment, CreditStatus, Instalment, Regime
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.feeds.models import QuarantinedLine
from micuenta.feeds.tests.helpers import run_feed, write_feed
from micuenta.ledger.selectors import ledger_mismatches

pytestmark = pytest.mark.django_db

COMMAND = "import_bank_payments"
HEADER = "fecha_pago,importe,referencia,concepto,canal,folio"


@pytest.fixture
def credit():
    return originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))


def test_direct_payments_are_applied_month_by_month_and_a_replay_adds_nothing(tmp_path, credit):
    n = credit.numero_credito
    path = write_feed(
        tmp_path / "banco.csv",
        HEADER,
        [
            f"2025-04-10,1713.09,5503,{n},ventanilla,V-1",
            f"2025-05-12,1713.09,5503,{n},SPEI,S-77",
            f"2025-06-03,50.00,5503,{n},tienda,T-9",
        ],
    )

    first = run_feed(COMMAND, path)
    again = run_feed(COMMAND, path)

    assert (first.exit_code, first.run.posted, first.run.quarantined) == (0, 3, 0)
    assert (again.run.posted, again.run.duplicates) == (0, 3)
    april, may, june = Instalment.objects.filter(credit=credit).order_by("period")
    assert april.remaining == 0 and may.remaining == 0  # 75.95 + 1,063.37 + 573.77 each
    assert (june.paid_charges, june.paid_interest) == (Decimal("50.00"), Decimal("0.00"))
    assert list(CreditPayment.objects.filter(credit=credit).values_list("channel", flat=True)) == [
        "ventanilla",
        "spei",
        "tienda",
    ]
    assert "Pagos a créditos registrados: $3,476.18" in first.stdout
    assert servicing_mismatches([credit.pk]) == [] and ledger_mismatches() == []


def test_bad_lines_are_quarantined_with_a_reason(tmp_path, credit):
    n = credit.numero_credito
    cancelled = CreditFactory.create(status=CreditStatus.CANCELADO)
    rows = [
        f"2025-04-10,100.00,1234,{n},spei,A1",
        "2025-04-10,100.00,5503,123,spei,A2",
        f"2025-04-10,100.00,5503,{n},cheque,A3",
        f"2025-04-10,20.00,5503,{n},tienda,A4",
        "2025-04-10,100.00,5503,0000000000,spei,A5",
        f"2025-04-10,100.00,5503,{cancelled.numero_credito},spei,A6",
        f"2025-04-10,100.00,5503,{n},spei,A7",
        f"2025-04-11,200.00,5503,{n},spei,A7",
        f"2099-01-01,100.00,5503,{n},spei,A8",
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "banco.csv", HEADER, rows))

    codes = list(QuarantinedLine.objects.order_by("line_number").values_list("code", flat=True))
    assert codes == [
        "referencia_invalida", "concepto_invalido", "canal_invalido", "importe_menor_al_minimo",
        "credito_desconocido", "credito_no_vigente", "registrada_distinta", "fecha_futura",
    ]  # fmt: skip
    assert (outcome.run.posted, outcome.run.lines) == (1, 9)


def test_a_payment_to_a_vsm_credit_waits_in_quarantine_while_a_years_factor_is_missing(tmp_path):
    from micuenta.credits.models import UnitUpdate

    vsm = originate(CreditFactory.create(vsm=True, origination_date=date(2025, 5, 20), regime=Regime.REA))
    UnitUpdate.objects.filter(year=2026).delete()
    path = write_feed(tmp_path / "banco.csv", HEADER, [f"2026-02-10,900.00,5503,{vsm.numero_credito},spei,F1"])

    outcome = run_feed(COMMAND, path)

    assert (outcome.run.posted, outcome.run.quarantined) == (0, 1)
    line = QuarantinedLine.objects.get(run=outcome.run)
    assert line.code == "factor_vsm_faltante"
    assert line.reason.startswith("Falta el factor de actualización de 2026 de los créditos en VSM")
    assert not Instalment.objects.filter(credit=vsm).exists()  # nothing half-done
