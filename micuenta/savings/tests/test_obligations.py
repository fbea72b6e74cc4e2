"""What employers owe: a late employer and an underpaying one, seen by the worker and by the back office."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds.tests.helpers import IMSS_HEADER, SUA_HEADER, run_feed, write_feed
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.contributions import SalarySpan, contribution_due
from micuenta.savings.models import ContributionGap
from micuenta.savings.obligations import contribution_gaps, relation_history
from micuenta.savings.selectors import contribution_notices, latest_contributions
from micuenta.savings.services.gaps import contribution_gaps_refresh

pytestmark = pytest.mark.django_db

TODAY = date(2025, 10, 1)


def sua(nrp: str, nss: str, bim: int, amount: str, paid: str, days: int | None = None) -> str:
    days = days or (59 if bim == 1 else 61)
    return f"{nrp},{nss},2025,{bim},{days},500.00,{amount},0.00,,{paid},F{bim}-{nss[-4:]}"


@pytest.fixture
def scene(tmp_path, monkeypatch):
    """Three workers hired on 1 January 2025 at 500.00 a day: by a late payer, an underpayer and a punctual one."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    late, under, punctual = EmployerFactory.create(), EmployerFactory.create(), EmployerFactory.create()
    ana, beto, caro = WorkerFactory.create(), WorkerFactory.create(), WorkerFactory.create()
    movements = [
        f"{ana.nss},{late.registro_patronal},,,ALTA,2025-01-01,500.00",
        f"{beto.nss},{under.registro_patronal},,,ALTA,2025-01-01,500.00",
        f"{caro.nss},{punctual.registro_patronal},,,ALTA,2025-01-01,500.00",
    ]
    assert run_feed("import_employment", write_feed(tmp_path / "imss.csv", IMSS_HEADER, movements)).run.posted == 3
    payments = [
        sua(late.registro_patronal, ana.nss, 1, "1475.00", "2025-03-14"),
        sua(late.registro_patronal, ana.nss, 2, "1525.00", "2025-05-16"),
        # bimestre 3 of the late employer: not in this file
        sua(under.registro_patronal, beto.nss, 1, "1000.00", "2025-03-14"),  # 475.00 short
        sua(under.registro_patronal, beto.nss, 2, "1525.00", "2025-05-16"),
        sua(under.registro_patronal, beto.nss, 3, "1525.00", "2025-07-17"),
        sua(punctual.registro_patronal, caro.nss, 1, "1475.00", "2025-03-14"),
        sua(punctual.registro_patronal, caro.nss, 2, "1525.00", "2025-05-16"),
        sua(punctual.registro_patronal, caro.nss, 3, "1525.00", "2025-07-17"),
    ]
    assert run_feed("import_employer_payments", write_feed(tmp_path / "sua1.csv", SUA_HEADER, payments)).run.posted == 8
    return late, under, punctual, ana, beto, caro


def test_a_late_employer_shows_as_not_paid_until_its_payment_arrives(tmp_path, scene):
    late, _under, _punctual, ana, _beto, caro = scene

    notices = contribution_notices(worker=ana, today=TODAY)

    assert [n.message for n in notices] == [
        f"Tu patrón {late.razon_social} no ha pagado la aportación del 3er bimestre de 2025."
    ]
    assert (notices[0].gap.expected, notices[0].gap.paid, notices[0].gap.owed) == (
        Decimal("1525.00"),
        Decimal("0.00"),
        Decimal("1525.00"),
    )
    assert contribution_notices(worker=caro, today=TODAY) == []
    # The back office's list by employer, as the background worker stores it after the feed.
    contribution_gaps_refresh()
    assert list(
        ContributionGap.objects.filter(employer=late).values_list("worker_id", "year", "bimestre", "expected", "paid")
    ) == [(ana.pk, 2025, 3, Decimal("1525.00"), Decimal("0.00"))]
    assert not ContributionGap.objects.filter(worker=caro).exists()

    late_payment = [sua(late.registro_patronal, ana.nss, 3, "1525.00", "2025-09-30")]
    run_feed("import_employer_payments", write_feed(tmp_path / "sua2.csv", SUA_HEADER, late_payment))

    assert contribution_notices(worker=ana, today=TODAY) == []
    contribution_gaps_refresh(worker_ids=[ana.pk])
    assert not ContributionGap.objects.filter(employer=late).exists()
    newest = latest_contributions(worker=ana)[0]
    assert (newest.year, newest.bimestre, newest.paid_on) == (2025, 3, date(2025, 9, 30))
    assert newest.days_late == 75  # deadline 17 July 2025


def test_an_underpaying_employer_shows_the_missing_amount(scene):
    _late, under, _punctual, _ana, beto, _caro = scene

    notices = contribution_notices(worker=beto, today=TODAY)

    assert [n.message for n in notices] == [
        f"Tu patrón {under.razon_social} pagó una aportación menor a la que corresponde en el 1er bimestre de 2025."
    ]
    gap = notices[0].gap
    contribution_gaps_refresh()
    assert (gap.expected, gap.paid, gap.owed, gap.days) == (
        Decimal("1475.00"),
        Decimal("1000.00"),
        Decimal("475.00"),
        59,
    )
    stored = ContributionGap.objects.get(employer=under)
    assert (stored.worker_id, stored.year, stored.bimestre, stored.expected, stored.paid) == (
        beto.pk,
        2025,
        1,
        Decimal("1475.00"),
        Decimal("1000.00"),
    )


def test_a_bimestre_is_not_called_unpaid_before_its_deadline_or_its_file():
    relation = relation_history(
        employer_id=1, started_on=date(2025, 1, 1), ended_on=None, sbc=Decimal("500.00"), changes=[]
    )
    # Payments known through bimestre 3; on 17 September the 4th bimestre's deadline has not passed.
    gaps = contribution_gaps([relation], {}, through=(2025, 3), today=date(2025, 9, 17), since=date(2021, 1, 1))
    assert [(g.year, g.bimestre) for g in gaps] == [(2025, 1), (2025, 2), (2025, 3)]
    # Even after the deadline, no file has brought the 4th bimestre yet.
    gaps = contribution_gaps([relation], {}, through=(2025, 3), today=date(2025, 12, 1), since=date(2021, 1, 1))
    assert [(g.year, g.bimestre) for g in gaps] == [(2025, 1), (2025, 2), (2025, 3)]


def test_a_shortfall_below_the_tolerance_is_not_flagged():
    relation = relation_history(
        employer_id=1, started_on=date(2025, 1, 1), ended_on=None, sbc=Decimal("500.00"), changes=[]
    )
    paid = {(1, 2025, 1): Decimal("1474.50")}

    gaps = contribution_gaps(
        [relation], paid, through=(2025, 1), today=date(2025, 6, 1), since=date(2021, 1, 1), allowed=Decimal("1.00")
    )

    assert gaps == []


def test_the_expected_contribution_follows_salary_changes_the_cap_and_the_relation_dates():
    # Alta on 15 January at 500.00, raised to 600.00 on 1 February: 17 days at 500 and 28 at 600 (2025 is not leap).
    relation = relation_history(
        employer_id=1,
        started_on=date(2025, 1, 15),
        ended_on=None,
        sbc=Decimal("600.00"),
        changes=[(date(2025, 1, 15), Decimal("500.00")), (date(2025, 2, 1), Decimal("600.00"))],
    )
    gaps = contribution_gaps([relation], {}, through=(2025, 1), today=date(2025, 6, 1), since=date(2021, 1, 1))
    assert (gaps[0].days, gaps[0].expected) == (45, Decimal("1265.00"))  # 5 % × (500 × 17 + 600 × 28)


def test_the_sbc_is_capped_at_25_uma_of_each_day():
    # 2025: January under the 2024 UMA (108.57 → cap 2,714.25), February under 2025's (113.14 → 2,828.50).
    due = contribution_due([SalarySpan(date(2025, 1, 1), date(2025, 2, 28), Decimal("5000.00"))])
    assert due == Decimal("8166.99")  # 5 % × (2,714.25 × 31 + 2,828.50 × 28) = 4,207.0875 + 3,959.90


def test_a_span_across_the_first_uma_day_is_capped_from_28_january_2016():
    # By hand: 1-27 January 2016 had no UMA (no cap in the reference data): 27 days at 5,000.00; from 28 January the
    # 2016 UMA (73.04, DOF 28-01-2016) caps the SBC at 25 × 73.04 = 1,826.00 for 4 + 29 days.
    # 0.05 × (5,000.00 × 27 + 1,826.00 × 33) = 0.05 × 195,258.00 = 9,762.90
    span = SalarySpan(date(2016, 1, 1), date(2016, 2, 29), Decimal("5000.00"))
    assert contribution_due([span]) == Decimal("9762.90")
    assert contribution_due([SalarySpan(date(2016, 1, 27), date(2016, 1, 28), Decimal("5000.00"))]) == Decimal("341.30")


def test_a_feed_queues_the_recomputation_of_its_workers_or_of_everyone_for_a_later_bimestre(
    tmp_path, scene, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    late, under, ana, beto = scene[0], scene[1], scene[3], scene[4]
    contribution_gaps_refresh()  # everyone, checked through the 3rd bimestre of 2025
    queued = DBTaskResult.objects.filter(task_path="micuenta.savings.tasks.refresh_contribution_gaps")

    with django_capture_on_commit_callbacks(execute=True):
        run_feed("import_employer_payments", write_feed(tmp_path / "late.csv", SUA_HEADER, [
            sua(late.registro_patronal, ana.nss, 3, "1525.00", "2025-09-30")
        ]))  # fmt: skip
    assert [task.args_kwargs["kwargs"] for task in queued] == [{"worker_ids": [ana.pk]}]
    queued.delete()

    with django_capture_on_commit_callbacks(execute=True):
        run_feed("import_employer_payments", write_feed(tmp_path / "b4.csv", SUA_HEADER, [
            sua(under.registro_patronal, beto.nss, 4, "1525.00", "2025-09-17")
        ]))  # fmt: skip
    assert [task.args_kwargs["kwargs"] for task in queued] == [{}]  # every worker


def test_the_background_task_stores_the_gaps(scene):
    from micuenta.savings.tasks import refresh_contribution_gaps

    late, ana = scene[0], scene[3]

    stored = refresh_contribution_gaps.call(worker_ids=[ana.pk])

    assert stored == 1
    assert ContributionGap.objects.get().employer_id == late.pk


def test_a_deadline_in_a_year_without_holidays_loaded_moves_past_the_weekend_only():
    from micuenta.core.periods import payment_deadline

    # 17 January 2032 is a Saturday; the holiday calendar does not reach 2032.
    assert payment_deadline(2031, 6) == date(2032, 1, 19)
    assert payment_deadline(2031, 1) == date(2031, 3, 17)  # a Monday


def test_the_refresh_command_recomputes_every_worker_and_records_the_check(scene):
    import io

    from django.core.management import call_command

    from micuenta.savings.models import GapCheck

    out = io.StringIO()
    call_command("contribution_gaps_refresh", stdout=out)

    assert out.getvalue().strip() == "Aportaciones omitidas o incompletas: 2."
    assert ContributionGap.objects.count() == 2  # the late employer's 3rd bimestre and the underpayer's 1st
    assert GapCheck.objects.get().cut == date(2025, 5, 1)  # checked through the 3rd bimestre of 2025
