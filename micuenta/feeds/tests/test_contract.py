"""Feeds on the service contract: who ran each chunk and what it posted is audited, the changes a file makes to a
person's data are audited line by line, and other domains hear of a finished file through a hook."""

from __future__ import annotations

import pytest

from micuenta.core.actors import Actor
from micuenta.core.models import AuditEvent
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds import hooks
from micuenta.feeds.models import FeedKind, ImportRun
from micuenta.feeds.runner import feed_run
from micuenta.feeds.tests.helpers import IMSS_HEADER, SUA_HEADER, write_feed
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.feed import EmployerPaymentsProcessor

pytestmark = pytest.mark.django_db


def test_each_chunk_is_audited_with_who_ran_it_and_what_it_posted(tmp_path):
    employer = EmployerFactory.create()
    ana, beto = WorkerFactory.create(), WorkerFactory.create()
    nrp = employer.registro_patronal
    path = write_feed(
        tmp_path / "sua.csv",
        SUA_HEADER,
        [
            f"{nrp},{ana.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,F-001",
            f"{nrp},{beto.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,F-001",
            f"{nrp},{beto.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,F-001",
        ],
    )

    run = feed_run(actor=Actor.system("import_employer_payments"), processor=EmployerPaymentsProcessor(), path=path,
                   chunk_size=2)  # fmt: skip

    events = list(AuditEvent.objects.filter(action="carga.bloque_procesado").order_by("id"))
    assert [(e.actor_kind, e.actor_job, e.subject_type, e.subject_id) for e in events] == [
        ("sistema", "import_employer_payments", "feeds.importrun", str(run.pk))
    ] * 2
    assert [e.after for e in events] == [
        {"first_line": 2, "last_line": 3, "posted": 2, "duplicates": 0, "repeated_in_file": 0, "quarantined": 0,
         "totals": {"aportaciones": "2950.00", "amortizaciones": "0.00"}},
        {"first_line": 4, "last_line": 4, "posted": 0, "duplicates": 0, "repeated_in_file": 1, "quarantined": 0,
         "totals": {}},
    ]  # fmt: skip


def test_each_employment_movement_and_first_contribution_is_audited(tmp_path):
    from micuenta.employment.feed import EmploymentProcessor

    known = EmployerFactory.create()
    worker = WorkerFactory.create(first_contribution_on=None)
    k = known.registro_patronal
    path = write_feed(
        tmp_path / "imss.csv",
        IMSS_HEADER,
        [
            f'{worker.nss},{k},"{known.razon_social}",{known.rfc},ALTA,2019-02-04,410.50',
            f"{worker.nss},{k},,,BAJA,2021-06-30,",
        ],
    )

    feed_run(actor=Actor.system("import_employment"), processor=EmploymentProcessor(), path=path)

    movements = AuditEvent.objects.filter(action="empleo.movimiento_registrado").order_by("id")
    assert [(e.worker_id, e.after) for e in movements] == [
        (worker.pk, {"kind": "ALTA", "effective_on": "2019-02-04", "sbc": "410.50", "employer": known.pk}),
        (worker.pk, {"kind": "BAJA", "effective_on": "2021-06-30", "sbc": None, "employer": known.pk}),
    ]
    first = AuditEvent.objects.get(action="derechohabiente.primera_cotizacion")
    assert (first.subject_id, first.before, first.after) == (
        str(worker.pk),
        {"first_contribution_on": None},
        {"first_contribution_on": "2019-02-04"},
    )


def test_a_finished_file_runs_the_hooks_of_its_kind_once_each(monkeypatch):
    monkeypatch.setattr(hooks, "_hooks", {})
    heard: list[tuple[str, set[int]]] = []

    def hook(run: ImportRun, touched: set[int]) -> None:
        heard.append((run.kind, touched))

    hooks.feed_finished_connect(kinds=[FeedKind.EMPLOYMENT], hook=hook)
    hooks.feed_finished_connect(kinds=[FeedKind.EMPLOYMENT], hook=hook)  # connecting again changes nothing

    hooks.feed_finished_run(run=ImportRun(kind=FeedKind.BANK_PAYMENTS), touched_workers={1})
    hooks.feed_finished_run(run=ImportRun(kind=FeedKind.EMPLOYMENT), touched_workers={2, 3})

    assert heard == [(FeedKind.EMPLOYMENT, {2, 3})]


def test_savings_listens_to_both_files_that_change_what_employers_owe():
    from micuenta.savings.tasks import contribution_gaps_refresh_after_feed

    registered = {kind for kind, found in hooks._hooks.items() if contribution_gaps_refresh_after_feed in found}
    assert registered == {FeedKind.EMPLOYMENT, FeedKind.EMPLOYER_PAYMENTS}
