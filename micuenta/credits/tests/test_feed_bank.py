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


def test_implausible_amounts_and_dates_are_quarantined_with_their_own_codes(tmp_path, credit, settings):
    from micuenta.credits.selectors import credit_debt

    settings.MICUENTA_BANK_PAYMENT_MAX_PAYOFF_MULTIPLE = 2
    n = credit.numero_credito
    today = date.today()
    payoff = credit_debt(credit, today=today).payoff
    assert payoff > Decimal("1000.00")
    rows = [
        f"2025-04-10,500,5503,{n},spei,B1",
        f"2025-04-10,163714,5503,{n},spei,B2",
        f"2025-04-10,1713.9,5503,{n},spei,B3",
        f"2025-04-10, 1713.09,5503,{n},spei,B4",
        f"2025-04-10,9999999999.99,5503,{n},spei,B5",
        f"1900-01-01,1713.09,5503,{n},spei,B6",
        f"2025-03-13,1713.09,5503,{n},spei,B7",
        f"2025-04-10,{payoff * 2 + Decimal('0.01')},5503,{n},spei,B8",
        f"2025-03-14,{payoff * 2},5503,{n},spei,B9",
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "banco.csv", HEADER, rows))

    codes = list(QuarantinedLine.objects.order_by("line_number").values_list("code", flat=True))
    assert codes == [
        "importe_sin_dos_decimales", "importe_sin_dos_decimales", "importe_sin_dos_decimales", "importe_invalido",
        "importe_mayor_al_saldo", "fecha_invalida", "pago_anterior_al_credito", "importe_mayor_al_saldo",
    ]  # fmt: skip
    assert (outcome.run.posted, outcome.run.lines) == (1, 9)  # the origination day and twice the payoff are fine
    payment = CreditPayment.objects.get(credit=credit)
    assert (payment.amount, payment.paid_on) == (payoff * 2, date(2025, 3, 14))
    assert servicing_mismatches([credit.pk]) == [] and ledger_mismatches() == []


def test_identical_lines_in_one_file_are_counted_apart_from_lines_registered_by_an_earlier_file(tmp_path, credit):
    n = credit.numero_credito
    first = run_feed(COMMAND, write_feed(tmp_path / "lunes.csv", HEADER, [f"2025-04-10,1713.09,5503,{n},spei,R1"]))
    assert first.run.posted == 1
    rows = [
        f"2025-04-10,1713.09,5503,{n},spei,R1",  # registered by Monday's file
        f"2025-05-12,1713.09,5503,{n},spei,R2",
        f"2025-05-12,1713.09,5503,{n},spei,R2",  # the same line again, in the same chunk
        f"2025-06-03,50.00,5503,{n},tienda,R3",
        f"2025-05-12,1713.09,5503,{n},spei,R2",  # and again in a later chunk
        f"2025-04-10,1713.09,5503,{n},spei,R1",  # Monday's line, repeated in this file
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "martes.csv", HEADER, rows), "--chunk-size", "2")

    run = outcome.run
    assert (run.lines, run.posted, run.duplicates, run.repeated_in_file, run.quarantined) == (6, 2, 1, 3, 0)
    assert "Ya registradas antes (duplicadas): 1\nRepetidas dentro del archivo: 3\n" in outcome.stdout
    assert CreditPayment.objects.filter(credit=credit).count() == 3
    assert servicing_mismatches([credit.pk]) == [] and ledger_mismatches() == []
