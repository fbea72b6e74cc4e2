"""The IMSS employment movements file: relations opened, changed and closed; replay; quarantine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from micuenta.employment.models import Employer, EmploymentMovement, EmploymentRelation, MovementType
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds.models import QuarantinedLine, RunStatus
from micuenta.feeds.tests.helpers import IMSS_HEADER, run_feed, unknown_nss, write_feed
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

COMMAND = "import_employment"
NEW_NRP = "B1234567895"
NEW_RFC = "CAT850101AB1"  # persona moral with a valid check digit


def test_a_good_file_builds_the_relations(tmp_path):
    known = EmployerFactory.create()
    worker = WorkerFactory.create(first_contribution_on=None)
    k = known.registro_patronal
    rows = [
        f'{worker.nss},{k},"{known.razon_social}",{known.rfc},ALTA,2019-02-04,410.50',
        f"{worker.nss},{k},,,MODIFICACION,2020-01-01,431.00",
        f"{worker.nss},{k},,,BAJA,2021-06-30,",
        f"{worker.nss},{NEW_NRP},Comercial del Bajío S.A. de C.V.,{NEW_RFC},ALTA,2021-08-02,520.00",
        f"{worker.nss},{k},,,reingreso,2023-03-01,600.00",
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "imss.csv", IMSS_HEADER, rows))

    assert outcome.exit_code == 0
    run = outcome.run
    assert (run.status, run.lines, run.posted, run.duplicates, run.quarantined) == (RunStatus.DONE, 5, 5, 0, 0)
    new = Employer.objects.get(registro_patronal=NEW_NRP)
    assert (new.razon_social, new.rfc, new.estado) == ("Comercial del Bajío S.A. de C.V.", NEW_RFC, "")
    relations = list(EmploymentRelation.objects.filter(worker=worker).order_by("started_on"))
    assert [(r.employer_id, r.started_on, r.ended_on, r.sbc) for r in relations] == [
        (known.pk, date(2019, 2, 4), date(2021, 6, 30), Decimal("431.00")),
        (new.pk, date(2021, 8, 2), None, Decimal("520.00")),
        (known.pk, date(2023, 3, 1), None, Decimal("600.00")),
    ]
    assert list(relations[0].movements.values_list("kind", "effective_on", "sbc")) == [
        (MovementType.ALTA, date(2019, 2, 4), Decimal("410.50")),
        (MovementType.MODIFICACION, date(2020, 1, 1), Decimal("431.00")),
        (MovementType.BAJA, date(2021, 6, 30), None),
    ]
    worker.refresh_from_db()
    assert worker.first_contribution_on == date(2019, 2, 4)
    assert "Registradas: 5" in outcome.stdout


def test_the_same_file_again_changes_nothing(tmp_path):
    known = EmployerFactory.create()
    worker = WorkerFactory.create()
    rows = [
        f"{worker.nss},{known.registro_patronal},,,ALTA,2019-02-04,410.50",
        f"{worker.nss},{known.registro_patronal},,,BAJA,2021-06-30,",
    ]
    path = write_feed(tmp_path / "imss.csv", IMSS_HEADER, rows)
    run_feed(COMMAND, path)

    again = run_feed(COMMAND, path)

    assert (again.run.lines, again.run.posted, again.run.duplicates, again.run.quarantined) == (2, 0, 2, 0)
    assert EmploymentRelation.objects.count() == 1
    assert EmploymentMovement.objects.count() == 2


def test_each_kind_of_bad_line_is_quarantined_with_its_reason(tmp_path):
    known = EmployerFactory.create()
    other = EmployerFactory.create()
    worker = WorkerFactory.create()
    k, o = known.registro_patronal, other.registro_patronal
    next_year = timezone.localdate().year + 1
    rows = [
        f"{worker.nss},{k},,,ALTA,2019-02-04,410.50",  # 2: good
        f"1234,{k},,,ALTA,2019-02-04,410.50",  # 3
        f"{worker.nss},{k},,,CAMBIO,2019-03-01,410.50",  # 4
        f"{worker.nss},{k},,,MODIFICACION,2019-13-01,410.50",  # 5
        f"{worker.nss},{k},,,MODIFICACION,{next_year}-01-01,410.50",  # 6
        f"{worker.nss},{k},,,MODIFICACION,2019-05-01,",  # 7
        f"{worker.nss},{o},,,BAJA,2019-05-01,",  # 8: no open relation with this employer
        f"{worker.nss},{k},,,ALTA,2019-06-01,500.00",  # 9: already open
        f"{worker.nss},{k},,,MODIFICACION,2018-12-01,420.00",  # 10: before the alta
        f"{worker.nss},C1234567890,,,ALTA,2019-06-01,500.00",  # 11: unknown employer, no razón social
        f"{worker.nss},C1234567890,Nueva S.A.,XYZ,ALTA,2019-06-01,500.00",  # 12: unknown employer, bad RFC
        f"{worker.nss},{k},,,BAJA,2020-01-31,",  # 13: good
        f"{worker.nss},{k},,,REINGRESO,2020-01-15,450.00",  # 14: overlaps the relation that ended
        f"{worker.nss},{k},,,ALTA,1940-01-01,100.00",  # 15
        f"{worker.nss},{k},,,ALTA,2019-02-04",  # 16: a field short
        f"{worker.nss},{k},,,ALTA,2020-03-01,0.00",  # 17
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "imss.csv", IMSS_HEADER, rows))

    run = outcome.run
    assert outcome.exit_code == 0
    assert (run.lines, run.posted, run.duplicates, run.quarantined) == (16, 2, 0, 14)
    got = {q.line_number: (q.code, q.reason) for q in QuarantinedLine.objects.filter(run=run)}
    assert {n: code for n, (code, _) in got.items()} == {
        3: "nss_invalido",
        4: "tipo_invalido",
        5: "fecha_invalida",
        6: "fecha_futura",
        7: "sbc_faltante",
        8: "sin_relacion_vigente",
        9: "relacion_vigente",
        10: "fecha_anterior",
        11: "patron_sin_razon_social",
        12: "rfc_patron_invalido",
        14: "traslape",
        15: "fecha_invalida",
        16: "campos_incompletos",
        17: "importe_invalido",
    }
    assert got[9][1] == (
        "El trabajador ya tiene una relación vigente con este patrón desde el 04/02/2019; falta la baja antes de un "
        "nuevo alta o reingreso."
    )
    assert got[8][1].endswith("falta el alta o reingreso antes de esta baja.")
    relation = EmploymentRelation.objects.get(worker=worker)
    assert (relation.started_on, relation.ended_on) == (date(2019, 2, 4), date(2020, 1, 31))
    assert not Employer.objects.filter(registro_patronal="C1234567890").exists()


def test_an_unknown_worker_is_quarantined(tmp_path):
    known = EmployerFactory.create()
    nss = unknown_nss()

    outcome = run_feed(
        COMMAND,
        write_feed(tmp_path / "imss.csv", IMSS_HEADER, [f"{nss},{known.registro_patronal},,,ALTA,2019-02-04,410.50"]),
    )

    line = QuarantinedLine.objects.get(run=outcome.run)
    assert (line.line_number, line.code) == (2, "trabajador_desconocido")


def test_a_missing_column_exits_2(tmp_path):
    header = IMSS_HEADER.replace(",tipo_movimiento", "")

    outcome = run_feed(COMMAND, write_feed(tmp_path / "imss.csv", header, ["x,y,z,w,2019-01-01,1"]))

    assert outcome.exit_code == 2
    assert "tipo_movimiento" in outcome.stderr
    assert EmploymentRelation.objects.count() == 0


def test_a_recorded_movement_with_another_salary_is_quarantined(tmp_path):
    known = EmployerFactory.create()
    worker = WorkerFactory.create()
    k = known.registro_patronal
    run_feed(COMMAND, write_feed(tmp_path / "a.csv", IMSS_HEADER, [f"{worker.nss},{k},,,ALTA,2019-02-04,410.50"]))

    outcome = run_feed(
        COMMAND,
        write_feed(
            tmp_path / "b.csv",
            IMSS_HEADER,
            [f"{worker.nss},{k},,,ALTA,2019-02-04,410.50", f"{worker.nss},{k},,,ALTA,2019-02-04,999.00"],
        ),
    )

    assert (outcome.run.duplicates, outcome.run.quarantined) == (1, 1)
    line = QuarantinedLine.objects.get(run=outcome.run)
    assert (line.line_number, line.code) == (3, "movimiento_distinto")
    assert EmploymentRelation.objects.get(worker=worker).sbc == Decimal("410.50")


def test_a_quarantined_line_creates_no_employer_and_the_accent_does_not_matter(tmp_path):
    known = EmployerFactory.create()
    worker = WorkerFactory.create()
    rows = [
        f'{worker.nss},{NEW_NRP},"Fantasma, S.A. de C.V.",{NEW_RFC},BAJA,2021-06-30,',
        f"{worker.nss},{known.registro_patronal},,,ALTA,2019-02-04,410.50",
        f"{worker.nss},{known.registro_patronal},,,Modificación,2020-01-01,431.00",
    ]

    outcome = run_feed(COMMAND, write_feed(tmp_path / "imss.csv", IMSS_HEADER, rows))

    assert (outcome.run.posted, outcome.run.quarantined) == (2, 1)
    assert QuarantinedLine.objects.get(run=outcome.run).code == "sin_relacion_vigente"
    assert not Employer.objects.filter(registro_patronal=NEW_NRP).exists()
    assert EmploymentRelation.objects.get(worker=worker).sbc == Decimal("431.00")
