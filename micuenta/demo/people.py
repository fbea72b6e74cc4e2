"""The demo people of `make run`: one for each situation a person trying the portal should see.

They are made by the population generator from hand-written plans (seed DEMO_SEED), so they have the same
consistency as the synthetic population: valid identifiers, histories, contributions in the ledger, credits. The
borrowers' credits are not migrated balances: their whole history, mensualidades and payments, is made by the
servicing engine (micuenta.demo.credits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from micuenta.credits.models import Credit, Denomination, Product, Regime
from micuenta.demo.accounts import DEMO_ACCOUNTS
from micuenta.demo.credits import demo_credit_histories, vsm_amount
from micuenta.demo.population import (
    CreditPlan,
    EmployerPlan,
    PersonPlan,
    PopulationGenerator,
    PopulationWriter,
    RelationPlan,
    SeedReport,
    _fund_accounts,
    _write_employers,
)
from micuenta.ledger.models import Transaction
from micuenta.people.models import Afore, Sex, Worker, WorkerStatus

DEMO_SEED = 0


@dataclass(frozen=True)
class DemoPerson:
    email: str
    situation: str
    plan: PersonPlan


def _plans(employers: list[EmployerPlan]) -> list[DemoPerson]:
    e = employers
    saver = PersonPlan(
        "Ana Sofía", "Villarreal", "Quiroga", Sex.MUJER, date(1988, 4, 12), "NL", Afore.SURA, WorkerStatus.ACTIVO
    )
    saver.relations = [
        RelationPlan(e[0], date(2008, 6, 2), date(2012, 3, 30), Decimal("310.00")),
        RelationPlan(e[1], date(2012, 6, 1), date(2017, 8, 31), Decimal("480.00")),
        RelationPlan(e[2], date(2018, 1, 15), date(2022, 5, 31), Decimal("650.00")),
        RelationPlan(e[3], date(2022, 9, 1), None, Decimal("820.00")),
    ]
    # Registered without the accent of «Cárdenas»: the demo's approved «Corregir mis datos» puts it back
    # (micuenta.demo.tramites). Accents change neither his CURP nor his RFC.
    roa = PersonPlan(
        "Bruno", "Cardenas", "Ibarra", Sex.HOMBRE, date(1985, 9, 23), "JC", Afore.PROFUTURO, WorkerStatus.ACTIVO
    )
    roa.relations = [
        RelationPlan(e[1], date(2006, 2, 1), date(2013, 12, 31), Decimal("420.00")),
        RelationPlan(e[4], date(2014, 2, 3), None, Decimal("560.00")),
    ]
    roa.credit = CreditPlan(
        "1520871346", Product.TRADICIONAL, Denomination.PESOS, Decimal("850000.00"), Decimal("0.0810"), 360,
        date(2019, 7, 15), Regime.ROA, "al_corriente",
    )  # fmt: skip
    rea = PersonPlan(
        "Carla Patricia", "Montes", "Ugalde", Sex.MUJER, date(1979, 1, 30), "PL", Afore.COPPEL, WorkerStatus.ACTIVO
    )
    rea.relations = [
        RelationPlan(e[5], date(2001, 8, 1), date(2016, 10, 31), Decimal("390.00")),
        RelationPlan(e[2], date(2017, 3, 1), date(2024, 11, 29), Decimal("610.00")),
    ]
    rea.credit = CreditPlan(
        "1417630952", Product.TRADICIONAL, Denomination.PESOS, Decimal("620000.00"), Decimal("0.0760"), 300,
        date(2018, 5, 2), Regime.REA, "atrasado",
    )  # fmt: skip
    paid = PersonPlan(
        "Diego Armando",
        "Salinas",
        "Ferrer",
        Sex.HOMBRE,
        date(1972, 11, 5),
        "DF",
        Afore.XXI_BANORTE,
        WorkerStatus.ACTIVO,
    )
    paid.relations = [RelationPlan(e[0], date(1995, 3, 1), None, Decimal("350.00"))]
    paid.credit = CreditPlan(
        "1198455027", Product.TRADICIONAL, Denomination.VSM, Decimal("310000.00"), Decimal("0.0600"), 240,
        date(2009, 2, 16), Regime.ROA, "liquidado_con_exceso", vsm_amount(Decimal("310000.00")),
    )  # fmt: skip
    pensioner = PersonPlan(
        "Elena", "Rosales", "Guzmán", Sex.MUJER, date(1961, 6, 18), "VZ", Afore.INBURSA, WorkerStatus.PENSIONADO
    )
    pensioner.relations = [
        RelationPlan(e[5], date(1983, 9, 1), date(1996, 12, 31), Decimal("120.00")),
        RelationPlan(e[3], date(1997, 3, 3), date(2023, 6, 30), Decimal("300.00")),
    ]
    # Without an account in the portal: «Quiero una cuenta» can be tried with them at once (their identifiers are on
    # /dev/personas/).
    newcomer = PersonPlan(
        "Fernanda", "Ochoa", "Lugo", Sex.MUJER, date(1996, 2, 9), "QT", Afore.AZTECA, WorkerStatus.ACTIVO
    )
    newcomer.relations = [RelationPlan(e[4], date(2019, 1, 7), None, Decimal("540.00"))]
    second = PersonPlan(
        "Gerardo", "Ibáñez", "Tapia", Sex.HOMBRE, date(1990, 10, 21), "SL", Afore.PENSIONISSSTE, WorkerStatus.ACTIVO
    )
    second.relations = [
        RelationPlan(e[0], date(2012, 5, 2), date(2020, 3, 31), Decimal("380.00")),
        RelationPlan(e[2], date(2020, 6, 1), None, Decimal("590.00")),
    ]
    without_account = [
        DemoPerson("", "Sin cuenta en línea: prueba «Quiero una cuenta»", newcomer),
        DemoPerson("", "Sin cuenta en línea: prueba «Quiero una cuenta»", second),
    ]
    plans = {
        "ana.demo@micuenta.test": saver,
        "bruno.demo@micuenta.test": roa,
        "carla.demo@micuenta.test": rea,
        "diego.demo@micuenta.test": paid,
        "elena.demo@micuenta.test": pensioner,
    }
    with_account = [DemoPerson(a.email, a.role, plans[a.email]) for a in DEMO_ACCOUNTS if a.email in plans]
    return with_account + without_account


def _planned() -> tuple[PopulationGenerator, list[EmployerPlan], list[DemoPerson]]:
    gen = PopulationGenerator(seed=DEMO_SEED)
    employers = gen.employers(6)
    # The demo saver's current employer skips or shortens some payments, so "Cuánto ahorro tengo" shows what the
    # portal says when an employer does not pay; the others pay on time.
    for index, employer in enumerate(employers):
        employer.behaviour = "incumplido" if index == 3 else "puntual"
    people = _plans(employers)
    for person in people:
        gen.identify(person.plan)
    return gen, employers, people


def demo_people_curps() -> list[str]:
    """The demo people's CURPs, computed (the same seed gives the same people); nothing is written."""
    return [person.plan.curp for person in _planned()[2]]


def demo_people_load() -> list[tuple[DemoPerson, Worker]]:
    """Create the demo people once; return each with its worker (existing ones are found, not duplicated)."""
    gen, employers, people = _planned()
    already = Transaction.objects.filter(idempotency_key__startswith=f"seed:{DEMO_SEED}:").exists()
    if not already:
        fund = _fund_accounts()
        _write_employers(employers)
        PopulationWriter(gen, fund, engine_credits=True).write_chunk(0, [p.plan for p in people], SeedReport())
        # The borrowers' credits, from origination to today (or the as-of date, if later), month by month through the
        # servicing engine: the demo shows a credit as it stands the day it is loaded, whatever that day is.
        scenarios = {p.plan.credit.numero: p.plan.credit.scenario for p in people if p.plan.credit is not None}
        credits = Credit.objects.filter(numero_credito__in=scenarios).order_by("origination_date")
        until = max(gen.as_of, timezone.localdate())
        demo_credit_histories([(c, scenarios[c.numero_credito]) for c in credits], as_of=until)
    workers = {w.curp: w for w in Worker.objects.filter(curp__in=[p.plan.curp for p in people])}
    # A demo database loaded before a person was added to the plans lacks that person: recreate it to have them.
    return [(person, workers[person.plan.curp]) for person in people if person.plan.curp in workers]
