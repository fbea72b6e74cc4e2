from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from micuenta.credits.models import CreditStatus, Regime
from micuenta.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from micuenta.identity.models import User
from micuenta.ledger.models import Transaction
from micuenta.ledger.selectors import ledger_mismatches
from micuenta.notifications.models import OutboxMessage
from micuenta.people.models import PensionRegime, Worker, WorkerStatus
from micuenta.savings.models import Contribution, Pocket

pytestmark = pytest.mark.django_db


def test_demo_data_is_refused_outside_demo_mode(settings):
    settings.MICUENTA_DEMO = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_demo_data")
    assert User.objects.count() == 0


def test_loading_demo_data_twice_adds_no_duplicates(settings, capsys):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    assert "10 accounts created, 0 already present; 7 demo people" in capsys.readouterr().out
    counts = (User.objects.count(), OutboxMessage.objects.count(), Worker.objects.count(), Transaction.objects.count())
    call_command("load_demo_data")
    assert "0 accounts created, 10 already present" in capsys.readouterr().out
    again = (User.objects.count(), OutboxMessage.objects.count(), Worker.objects.count(), Transaction.objects.count())
    assert again == counts
    # Welcome e-mails (5), the demo trámites' notices to the people (8 received, 11 changes of status) and the
    # overdue one to the 2 staff who supervise trámites (the supervisora and the administration); two demo people
    # have no account
    assert counts[:3] == (10, 26, 7)


def test_printed_demo_logins_work(settings, client):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    for account in DEMO_ACCOUNTS:
        # Sign-in throttling needs the request, as every real sign-in has one.
        request = RequestFactory().post("/iniciar-sesion/")
        assert client.login(request=request, username=account.email, password=DEMO_PASSWORD), account.email
        client.logout()


def test_reloading_restores_a_changed_demo_password(settings):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    user = User.objects.get(email=DEMO_ACCOUNTS[0].email)
    user.set_password("otra-cosa-distinta")
    user.is_active = False
    user.save()
    call_command("load_demo_data")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert user.is_active


def test_only_the_staff_demo_account_can_reach_the_admin(settings):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    admins = {u.email for u in User.objects.filter(is_staff=True, is_superuser=True)}
    assert admins == {a.email for a in DEMO_ACCOUNTS if a.is_superuser} == {"personal.demo@micuenta.test"}


def test_the_cesi_demo_accounts_are_staff_in_their_role(settings):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    cesi = {
        u.email: sorted(u.groups.values_list("name", flat=True))
        for u in User.objects.filter(is_staff=True, is_superuser=False)
    }
    assert cesi == {
        "asesor.demo@micuenta.test": ["Asesor CESI"],
        "supervisor.demo@micuenta.test": ["Supervisor CESI"],
        "analista.demo@micuenta.test": ["Analista de trámites"],
        "supervisora.tramites.demo@micuenta.test": ["Supervisor de trámites"],
    }
    assert not User.objects.filter(is_staff=True, worker__isnull=False).exists()


def _person(email):
    return User.objects.select_related("worker").get(email=email).worker


def test_demo_people_cover_the_situations_printed_at_start(settings):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    assert ledger_mismatches() == []

    saver = _person("ana.demo@micuenta.test")
    assert not saver.credits.exists()
    assert saver.relations.filter(ended_on__isnull=False).count() >= 3
    assert saver.relations.filter(ended_on__isnull=True).count() == 1

    roa = _person("bruno.demo@micuenta.test").credits.get()
    assert (roa.regime, roa.status) == (Regime.ROA, CreditStatus.VIGENTE)
    assert roa.account.balance > 0

    rea_worker = _person("carla.demo@micuenta.test")
    rea = rea_worker.credits.get()
    assert (rea.regime, rea.status) == (Regime.REA, CreditStatus.VIGENTE)
    assert not rea_worker.relations.filter(ended_on__isnull=True).exists()

    paid = _person("diego.demo@micuenta.test").credits.get()
    assert paid.status == CreditStatus.LIQUIDADO
    assert paid.account.balance == 0
    from micuenta.ledger.accounts import credit_excess_code
    from micuenta.ledger.models import Account

    assert Account.objects.get(code=credit_excess_code(paid.numero_credito)).natural_balance > 0

    pensioner = _person("elena.demo@micuenta.test")
    assert pensioner.status == WorkerStatus.PENSIONADO
    assert pensioner.pension_regime == PensionRegime.LEY_73
    balances = {p.pocket: p.account.natural_balance for p in pensioner.subaccount.pockets.select_related("account")}
    assert balances[Pocket.FONDO_72_92] > 0
    assert balances[Pocket.VIVIENDA_92] > 0
    assert balances[Pocket.VIVIENDA_97] > 0
    assert Contribution.objects.filter(worker=pensioner).exists()


def test_the_demo_cases_show_every_state_of_a_tramite_made_by_the_engine(settings):
    from micuenta.identity.models import SecurityEvent, SecurityEventKind
    from micuenta.tramites.models import Case, Status

    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    cases = {
        (case.worker.account.email, case.status): case
        for case in Case.objects.select_related("worker__account", "assigned_to")
    }
    assert set(cases) == {
        ("diego.demo@micuenta.test", Status.RECIBIDA),
        ("ana.demo@micuenta.test", Status.INFO_REQUERIDA),
        ("bruno.demo@micuenta.test", Status.APROBADA),
        ("bruno.demo@micuenta.test", Status.RECIBIDA),
        ("carla.demo@micuenta.test", Status.RECHAZADA),
        ("carla.demo@micuenta.test", Status.EN_REVISION),
        ("elena.demo@micuenta.test", Status.CANCELADA),
        ("elena.demo@micuenta.test", Status.POR_CONFIRMAR),
    }
    # En revisión with the demo analyst.
    reviewing = cases[("carla.demo@micuenta.test", Status.EN_REVISION)]
    assert reviewing.assigned_to is not None and reviewing.assigned_to.email == "analista.demo@micuenta.test"
    # Overdue: past its due date and marked by the daily task's function; the only one.
    overdue = cases[("diego.demo@micuenta.test", Status.RECIBIDA)]
    assert overdue.due_on < timezone.localdate() and overdue.overdue_at is not None
    assert overdue.submitted_at < timezone.now() - timedelta(days=28)
    assert [c.folio for c in Case.objects.filter(overdue_at__isnull=False)] == [overdue.folio]
    assert OutboxMessage.objects.filter(template="tramites_vencidos").exists()
    # Withdrawn by Elena herself.
    cancelled = cases[("elena.demo@micuenta.test", Status.CANCELADA)]
    assert cancelled.events.get(to_status=Status.CANCELADA).actor_kind == "persona"
    # Approved and confirmed by two people: Bruno's record and account have the accent back.
    approved = cases[("bruno.demo@micuenta.test", Status.APROBADA)]
    assert approved.decided_by is not None and approved.decided_by.email == "analista.demo@micuenta.test"
    assert approved.confirmed_by is not None
    assert approved.confirmed_by.email == "supervisora.tramites.demo@micuenta.test"
    bruno = User.objects.select_related("worker").get(email="bruno.demo@micuenta.test")
    record = _person(bruno.email)
    assert (record.primer_apellido, bruno.last_name) == ("Cárdenas", "Cárdenas Ibarra")
    assert record.corrections.get().old_value == "Cardenas"
    kinds = set(SecurityEvent.objects.filter(user=bruno).values_list("kind", flat=True))
    assert {SecurityEventKind.DOCUMENT_VIEWED, SecurityEventKind.DATA_CORRECTED} <= kinds
    # One open case per person at most; a second load makes none.
    assert Case.objects.filter(closed_at__isnull=True).values("worker").distinct().count() == 5
    call_command("load_demo_data")
    assert Case.objects.count() == 8


def test_the_demo_people_page_lists_their_synthetic_identifiers_only_in_demo_mode(settings, client):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    ana = User.objects.get(email="ana.demo@micuenta.test")
    worker = Worker.objects.get(account=ana)
    html = client.get("/dev/personas/").content.decode()
    assert worker.nss in html and worker.curp in html and worker.rfc in html
    assert "******0101" in html
    # After deleting her online account she stays listed, ready to register again.
    ana.delete()
    html = client.get("/dev/personas/").content.decode()
    assert worker.nss in html and "Sin cuenta: puede registrarse" in html
    settings.MICUENTA_DEMO = False
    assert client.get("/dev/personas/").status_code == 404


def test_demo_workers_have_a_mobile_for_sms_codes(settings):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    workers = User.objects.filter(worker__isnull=False)
    assert workers.count() == 5
    assert all(len(user.mobile) == 10 for user in workers)


def _debt(email):
    from micuenta.credits.selectors import credit_debt
    from micuenta.demo.population import DEFAULT_AS_OF

    credit = (
        _person(email).credits.select_related("account", "interest_account", "charges_account", "excess_account").get()
    )
    return credit, credit_debt(credit, today=max(DEFAULT_AS_OF, timezone.localdate()))


def test_demo_borrowers_histories_come_from_the_servicing_engine(settings):
    from micuenta.credits.models import CreditPayment, Instalment, PaymentSource
    from micuenta.credits.schedule import add_months, months_between
    from micuenta.credits.tests.factories import accrue
    from micuenta.demo.population import DEFAULT_AS_OF

    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    assert ledger_mismatches() == []
    assert not Transaction.objects.filter(kind="credito_intereses_pagos").exists()

    bruno, debt = _debt("bruno.demo@micuenta.test")
    assert debt.overdue_count == 0
    assert 0 < debt.balance < bruno.amount_granted
    # A mensualidad for every month since origination, employer deductions and the 5 % applied to capital.
    today = max(DEFAULT_AS_OF, timezone.localdate())
    assert bruno.instalments.count() == months_between(date(2019, 7, 15), today)  # August 2019 to this month
    sources = set(bruno.payments.values_list("source", flat=True))
    assert sources == {PaymentSource.NOMINA, PaymentSource.APORTACION}
    aportaciones = bruno.payments.filter(source=PaymentSource.APORTACION)
    assert aportaciones.count() == Contribution.objects.filter(worker=bruno.worker).count()
    assert all(p.to_capital == p.amount for p in aportaciones)

    carla, debt = _debt("carla.demo@micuenta.test")
    assert carla.status == CreditStatus.VIGENTE
    assert debt.overdue_count >= 3
    assert debt.overdue_amount > 0
    # Her last payment was five months ago.
    assert carla.payments.order_by("paid_on").last().paid_on == add_months(today, -5).replace(day=10)

    diego, debt = _debt("diego.demo@micuenta.test")
    assert diego.status == CreditStatus.LIQUIDADO
    assert diego.paid_off_on == date(2025, 3, 10)
    last = diego.payments.order_by("paid_on", "id").last()
    assert (last.source, last.to_excess) == (PaymentSource.NOMINA, last.amount)
    assert debt.excess == last.amount > 0
    assert debt.balance == 0
    # 2009's salario mínimo (zona A) × 30.4 days: the VSM monthly value at origination.
    assert (diego.amount_granted / diego.amount_granted_vsm).quantize(Decimal("0.01")) == Decimal("1665.92")

    # Everything is issued up to this month: running the accrual again issues nothing.
    counts = (Instalment.objects.count(), CreditPayment.objects.count())
    assert accrue(month=today, allow_unconfirmed=True).instalments == 0
    call_command("load_demo_data")
    assert (Instalment.objects.count(), CreditPayment.objects.count()) == counts
    assert ledger_mismatches() == []


def test_demo_people_without_an_account_are_listed_and_can_start_quiero_una_cuenta(settings, client):
    from django.urls import reverse

    from micuenta.identity.tests.helpers import identity_data

    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    newcomers = list(Worker.objects.filter(account__isnull=True).order_by("nombre"))
    assert [w.nombre for w in newcomers] == ["Fernanda", "Gerardo"]
    html = client.get("/dev/personas/").content.decode()
    for worker in newcomers:
        assert worker.nss in html and worker.curp in html and worker.rfc in html
    assert html.count("Sin cuenta: puede registrarse") == 2
    response = client.post(reverse("identity:register"), identity_data(newcomers[0]))
    assert response["Location"] == reverse("identity:register_contact")


def test_the_demo_borrowers_have_their_avisos_after_the_daily_issue(settings):
    from micuenta.documents.models import OfficialDocument
    from micuenta.savings.avisos import SUBJECT

    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    call_command("avisos_issue")
    kinds = {
        email: set(
            OfficialDocument.objects.filter(
                subject_type=SUBJECT, worker_id=User.objects.get(email=email).worker_id
            ).values_list("kind", flat=True)
        )
        for email in ("bruno.demo@micuenta.test", "diego.demo@micuenta.test")
    }
    assert kinds["bruno.demo@micuenta.test"] == {"aviso_retencion"}  # ROA, paying through his employer
    assert kinds["diego.demo@micuenta.test"] == {"aviso_suspension"}  # paid off


def test_the_demo_borrowers_have_their_2025_constancia(settings):
    from django_tasks_db.models import DBTaskResult

    from micuenta.credits.constancia import constancia_figures
    from micuenta.credits.models import Credit, InterestYear
    from micuenta.credits.tasks import generate_interest_years

    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    call_command("generate_constancias", "--year", "2025")
    for task in DBTaskResult.objects.filter(task_path="micuenta.credits.tasks.generate_interest_years"):
        generate_interest_years.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
    for email in ("bruno.demo@micuenta.test", "carla.demo@micuenta.test", "diego.demo@micuenta.test"):
        credit = Credit.objects.get(worker__account__email=email)
        kept = InterestYear.objects.get(credit=credit, year=2025)
        assert kept.nominal_paid > 0  # they paid interest in 2025
        assert constancia_figures(credit, 2025).real_interest == kept.real_interest
