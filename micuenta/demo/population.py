"""A synthetic national population: consistent fake people for the demo, the tests and the benchmarks.

Everything is derived from one `random.Random(seed)`, so the same seed and the same as-of date give the same data.
Names come from Faker es_MX (names only); identifiers are built with their check digits by
micuenta.core.identifiers. Work is set-based: people are made in chunks and written with bulk inserts; money is
posted to the ledger with `ledger_post_many`.

What is made, per person: a worker; an employment history (relations with altas, bajas, salary changes and
reingresos, gaps between jobs) with employers of several states, some of them late payers or underpayers; the
Subcuenta de Vivienda with its pockets; an opening balance for the years before CONTRIBUTIONS_FROM; from then on,
one contribution per worker, employer and bimestre (5 % × SBC × days, SBC capped at 25 UMA; docs/sources.md#aportacion),
posted to the ledger; yields each 31 December; and for some, a credit (pesos or VSM, ROA or REA, current, in
arrears, in prórroga, or paid off, some with deductions that went on after payoff).

Credits, like the savings before CONTRIBUTIONS_FROM, arrive as a migrated balance. The cut-over is the first day of
the month of as-of (`cutover_month`): each credit gets its origination and one "saldo migrado" transaction
(`LedgerKind.CREDIT_MIGRATED`) dated the day before, which brings its capital to what the pure schedule
(micuenta.credits.schedule) gives after the mensualidades issued before the cut-over, and puts in its interest and
charges accounts what is owed (atrasado: the last 2–8 mensualidades unpaid, their interest and charges owed and
their rows open, so the arrears show), or in its saldo a favor what was deducted after payoff
(liquidado_con_exceso); the counterpart is the fund's "Saldos iniciales migrados". The last mensualidad issued is
written too (paid, or the unpaid ones), so from the cut-over month on `manage.py accrue_credits` and the payments
continue each credit where it was; the month of as-of itself is issued by `accrue_credits`. The demo people's
credits instead have their whole history made by the servicing engine (micuenta.demo.credits).

Simplifications, stated: before the cut-over there are no mensualidades (but the last) and no payments per credit,
only the migrated position; a VSM credit follows the schedule in VSM valued at the VSM of its last month issued,
without the January updates charged as such; the VSM amount of a synthetic credit uses VSM_DAILY_2013 whatever its
year; the employer's 5 % of ROA borrowers stays in the savings pocket (the demo borrower's goes to capital).
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from micuenta.core.db.bulk import insert_rows, reserve_ids
from micuenta.core.identifiers import (
    build_curp,
    build_rfc_fisica,
    generate_nss,
    generate_numero_credito,
    generate_registro_patronal,
    rfc_check_digit,
)
from micuenta.core.money import money
from micuenta.core.periods import bimestre_end, bimestre_start, bimestres, payment_deadline
from micuenta.core.policies import Timeline
from micuenta.core.reference import uma_on
from micuenta.credits import schedule
from micuenta.credits.models import (
    ChargeRate,
    Credit,
    CreditStatus,
    Denomination,
    DiscountType,
    Product,
    Regime,
    UnitUpdate,
)
from micuenta.credits.rules import (
    charge_rates,
    due_date,
    level_payment,
    monthly_charges,
    unit_factors,
    vsm_origination_value,
)
from micuenta.employment.models import Employer, MovementType, WorkerType
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, AccountKind, Transaction
from micuenta.ledger.services import Entry, Line, account_get_or_create, ledger_post_many
from micuenta.people.models import Afore, Sex, Worker, WorkerStatus
from micuenta.savings.contributions import FIVE_PERCENT, SalarySpan, capped_sbc, contribution_due
from micuenta.savings.models import POCKETS_WITH_YIELD, Pocket, YieldRate, pocket_for_contribution
from micuenta.savings.yields import accrued_yield, crediting, yield_periods, yields_entry

DEFAULT_AS_OF = date(2026, 10, 31)
CONTRIBUTIONS_FROM = date(2021, 1, 1)  # itemised from here; earlier years arrive as an opening balance
# Salario mínimo 2013, área geográfica A; not in the reference data (which starts in 2020): the VSM amount of a
# synthetic legacy credit is illustrative.
VSM_DAILY_2013 = Decimal("64.76")
ZERO = Decimal("0.00")

# Weighted by approximate share of formal employment (a synthetic choice, not a statistic to quote).
STATES = ["DF", "MC", "JC", "NL", "GT", "PL", "VZ", "BC", "CH", "SR", "TS", "QT", "YN", "SL", "MN", "CL", "QR"]
STATE_WEIGHTS = [16, 12, 10, 10, 6, 5, 5, 5, 5, 4, 4, 4, 3, 3, 3, 2, 3]
MUNICIPIOS = {
    "DF": ["Cuauhtémoc", "Iztapalapa", "Benito Juárez"], "MC": ["Ecatepec", "Naucalpan", "Toluca"],
    "JC": ["Guadalajara", "Zapopan", "Tlaquepaque"], "NL": ["Monterrey", "Apodaca", "San Nicolás de los Garza"],
    "GT": ["León", "Irapuato", "Celaya"], "PL": ["Puebla", "Tehuacán"], "VZ": ["Veracruz", "Xalapa", "Coatzacoalcos"],
    "BC": ["Tijuana", "Mexicali", "Ensenada"], "CH": ["Ciudad Juárez", "Chihuahua"], "SR": ["Hermosillo", "Cajeme"],
    "TS": ["Reynosa", "Matamoros"], "QT": ["Querétaro", "El Marqués"], "YN": ["Mérida"], "SL": ["Culiacán"],
    "MN": ["Morelia"], "CL": ["Saltillo", "Torreón"], "QR": ["Benito Juárez", "Solidaridad"],
}  # fmt: skip


@dataclass
class SeedReport:
    workers: int = 0
    employers: int = 0
    relations: int = 0
    movements: int = 0
    contributions: int = 0
    credits: int = 0
    transactions: int = 0
    seconds: float = 0.0

    def merge(self, other: SeedReport) -> None:
        self.workers += other.workers
        self.relations += other.relations
        self.movements += other.movements
        self.contributions += other.contributions
        self.credits += other.credits
        self.transactions += other.transactions


@dataclass
class EmployerPlan:
    registro_patronal: str
    rfc: str
    razon_social: str
    municipio: str
    estado: str
    behaviour: str  # "puntual", "tardio", "incumplido"
    pk: int = 0  # set once written


@dataclass
class RelationPlan:
    employer: EmployerPlan
    started_on: date
    ended_on: date | None
    base_sbc: Decimal  # at `started_on`
    reingreso: bool = False


@dataclass
class CreditPlan:
    numero: str
    product: str
    denomination: str
    amount: Decimal
    rate: Decimal
    term: int
    origination: date
    regime: str
    scenario: str  # "al_corriente", "atrasado", "prorroga", "liquidado", "liquidado_con_exceso"
    amount_vsm: Decimal | None = None  # a VSM credit's amount in VSM; None: amount / (30.4 × VSM_DAILY_2013)


@dataclass
class PersonPlan:
    nombre: str
    primer_apellido: str
    segundo_apellido: str
    sexo: str
    fecha_nacimiento: date
    entidad: str
    afore: str
    status: str
    relations: list[RelationPlan] = field(default_factory=list)
    credit: CreditPlan | None = None
    curp: str = ""
    rfc: str = ""
    nss: str = ""


class WorkerRow(NamedTuple):
    pk: int
    entidad_nacimiento: str


class AlreadySeeded(Exception):
    pass


# --- small calendar helpers ---------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


# --- salaries ----------------------------------------------------------------------------------------------


def sbc_in_year(plan: RelationPlan, year: int) -> Decimal:
    """The daily SBC in a year: the salary at alta, raised 5 % each January after it."""
    raises = max(0, year - plan.started_on.year)
    return (plan.base_sbc * Decimal("1.05") ** raises).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- the generator -----------------------------------------------------------------------------------------


class PopulationGenerator:
    def __init__(self, *, seed: int, as_of: date = DEFAULT_AS_OF) -> None:
        if as_of < CONTRIBUTIONS_FROM:
            raise ValueError("as_of must be after the start of itemised contributions")
        self.seed = seed
        self.as_of = as_of
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by design)
        self.used_curps: set[str] = set()
        self.used_nss: set[str] = set()
        self.used_creditos: set[str] = set()
        self._names()

    def _names(self) -> None:
        from faker import Faker

        faker = Faker("es_MX")
        faker.seed_instance(self.seed)
        self.male = sorted({faker.first_name_male() for _ in range(1500)})
        self.female = sorted({faker.first_name_female() for _ in range(1500)})
        self.surnames = sorted({faker.last_name() for _ in range(3000)})
        self.companies = sorted({faker.company() for _ in range(3000)})

    # -- plans --

    def employers(self, count: int) -> list[EmployerPlan]:
        rng = self.rng
        plans: list[EmployerPlan] = []
        seen: set[str] = set()
        while len(plans) < count:
            nrp = generate_registro_patronal(rng)
            if nrp in seen:
                continue
            seen.add(nrp)
            estado = rng.choices(STATES, STATE_WEIGHTS)[0]
            name = f"{rng.choice(self.companies)} {rng.choice(['S.A. de C.V.', 'S. de R.L. de C.V.', 'S.C.'])}"
            founded = date(rng.randint(1970, 2015), rng.randint(1, 12), rng.randint(1, 28))
            letters = "".join(ch for ch in name.upper() if "A" <= ch <= "Z")[:3].ljust(3, "X")
            first11 = f"{letters}{founded:%y%m%d}{rng.choice('123456789ABCDEFGHJKLMNPRSTUV')}{rng.randint(1, 9)}"
            plans.append(
                EmployerPlan(
                    registro_patronal=nrp,
                    rfc=first11 + rfc_check_digit(first11),
                    razon_social=name,
                    municipio=rng.choice(MUNICIPIOS[estado]),
                    estado=estado,
                    behaviour=rng.choices(["puntual", "tardio", "incumplido"], [80, 12, 8])[0],
                )
            )
        return plans

    def person(self, employers: list[EmployerPlan]) -> PersonPlan:
        rng = self.rng
        sexo = rng.choice([Sex.HOMBRE, Sex.MUJER])
        names = self.male if sexo == Sex.HOMBRE else self.female
        nombre = rng.choice(names) if rng.random() < 0.7 else f"{rng.choice(names)} {rng.choice(names)}"
        birth = date(rng.randint(1958, 2004), rng.randint(1, 12), rng.randint(1, 28))
        age = self.as_of.year - birth.year
        pensioned = age >= 62 and rng.random() < 0.6
        status = WorkerStatus.PENSIONADO if pensioned else WorkerStatus.ACTIVO
        if rng.random() < 0.003:
            status = WorkerStatus.FALLECIDO
        plan = PersonPlan(
            nombre=nombre,
            primer_apellido=rng.choice(self.surnames),
            segundo_apellido=rng.choice(self.surnames) if rng.random() < 0.97 else "",
            sexo=sexo,
            fecha_nacimiento=birth,
            entidad="NE" if rng.random() < 0.01 else rng.choices(STATES, STATE_WEIGHTS)[0],
            afore=rng.choice(list(Afore)).value,
            status=status,
        )
        first_job = min(_add_months(birth, 12 * rng.randint(18, 26) + rng.randint(0, 11)), self.as_of)
        end_of_work = _add_months(birth, 12 * 62) if pensioned else None
        plan.relations = self.history(first_job, end_of_work, employers)
        return plan

    def history(self, first_job: date, end_of_work: date | None, employers: list[EmployerPlan]) -> list[RelationPlan]:
        rng = self.rng
        relations: list[RelationPlan] = []
        start = first_job
        years_before = max(0, self.as_of.year - first_job.year)
        salary = Decimal(str(round(min(3000.0, max(180.0, rng.lognormvariate(6.0, 0.55))), 2)))
        salary = (salary / Decimal("1.05") ** years_before).quantize(Decimal("0.01"))
        last = end_of_work or self.as_of
        while start <= last:
            length = rng.randint(6, 120)
            ended_on = _add_months(start, length) - timedelta(days=1)
            reingreso = bool(relations) and rng.random() < 0.1
            employer = relations[-1].employer if reingreso else rng.choice(employers)
            if ended_on >= last:
                open_ended = end_of_work is None and rng.random() < 0.88
                relations.append(RelationPlan(employer, start, None if open_ended else last, salary, reingreso))
                break
            relations.append(RelationPlan(employer, start, ended_on, salary, reingreso))
            gap = 0 if rng.random() < 0.35 else rng.randint(1, 18)
            start = _add_months(ended_on + timedelta(days=1), gap)
            salary = (sbc_in_year(relations[-1], start.year) * Decimal(str(rng.uniform(0.95, 1.25)))).quantize(
                Decimal("0.01")
            )
        return relations

    def credit(self, plan: PersonPlan) -> CreditPlan | None:
        rng = self.rng
        if plan.status == WorkerStatus.FALLECIDO or not plan.relations or rng.random() > 0.35:
            return None
        # From 2009: the yearly VSM factors the servicing engine needs start with 2010's (UnitUpdate).
        earliest = max(plan.relations[0].started_on + timedelta(days=730), date(2009, 1, 1))
        latest = self.as_of - timedelta(days=180)
        if earliest >= latest:
            return None
        origination = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        product = rng.choices(
            [Product.TRADICIONAL, Product.COFINAVIT, Product.UNAMOS, Product.CONYUGAL, Product.MEJORAVIT],
            [70, 10, 5, 5, 10],
        )[0]
        relation = next((r for r in reversed(plan.relations) if r.started_on <= origination), plan.relations[0])
        monthly_salary = sbc_in_year(relation, origination.year) * Decimal("30.4")
        if product == Product.MEJORAVIT:
            amount, term, rate = money(rng.randint(10_000, 160_000)), rng.choice([12, 24, 36, 48, 60]), Decimal("0.1")
        else:
            amount = money(min(Decimal("2800000"), max(Decimal("150000"), monthly_salary * rng.randint(40, 110))))
            term = rng.choice([240, 300, 360])
            umas = monthly_salary / (Decimal("30.4") * uma_on(max(origination, date(2016, 2, 1))).daily)
            # 2021 band table, docs/sources.md#credit-rates: 1.91 % at 1.5 UMA up to 10.45 % from 6.1 UMA, interpolated.
            rate = min(
                Decimal("0.1045"),
                max(Decimal("0.0191"), Decimal("0.0191") + (umas - Decimal("1.5")) * Decimal("0.0186")),
            )
            rate = rate.quantize(Decimal("0.0001"))
        denomination = Denomination.VSM if origination < date(2014, 1, 1) else Denomination.PESOS
        current = plan.relations[-1].ended_on is None
        regime = Regime.ROA if current and plan.status == WorkerStatus.ACTIVO else Regime.REA
        scenario = rng.choices(
            ["al_corriente", "atrasado", "prorroga", "liquidado", "liquidado_con_exceso"], [72, 12, 4, 8, 4]
        )[0]
        if scenario == "atrasado":
            regime = Regime.REA
        if scenario == "liquidado_con_exceso":
            regime = Regime.ROA
        numero = generate_numero_credito(rng)
        while numero in self.used_creditos:
            numero = generate_numero_credito(rng)
        self.used_creditos.add(numero)
        return CreditPlan(numero, product, denomination, amount, rate, term, origination, regime, scenario)

    def identify(self, plan: PersonPlan) -> None:
        """CURP, RFC and NSS, unique within the population (homonimia and progressive numbers vary)."""
        homonimias = "0123456789" if plan.fecha_nacimiento.year < 2000 else "ABCDEFGHIJKLMNPQRSTUVWXYZ"
        for homonimia in homonimias:
            curp = build_curp(
                nombre=plan.nombre,
                primer_apellido=plan.primer_apellido,
                segundo_apellido=plan.segundo_apellido or None,
                fecha_nacimiento=plan.fecha_nacimiento,
                sexo=plan.sexo,  # type: ignore[arg-type]
                entidad=plan.entidad,
                homonimia=homonimia,
            )
            if curp not in self.used_curps:
                break
        else:
            raise RuntimeError("no free CURP homonimia")
        self.used_curps.add(curp)
        plan.curp = curp
        plan.rfc = build_rfc_fisica(
            nombre=plan.nombre,
            primer_apellido=plan.primer_apellido,
            segundo_apellido=plan.segundo_apellido or None,
            fecha_nacimiento=plan.fecha_nacimiento,
        )
        registration = plan.relations[0].started_on.year if plan.relations else self.as_of.year
        nss = generate_nss(self.rng, registration_year=registration, birth_year=plan.fecha_nacimiento.year)
        while nss in self.used_nss:
            nss = generate_nss(self.rng, registration_year=registration, birth_year=plan.fecha_nacimiento.year)
        self.used_nss.add(nss)
        plan.nss = nss


# --- writing ------------------------------------------------------------------------------------------------


def _fund_accounts() -> dict[str, Account]:
    return {
        code: account_get_or_create(code=code, name=name, kind=kind)
        for code, name, kind in (codes.FUND_BANK, codes.YIELD_EXPENSE, codes.INTEREST_INCOME, codes.OPENING_BALANCES)
    }


def _write_employers(plans: list[EmployerPlan]) -> None:
    rows = Employer.objects.bulk_create(
        [
            Employer(
                registro_patronal=p.registro_patronal,
                rfc=p.rfc,
                razon_social=p.razon_social,
                municipio=p.municipio,
                estado=p.estado,
            )
            for p in plans
        ],
        batch_size=2000,
    )
    for plan, row in zip(plans, rows, strict=True):
        plan.pk = row.pk


@dataclass
class MigratedCredit:
    """A credit's position at the cut-over (see the module docstring): what the ledger and the mensualidades
    carry from the legacy history."""

    status: str
    paid_off_on: date | None
    capital: Decimal
    interest: Decimal  # interest charged and not paid
    charges: Decimal  # seguro and cuotas charged and not paid
    excess: Decimal  # saldo a favor
    # period, number, due_date, opening_capital, unit_value, interest, insurance, fees, capital_due, paid
    instalments: list[tuple[date, int, date, Decimal, Decimal | None, Decimal, Decimal, Decimal, Decimal, bool]]


def cutover_month(as_of: date) -> date:
    """The first day of the month of `as_of`: the credits' history before it arrives as a migrated balance."""
    return as_of.replace(day=1)


def _migrate(
    credit: Credit,
    scenario: str,
    cutover: date,
    factors: dict[int, UnitUpdate],
    rates: Timeline[ChargeRate],
    rng: random.Random,
) -> MigratedCredit:
    """The position of a credit at the start of `cutover` by the pure schedule (micuenta.credits.schedule) for its
    scenario: al corriente, every mensualidad issued before the cut-over paid; atrasado, the last 2–8 unpaid (their
    interest and charges owed, their mensualidades open); prórroga, the last 2–8 months not charged; liquidado,
    paid off on a past day (liquidado_con_exceso: and 1–4 mensualidades deducted after it, as saldo a favor). A
    VSM credit follows the schedule in VSM, valued at the VSM of the last month issued."""
    issued = max(0, schedule.months_between(credit.origination_date, cutover) - 1)
    unpaid = min(rng.randint(2, 8), issued) if scenario == "atrasado" else 0
    skipped = min(rng.randint(2, 8), issued) if scenario == "prorroga" else 0
    paid = issued - unpaid - skipped
    payoff_at = None
    if scenario.startswith("liquidado") and issued:
        low = max(1, issued // 2)
        payoff_at = rng.randint(low, max(low, issued - 3))
        paid = payoff_at

    def unit(period: date) -> Decimal | None:
        if credit.denomination != Denomination.VSM or not credit.amount_granted_vsm:
            return None
        years = range(credit.origination_date.year + 1, period.year + 1)
        return schedule.vsm_unit_value(
            vsm_origination_value(credit), [factors[y].factor for y in years if y in factors]
        )

    rows = list(islice(schedule.schedule(credit.amount_granted, credit.annual_rate, credit.term_months), paid))
    last_paid = schedule.add_months(credit.origination_date, len(rows))
    last_unit = unit(last_paid)
    ratio = last_unit / vsm_origination_value(credit) if last_unit is not None else Decimal(1)
    insurance, fee = monthly_charges(
        amount_granted=credit.amount_granted, product=credit.product, rates=rates.on(cutover)
    )
    capital = money(rows[-1].closing * ratio) if rows else credit.amount_granted
    if payoff_at is not None or capital <= 0:
        payoff_day = due_date(regime=credit.regime, period=last_paid) if rows else credit.origination_date
        excess = ZERO
        if scenario == "liquidado_con_exceso":
            excess = rng.randint(1, 4) * (level_payment(credit, last_unit) + insurance + fee)
        return MigratedCredit(CreditStatus.LIQUIDADO, payoff_day, ZERO, ZERO, ZERO, excess, [])
    instalments = []
    if rows:
        row = rows[-1]
        opening, interest, due = money(row.opening * ratio), money(row.interest * ratio), money(row.capital * ratio)
        period = last_paid
        instalments.append(
            (period, len(rows), due_date(regime=credit.regime, period=period), opening, last_unit, interest,
             insurance, fee, due, True)
        )  # fmt: skip
    owed_interest = owed_charges = capital_due_unpaid = ZERO
    for k in range(paid + 1, paid + unpaid + 1):
        period = schedule.add_months(credit.origination_date, k)
        value = unit(period)
        interest = schedule.month_interest(capital, credit.annual_rate)
        due = schedule.capital_due(
            capital_not_due=capital - capital_due_unpaid,
            payment=level_payment(credit, value),
            interest=interest,
            number=k,
            term=credit.term_months,
        )
        capital_due_unpaid += due
        owed_interest += interest
        owed_charges += insurance + fee
        instalments.append(
            (period, k, due_date(regime=credit.regime, period=period), capital, value, interest, insurance, fee, due,
             False)
        )  # fmt: skip
    status = CreditStatus.PRORROGA if scenario == "prorroga" else CreditStatus.VIGENTE
    return MigratedCredit(status, None, capital, owed_interest, owed_charges, ZERO, instalments)


class PopulationWriter:
    def __init__(
        self, generator: PopulationGenerator, fund: dict[str, Account], *, engine_credits: bool = False
    ) -> None:
        self.gen = generator
        # True: credits are written without money, for the servicing engine to post their whole history (the
        # demo people, micuenta.demo.credits); False: each arrives as a saldo migrado at the cut-over.
        self.engine_credits = engine_credits
        self.unit_factors = unit_factors()
        self.charge_rates = charge_rates()
        # Read once: planning threads and chunk writers share it, and the table changes only by staff edits.
        self.yield_rates: dict[int, Decimal] = {row.valid_from.year: row.rate for row in YieldRate.objects.all()}
        self.fund = fund
        self.bank = fund[codes.FUND_BANK.code]
        self.rng = random.Random(generator.seed)  # noqa: S311 (synthetic data)

    def write_chunk(self, chunk_index: int, plans: list[PersonPlan], report: SeedReport) -> None:
        seed, as_of = self.gen.seed, self.gen.as_of
        # Its own generator per chunk: planning runs ahead in another thread and must not share one.
        self.rng = random.Random(f"{seed}:{chunk_index}")  # noqa: S311 (synthetic data)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        worker_ids = reserve_ids("people_worker", len(plans))
        insert_rows(
            "people_worker",
            (
                "id", "nss", "curp", "rfc", "nombre", "primer_apellido", "segundo_apellido", "fecha_nacimiento",
                "sexo", "entidad_nacimiento", "afore", "first_contribution_on", "status", "created_at",
            ),
            [
                (
                    wid, p.nss, p.curp, p.rfc, p.nombre, p.primer_apellido, p.segundo_apellido, p.fecha_nacimiento,
                    p.sexo, p.entidad, p.afore, p.relations[0].started_on if p.relations else None, p.status, now,
                )
                for wid, p in zip(worker_ids, plans, strict=True)
            ],
        )  # fmt: skip
        workers = [WorkerRow(wid, p.entidad) for wid, p in zip(worker_ids, plans, strict=True)]
        subaccount_ids = reserve_ids("savings_housingsubaccount", len(plans))
        insert_rows(
            "savings_housingsubaccount",
            ("id", "worker_id", "opened_on"),
            [
                (sid, w.pk, p.relations[0].started_on if p.relations else as_of)
                for sid, w, p in zip(subaccount_ids, workers, plans, strict=True)
            ],
        )
        pocket_list = list(Pocket)
        account_ids = reserve_ids("ledger_account", len(workers) * len(pocket_list))
        pocket_accounts = [
            Account(id=aid, code=codes.pocket_code(w.pk, pocket.value), name=pocket.label, kind=AccountKind.LIABILITY)
            for aid, (w, pocket) in zip(account_ids, ((w, pk) for w in workers for pk in pocket_list), strict=True)
        ]
        insert_rows(
            "ledger_account",
            ("id", "code", "name", "kind", "balance", "created_at"),
            [(a.pk, a.code, a.name, a.kind, Decimal("0.00"), now) for a in pocket_accounts],
        )
        pockets: dict[tuple[int, str], Account] = {}
        links = []
        for i, w in enumerate(workers):
            for j, pocket in enumerate(pocket_list):
                account = pocket_accounts[i * len(pocket_list) + j]
                pockets[(w.pk, pocket.value)] = account
                links.append((subaccount_ids[i], pocket.value, account.pk))
        insert_rows("savings_subaccountpocket", ("subaccount_id", "pocket", "account_id"), links)

        # Employment relations and movements.
        relation_plans = [(w, rp) for w, p in zip(workers, plans, strict=True) for rp in p.relations]
        relation_ids = reserve_ids("employment_employmentrelation", len(relation_plans))
        insert_rows(
            "employment_employmentrelation",
            ("id", "worker_id", "employer_id", "started_on", "ended_on", "sbc", "worker_type"),
            [
                (
                    rid, w.pk, rp.employer.pk, rp.started_on, rp.ended_on, sbc_in_year(rp, (rp.ended_on or as_of).year),
                    WorkerType.EVENTUAL if self.rng.random() < 0.08 else WorkerType.PERMANENTE,
                )
                for rid, (w, rp) in zip(relation_ids, relation_plans, strict=True)
            ],
        )  # fmt: skip
        movements: list[tuple[int, str, date, Decimal | None]] = []
        for rid, (_, rp) in zip(relation_ids, relation_plans, strict=True):
            first = MovementType.REINGRESO if rp.reingreso else MovementType.ALTA
            movements.append((rid, first, rp.started_on, rp.base_sbc))
            end = rp.ended_on or as_of
            for year in range(rp.started_on.year + 1, end.year + 1):
                movements.append((rid, MovementType.MODIFICACION, date(year, 1, 1), sbc_in_year(rp, year)))
            if rp.ended_on is not None:
                movements.append((rid, MovementType.BAJA, rp.ended_on, None))
        insert_rows("employment_employmentmovement", ("relation_id", "kind", "effective_on", "sbc"), movements)
        relations = relation_ids

        # Money: opening balances, contributions by bimestre, yields by year.
        opening: dict[int, Decimal] = defaultdict(Decimal)  # pocket account id -> amount
        contributions: list[tuple[WorkerRow, RelationPlan, int, int, int, Decimal, Decimal, date]] = []
        merged: dict[tuple[int, int, int, int], int] = {}
        for w, p in zip(workers, plans, strict=True):
            for rp in p.relations:
                end = rp.ended_on or as_of
                self._opening(w, rp, end, pockets, opening)
                for year, bim in bimestres(max(rp.started_on, CONTRIBUTIONS_FROM), min(end, as_of)):
                    start, stop = bimestre_start(year, bim), bimestre_end(year, bim)
                    deadline = payment_deadline(year, bim)
                    behaviour = rp.employer.behaviour
                    paid_on = deadline - timedelta(days=self.rng.randint(0, 10))
                    if behaviour == "tardio" and self.rng.random() < 0.5:
                        paid_on = deadline + timedelta(days=self.rng.randint(20, 120))
                    if behaviour == "incumplido" and self.rng.random() < 0.3:
                        continue  # never paid: shows as a missing contribution
                    if paid_on > as_of:
                        continue
                    span = SalarySpan(max(start, rp.started_on), min(stop, end), sbc_in_year(rp, year))
                    days = span.days
                    sbc = capped_sbc(span.sbc, start)
                    amount = contribution_due([span])
                    if behaviour == "incumplido" and self.rng.random() < 0.3:
                        amount = money(amount * Decimal("0.7"))  # underpaid
                    line_key = (w.pk, rp.employer.pk, year, bim)
                    if line_key in merged:  # a reingreso in the same bimestre: one SUA line per worker and employer
                        i = merged[line_key]
                        pw, prp, py, pb, pdays, _, pamount, ppaid = contributions[i]
                        contributions[i] = (pw, prp, py, pb, pdays + days, sbc, pamount + amount, max(ppaid, paid_on))
                        continue
                    merged[line_key] = len(contributions)
                    contributions.append((w, rp, year, bim, days, sbc, amount, paid_on))
        entries: list[Entry] = []
        if opening:
            by_pk = {a.pk: a for a in pocket_accounts}
            lines = [Line(self.fund[codes.OPENING_BALANCES.code], sum(opening.values(), Decimal("0.00")))]
            lines += [Line(by_pk[pk], -amount) for pk, amount in sorted(opening.items())]
            entries.append(
                Entry(
                    f"seed:{seed}:saldos-iniciales:lote-{chunk_index}",
                    "Saldos iniciales migrados",
                    CONTRIBUTIONS_FROM - timedelta(days=1),
                    tuple(lines),
                    kind=LedgerKind.OPENING,
                )
            )
        by_pk = {a.pk: a for a in pocket_accounts}
        # One transaction per bimestre and payment day in the chunk, as the bank's SUA settlement would post it.
        by_payment: dict[tuple[int, int, date], list[int]] = defaultdict(list)
        for idx, (_, _, year, bim, *_rest, paid_on) in enumerate(contributions):
            by_payment[(year, bim, paid_on)].append(idx)
        payment_keys = {}
        for (year, bim, paid_on), idxs in sorted(by_payment.items()):
            key = f"seed:{seed}:sua:{year}-{bim}:{paid_on.isoformat()}:lote-{chunk_index}"
            payment_keys[(year, bim, paid_on)] = key
            per_account: dict[int, Decimal] = defaultdict(Decimal)
            for idx in idxs:
                w, *_, amount, _paid = contributions[idx]
                per_account[pockets[(w.pk, Pocket.VIVIENDA_97.value)].pk] += amount
            total = sum(per_account.values(), Decimal("0.00"))
            lines = [Line(self.bank, total), *(Line(by_pk[pk], -a) for pk, a in sorted(per_account.items()))]
            entries.append(
                Entry(
                    key,
                    f"Aportaciones patronales, bimestre {bim} de {year}",
                    paid_on,
                    tuple(lines),
                    kind=LedgerKind.SUA,
                )
            )
        entries += self._yield_entries(chunk_index, opening, contributions, pockets, pocket_accounts)
        ledger_post_many(entries=entries)
        ids = dict(
            Transaction.objects.filter(idempotency_key__in=list(payment_keys.values())).values_list(
                "idempotency_key", "id"
            )
        )
        insert_rows(
            "savings_contribution",
            (
                "worker_id", "employer_id", "year", "bimestre", "days", "sbc", "amount", "paid_on", "folio_sua",
                "pocket", "transaction_id",
            ),
            [
                (
                    w.pk, rp.employer.pk, year, bim, days, sbc, amount, paid_on,
                    f"{rp.employer.registro_patronal}-{year}{bim}", Pocket.VIVIENDA_97.value,
                    ids[payment_keys[(year, bim, paid_on)]],
                )
                for w, rp, year, bim, days, sbc, amount, paid_on in contributions
            ],
        )  # fmt: skip
        report.contributions += len(contributions)
        report.workers += len(workers)
        report.relations += len(relations)
        report.movements += len(movements)
        report.transactions += len(entries)
        report.credits += self._credits(chunk_index, workers, plans, report)

    def _opening(
        self,
        w: WorkerRow,
        rp: RelationPlan,
        end: date,
        pockets: dict[tuple[int, str], Account],
        opening: dict[int, Decimal],
    ) -> None:
        """Contributions before CONTRIBUTIONS_FROM, summed by pocket (no yields: a conservative opening balance)."""
        start = max(rp.started_on, date(1972, 5, 1))
        stop = min(end, CONTRIBUTIONS_FROM - timedelta(days=1))
        year = start.year
        while year <= stop.year:
            a, b = max(start, date(year, 1, 1)), min(stop, date(year, 12, 31))
            if a <= b:
                days = (b - a).days + 1
                amount = money(FIVE_PERCENT * sbc_in_year(rp, year) * days)
                pocket = pocket_for_contribution(a)
                # A year that straddles a pocket boundary goes to the pocket of its first day.
                opening[pockets[(w.pk, pocket.value)].pk] += amount
            year += 1

    def _yield_entries(
        self,
        chunk_index: int,
        opening: dict[int, Decimal],
        contributions: list[tuple[WorkerRow, RelationPlan, int, int, int, Decimal, Decimal, date]],
        pockets: dict[tuple[int, str], Account],
        pocket_accounts: list[Account],
    ) -> list[Entry]:
        """Yields of each period until `as_of`, as `manage.py post_yields` credits them (savings.yields): the same
        function and one transaction per period for the chunk, so the command skips these pockets afterwards."""
        earning = {a.pk for a in pocket_accounts if a.code.rsplit(":", 1)[-1] in POCKETS_WITH_YIELD}
        balance: dict[int, Decimal] = defaultdict(Decimal, {pk: v for pk, v in opening.items() if pk in earning})
        paid: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
        for w, _rp, _y, _b, _d, _s, amount, paid_on in contributions:
            paid[pockets[(w.pk, Pocket.VIVIENDA_97.value)].pk].append((paid_on, amount))
        expense = self.fund[codes.YIELD_EXPENSE.code]
        mode = crediting()
        entries = []
        for year in range(CONTRIBUTIONS_FROM.year, self.gen.as_of.year + 1):
            rate = self.yield_rates.get(year)
            for period in yield_periods(year, mode):
                if period.end >= self.gen.as_of:
                    break
                amounts = {}
                for pk in sorted(earning):
                    changes = [(day, amount) for day, amount in paid[pk] if period.start <= day <= period.end]
                    amount = Decimal("0.00")
                    if rate is not None:
                        amount = accrued_yield(
                            opening=balance[pk], changes=changes, start=period.start, end=period.end, annual_rate=rate
                        )
                    balance[pk] += sum((a for _, a in changes), Decimal("0.00")) + amount
                    if amount > 0:
                        amounts[pk] = amount
                if amounts:
                    key = f"seed:{self.gen.seed}:rendimientos:{period.key}:lote-{chunk_index}"
                    entries.append(yields_entry(period=period, expense=expense, amounts=amounts, key=key))
        return entries

    def _credits(self, chunk_index: int, workers: list[WorkerRow], plans: list[PersonPlan], report: SeedReport) -> int:
        """The chunk's credits with their four ledger accounts; unless `engine_credits`, each with its
        origination and its saldo migrado at the cut-over and the mensualidades the engine continues from."""
        gen = self.gen
        chosen = [(w, p.credit) for w, p in zip(workers, plans, strict=True) if p.credit is not None]
        if not chosen:
            return 0
        specs = (
            (codes.credit_code, "Saldo del crédito {}", AccountKind.ASSET),
            (codes.credit_interest_code, "Intereses por cobrar del crédito {}", AccountKind.ASSET),
            (codes.credit_charges_code, "Seguro y cuotas por cobrar del crédito {}", AccountKind.ASSET),
            (codes.credit_excess_code, "Saldo a favor del crédito {}", AccountKind.LIABILITY),
        )
        accounts = Account.objects.bulk_create(
            [Account(code=code(c.numero), name=name.format(c.numero), kind=kind) for code, name, kind in specs
             for _, c in chosen],
            batch_size=2000,
        )  # fmt: skip
        n = len(chosen)
        main, interest_acc, charges_acc, excess_acc = (accounts[i * n : (i + 1) * n] for i in range(4))
        rows: list[Credit] = []
        for index, (w, c) in enumerate(chosen):
            rows.append(
                Credit(
                    numero_credito=c.numero,
                    worker_id=w.pk,
                    product=c.product,
                    denomination=c.denomination,
                    amount_granted=c.amount,
                    amount_granted_vsm=(
                        c.amount_vsm or (c.amount / (Decimal("30.4") * VSM_DAILY_2013)).quantize(Decimal("0.0001"))
                    )
                    if c.denomination == Denomination.VSM
                    else None,
                    annual_rate=c.rate,
                    term_months=c.term,
                    origination_date=c.origination,
                    regime=c.regime,
                    discount_type=DiscountType.CUOTA_FIJA
                    if c.denomination == Denomination.PESOS
                    else DiscountType.FACTOR,
                    discount_value=Decimal("0.2000")
                    if c.denomination == Denomination.VSM
                    else (c.amount / c.term).quantize(Decimal("0.0001")),
                    status=CreditStatus.VIGENTE,
                    account=main[index],
                    interest_account=interest_acc[index],
                    charges_account=charges_acc[index],
                    excess_account=excess_acc[index],
                    calle_numero=f"Calle {self.rng.randint(1, 120)} núm. {self.rng.randint(1, 999)}",
                    colonia=f"Colonia {self.rng.choice(gen.surnames)}",
                    municipio=self.rng.choice(MUNICIPIOS["DF"])
                    if w.entidad_nacimiento not in MUNICIPIOS
                    else self.rng.choice(MUNICIPIOS[w.entidad_nacimiento]),
                    estado=w.entidad_nacimiento if w.entidad_nacimiento in MUNICIPIOS else "DF",
                    codigo_postal=f"{self.rng.randint(1000, 99999):05d}",
                )
            )
        if self.engine_credits:
            Credit.objects.bulk_create(rows, batch_size=2000)
            return len(rows)
        cutover = cutover_month(gen.as_of)
        migrated_on = cutover - timedelta(days=1)
        opening = self.fund[codes.OPENING_BALANCES.code]
        entries: list[Entry] = []
        positions = []
        for credit, (_, c) in zip(rows, chosen, strict=True):
            m = _migrate(credit, c.scenario, cutover, self.unit_factors, self.charge_rates, self.rng)
            positions.append(m)
            credit.status, credit.paid_off_on = m.status, m.paid_off_on
            entries.append(
                Entry(
                    f"seed:{gen.seed}:credito:{c.numero}:originacion",
                    "Otorgamiento del crédito",
                    c.origination,
                    (Line(credit.account, c.amount), Line(self.bank, -c.amount)),
                    kind=LedgerKind.CREDIT_ORIGINATION,
                )
            )
            lines = [
                Line(account, amount)
                for account, amount in (
                    (credit.account, m.capital - c.amount),
                    (credit.interest_account, m.interest),
                    (credit.charges_account, m.charges),
                    (credit.excess_account, -m.excess),
                )
                if amount and account is not None
            ]
            if lines:
                lines.append(Line(opening, -sum((line.amount for line in lines), ZERO)))
                entries.append(
                    Entry(
                        f"seed:{gen.seed}:credito:{c.numero}:saldo-migrado",
                        f"Saldo migrado al {migrated_on:%d/%m/%Y}",
                        migrated_on,
                        tuple(lines),
                        kind=LedgerKind.CREDIT_MIGRATED,
                    )
                )
        Credit.objects.bulk_create(rows, batch_size=2000)
        insert_rows(
            "credits_instalment",
            (
                "credit_id", "period", "number", "due_date", "opening_capital", "capital_update", "unit_value",
                "interest", "insurance", "fees", "capital_due", "paid_charges", "paid_interest", "paid_capital",
            ),
            [
                (credit.pk, period, number, due, opening_capital, ZERO, unit, interest, insurance, fees, capital_due,
                 insurance + fees if paid else ZERO, interest if paid else ZERO, capital_due if paid else ZERO)
                for credit, m in zip(rows, positions, strict=True)
                for period, number, due, opening_capital, unit, interest, insurance, fees, capital_due, paid
                in m.instalments
            ],
        )  # fmt: skip
        ledger_post_many(entries=entries)
        report.transactions += len(entries)
        return len(rows)


def population_seed(
    *,
    workers: int,
    seed: int,
    as_of: date = DEFAULT_AS_OF,
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport:
    """Make `workers` synthetic people with histories, savings and credits; the same seed gives the same data."""
    started = time.monotonic()
    if Transaction.objects.filter(idempotency_key__startswith=f"seed:{seed}:").exists():
        raise AlreadySeeded(f"population with seed {seed} already exists")
    gen = PopulationGenerator(seed=seed, as_of=as_of)
    # People already in the database (the demo people, an earlier population) keep their identifiers.
    for nss, curp in Worker.objects.values_list("nss", "curp").iterator(chunk_size=10_000):
        gen.used_nss.add(nss)
        gen.used_curps.add(curp)
    gen.used_creditos.update(Credit.objects.values_list("numero_credito", flat=True).iterator(chunk_size=10_000))
    report = SeedReport()
    with transaction.atomic():
        fund = _fund_accounts()
        employer_plans = gen.employers(max(10, workers // 20))
        _write_employers(employer_plans)
    report.employers = len(employer_plans)
    # Reference lookups are cached per process; load them here so that the planning thread needs no database.
    for year in range(2016, as_of.year + 1):
        uma_on(date(year, 6, 1))
    payment_deadline(as_of.year, 1)

    # Planning (pure Python) runs one chunk ahead in a thread while this one writes (mostly waiting on the
    # database), so the two overlap on a 2-core machine. Plans come in order, so the data stays the same.
    sizes = [min(chunk_size, workers - start) for start in range(0, workers, chunk_size)]
    planned: queue.Queue[list[PersonPlan] | BaseException] = queue.Queue(maxsize=2)

    def plan_chunks() -> None:
        try:
            for size in sizes:
                plans = []
                for _ in range(size):
                    plan = gen.person(employer_plans)
                    gen.identify(plan)
                    plan.credit = gen.credit(plan)
                    plans.append(plan)
                planned.put(plans)
        except BaseException as exc:  # handed to the writing thread, which raises it
            planned.put(exc)

    planner = threading.Thread(target=plan_chunks, name="population-planner", daemon=True)
    planner.start()

    def write(chunk_index: int, plans: list[PersonPlan]) -> SeedReport:
        chunk_report = SeedReport()
        try:
            with transaction.atomic():
                PopulationWriter(gen, fund).write_chunk(chunk_index, plans, chunk_report)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()
        return chunk_report

    # On PostgreSQL two chunks are written at once, on two connections: while one commits (foreign-key and
    # balance checks run in the server), the other builds its rows. SQLite has one writer at a time.
    parallel = 2 if connection.vendor == "postgresql" else 1
    done = 0
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="population-writer") as pool:
        pending: deque[Future[SeedReport]] = deque()
        for chunk_index in range(len(sizes)):
            item = planned.get()
            if isinstance(item, BaseException):
                raise item
            if parallel == 1:
                chunk_report = write(chunk_index, item)
                report.merge(chunk_report)
                done += chunk_report.workers
                if progress is not None:
                    progress(done, workers)
                continue
            pending.append(pool.submit(write, chunk_index, item))
            while len(pending) >= parallel or (pending and pending[0].done()):
                chunk_report = pending.popleft().result()
                report.merge(chunk_report)
                done += chunk_report.workers
                if progress is not None:
                    progress(done, workers)
        while pending:
            chunk_report = pending.popleft().result()
            report.merge(chunk_report)
            done += chunk_report.workers
            if progress is not None:
                progress(done, workers)
    planner.join()
    # The planner's statistics still describe the empty tables: without them, a worker's movements page picks a
    # plan that walks every ledger transaction (1 s instead of 1 ms at 200,000 people).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report.seconds = time.monotonic() - started
    return report
