"""The employers' bimonthly payment file (SUA): posting, replay, quarantine, unreadable files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from micuenta.credits.models import CreditPayment, CreditStatus, Instalment, Regime
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds.models import QuarantinedLine, RunStatus
from micuenta.feeds.tests.helpers import SUA_HEADER, run_feed, unknown_nss, write_feed
from micuenta.ledger.accounts import FUND_BANK, credit_excess_code
from micuenta.ledger.models import Account, Transaction
from micuenta.ledger.selectors import ledger_mismatches
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.models import Contribution, Pocket, SubaccountPocket

pytestmark = pytest.mark.django_db

COMMAND = "import_employer_payments"


def pocket_balance(worker, pocket=Pocket.VIVIENDA_97) -> Decimal:
    row = SubaccountPocket.objects.select_related("account").get(subaccount__worker=worker, pocket=pocket)
    return row.account.natural_balance


@pytest.fixture
def people():
    employer = EmployerFactory.create()
    ana, beto = WorkerFactory.create(), WorkerFactory.create()
    credit = originate(CreditFactory.create(worker=beto))
    return employer, ana, beto, credit


def good_rows(employer, ana, beto, credit) -> list[str]:
    nrp = employer.registro_patronal
    return [
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,F-001",
        f"{nrp},{ana.nss},2025,2,61,500.00,1525.00,0.00,,2025-05-16,F-002",
        f"{nrp},{beto.nss},2025,1,59,800.00,2360.00,3200.50,{credit.numero_credito},2025-03-14,F-001",
    ]


def test_a_good_file_posts_every_line_through_the_ledger(tmp_path, people):
    employer, ana, beto, credit = people
    path = write_feed(tmp_path / "sua.csv", SUA_HEADER, good_rows(*people))

    outcome = run_feed(COMMAND, path)

    assert outcome.exit_code == 0
    run = outcome.run
    assert (run.status, run.lines, run.posted, run.duplicates, run.quarantined) == (RunStatus.DONE, 3, 3, 0, 0)
    assert run.totals == {"aportaciones": "5360.00", "amortizaciones": "3200.50"}
    assert pocket_balance(ana) == Decimal("3000.00")
    assert pocket_balance(beto) == Decimal("2360.00")
    credit.account.refresh_from_db()
    assert credit.account.balance == Decimal("361381.84")  # 364,582.34 owed, less the deduction
    bank = Account.objects.get(code=FUND_BANK.code)
    assert bank.balance == Decimal("8560.50") - Decimal("364582.34")
    assert Contribution.objects.filter(worker=ana).count() == 2
    contribution = Contribution.objects.get(worker=beto)
    assert (contribution.year, contribution.bimestre, contribution.days) == (2025, 1, 59)
    assert (contribution.amount, contribution.paid_on, contribution.folio_sua) == (
        Decimal("2360.00"),
        date(2025, 3, 14),
        "F-001",
    )
    assert (contribution.deduction, contribution.numero_credito) == (Decimal("3200.50"), credit.numero_credito)
    assert contribution.transaction.kind == "sua"
    # The ledger's idempotency keys already stored keep this text: database ids, year-bimestre and folio.
    assert contribution.transaction.idempotency_key == f"sua:{employer.pk}:{beto.pk}:2025-1:F-001"
    assert ledger_mismatches() == []
    assert "Líneas: 3" in outcome.stdout
    assert "Registradas: 3" in outcome.stdout
    assert "En cuarentena: 0" in outcome.stdout
    assert "$5,360.00" in outcome.stdout and "$3,200.50" in outcome.stdout


def test_the_same_file_again_posts_nothing(tmp_path, people):
    ana = people[1]
    path = write_feed(tmp_path / "sua.csv", SUA_HEADER, good_rows(*people))
    run_feed(COMMAND, path)
    transactions = Transaction.objects.count()

    again = run_feed(COMMAND, path)

    assert again.exit_code == 0
    assert (again.run.lines, again.run.posted, again.run.duplicates, again.run.quarantined) == (3, 0, 3, 0)
    assert again.run.totals == {}
    assert Transaction.objects.count() == transactions
    assert pocket_balance(ana) == Decimal("3000.00")
    assert "Ya registradas antes (duplicadas): 3" in again.stdout


def test_the_same_payment_in_another_file_is_a_duplicate(tmp_path, people):
    rows = good_rows(*people)
    run_feed(COMMAND, write_feed(tmp_path / "a.csv", SUA_HEADER, rows[:2]))

    second = run_feed(COMMAND, write_feed(tmp_path / "b.csv", SUA_HEADER, rows[1:]))

    assert (second.run.posted, second.run.duplicates) == (1, 1)


def test_each_kind_of_bad_line_is_quarantined_with_its_line_number_and_reason(tmp_path, people):
    employer, ana = people[0], people[1]
    nrp = employer.registro_patronal
    stranger_credit = CreditFactory.create()
    paid_off = CreditFactory.create(worker=ana, status=CreditStatus.LIQUIDADO)
    tomorrow = timezone.localdate().replace(year=timezone.localdate().year + 1)
    rows = [
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,OK-1",  # line 2: good
        f"{nrp},12345678901,2025,1,59,500.00,1475.00,0.00,,2025-03-14,X",  # 3
        f"{nrp},{unknown_nss()},2025,1,59,500.00,1475.00,0.00,,2025-03-14,X",  # 4
        f"12-3,{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,X",  # 5
        f"Z9999999999,{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,X",  # 6
        f"{nrp},{ana.nss},1990,1,59,500.00,1475.00,0.00,,2025-03-14,X",  # 7
        f"{nrp},{ana.nss},2025,7,59,500.00,1475.00,0.00,,2025-03-14,X",  # 8
        f"{nrp},{ana.nss},2025,1,70,500.00,1475.00,0.00,,2025-03-14,X",  # 9
        f'{nrp},{ana.nss},2025,1,59,500.00,"1,475.00",0.00,,2025-03-14,X',  # 10
        f"{nrp},{ana.nss},2025,1,59,500.00,0.00,0.00,,2025-03-14,X",  # 11
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,900.00,,2025-03-14,X",  # 12
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,900.00,{stranger_credit.numero_credito},2025-03-14,X",  # 13
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-02-30,X",  # 14
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,{tomorrow.isoformat()},X",  # 15
        f"{nrp},{ana.nss},2025,3,61,500.00,1525.00,0.00,,2025-03-14,X",  # 16
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,",  # 17
        f"{nrp},{ana.nss},2025,1,59",  # 18
        f"{nrp},{ana.nss},2025,1,59,500.00,1400.00,0.00,,2025-03-14,OK-1",  # 19: same key as line 2, other amount
        f"{nrp},{ana.nss},2025,2,61,-5.00,1475.00,0.00,,2025-05-14,X",  # 20
        f"{nrp},{ana.nss},2025,2,61,500.00,0.00,800.00,{paid_off.numero_credito},2025-05-14,PO-1",  # 21: good
    ]
    path = write_feed(tmp_path / "sua.csv", SUA_HEADER, rows)

    outcome = run_feed(COMMAND, path)

    assert outcome.exit_code == 0
    run = outcome.run
    assert (run.lines, run.posted, run.duplicates, run.quarantined) == (20, 2, 0, 18)
    got = {q.line_number: (q.code, q.reason) for q in QuarantinedLine.objects.filter(run=run)}
    expected_codes = {
        3: "nss_invalido",
        4: "trabajador_desconocido",
        5: "registro_patronal_invalido",
        6: "patron_desconocido",
        7: "anio_invalido",
        8: "bimestre_invalido",
        9: "dias_invalidos",
        10: "importe_invalido",
        11: "sin_importes",
        12: "credito_faltante",
        13: "credito_ajeno",
        14: "fecha_invalida",
        15: "fecha_futura",
        16: "pago_anterior_al_bimestre",
        17: "folio_faltante",
        18: "campos_incompletos",
        19: "repetida_distinta",
        20: "importe_invalido",
    }
    assert {n: code for n, (code, _) in got.items()} == expected_codes
    assert got[9][1] == (
        "Los días cotizados deben estar entre 1 y 59, los días del 1er bimestre de 2025; la línea dice 70."
    )
    assert got[6][1].startswith("El registro patronal no está en el padrón de patrones")
    assert got[19][1].startswith("La línea 2 de este archivo trae el mismo trabajador")
    assert got[14][1] == "La fecha de fecha_pago (2025-02-30) no existe en el calendario."
    # The raw line is kept for staff to correct and resend.
    assert QuarantinedLine.objects.get(run=run, line_number=10).raw.endswith('"1,475.00",0.00,,2025-03-14,X')
    assert pocket_balance(ana) == Decimal("1475.00")
    # A deduction after payoff waits in the saldo a favor (docs/sources.md#excess-payments).
    assert Account.objects.get(code=credit_excess_code(paid_off.numero_credito)).natural_balance == Decimal("800.00")
    assert ledger_mismatches() == []
    assert "En cuarentena: 18" in outcome.stdout


def test_a_replayed_line_with_another_amount_is_quarantined_not_counted_as_duplicate(tmp_path, people):
    employer, ana = people[0], people[1]
    nrp = employer.registro_patronal
    run_feed(
        COMMAND,
        write_feed(tmp_path / "a.csv", SUA_HEADER, [f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,F1"]),
    )

    outcome = run_feed(
        COMMAND,
        write_feed(tmp_path / "b.csv", SUA_HEADER, [f"{nrp},{ana.nss},2025,1,59,500.00,1400.00,0.00,,2025-03-14,F1"]),
    )

    assert (outcome.run.posted, outcome.run.duplicates, outcome.run.quarantined) == (0, 0, 1)
    line = QuarantinedLine.objects.get(run=outcome.run)
    assert line.code == "registrada_distinta"
    assert pocket_balance(ana) == Decimal("1475.00")


def test_a_missing_column_exits_2_and_posts_nothing(tmp_path, people):
    header = SUA_HEADER.replace(",folio_sua", "")
    rows = [row.rsplit(",", 1)[0] for row in good_rows(*people)]
    path = write_feed(tmp_path / "sua.csv", header, rows)

    outcome = run_feed(COMMAND, path)

    assert outcome.exit_code == 2
    assert "folio_sua" in outcome.stderr
    assert outcome.run.status == RunStatus.UNREADABLE
    assert "Al encabezado le faltan las columnas: folio_sua" in outcome.run.error
    assert not Transaction.objects.filter(kind="sua").exists()
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "El archivo está vacío"),
        ("registro_patronal,nss\nÁ,1\n".encode("latin-1"), "no está en UTF-8"),
    ],
)
def test_an_unreadable_file_exits_2(tmp_path, content, reason):
    path = tmp_path / "sua.csv"
    path.write_bytes(content)

    outcome = run_feed(COMMAND, path)

    assert outcome.exit_code == 2
    assert reason in outcome.stderr


def test_a_missing_file_exits_2(tmp_path):
    outcome = run_feed(COMMAND, tmp_path / "no-existe.csv")

    assert outcome.exit_code == 2
    assert "No existe el archivo" in outcome.stderr


def test_a_file_with_bom_windows_line_ends_other_column_order_and_extra_columns(tmp_path, people):
    employer, ana, beto, credit = people
    header = (
        "folio_sua,fecha_pago,numero_credito,amortizacion,aportacion,sbc,dias_cotizados,bimestre,anio,nss,"
        "registro_patronal,observaciones"
    )
    rows = [
        f"F-9,2025-03-14,,0.00,1475.00,500.00,59,1,2025,{ana.nss},{employer.registro_patronal},pagó en ventanilla",
        f"F-9,2025-03-14,{credit.numero_credito},3200.50,2360.00,800.00,59,1,2025,{beto.nss},{employer.registro_patronal},",
    ]
    path = write_feed(tmp_path / "sua.csv", header, rows, bom=True, crlf=True)

    outcome = run_feed(COMMAND, path)

    assert outcome.exit_code == 0
    assert (outcome.run.lines, outcome.run.posted, outcome.run.quarantined) == (2, 2, 0)
    assert pocket_balance(ana) == Decimal("1475.00")
    assert Contribution.objects.get(worker=beto).folio_sua == "F-9"


def test_the_command_shows_a_progress_bar(tmp_path, people, capsys):
    from django.core.management import call_command

    path = write_feed(tmp_path / "sua.csv", SUA_HEADER, good_rows(*people))

    call_command(COMMAND, str(path))

    err = capsys.readouterr().err
    assert "sua.csv" in err
    assert "100%" in err
    assert "3/3" in err


def test_a_deduction_beyond_what_is_owed_waits_in_the_saldo_a_favor(tmp_path, people):
    employer, _, beto, _ = people
    small = originate(
        CreditFactory.create(worker=beto, amount_granted=Decimal("1000.00"), term_months=12, regime=Regime.REA)
    )
    rows = [
        f"{employer.registro_patronal},{beto.nss},2025,2,61,800.00,2440.00,700.00,{small.numero_credito},2025-05-16,F2",
        f"{employer.registro_patronal},{beto.nss},2025,3,61,800.00,2440.00,700.00,{small.numero_credito},2025-07-17,F3",
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "sua.csv", SUA_HEADER, rows))

    assert outcome.run.posted == 2
    small.refresh_from_db()
    assert (small.status, small.paid_off_on) == (CreditStatus.LIQUIDADO, date(2025, 7, 17))
    assert small.account.balance == Decimal("0.00")
    # April to July were issued before each deduction was applied: 8.46 of interest and seguro de daños in all.
    charged = Instalment.objects.filter(credit=small).aggregate(total=Sum(F("interest") + F("insurance")))["total"]
    assert charged == Decimal("8.46")
    assert small.excess_account is not None
    assert small.excess_account.natural_balance == Decimal("1400.00") - Decimal("1000.00") - charged
    assert [p.source for p in CreditPayment.objects.filter(credit=small)] == ["nomina", "nomina"]
    assert ledger_mismatches() == []


def test_a_roa_borrowers_aportacion_goes_to_the_credits_capital_out_of_the_pocket(tmp_path, people):
    employer, _, beto, credit = people
    row = (
        f"{employer.registro_patronal},{beto.nss},2025,2,61,800.00,2440.00,3274.28,{credit.numero_credito},"
        "2025-05-16,F2"
    )

    run_feed(COMMAND, write_feed(tmp_path / "sua.csv", SUA_HEADER, [row]))

    deduction, aportacion = CreditPayment.objects.filter(credit=credit).order_by("id")
    assert (deduction.source, deduction.amount) == ("nomina", Decimal("3274.28"))
    assert (aportacion.source, aportacion.amount, aportacion.to_capital) == (
        "aportacion",
        Decimal("2440.00"),
        Decimal("2440.00"),
    )
    assert aportacion.transaction.kind == "credito_aportacion"
    pocket = SubaccountPocket.objects.get(subaccount__worker=beto, pocket="vivienda_97")
    assert pocket.account.natural_balance == Decimal("0.00")  # in with the SUA payment, out to the credit
    assert ledger_mismatches() == []


def test_a_second_line_for_the_same_bimestre_in_one_file_is_quarantined_even_in_another_chunk(tmp_path, people):
    employer, ana = people[0], people[1]
    nrp = employer.registro_patronal
    rows = [
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,F-1",
        f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,F-2",
    ]
    from io import StringIO

    from django.core.management import call_command

    call_command(
        COMMAND,
        str(write_feed(tmp_path / "s.csv", SUA_HEADER, rows)),
        "--chunk-size",
        "1",
        "--no-progress",
        stdout=StringIO(),
    )

    line = QuarantinedLine.objects.get()
    assert (line.line_number, line.code) == (3, "bimestre_repetido")
    assert pocket_balance(ana) == Decimal("1475.00")


def test_a_replayed_deduction_with_another_amount_is_quarantined(tmp_path, people):
    employer, _, beto, credit = people
    nrp = employer.registro_patronal
    first = f"{nrp},{beto.nss},2025,1,59,800.00,0.00,3200.50,{credit.numero_credito},2025-03-14,F-1"
    run_feed(COMMAND, write_feed(tmp_path / "a.csv", SUA_HEADER, [first]))

    again = run_feed(COMMAND, write_feed(tmp_path / "b.csv", SUA_HEADER, [first.replace("3200.50", "9999.99")]))

    assert (again.run.posted, again.run.duplicates, again.run.quarantined) == (0, 0, 1)
    assert QuarantinedLine.objects.get(run=again.run).code == "registrada_distinta"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("aportacion", "١٤٧٥.٠٠", "importe_invalido"),  # Arabic-Indic digits
        ("anio", "٢٠٢٥", "numero_invalido"),
        ("sbc", "999999999.00", "importe_excesivo"),
        ("aportacion", "99999.00", "aportacion_excesiva"),
    ],
)
def test_digits_of_other_scripts_and_impossible_amounts_are_quarantined(tmp_path, people, field, value, code):
    employer, ana = people[0], people[1]
    values = {
        "registro_patronal": employer.registro_patronal, "nss": ana.nss, "anio": "2025", "bimestre": "1",
        "dias_cotizados": "59", "sbc": "500.00", "aportacion": "1475.00", "amortizacion": "0.00",
        "numero_credito": "", "fecha_pago": "2025-03-14", "folio_sua": "F-1",
    }  # fmt: skip
    values[field] = value

    outcome = run_feed(COMMAND, write_feed(tmp_path / "s.csv", SUA_HEADER, [",".join(values.values())]))

    assert QuarantinedLine.objects.get(run=outcome.run).code == code
    assert outcome.run.posted == 0


def test_an_unclosed_quote_or_an_oversized_line_spoils_only_that_line(tmp_path, people):
    employer, ana = people[0], people[1]
    nrp = employer.registro_patronal
    rows = [
        f'{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,"F-1',
        f"{nrp},{ana.nss},2025,2,61,500.00,1525.00,0.00,,2025-05-16,F-2",
        f"{nrp},{ana.nss},2025,3,61,500.00,1525.00,0.00,,2025-07-17,{'X' * 200_000}",
        f"{nrp},{ana.nss},2025,4,62,500.00,1550.00,0.00,,2025-09-17,F-4",
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "s.csv", SUA_HEADER, rows))

    assert outcome.exit_code == 0
    assert (outcome.run.lines, outcome.run.posted, outcome.run.quarantined) == (4, 2, 2)
    got = dict(QuarantinedLine.objects.filter(run=outcome.run).values_list("line_number", "code"))
    assert got == {2: "formato_csv", 4: "formato_csv"}
    assert pocket_balance(ana) == Decimal("3075.00")


def test_a_deduction_for_a_vsm_credit_waits_while_a_years_factor_is_missing(tmp_path, people):
    from micuenta.credits.models import UnitUpdate

    employer, _, beto, _ = people
    vsm = originate(CreditFactory.create(worker=beto, vsm=True, origination_date=date(2025, 5, 20)))
    UnitUpdate.objects.filter(year=2026).delete()
    row = f"{employer.registro_patronal},{beto.nss},2026,1,59,800.00,2360.00,900.00,{vsm.numero_credito},2026-03-17,F1"

    outcome = run_feed(COMMAND, write_feed(tmp_path / "sua.csv", SUA_HEADER, [row]))

    assert (outcome.run.posted, outcome.run.quarantined) == (0, 1)
    assert QuarantinedLine.objects.get(run=outcome.run).code == "factor_vsm_faltante"
    assert not Contribution.objects.filter(worker=beto).exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("aportacion", "2360", "importe_sin_dos_decimales"),
        ("amortizacion", " 3200.50", "importe_invalido"),
        ("fecha_pago", "1900-01-01", "fecha_invalida"),
        ("fecha_pago", "2025-03-13", "pago_anterior_al_credito"),  # the credit was granted on 2025-03-14
        ("amortizacion", "47200.01", "amortizacion_excesiva"),  # 800.00 × 59 days = 47,200.00 of salary
    ],
)
def test_implausible_amounts_and_dates_of_a_deduction_are_quarantined(tmp_path, people, field, value, code):
    employer, _, beto, credit = people
    values = {
        "registro_patronal": employer.registro_patronal, "nss": beto.nss, "anio": "2025", "bimestre": "1",
        "dias_cotizados": "59", "sbc": "800.00", "aportacion": "2360.00", "amortizacion": "3200.50",
        "numero_credito": credit.numero_credito, "fecha_pago": "2025-03-14", "folio_sua": "F-1",
    }  # fmt: skip
    values[field] = value

    outcome = run_feed(COMMAND, write_feed(tmp_path / "s.csv", SUA_HEADER, [",".join(values.values())]))

    assert QuarantinedLine.objects.get(run=outcome.run).code == code
    assert outcome.run.posted == 0


def test_a_deduction_of_the_whole_salary_on_the_credits_first_day_is_posted(tmp_path, people):
    employer, _, beto, credit = people
    nrp, n = employer.registro_patronal, credit.numero_credito
    row = f"{nrp},{beto.nss},2025,1,59,800.00,2360.00,47200.00,{n},2025-03-14,F-1"

    outcome = run_feed(COMMAND, write_feed(tmp_path / "s.csv", SUA_HEADER, [row]))

    assert (outcome.run.posted, outcome.run.quarantined) == (1, 0)
