"""Reads of a worker's savings for the pages: each a fixed number of queries, whatever the length of the history.

Amounts are shown as the worker sees them: what the fund owes them is positive (the pockets are liabilities, so a
contribution is a credit posting, shown with its sign turned).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from micuenta.core.charts import BalancePoint
from micuenta.core.money import format_pesos, money
from micuenta.core.periods import bimestre_label, bimestre_of, bimestres, payment_deadline, previous_bimestre
from micuenta.credits.models import CreditPayment
from micuenta.employment.models import Employer, EmploymentRelation
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Posting
from micuenta.people.models import Worker
from micuenta.savings.gaps import contributions_checked_through, contributions_data_cut, worker_contribution_gaps
from micuenta.savings.models import POCKETS_WITH_YIELD, Contribution, Pocket, SubaccountPocket, YieldRate
from micuenta.savings.obligations import Gap
from micuenta.savings.services.sua import sua_key

# The movement types a worker can filter by, in the words of the portal (docs/sources.md#movement-types).
MOVEMENT_TYPES: dict[str, str] = {
    LedgerKind.SUA: "Aportación patronal",
    LedgerKind.CREDIT_CONTRIBUTION: "Aplicada a tu crédito",
    LedgerKind.YIELD: "Rendimientos",
    LedgerKind.OPENING: "Saldo inicial",
    LedgerKind.REVERSAL: "Corrección",
}


# --- Cuánto ahorro tengo -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PocketBalance:
    pocket: str
    label: str
    balance: Decimal
    earns_yield: bool


@dataclass(frozen=True)
class SavingsSummary:
    pockets: list[PocketBalance]
    total: Decimal
    account_ids: list[int]


def savings_summary(*, worker: Worker) -> SavingsSummary:
    """Each pocket's balance (the ledger's cached balance, proved by ledger_check) and the total: one query."""
    rows = list(SubaccountPocket.objects.filter(subaccount__worker=worker).select_related("account").order_by("id"))
    order = {pocket.value: index for index, pocket in enumerate(Pocket)}
    rows.sort(key=lambda row: order.get(row.pocket, 99))
    pockets = [
        PocketBalance(
            row.pocket, Pocket(row.pocket).label, row.account.natural_balance, row.pocket in POCKETS_WITH_YIELD
        )
        for row in rows
    ]
    return SavingsSummary(
        pockets=pockets,
        total=sum((p.balance for p in pockets), Decimal("0.00")),
        account_ids=[row.account_id for row in rows],
    )


@dataclass(frozen=True)
class ContributionRow:
    year: int
    bimestre: int
    empresa: str
    registro_patronal: str
    paid_on: date
    monto: Decimal
    days: int
    sbc: Decimal
    deduction: Decimal = Decimal("0.00")  # the credit deduction (amortización) paid with the line
    to_credit: bool = False  # the 5 % went to the borrower's credit, not to the Subcuenta de Vivienda

    @property
    def period_label(self) -> str:
        return bimestre_label(self.year, self.bimestre)

    @property
    def days_late(self) -> int:
        """Days after the legal deadline the employer paid (0 when on time)."""
        return max(0, (self.paid_on - payment_deadline(self.year, self.bimestre)).days)


def latest_contributions(*, worker: Worker, limit: int = 12) -> list[ContributionRow]:
    """The most recent employer payments for the worker, newest bimestre first, with the 5 % and any credit
    deduction paid with it, and whether that 5 % went to the worker's credit (a ROA borrower's aportación,
    docs/credits.md): two queries."""
    rows = list(
        Contribution.objects.filter(worker=worker)
        .filter(Q(amount__gt=0) | Q(deduction__gt=0))
        .select_related("employer")
        .order_by("-year", "-bimestre", "-paid_on", "-id")[:limit]
    )
    keys = {
        c.pk: sua_key(
            employer_id=c.employer_id, worker_id=c.worker_id, year=c.year, bimestre=c.bimestre, folio=c.folio_sua
        )
        + ":aportacion"
        for c in rows
        if c.numero_credito and c.amount > 0
    }
    applied = set(CreditPayment.objects.filter(key__in=keys.values()).values_list("key", flat=True)) if keys else set()
    return [
        ContributionRow(
            c.year, c.bimestre, c.employer.razon_social, c.employer.registro_patronal, c.paid_on, c.amount, c.days,
            c.sbc, c.deduction, keys.get(c.pk) in applied,
        )
        for c in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class GapNotice:
    """A missing or short contribution, worded for the worker."""

    gap: Gap
    empresa: str
    registro_patronal: str

    @property
    def message(self) -> str:
        if self.gap.missing:
            return f"Tu patrón {self.empresa} no ha pagado la aportación del {self.gap.period_label}."
        return f"Tu patrón {self.empresa} pagó una aportación menor a la que corresponde en el {self.gap.period_label}."


def contribution_notices(*, worker: Worker, today: date) -> list[GapNotice]:
    """Missing and short contributions with the employer's name, newest first: at most four queries."""
    gaps = worker_contribution_gaps(worker=worker, through=contributions_checked_through(), today=today)
    if not gaps:
        return []
    names = {
        pk: (name, nrp)
        for pk, name, nrp in Employer.objects.filter(pk__in={g.employer_id for g in gaps}).values_list(
            "id", "razon_social", "registro_patronal"
        )
    }
    return [GapNotice(g, *names[g.employer_id]) for g in reversed(gaps)]


@dataclass(frozen=True)
class EmployerGaps:
    """One employer's missing and short contributions, oldest bimestre first, with their totals."""

    empresa: str
    registro_patronal: str
    notices: list[GapNotice]

    @property
    def expected(self) -> Decimal:
        return sum((n.gap.expected for n in self.notices), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((n.gap.paid for n in self.notices), Decimal("0.00"))

    @property
    def owed(self) -> Decimal:
        return sum((n.gap.owed for n in self.notices), Decimal("0.00"))


def gaps_by_employer(notices: Sequence[GapNotice]) -> list[EmployerGaps]:
    """The notices grouped by employer (the one owing most first), each employer's bimestres oldest first."""
    groups: dict[str, list[GapNotice]] = defaultdict(list)
    for notice in notices:
        groups[notice.registro_patronal].append(notice)
    result = [
        EmployerGaps(items[0].empresa, nrp, sorted(items, key=lambda n: (n.gap.year, n.gap.bimestre)))
        for nrp, items in groups.items()
    ]
    return sorted(result, key=lambda g: (-g.owed, g.empresa))


def data_cut() -> date | None:
    """The date of the latest contribution data the fund has received (one query)."""
    return contributions_data_cut()


# --- Resumen de movimientos -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MovementFilter:
    kinds: tuple[str, ...] = ()  # empty: every type
    date_from: date | None = None
    date_to: date | None = None


def movements_queryset(*, account_ids: Sequence[int], filters: MovementFilter) -> QuerySet[Posting]:
    """The postings of the worker's pockets that match, newest first (paginate it; it is not evaluated here)."""
    qs = Posting.objects.filter(account_id__in=list(account_ids)).select_related("transaction", "account")
    if filters.kinds:
        qs = qs.filter(transaction__kind__in=list(filters.kinds))
    if filters.date_from is not None:
        qs = qs.filter(transaction__effective_date__gte=filters.date_from)
    if filters.date_to is not None:
        qs = qs.filter(transaction__effective_date__lte=filters.date_to)
    return qs.order_by("-transaction__effective_date", "-transaction_id", "-id")


@dataclass(frozen=True)
class MovementTotals:
    count: int
    deposits: Decimal  # what came in (contributions, yields, …)
    withdrawals: Decimal  # what went out, as a positive amount
    net: Decimal


def movement_totals(*, account_ids: Sequence[int], filters: MovementFilter) -> MovementTotals:
    """Totals of everything the filters select (not only the page shown): two queries, the sums and the count."""
    qs = movements_queryset(account_ids=account_ids, filters=filters).order_by()
    agg = qs.aggregate(
        credits=Sum("amount", filter=Q(amount__lt=0)),
        debits=Sum("amount", filter=Q(amount__gt=0)),
        total=Sum("amount"),
    )
    count = qs.count()
    deposits = money(-(agg["credits"] or Decimal("0")))
    withdrawals = money(agg["debits"] or Decimal("0"))
    return MovementTotals(count=count, deposits=deposits, withdrawals=withdrawals, net=deposits - withdrawals)


@dataclass(frozen=True)
class Movement:
    posting_id: int
    fecha: date
    kind: str
    tipo: str  # the type's label
    concepto: str
    bolsa: str
    monto: Decimal  # + came in, − went out
    explanation: str
    details: list[str] = field(default_factory=list)


def _yield_rates() -> dict[int, Decimal]:
    return {row.valid_from.year: row.rate for row in YieldRate.objects.all()}


def explain_movements(*, worker: Worker, postings: Iterable[Posting]) -> list[Movement]:
    """The page's postings as movements with a plain-language explanation: two queries for any page."""
    postings = list(postings)
    txn_ids = [p.transaction_id for p in postings]
    by_txn: dict[int, list[Contribution]] = defaultdict(list)
    for c in Contribution.objects.filter(worker=worker, transaction_id__in=txn_ids).select_related("employer"):
        by_txn[c.transaction_id].append(c)
    rates = _yield_rates() if any(p.transaction.kind == LedgerKind.YIELD for p in postings) else {}
    pocket_labels = {p.value: p.label for p in Pocket}
    movements = []
    for p in postings:
        txn = p.transaction
        pocket = p.account.code.rsplit(":", 1)[-1]
        amount = money(-p.amount)
        explanation, details = _explain(txn.kind, amount, txn.effective_date, by_txn.get(txn.pk, []), rates)
        movements.append(
            Movement(
                posting_id=p.pk,
                fecha=txn.effective_date,
                kind=txn.kind,
                tipo=MOVEMENT_TYPES.get(txn.kind, "Otro movimiento"),
                concepto=txn.description,
                bolsa=pocket_labels.get(pocket, pocket),
                monto=amount,
                explanation=explanation,
                details=details,
            )
        )
    return movements


def _explain(
    kind: str, amount: Decimal, day: date, contributions: list[Contribution], rates: dict[int, Decimal]
) -> tuple[str, list[str]]:
    if kind == LedgerKind.SUA:
        details = [
            f"{c.employer.razon_social}: {format_pesos(c.amount)} por {c.days} días del "
            f"{bimestre_label(c.year, c.bimestre)}, con un salario diario de {format_pesos(c.sbc)}."
            for c in contributions
        ]
        return (
            "Tu patrón depositó el 5 % de tu salario en tu Subcuenta de Vivienda. Este dinero es tuyo: lo paga el "
            "patrón, no se descuenta de tu sueldo.",
            details,
        )
    if kind == LedgerKind.CREDIT_CONTRIBUTION:
        return (
            "Como tienes un crédito del Instituto y tu patrón te descuenta los pagos, la aportación patronal de ese "
            "bimestre se aplicó a pagar el capital de tu crédito: así terminas de pagarlo antes.",
            [],
        )
    if kind == LedgerKind.YIELD:
        rate = rates.get(day.year)
        rate_text = f" La tasa de {day.year} es {rate * 100:.2f} % anual." if rate is not None else ""
        return (
            "Tu ahorro generó rendimientos: el Instituto los abona sobre el saldo de cada día, con la tasa anual que "
            f"fija su Consejo de Administración.{rate_text}",
            [],
        )
    if kind == LedgerKind.OPENING:
        return (
            "Es la suma de tus aportaciones anteriores, tal como se trasladaron a este sistema; desde entonces cada "
            "aportación aparece por separado.",
            [],
        )
    if kind == LedgerKind.REVERSAL:
        return ("Se corrigió un movimiento anterior que se había registrado por error.", [])
    direction = "entró a" if amount > 0 else "salió de"
    return (f"Este importe {direction} tu Subcuenta de Vivienda.", [])


def balance_series(*, account_ids: Sequence[int], until: date | None = None) -> list[BalancePoint]:
    """The balance at the end of each month with movements, oldest first: one grouped query."""
    rows = (
        Posting.objects.filter(account_id__in=list(account_ids))
        .annotate(month=TruncMonth("transaction__effective_date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    points = []
    running = Decimal("0.00")
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime):
            month = month.date()
        if until is not None and month > until:
            break
        running += -Decimal(row["total"])
        points.append(BalancePoint(month=month, balance=money(running)))
    return points


def balance_before(*, account_ids: Sequence[int], day: date) -> Decimal:
    """The balance at the close of the day before `day` (one query)."""
    total = Posting.objects.filter(account_id__in=list(account_ids), transaction__effective_date__lt=day).aggregate(
        total=Sum("amount")
    )["total"]
    return money(-(total or Decimal("0")))


# --- Relaciones laborales ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRow:
    empresa: str
    registro_patronal: str
    started_on: date
    ended_on: date | None
    salario_diario: Decimal
    worker_type: str  # its label


@dataclass(frozen=True)
class JobGap:
    """A time without any employment relation between two jobs."""

    desde: date
    hasta: date

    @property
    def days(self) -> int:
        return (self.hasta - self.desde).days + 1


@dataclass(frozen=True)
class EmploymentHistory:
    jobs: list[JobRow]  # oldest first
    gaps: list[JobGap]
    continuous_bimestres: int  # the current run of bimestres with at least one day of relation
    run_since: tuple[int, int] | None  # first (year, bimestre) of that run
    current: bool  # an open relation today


def employment_history(*, worker: Worker, today: date) -> EmploymentHistory:
    """Every relation in order, the gaps between them and the current run of bimestres cotizados: one query."""
    relations = list(
        EmploymentRelation.objects.filter(worker=worker).select_related("employer").order_by("started_on", "id")
    )
    jobs = [
        JobRow(
            r.employer.razon_social, r.employer.registro_patronal, r.started_on, r.ended_on, r.sbc,
            r.get_worker_type_display(),
        )
        for r in relations
    ]  # fmt: skip
    gaps: list[JobGap] = []
    covered_until: date | None = None
    for r in relations:
        if covered_until is not None and r.started_on > covered_until + timedelta(days=1):
            gaps.append(JobGap(covered_until + timedelta(days=1), r.started_on - timedelta(days=1)))
        end = r.ended_on or today
        covered_until = end if covered_until is None else max(covered_until, end)
    current = any(r.ended_on is None for r in relations)
    covered: set[tuple[int, int]] = set()
    for r in relations:
        covered.update(bimestres(r.started_on, min(r.ended_on or today, today)))
    period = bimestre_of(today)
    run = 0
    since = None
    while period in covered:
        run += 1
        since = period
        period = previous_bimestre(*period)
    return EmploymentHistory(jobs=jobs, gaps=gaps, continuous_bimestres=run, run_since=since, current=current)
