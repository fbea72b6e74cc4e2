"""The employers' bimonthly payment file (SUA): one line per worker, employer and bimestre (docs/feeds.md).

Each valid line is one ledger transaction, keyed by employer, worker, bimestre and folio SUA (database ids, never
the NSS): the bank receives aportación + amortización; the aportación goes to the worker's pocket for that period
(Vivienda 97 from July 1997) and the amortización pays the credit through the servicing engine (oldest
mensualidad first: seguro y cuotas, interest, capital; then capital; beyond the whole debt, the saldo a favor). For a
ROA borrower the aportación of a bimestre from the credit's origination on then goes to the credit's capital, in a
second transaction out of the pocket (kind `credito_aportacion`), so the savings page shows both. A line whose
key is already in the ledger is counted as already registered, so a replayed file, or the same payment in two
files, posts nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from micuenta.core.money import money
from micuenta.core.periods import bimestre_days, bimestre_label, bimestre_start
from micuenta.credits.models import CreditStatus, Denomination, Regime
from micuenta.credits.rules import MISSING_FACTOR_REASON, missing_vsm_factor, unit_factors
from micuenta.credits.services.locks import credits_lock_by_numero
from micuenta.credits.status import ACCRUING
from micuenta.employment.models import Employer
from micuenta.feeds import fields
from micuenta.feeds.fields import LineError
from micuenta.feeds.models import FeedKind, ImportRun
from micuenta.feeds.runner import ChunkResult, FeedProcessorBase, RawLine
from micuenta.ledger.models import Transaction
from micuenta.people.selectors import worker_ids_by_nss
from micuenta.savings.contributions import FIVE_PERCENT, capped_sbc
from micuenta.savings.errors import SuaLineCode
from micuenta.savings.models import Contribution
from micuenta.savings.obligations import tolerance
from micuenta.savings.services.sua import ContributionLine, contributions_post, sua_key

FIRST_SUA_YEAR = 1997  # the SUA (Sistema Único de Autodeterminación) started with the 1997 reform
CREDITO_RE = re.compile(r"[0-9]{10}")
COLUMNS = (
    "registro_patronal",
    "nss",
    "anio",
    "bimestre",
    "dias_cotizados",
    "sbc",
    "aportacion",
    "amortizacion",
    "numero_credito",
    "fecha_pago",
    "folio_sua",
)


@dataclass(frozen=True)
class Payment:
    line: RawLine
    registro_patronal: str
    nss: str
    year: int
    bimestre: int
    days: int
    sbc: Decimal
    aportacion: Decimal
    deduction: Decimal
    numero_credito: str
    paid_on: date
    folio: str

    @property
    def signature(self) -> tuple[object, ...]:
        """What must match for a line with the same key to be the same payment."""
        return (
            self.days, money(self.sbc), money(self.aportacion), money(self.deduction), self.numero_credito,
            self.paid_on,
        )  # fmt: skip

    @property
    def period_key(self) -> tuple[str, str, int, int]:
        return (self.registro_patronal, self.nss, self.year, self.bimestre)


def parse_payment(line: RawLine, *, today: date) -> Payment:
    """The line's values, or LineError with the first problem found."""
    f = line.fields
    nrp = fields.registro_patronal(f["registro_patronal"])
    nss = fields.nss(f["nss"])
    year = fields.integer(f["anio"], "anio")
    if not FIRST_SUA_YEAR <= year <= today.year:
        raise LineError(SuaLineCode.YEAR_INVALID, f"El año debe estar entre {FIRST_SUA_YEAR} y {today.year}.")
    bimestre = fields.integer(f["bimestre"], "bimestre")
    if not 1 <= bimestre <= 6:
        raise LineError(SuaLineCode.BIMESTRE_INVALID, "El bimestre debe ser un número del 1 al 6.")
    days = fields.integer(f["dias_cotizados"], "dias_cotizados")
    most = bimestre_days(year, bimestre)
    if not 1 <= days <= most:
        raise LineError(
            SuaLineCode.DAYS_INVALID,
            f"Los días cotizados deben estar entre 1 y {most}, los días del {bimestre_label(year, bimestre)}; "
            f"la línea dice {days}.",
        )
    sbc = fields.amount(f["sbc"], "sbc", positive=True, integer_digits=8)
    aportacion = fields.amount(f["aportacion"], "aportacion")
    deduction = fields.amount(f["amortizacion"], "amortizacion")
    if aportacion == 0 and deduction == 0:
        raise LineError(SuaLineCode.NO_AMOUNTS, "La aportación y la amortización son cero: la línea no paga nada.")
    numero_credito = f["numero_credito"]
    if deduction > 0 and not numero_credito:
        raise LineError(
            SuaLineCode.CREDIT_MISSING, "Hay amortización pero falta el número de crédito al que se descontó."
        )
    if numero_credito and not CREDITO_RE.fullmatch(numero_credito):
        raise LineError(SuaLineCode.CREDIT_INVALID, "El número de crédito debe tener 10 dígitos.")
    paid_on = fields.day(f["fecha_pago"], "fecha_pago", today=today)
    if paid_on < bimestre_start(year, bimestre):
        raise LineError(
            SuaLineCode.PAID_BEFORE_BIMESTRE,
            f"La fecha de pago es anterior al inicio del {bimestre_label(year, bimestre)}.",
        )
    # The line's own arithmetic: more than 5 % of its capped SBC for its days is not an SUA result.
    most_due = money(FIVE_PERCENT * capped_sbc(sbc, bimestre_start(year, bimestre)) * days)
    if aportacion - most_due >= tolerance():
        raise LineError(
            SuaLineCode.CONTRIBUTION_TOO_LARGE,
            f"La aportación ({aportacion}) es mayor que el 5 % del SBC declarado por los días cotizados "
            f"({most_due}); pide al patrón que revise la línea en el SUA.",
        )
    # A deduction is withheld from the salary of the same days: more than the whole salary is a typing error.
    salary = money(sbc * days)
    if deduction > salary:
        raise LineError(
            SuaLineCode.DEDUCTION_TOO_LARGE,
            f"La amortización ({deduction}) es mayor que todo el salario de los días cotizados ({salary}): no pudo "
            "descontarse; pide al patrón que revise la línea en el SUA.",
        )
    folio = f["folio_sua"]
    if not folio:
        raise LineError(SuaLineCode.FOLIO_MISSING, "Falta el folio SUA del pago.")
    if len(folio) > 40:
        raise LineError(SuaLineCode.FOLIO_INVALID, "El folio SUA tiene más de 40 caracteres.")
    return Payment(line, nrp, nss, year, bimestre, days, sbc, aportacion, deduction, numero_credito, paid_on, folio)


@dataclass(frozen=True)
class _Ready:
    payment: Payment
    key: str
    worker_id: int
    employer_id: int
    razon_social: str
    credit_id: int | None  # the credit the line names
    to_capital: bool  # the aportación goes to that credit's capital (ROA, a bimestre after origination)

    def to_post(self) -> ContributionLine:
        p = self.payment
        return ContributionLine(
            self.key, self.worker_id, self.employer_id, self.razon_social, p.year, p.bimestre, p.days, p.sbc,
            p.aportacion, p.deduction, p.numero_credito, p.paid_on, p.folio, self.credit_id, self.to_capital,
        )  # fmt: skip


class EmployerPaymentsProcessor(FeedProcessorBase):
    kind = FeedKind.EMPLOYER_PAYMENTS
    required_columns: tuple[str, ...] = COLUMNS

    def __init__(self, *, today: date | None = None) -> None:
        super().__init__(today=today)
        # Key → first line with it in the current chunk; a repeat in a later chunk is found in the database.
        self.seen: dict[str, Payment] = {}
        self.run: ImportRun | None = None

    def process_chunk(self, run: ImportRun, lines: Sequence[RawLine]) -> ChunkResult:
        result = ChunkResult()
        self.seen = {}
        self.run = run
        payments: list[Payment] = []
        for line in lines:
            try:
                payments.append(parse_payment(line, today=self.today))
            except LineError as error:
                result.reject(line, error.code, error.reason)
        ready = self._resolve(payments, result)
        ready = self._drop_duplicates(ready, result)
        self._post(ready, result)
        return result

    def _resolve(self, payments: list[Payment], result: ChunkResult) -> list[_Ready]:
        """Find workers, employers and credits for the whole chunk in three queries."""
        workers = worker_ids_by_nss(p.nss for p in payments)
        employers = {
            nrp: (pk, name)
            for nrp, pk, name in Employer.objects.filter(
                registro_patronal__in={p.registro_patronal for p in payments}
            ).values_list("registro_patronal", "id", "razon_social")
        }
        # Under the credits' locks (the chunk's transaction keeps them): what a line may pay is decided on the credit
        # as the services will find it.
        credits = credits_lock_by_numero({p.numero_credito for p in payments if p.numero_credito})
        factors = unit_factors() if any(c.denomination == Denomination.VSM for c in credits.values()) else {}
        ready: list[_Ready] = []
        for p in payments:
            worker_id = workers.get(p.nss)
            if worker_id is None:
                result.reject(
                    p.line,
                    SuaLineCode.UNKNOWN_WORKER,
                    "El NSS no corresponde a ningún derechohabiente registrado; verifícalo con el patrón.",
                )
                continue
            employer = employers.get(p.registro_patronal)
            if employer is None:
                result.reject(
                    p.line,
                    SuaLineCode.UNKNOWN_EMPLOYER,
                    "El registro patronal no está en el padrón de patrones: primero debe llegar el alta del "
                    "trabajador con este patrón en el archivo de movimientos del IMSS.",
                )
                continue
            credit_id = None
            to_capital = False
            credit = credits.get(p.numero_credito) if p.numero_credito else None
            if p.deduction > 0:
                if credit is None or worker_id not in (credit.worker_id, credit.co_borrower_id):
                    result.reject(
                        p.line,
                        SuaLineCode.CREDIT_OF_ANOTHER,
                        "El número de crédito no corresponde a un crédito de este trabajador; revisa el aviso de "
                        "retención que recibió el patrón.",
                    )
                    continue
                if credit.status in (CreditStatus.CANCELADO, CreditStatus.EN_TRAMITE):
                    result.reject(
                        p.line,
                        SuaLineCode.CREDIT_NOT_CURRENT,
                        "El crédito no está otorgado o fue cancelado: no puede recibir amortizaciones; pide al patrón "
                        "que revise el aviso de retención o de suspensión.",
                    )
                    continue
                if p.paid_on < credit.origination_date:
                    result.reject(
                        p.line,
                        SuaLineCode.PAID_BEFORE_ORIGINATION,
                        f"La amortización se pagó ({p.paid_on:%Y-%m-%d}) antes del otorgamiento del crédito "
                        f"({credit.origination_date:%Y-%m-%d}): no pudo descontarse para él; pide al patrón que "
                        "revise el aviso de retención.",
                    )
                    continue
            if credit is not None and worker_id in (credit.worker_id, credit.co_borrower_id):
                year = missing_vsm_factor(
                    denomination=credit.denomination,
                    origination=credit.origination_date,
                    day=p.paid_on,
                    factors=factors,
                )
                if year is not None and (p.deduction > 0 or p.aportacion > 0):
                    result.reject(p.line, SuaLineCode.VSM_FACTOR_MISSING, MISSING_FACTOR_REASON.format(year=year))
                    continue
                credit_id = credit.pk
                to_capital = (
                    p.aportacion > 0
                    and credit.regime == Regime.ROA
                    and credit.status in ACCRUING
                    and bimestre_start(p.year, p.bimestre) >= credit.origination_date.replace(day=1)
                )
            key = sua_key(employer_id=employer[0], worker_id=worker_id, year=p.year, bimestre=p.bimestre, folio=p.folio)
            ready.append(_Ready(p, key, worker_id, employer[0], employer[1], credit_id, to_capital))
        return ready

    def _drop_duplicates(self, ready: list[_Ready], result: ChunkResult) -> list[_Ready]:
        """Lines already posted (now or by an earlier file) count as duplicates; with other values, or a second
        line for the same worker, employer and bimestre in this file, they are quarantined."""
        posted = set(
            Transaction.objects.filter(idempotency_key__in=[r.key for r in ready]).values_list(
                "idempotency_key", flat=True
            )
        )
        worker_ids = {r.worker_id for r in ready}
        stored: dict[str, tuple[object, ...]] = {}
        in_this_file: set[tuple[int, int, int, int]] = set()
        for row in Contribution.objects.filter(worker_id__in=worker_ids).filter(
            Q(import_run=self.run) | Q(folio_sua__in={r.payment.folio for r in ready if r.key in posted})
        ).values_list(
            "worker_id", "employer_id", "year", "bimestre", "folio_sua", "days", "sbc", "amount", "deduction",
            "numero_credito", "paid_on", "import_run_id",
        ):  # fmt: skip
            w, e, y, b, folio, *values, run_id = row
            stored[sua_key(employer_id=e, worker_id=w, year=y, bimestre=b, folio=folio)] = tuple(values)
            if run_id == getattr(self.run, "pk", None):
                in_this_file.add((w, e, y, b))
        fresh = []
        for r in ready:
            period = (r.worker_id, r.employer_id, r.payment.year, r.payment.bimestre)
            earlier = self.seen.get(r.key)
            if earlier is not None and earlier.signature != r.payment.signature:
                result.reject(
                    r.payment.line,
                    SuaLineCode.REPEATED_DIFFERENT,
                    f"La línea {earlier.line.number} de este archivo trae el mismo trabajador, patrón, bimestre y "
                    "folio SUA con otros valores; aclara con el patrón cuál es la correcta y envía solo esa.",
                )
                continue
            if r.key in posted or earlier is not None:
                if r.key in stored and stored[r.key] != r.payment.signature:
                    result.reject(
                        r.payment.line,
                        SuaLineCode.RECORDED_DIFFERENT,
                        "Ya está registrado un pago con el mismo folio SUA para este trabajador y bimestre con otros "
                        "valores (días, SBC, aportación, amortización o fecha); aclara con el patrón cuál es el "
                        "correcto.",
                    )
                    continue
                result.duplicates += 1
                continue
            if period in in_this_file:
                result.reject(
                    r.payment.line,
                    SuaLineCode.BIMESTRE_REPEATED,
                    "El archivo ya trae otra línea de este trabajador con este patrón para el mismo bimestre: "
                    "el SUA manda una sola; un pago complementario llega en su propio archivo.",
                )
                continue
            self.seen[r.key] = r.payment
            in_this_file.add(period)
            fresh.append(r)
        return fresh

    def _post(self, ready: list[_Ready], result: ChunkResult) -> None:
        if not ready:
            return
        contributions_post(
            actor=self.actor, run_id=getattr(self.run, "pk", None), lines=[r.to_post() for r in ready], today=self.today
        )
        for r in ready:
            result.add_total("aportaciones", money(r.payment.aportacion))
            result.add_total("amortizaciones", money(r.payment.deduction))
        result.posted += len(ready)
        self.touched_workers.update(r.worker_id for r in ready)
