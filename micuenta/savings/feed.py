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

from micuenta.core.db.bulk import insert_rows
from micuenta.core.money import money
from micuenta.core.periods import bimestre_days, bimestre_label, bimestre_start
from micuenta.credits.models import Credit, CreditStatus, Denomination, PaymentChannel, PaymentSource, Regime
from micuenta.credits.servicing import (
    ACCRUING,
    MISSING_FACTOR_REASON,
    PaymentIn,
    by_month,
    missing_vsm_factor,
    payments_plan,
    payments_record,
    unit_factors,
)
from micuenta.employment.models import Employer
from micuenta.feeds import fields
from micuenta.feeds.fields import LineError
from micuenta.feeds.models import FeedKind, ImportRun
from micuenta.feeds.runner import ChunkResult, RawLine, WorkerFeedProcessor
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, Transaction
from micuenta.ledger.services import AccountRef, Entry, Line, account_get_or_create, ledger_post_many_ids
from micuenta.people.models import Worker
from micuenta.savings.contributions import FIVE_PERCENT, capped_sbc
from micuenta.savings.models import Contribution, SubaccountPocket, pocket_for_contribution
from micuenta.savings.obligations import tolerance
from micuenta.savings.services import subaccount_open

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
    anio: int
    bimestre: int
    dias: int
    sbc: Decimal
    aportacion: Decimal
    amortizacion: Decimal
    numero_credito: str
    fecha_pago: date
    folio: str

    @property
    def signature(self) -> tuple[object, ...]:
        """What must match for a line with the same key to be the same payment."""
        return (
            self.dias, money(self.sbc), money(self.aportacion), money(self.amortizacion), self.numero_credito,
            self.fecha_pago,
        )  # fmt: skip

    @property
    def period_key(self) -> tuple[str, str, int, int]:
        return (self.registro_patronal, self.nss, self.anio, self.bimestre)


def sua_key(*, employer_id: int, worker_id: int, anio: int, bimestre: int, folio: str) -> str:
    return f"sua:{employer_id}:{worker_id}:{anio}-{bimestre}:{folio}"


def parse_payment(line: RawLine, *, today: date) -> Payment:
    """The line's values, or LineError with the first problem found."""
    f = line.fields
    nrp = fields.registro_patronal(f["registro_patronal"])
    nss = fields.nss(f["nss"])
    anio = fields.integer(f["anio"], "anio")
    if not FIRST_SUA_YEAR <= anio <= today.year:
        raise LineError("anio_invalido", f"El año debe estar entre {FIRST_SUA_YEAR} y {today.year}.")
    bimestre = fields.integer(f["bimestre"], "bimestre")
    if not 1 <= bimestre <= 6:
        raise LineError("bimestre_invalido", "El bimestre debe ser un número del 1 al 6.")
    dias = fields.integer(f["dias_cotizados"], "dias_cotizados")
    most = bimestre_days(anio, bimestre)
    if not 1 <= dias <= most:
        raise LineError(
            "dias_invalidos",
            f"Los días cotizados deben estar entre 1 y {most}, los días del {bimestre_label(anio, bimestre)}; "
            f"la línea dice {dias}.",
        )
    sbc = fields.amount(f["sbc"], "sbc", positive=True, integer_digits=8)
    aportacion = fields.amount(f["aportacion"], "aportacion")
    amortizacion = fields.amount(f["amortizacion"], "amortizacion")
    if aportacion == 0 and amortizacion == 0:
        raise LineError("sin_importes", "La aportación y la amortización son cero: la línea no paga nada.")
    numero_credito = f["numero_credito"]
    if amortizacion > 0 and not numero_credito:
        raise LineError("credito_faltante", "Hay amortización pero falta el número de crédito al que se descontó.")
    if numero_credito and not CREDITO_RE.fullmatch(numero_credito):
        raise LineError("credito_invalido", "El número de crédito debe tener 10 dígitos.")
    fecha_pago = fields.day(f["fecha_pago"], "fecha_pago", today=today)
    if fecha_pago < bimestre_start(anio, bimestre):
        raise LineError(
            "pago_anterior_al_bimestre",
            f"La fecha de pago es anterior al inicio del {bimestre_label(anio, bimestre)}.",
        )
    # The line's own arithmetic: more than 5 % of its capped SBC for its days is not an SUA result.
    most_due = money(FIVE_PERCENT * capped_sbc(sbc, bimestre_start(anio, bimestre)) * dias)
    if aportacion - most_due >= tolerance():
        raise LineError(
            "aportacion_excesiva",
            f"La aportación ({aportacion}) es mayor que el 5 % del SBC declarado por los días cotizados "
            f"({most_due}); pide al patrón que revise la línea en el SUA.",
        )
    folio = f["folio_sua"]
    if not folio:
        raise LineError("folio_faltante", "Falta el folio SUA del pago.")
    if len(folio) > 40:
        raise LineError("folio_invalido", "El folio SUA tiene más de 40 caracteres.")
    return Payment(
        line, nrp, nss, anio, bimestre, dias, sbc, aportacion, amortizacion, numero_credito, fecha_pago, folio
    )


@dataclass(frozen=True)
class _Ready:
    payment: Payment
    key: str
    worker_id: int
    employer_id: int
    razon_social: str
    credit_id: int | None  # the credit the line names
    to_capital: bool  # the aportación goes to that credit's capital (ROA, a bimestre after origination)


class EmployerPaymentsProcessor(WorkerFeedProcessor):
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
        workers = self.worker_ids(p.nss for p in payments)
        employers = {
            nrp: (pk, name)
            for nrp, pk, name in Employer.objects.filter(
                registro_patronal__in={p.registro_patronal for p in payments}
            ).values_list("registro_patronal", "id", "razon_social")
        }
        credits = {
            c["numero_credito"]: c
            for c in Credit.objects.filter(
                numero_credito__in={p.numero_credito for p in payments if p.numero_credito}
            ).values(
                "numero_credito",
                "pk",
                "worker_id",
                "co_borrower_id",
                "status",
                "regime",
                "origination_date",
                "denomination",
            )
        }
        factors = unit_factors() if any(c["denomination"] == Denomination.VSM for c in credits.values()) else {}
        ready: list[_Ready] = []
        for p in payments:
            worker_id = workers.get(p.nss)
            if worker_id is None:
                result.reject(
                    p.line,
                    "trabajador_desconocido",
                    "El NSS no corresponde a ningún derechohabiente registrado; verifícalo con el patrón.",
                )
                continue
            employer = employers.get(p.registro_patronal)
            if employer is None:
                result.reject(
                    p.line,
                    "patron_desconocido",
                    "El registro patronal no está en el padrón de patrones: primero debe llegar el alta del "
                    "trabajador con este patrón en el archivo de movimientos del IMSS.",
                )
                continue
            credit_id = None
            to_capital = False
            credit = credits.get(p.numero_credito) if p.numero_credito else None
            if p.amortizacion > 0:
                if credit is None or worker_id not in (credit["worker_id"], credit["co_borrower_id"]):
                    result.reject(
                        p.line,
                        "credito_ajeno",
                        "El número de crédito no corresponde a un crédito de este trabajador; revisa el aviso de "
                        "retención que recibió el patrón.",
                    )
                    continue
                if credit["status"] in (CreditStatus.CANCELADO, CreditStatus.EN_TRAMITE):
                    result.reject(
                        p.line,
                        "credito_no_vigente",
                        "El crédito no está otorgado o fue cancelado: no puede recibir amortizaciones; pide al patrón "
                        "que revise el aviso de retención o de suspensión.",
                    )
                    continue
            if credit is not None and worker_id in (credit["worker_id"], credit["co_borrower_id"]):
                year = missing_vsm_factor(
                    denomination=credit["denomination"],
                    origination=credit["origination_date"],
                    day=p.fecha_pago,
                    factors=factors,
                )
                if year is not None and (p.amortizacion > 0 or p.aportacion > 0):
                    result.reject(p.line, "factor_vsm_faltante", MISSING_FACTOR_REASON.format(year=year))
                    continue
                credit_id = credit["pk"]
                to_capital = (
                    p.aportacion > 0
                    and credit["regime"] == Regime.ROA
                    and credit["status"] in ACCRUING
                    and bimestre_start(p.anio, p.bimestre) >= credit["origination_date"].replace(day=1)
                )
            key = sua_key(employer_id=employer[0], worker_id=worker_id, anio=p.anio, bimestre=p.bimestre, folio=p.folio)
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
            "worker_id", "employer_id", "anio", "bimestre", "folio_sua", "dias_cotizados", "sbc", "amount",
            "amortizacion", "numero_credito", "fecha_pago", "import_run_id",
        ):  # fmt: skip
            w, e, a, b, folio, *values, run_id = row
            stored[sua_key(employer_id=e, worker_id=w, anio=a, bimestre=b, folio=folio)] = tuple(values)
            if run_id == getattr(self.run, "pk", None):
                in_this_file.add((w, e, a, b))
        fresh = []
        for r in ready:
            period = (r.worker_id, r.employer_id, r.payment.anio, r.payment.bimestre)
            earlier = self.seen.get(r.key)
            if earlier is not None and earlier.signature != r.payment.signature:
                result.reject(
                    r.payment.line,
                    "repetida_distinta",
                    f"La línea {earlier.line.number} de este archivo trae el mismo trabajador, patrón, bimestre y "
                    "folio SUA con otros valores; aclara con el patrón cuál es la correcta y envía solo esa.",
                )
                continue
            if r.key in posted or earlier is not None:
                if r.key in stored and stored[r.key] != r.payment.signature:
                    result.reject(
                        r.payment.line,
                        "registrada_distinta",
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
                    "bimestre_repetido",
                    "El archivo ya trae otra línea de este trabajador con este patrón para el mismo bimestre: "
                    "el SUA manda una sola; un pago complementario llega en su propio archivo.",
                )
                continue
            self.seen[r.key] = r.payment
            in_this_file.add(period)
            fresh.append(r)
        return fresh

    def _pockets(self, worker_ids: set[int]) -> dict[tuple[int, str], int]:
        pockets = {
            (w, pocket): account
            for w, pocket, account in SubaccountPocket.objects.filter(subaccount__worker_id__in=worker_ids).values_list(
                "subaccount__worker_id", "pocket", "account_id"
            )
        }
        missing = worker_ids - {w for w, _ in pockets}
        for worker in Worker.objects.filter(pk__in=missing):  # a worker whose subaccount was never opened
            subaccount = subaccount_open(worker=worker, opened_on=self.today)
            for pocket, account in subaccount.pockets.values_list("pocket", "account_id"):
                pockets[(worker.pk, pocket)] = account
        return pockets

    def _post(self, ready: list[_Ready], result: ChunkResult) -> None:
        if not ready:
            return
        pockets = self._pockets({r.worker_id for r in ready})
        bank = account_get_or_create(code=codes.FUND_BANK.code, name=codes.FUND_BANK.name, kind=codes.FUND_BANK.kind)
        # Month by month of payment: a month's mensualidades are issued on the capital the earlier months left.
        for group in by_month(ready, lambda r: r.payment.fecha_pago):
            self._post_month(group, result, pockets, bank)
        result.posted += len(ready)
        self.touched_workers.update(r.worker_id for r in ready)

    def _post_month(
        self, ready: list[_Ready], result: ChunkResult, pockets: dict[tuple[int, str], int], bank: Account
    ) -> None:
        # The credits' side first: deductions and the 5 % applied in memory, in file order, by the engine.
        payments: list[PaymentIn] = []
        for r in ready:
            p = r.payment
            if r.credit_id is not None and p.amortizacion > 0:
                payments.append(
                    PaymentIn(
                        r.credit_id, r.key, money(p.amortizacion), p.fecha_pago, PaymentSource.NOMINA,
                        PaymentChannel.SUA, p.folio,
                    )
                )  # fmt: skip
            if r.credit_id is not None and r.to_capital:
                payments.append(
                    PaymentIn(
                        r.credit_id, f"{r.key}:aportacion", money(p.aportacion), p.fecha_pago,
                        PaymentSource.APORTACION, PaymentChannel.SUA, p.folio,
                    )
                )  # fmt: skip
        planned, books = payments_plan(payments) if payments else ([], {})
        plans = {plan.payment.key: plan for plan in planned}
        entries = []
        rows = []
        for r in ready:
            p = r.payment
            pocket = pocket_for_contribution(bimestre_start(p.anio, p.bimestre))
            pocket_account = AccountRef(pockets[(r.worker_id, pocket.value)])
            aportacion, amortizacion = money(p.aportacion), money(p.amortizacion)
            lines = [Line(bank, aportacion + amortizacion)]
            if aportacion:
                lines.append(Line(pocket_account, -aportacion))
            deduction = plans.get(r.key)
            if deduction is not None:
                lines.extend(deduction.lines)
            rows.append((r, pocket.value))
            entries.append(
                Entry(
                    r.key,
                    f"Pago SUA del {bimestre_label(p.anio, p.bimestre)}, {r.razon_social}"[:300],
                    p.fecha_pago,
                    tuple(lines),
                    kind=LedgerKind.SUA,
                )
            )
            to_capital = plans.get(f"{r.key}:aportacion")
            if to_capital is not None and to_capital.applied:
                entries.append(
                    Entry(
                        to_capital.payment.key,
                        f"Aportación del {bimestre_label(p.anio, p.bimestre)} aplicada al crédito",
                        p.fecha_pago,
                        (Line(pocket_account, to_capital.applied), *to_capital.lines),
                        kind=LedgerKind.CREDIT_CONTRIBUTION,
                    )
                )
            result.add_total("aportaciones", aportacion)
            result.add_total("amortizaciones", amortizacion)
        txn_ids = ledger_post_many_ids(entries=entries)
        payments_record(planned, books, txn_ids)
        # Raw rows (COPY on PostgreSQL): thousands of model instances would cost more than the insert itself.
        insert_rows(
            "savings_contribution",
            (
                "worker_id", "employer_id", "anio", "bimestre", "dias_cotizados", "sbc", "amount", "fecha_pago",
                "folio_sua", "pocket", "transaction_id", "amortizacion", "numero_credito", "import_run_id",
            ),
            [
                (
                    r.worker_id, r.employer_id, r.payment.anio, r.payment.bimestre, r.payment.dias, r.payment.sbc,
                    money(r.payment.aportacion), r.payment.fecha_pago, r.payment.folio, pocket, txn_ids[r.key],
                    money(r.payment.amortizacion), r.payment.numero_credito, getattr(self.run, "pk", None),
                )
                for r, pocket in rows
            ],
        )  # fmt: skip

    def finish(self, run: ImportRun) -> None:
        from micuenta.savings.gaps import contribution_gaps_refresh_after_feed

        contribution_gaps_refresh_after_feed(worker_ids=self.touched_workers)
