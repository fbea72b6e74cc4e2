"""The servicing engine: monthly accrual and the application of payments, for credits in pesos and in VSM.

The rules (docs/credits.md has them in full):

- **Accrual** (`credits_accrue`, `manage.py accrue_credits --month YYYY-MM`). On the first day of each month after
  the month of origination a credit that is vigente, en cobranza or in the FPP is charged, in one ledger
  transaction, the month's interest (capital at that moment × rate / 12), the seguro de daños and the cuota de
  administración (rates in settings, sources noted there), and for a credit in VSM, each January, the update of
  its capital by that year's factor (`UnitUpdate`). The mensualidad of the month (`Instalment`) is issued with
  that interest and charges and the capital that falls due: the level payment less the interest (the last one
  takes all the capital left). A credit in prórroga is charged nothing. Set-based: the state of every credit is
  read once, the months are worked out in memory, and rows and postings are written in bulk, chunk by chunk.
  Idempotent: a month already issued is skipped.
- **Payments** (`credit_payments_post`, and the employers' SUA file through `payments_plan`): applied to the
  mensualidades issued, oldest first, and within each to seguro and cuotas, then interest, then capital; what is
  left goes to capital not yet due (it shortens the term), and beyond the whole debt to the saldo a favor. The
  employer's 5 % contribution of a ROA borrower goes to capital only. A credit is accrued up to the month of a
  payment before the payment is applied. At zero the credit becomes "liquidado"; later money is saldo a favor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone

from micuenta.core.db.bulk import insert_rows, update_rows
from micuenta.core.errors import ApplicationError, ErrorCode
from micuenta.core.money import money
from micuenta.core.periods import bimestre_of, payment_deadline
from micuenta.credits import schedule
from micuenta.credits.models import (
    Credit,
    CreditPayment,
    CreditStatus,
    Denomination,
    Instalment,
    PaymentChannel,
    PaymentSource,
    Product,
    Regime,
    Statement,
    UnitUpdate,
)
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, AccountKind
from micuenta.ledger.services import AccountRef, Entry, Line, account_get_or_create, ledger_post_many_ids

ZERO = Decimal("0.00")
ACCRUING = (CreditStatus.VIGENTE, CreditStatus.EN_COBRANZA, CreditStatus.FPP)
PAYABLE = (*ACCRUING, CreditStatus.PRORROGA, CreditStatus.LIQUIDADO)
CHUNK = 2000
T = TypeVar("T")


class CreditCode(ErrorCode):
    NO_VSM_AMOUNT = "credito_sin_vsm"
    VSM_FACTOR_MISSING = "factor_vsm_faltante"
    VSM_FACTOR_UNCONFIRMED = "factor_vsm_sin_confirmar"
    PAYMENTS_OF_SEVERAL_MONTHS = "pagos_de_varios_meses"
    PAYMENT_NOT_POSITIVE = "pago_no_positivo"
    NOT_PAYABLE = "credito_no_recibe_pagos"


class ServicingError(ApplicationError):
    pass


# --- configuration -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChargeRates:
    """Annual rates over the amount granted, charged a twelfth each month (settings MICUENTA_CREDIT_*)."""

    damage_insurance: Decimal
    administration_fee: Decimal


def charge_rates() -> ChargeRates:
    return ChargeRates(
        Decimal(settings.MICUENTA_CREDIT_DAMAGE_INSURANCE_RATE),
        Decimal(settings.MICUENTA_CREDIT_ADMINISTRATION_FEE_RATE),
    )


def monthly_charges(*, amount_granted: Decimal, product: str, rates: ChargeRates) -> tuple[Decimal, Decimal]:
    """The seguro de daños and the cuota de administración of one month. Mejoravit carries no seguro de daños
    (DOMAIN.md §7.4)."""
    insurance = ZERO if product == Product.MEJORAVIT else money(amount_granted * rates.damage_insurance / 12)
    return insurance, money(amount_granted * rates.administration_fee / 12)


def unit_factors() -> dict[int, UnitUpdate]:
    return {row.year: row for row in UnitUpdate.objects.all()}


def due_date(*, regime: str, period: date) -> date:
    """When the mensualidad of `period` must be paid: a REA borrower pays it within its month (the last day); a
    ROA borrower's employer pays it with the bimestre, by the SUA deadline (day 17 of the next month)."""
    if regime == Regime.REA:
        return schedule.add_months(period, 1) - timedelta(days=1)
    return payment_deadline(*bimestre_of(period))


def level_payment(credit: Credit | _CreditState, unit_value: Decimal | None) -> Decimal:
    """The monthly payment of capital and interest in pesos (for a VSM credit, in the month whose unit value is
    given)."""
    if credit.denomination == Denomination.VSM and credit.amount_granted_vsm:
        units = schedule.annuity_exact(credit.amount_granted_vsm, credit.annual_rate, credit.term_months)
        return money(units * (unit_value or vsm_origination_value(credit)))
    return schedule.annuity(credit.amount_granted, credit.annual_rate, credit.term_months)


def mensualidad(credit: Credit, unit_value: Decimal | None) -> Decimal:
    """The regular mensualidad as issued: the level payment (of the month whose VSM value is given, for a VSM
    credit) plus the seguro de daños and the cuota de administración."""
    insurance, fee = monthly_charges(amount_granted=credit.amount_granted, product=credit.product, rates=charge_rates())
    return level_payment(credit, unit_value) + insurance + fee


def vsm_origination_value(credit: Credit | _CreditState) -> Decimal:
    """The monthly value of one VSM when the credit was granted: the amount in pesos over the amount in VSM."""
    if not credit.amount_granted_vsm:
        raise ServicingError(CreditCode.NO_VSM_AMOUNT, "El crédito no tiene monto en VSM.", details={"pk": credit.pk})
    return (credit.amount_granted / credit.amount_granted_vsm).quantize(schedule.UNIT_PLACES)


def missing_vsm_factor(
    *, denomination: str, origination: date, day: date, factors: dict[int, UnitUpdate]
) -> int | None:
    """The first year whose VSM factor a credit needs to be serviced up to `day` and is not loaded (None if none, or
    a credit in pesos): a feed line that would need it waits in quarantine until staff load it."""
    if denomination != Denomination.VSM:
        return None
    return next((year for year in range(origination.year + 1, day.year + 1) if year not in factors), None)


MISSING_FACTOR_REASON = (
    "Falta el factor de actualización de {year} de los créditos en VSM: este pago se podrá cargar de nuevo en cuanto "
    "el Instituto lo registre (administración → actualizaciones anuales de créditos en VSM)."
)


def vsm_unit_value(credit: Credit | _CreditState, period: date, factors: dict[int, UnitUpdate]) -> Decimal:
    """The monthly value of one VSM of this credit in `period`: each January since origination adds its factor."""
    years = range(credit.origination_date.year + 1, period.year + 1)
    missing = [year for year in years if year not in factors]
    if missing:
        raise ServicingError(
            CreditCode.VSM_FACTOR_MISSING,
            f"Falta el factor de actualización de créditos en VSM de {missing[0]}; cárgalo en la administración.",
            details={"year": missing[0]},
        )
    return schedule.vsm_unit_value(vsm_origination_value(credit), [factors[year].factor for year in years])


# --- accounts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditAccounts:
    capital: int
    interest: int
    charges: int
    excess: int


def credit_accounts_ensure(credit_ids: Iterable[int]) -> dict[int, CreditAccounts]:
    """The four ledger accounts of each credit, creating the ones it lacks (in bulk)."""
    rows = list(
        Credit.objects.filter(pk__in=set(credit_ids)).values_list(
            "pk", "numero_credito", "account_id", "interest_account_id", "charges_account_id", "excess_account_id"
        )
    )
    wanted: list[tuple[int, str, str, str, AccountKind]] = []
    for pk, numero, _, interest, charges, excess in rows:
        if interest is None:
            wanted.append(
                (
                    pk,
                    "interest_account_id",
                    codes.credit_interest_code(numero),
                    f"Intereses por cobrar del crédito {numero}",
                    AccountKind.ASSET,
                )
            )
        if charges is None:
            wanted.append(
                (
                    pk,
                    "charges_account_id",
                    codes.credit_charges_code(numero),
                    f"Seguro y cuotas por cobrar del crédito {numero}",
                    AccountKind.ASSET,
                )
            )
        if excess is None:
            wanted.append(
                (
                    pk,
                    "excess_account_id",
                    codes.credit_excess_code(numero),
                    f"Saldo a favor del crédito {numero}",
                    AccountKind.LIABILITY,
                )
            )
    if not wanted:
        return {
            pk: CreditAccounts(capital, interest, charges, excess) for pk, _, capital, interest, charges, excess in rows
        }
    existing = dict(Account.objects.filter(code__in=[w[2] for w in wanted]).values_list("code", "pk"))
    Account.objects.bulk_create(
        [Account(code=code, name=name, kind=kind) for _, _, code, name, kind in wanted if code not in existing],
        batch_size=2000,
    )
    ids = dict(Account.objects.filter(code__in=[w[2] for w in wanted]).values_list("code", "pk"))
    by_field: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pk, column, code, _, _ in wanted:
        by_field[column].append((pk, ids[code]))
    for column, pairs in by_field.items():
        update_rows("credits_credit", [(column, "bigint")], pairs)
    return {
        c["pk"]: CreditAccounts(
            c["account_id"], c["interest_account_id"], c["charges_account_id"], c["excess_account_id"]
        )
        for c in Credit.objects.filter(pk__in=[r[0] for r in rows]).values(
            "pk", "account_id", "interest_account_id", "charges_account_id", "excess_account_id"
        )
    }


FUND_ACCOUNTS = (
    codes.FUND_BANK,
    codes.INTEREST_INCOME,
    codes.INSURANCE_PAYABLE,
    codes.FEE_INCOME,
    codes.VSM_UPDATE_INCOME,
)


def fund_accounts() -> dict[str, int]:
    """The fund's own accounts the engine posts to, by code (created when missing): one query when they exist."""
    found = dict(Account.objects.filter(code__in=[spec[0] for spec in FUND_ACCOUNTS]).values_list("code", "pk"))
    for code, name, kind in FUND_ACCOUNTS:
        if code not in found:
            found[code] = account_get_or_create(code=code, name=name, kind=kind).pk
    return found


# --- accrual -------------------------------------------------------------------------------------------------


@dataclass
class _CreditState:
    pk: int
    numero_credito: str
    product: str
    denomination: str
    amount_granted: Decimal
    amount_granted_vsm: Decimal | None
    annual_rate: Decimal
    term_months: int
    origination_date: date
    regime: str
    capital: Decimal  # the balance of the capital account
    capital_due_unpaid: Decimal  # capital of issued mensualidades not yet paid
    next_period: date


@dataclass
class AccrualReport:
    credits: int = 0
    instalments: int = 0
    interest: Decimal = ZERO
    charges: Decimal = ZERO
    capital_update: Decimal = ZERO
    unconfirmed_years: set[int] = field(default_factory=set)


def _load_states(credit_ids: Iterable[int] | None, month: date) -> list[_CreditState]:
    qs = Credit.objects.filter(status__in=ACCRUING, origination_date__lt=month)
    if credit_ids is not None:
        qs = qs.filter(pk__in=list(credit_ids))
    found = qs.annotate(
        last_period=Max("instalments__period"),
    ).values(
        "pk", "numero_credito", "product", "denomination", "amount_granted", "amount_granted_vsm", "annual_rate",
        "term_months", "origination_date", "regime", "account__balance", "last_period",
    )  # fmt: skip
    rows = [r for r in found if (r["last_period"] or r["origination_date"]) < month]
    unpaid = (
        dict(
            Instalment.objects.filter(credit_id__in=[r["pk"] for r in rows])
            .filter(paid_capital__lt=F("capital_due"))
            .values("credit_id")
            .annotate(unpaid=Sum(F("capital_due") - F("paid_capital")))
            .values_list("credit_id", "unpaid")
        )
        if rows
        else {}
    )
    return [
        _CreditState(
            r["pk"], r["numero_credito"], r["product"], r["denomination"], r["amount_granted"],
            r["amount_granted_vsm"], r["annual_rate"], r["term_months"], r["origination_date"], r["regime"],
            money(r["account__balance"]), money(unpaid.get(r["pk"], ZERO)),
            schedule.add_months(r["last_period"] or r["origination_date"], 1),
        )
        for r in rows
    ]  # fmt: skip


def credits_accrue(
    *, month: date, credit_ids: Iterable[int] | None = None, allow_unconfirmed: bool = False
) -> AccrualReport:
    """Issue every mensualidad not yet issued up to `month` (its first day is used) for these credits (all when
    None). Returns what was charged. Refuses a January of a VSM credit whose factor is not confirmed, unless
    `allow_unconfirmed`."""
    month = month.replace(day=1)
    report = AccrualReport()
    states = _load_states(credit_ids, month)
    if not states:
        return report
    factors = unit_factors()
    rates = charge_rates()
    fund = fund_accounts()
    for start in range(0, len(states), CHUNK):
        chunk = states[start : start + CHUNK]
        with transaction.atomic():
            accounts = credit_accounts_ensure(s.pk for s in chunk)
            _accrue_chunk(chunk, month, accounts, fund, factors, rates, allow_unconfirmed, report)
    return report


@dataclass(frozen=True)
class Issued:
    """A mensualidad as the accrual issues it (before it is written)."""

    period: date
    number: int
    due_date: date
    opening_capital: Decimal  # after the VSM update of January
    capital_update: Decimal
    unit_value: Decimal | None
    interest: Decimal
    insurance: Decimal
    fees: Decimal
    capital_due: Decimal

    @property
    def amount(self) -> Decimal:
        return self.interest + self.insurance + self.fees + self.capital_due


def _issue(
    s: _CreditState,
    month: date,
    factors: dict[int, UnitUpdate],
    rates: ChargeRates,
    allow_unconfirmed: bool,
    unconfirmed: set[int],
) -> list[Issued]:
    """The mensualidades of a credit from its next month up to `month`, worked out in memory (`s` advances)."""
    insurance, fee = monthly_charges(amount_granted=s.amount_granted, product=s.product, rates=rates)
    issued = []
    period = s.next_period
    while period <= month and s.capital > 0:
        number = schedule.months_between(s.origination_date, period)
        unit_value = None
        update = ZERO
        if s.denomination == Denomination.VSM and s.amount_granted_vsm:
            unit_value = vsm_unit_value(s, period, factors)
            if period.month == 1 and period.year > s.origination_date.year:
                factor = factors[period.year]
                if not factor.confirmed:
                    if not allow_unconfirmed:
                        raise ServicingError(
                            CreditCode.VSM_FACTOR_UNCONFIRMED,
                            f"El factor de actualización de {period.year} para créditos en VSM no está confirmado; "
                            "confírmalo en la administración o usa --allow-unconfirmed.",
                            details={"year": period.year},
                        )
                    unconfirmed.add(period.year)
                update = money(s.capital * factor.factor)
        s.capital += update
        interest = schedule.month_interest(s.capital, s.annual_rate)
        due = schedule.capital_due(
            capital_not_due=s.capital - s.capital_due_unpaid,
            payment=level_payment(s, unit_value),
            interest=interest,
            number=number,
            term=s.term_months,
        )
        issued.append(
            Issued(
                period, number, due_date(regime=s.regime, period=period), s.capital, update, unit_value, interest,
                insurance, fee, due,
            )
        )  # fmt: skip
        s.capital_due_unpaid += due
        period = schedule.add_months(period, 1)
    s.next_period = period
    return issued


def credit_pending(credit: Credit, *, through: date) -> list[Issued]:
    """The mensualidades the accrual would issue for this credit up to the month of `through`, not written: what
    a page adds to the balance so that "saldo para liquidar" today is what a payment today would settle."""
    states = _load_states([credit.pk], through.replace(day=1))
    if not states:
        return []
    factors = unit_factors() if credit.denomination == Denomination.VSM else {}
    return _issue(states[0], through.replace(day=1), factors, charge_rates(), True, set())


def _accrue_chunk(
    states: list[_CreditState],
    month: date,
    accounts: dict[int, CreditAccounts],
    fund: dict[str, int],
    factors: dict[int, UnitUpdate],
    rates: ChargeRates,
    allow_unconfirmed: bool,
    report: AccrualReport,
) -> None:
    entries: list[Entry] = []
    rows: list[tuple[str | None, int, Issued]] = []
    for s in states:
        acc = accounts[s.pk]
        issued = _issue(s, month, factors, rates, allow_unconfirmed, report.unconfirmed_years)
        for i in issued:
            key = f"credito:{s.pk}:devengo:{i.period:%Y-%m}"
            lines = []
            if i.interest:
                lines += [
                    Line(AccountRef(acc.interest), i.interest),
                    Line(AccountRef(fund[codes.INTEREST_INCOME.code]), -i.interest),
                ]
            if i.insurance or i.fees:
                lines.append(Line(AccountRef(acc.charges), i.insurance + i.fees))
            if i.insurance:
                lines.append(Line(AccountRef(fund[codes.INSURANCE_PAYABLE.code]), -i.insurance))
            if i.fees:
                lines.append(Line(AccountRef(fund[codes.FEE_INCOME.code]), -i.fees))
            if i.capital_update:
                lines += [
                    Line(AccountRef(acc.capital), i.capital_update),
                    Line(AccountRef(fund[codes.VSM_UPDATE_INCOME.code]), -i.capital_update),
                ]
            if lines:
                description = f"Mensualidad {i.number}: intereses y cargos de {i.period:%m/%Y}"
                entries.append(Entry(key, description, i.period, tuple(lines), kind=LedgerKind.CREDIT_ACCRUAL))
            rows.append((key if lines else None, s.pk, i))
            report.instalments += 1
            report.interest += i.interest
            report.charges += i.insurance + i.fees
            report.capital_update += i.capital_update
        report.credits += bool(issued)
    txn_ids = ledger_post_many_ids(entries=entries)
    insert_rows(
        "credits_instalment",
        (
            "credit_id", "period", "number", "due_date", "opening_capital", "capital_update", "unit_value",
            "interest", "insurance", "fees", "capital_due", "paid_charges", "paid_interest", "paid_capital",
            "transaction_id",
        ),
        [
            (credit_id, i.period, i.number, i.due_date, i.opening_capital, i.capital_update, i.unit_value,
             i.interest, i.insurance, i.fees, i.capital_due, ZERO, ZERO, ZERO,
             txn_ids.get(key) if key is not None else None)
            for key, credit_id, i in rows
        ],
    )  # fmt: skip
    if rows:
        statements_discard((credit_id, i.period) for _, credit_id, i in rows)


def statements_discard(reached: Iterable[tuple[int, date]]) -> int:
    """Forget the stored monthly statements of these credits from the earliest month each (credit, day) reaches on
    (a payment or a mensualidad that reached a month already stated): each is generated again, from the ledger,
    when next asked for or by the next batch, so a statement never disagrees with the movements of its month.
    Returns how many."""
    since: dict[int, date] = {}
    for credit_id, day in reached:
        month = day.replace(day=1)
        since[credit_id] = min(month, since.get(credit_id, month))
    by_month: dict[date, list[int]] = defaultdict(list)
    for credit_id, month in since.items():
        by_month[month].append(credit_id)
    condition = Q()
    for month, ids in by_month.items():
        condition |= Q(credit_id__in=ids, period__gte=month)
    return Statement.objects.filter(condition).delete()[0] if by_month else 0


# --- payments ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentIn:
    credit_id: int
    key: str
    amount: Decimal
    paid_on: date
    source: str = PaymentSource.DIRECTO
    channel: str = PaymentChannel.VENTANILLA
    reference: str = ""


@dataclass
class _OpenInstalment:
    pk: int
    period: date
    charges_left: Decimal
    interest_left: Decimal
    capital_left: Decimal
    paid_charges: Decimal
    paid_interest: Decimal
    paid_capital: Decimal


@dataclass
class _Book:
    """A credit's state while payments are applied in memory."""

    credit_id: int
    numero_credito: str
    status: str
    paid_off_on: date | None
    capital: Decimal
    accounts: CreditAccounts
    open: list[_OpenInstalment]
    status_changed: bool = False
    touched: dict[int, _OpenInstalment] = field(default_factory=dict)  # mensualidades a payment changed

    @property
    def owed(self) -> Decimal:
        return self.capital + sum((i.charges_left + i.interest_left for i in self.open), ZERO)


@dataclass
class PlannedPayment:
    payment: PaymentIn
    to_charges: Decimal = ZERO
    to_interest: Decimal = ZERO
    to_capital: Decimal = ZERO
    to_excess: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)  # the credit side: negative amounts on the credit's accounts

    @property
    def applied(self) -> Decimal:
        return self.to_charges + self.to_interest + self.to_capital + self.to_excess


def _take(left: Decimal, want: Decimal) -> Decimal:
    return min(left, want)


def allocate(book: _Book, payment: PaymentIn) -> PlannedPayment:
    """Apply one payment to a credit in memory, in the documented order; returns how it was split."""
    plan = PlannedPayment(payment)
    left = money(payment.amount)
    if payment.source == PaymentSource.APORTACION:
        # The employer's 5 % goes to capital only: first what has not fallen due (it shortens the term), then
        # capital fallen due, oldest first. What capital cannot take stays in the savings.
        not_due = book.capital - sum((i.capital_left for i in book.open), ZERO)
        take = _take(left, max(ZERO, not_due))
        plan.to_capital += take
        left -= take
        for inst in book.open:
            take = _take(left, inst.capital_left)
            if take:
                inst.capital_left -= take
                inst.paid_capital += take
                book.touched[inst.pk] = inst
                plan.to_capital += take
                left -= take
        book.capital -= plan.to_capital
    else:
        for inst in book.open:
            for part in ("charges", "interest", "capital"):
                have = getattr(inst, f"{part}_left")
                take = _take(left, have)
                if take:
                    setattr(inst, f"{part}_left", have - take)
                    setattr(inst, f"paid_{part}", getattr(inst, f"paid_{part}") + take)
                    setattr(plan, f"to_{part}", getattr(plan, f"to_{part}") + take)
                    book.touched[inst.pk] = inst
                    left -= take
        book.capital -= plan.to_capital
        extra = _take(left, book.capital)  # after everything issued is paid: capital not yet due
        plan.to_capital += extra
        book.capital -= extra
        left -= extra
        plan.to_excess = left
    book.open = [i for i in book.open if i.charges_left or i.interest_left or i.capital_left]
    if book.status != CreditStatus.LIQUIDADO and book.owed == 0:
        book.status = CreditStatus.LIQUIDADO
        book.paid_off_on = payment.paid_on
        book.status_changed = True
    acc = book.accounts
    for account, amount in (
        (acc.charges, plan.to_charges),
        (acc.interest, plan.to_interest),
        (acc.capital, plan.to_capital),
        (acc.excess, plan.to_excess),
    ):
        if amount:
            plan.lines.append(Line(AccountRef(account), -amount))
    return plan


def _books(credit_ids: set[int]) -> dict[int, _Book]:
    accounts = credit_accounts_ensure(credit_ids)
    open_by_credit: dict[int, list[_OpenInstalment]] = defaultdict(list)
    for row in (
        Instalment.objects.filter(credit_id__in=credit_ids)
        .filter(
            Q(paid_charges__lt=F("insurance") + F("fees"))
            | Q(paid_interest__lt=F("interest"))
            | Q(paid_capital__lt=F("capital_due"))
        )
        .order_by("credit_id", "period")
        .values_list(
            "credit_id", "pk", "period", "insurance", "fees", "interest", "capital_due", "paid_charges",
            "paid_interest", "paid_capital",
        )
    ):  # fmt: skip
        credit_id, pk, period, insurance, fees, interest, capital_due, paid_ch, paid_in, paid_cap = row
        open_by_credit[credit_id].append(
            _OpenInstalment(
                pk,
                period,
                insurance + fees - paid_ch,
                interest - paid_in,
                capital_due - paid_cap,
                paid_ch,
                paid_in,
                paid_cap,
            )
        )
    return {
        pk: _Book(pk, numero, status, paid_off_on, money(balance), accounts[pk], open_by_credit.get(pk, []))
        for pk, numero, status, paid_off_on, balance in Credit.objects.filter(pk__in=credit_ids).values_list(
            "pk", "numero_credito", "status", "paid_off_on", "account__balance"
        )
    }


def payments_plan(
    payments: Sequence[PaymentIn], *, allow_unconfirmed: bool = True
) -> tuple[list[PlannedPayment], dict[int, _Book]]:
    """Apply payments of one calendar month in memory, in date order (and the given order within a day), after
    issuing each credit's mensualidades up to that month. Nothing is written but the accrual: the caller posts the
    lines (in its own ledger entries) and then calls `payments_record` before planning the next month, so that
    the next month's interest is computed on the capital these payments left (see `by_month`)."""
    months = {p.paid_on.replace(day=1) for p in payments}
    if len(months) > 1:
        raise ServicingError(CreditCode.PAYMENTS_OF_SEVERAL_MONTHS, "Los pagos se aplican mes por mes.")
    for p in payments:
        if p.amount <= 0:
            raise ServicingError(
                CreditCode.PAYMENT_NOT_POSITIVE, "El importe del pago debe ser mayor que cero.", details={"key": p.key}
            )
    credit_ids = {p.credit_id for p in payments}
    for month in months:
        credits_accrue(month=month, credit_ids=credit_ids, allow_unconfirmed=allow_unconfirmed)
    books = _books(credit_ids)
    ordered = sorted(enumerate(payments), key=lambda item: (item[1].paid_on, item[0]))
    planned: list[PlannedPayment | None] = [None] * len(payments)
    for index, p in ordered:
        planned[index] = allocate(books[p.credit_id], p)
    return [p for p in planned if p is not None], books


def by_month(items: Sequence[T], day: Callable[[T], date]) -> list[list[T]]:
    """Items grouped by the calendar month of `day(item)`, oldest month first, each in the given order."""
    groups: dict[date, list[T]] = defaultdict(list)
    for item in items:
        groups[day(item).replace(day=1)].append(item)
    return [groups[month] for month in sorted(groups)]


def payments_record(planned: Sequence[PlannedPayment], books: dict[int, _Book], txn_ids: dict[str, int]) -> None:
    """Write what `payments_plan` decided: the payments (each with the transaction that carries its lines), the
    mensualidades they paid and the credits they paid off; stored statements of the months they reach are
    forgotten (`statements_discard`). Runs in the caller's database transaction. A payment
    of which nothing was applied (an aportación to a credit with no capital left) writes nothing."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert_rows(
        "credits_creditpayment",
        (
            "credit_id", "key", "source", "channel", "reference", "paid_on", "amount", "to_charges", "to_interest",
            "to_capital", "to_excess", "transaction_id", "created_at",
        ),
        [
            (
                p.payment.credit_id, p.payment.key, p.payment.source, p.payment.channel, p.payment.reference,
                p.payment.paid_on, p.applied, p.to_charges, p.to_interest, p.to_capital, p.to_excess,
                txn_ids[p.payment.key], now,
            )
            for p in planned
            if p.applied
        ],
    )  # fmt: skip
    changed = {pk: inst for book in books.values() for pk, inst in book.touched.items()}
    if changed:
        update_rows(
            "credits_instalment",
            [("paid_charges", "numeric"), ("paid_interest", "numeric"), ("paid_capital", "numeric")],
            [(i.pk, i.paid_charges, i.paid_interest, i.paid_capital) for i in changed.values()],
        )
    for book in books.values():
        if book.status_changed:
            Credit.objects.filter(pk=book.credit_id).update(status=book.status, paid_off_on=book.paid_off_on)
    statements_discard((p.payment.credit_id, p.payment.paid_on) for p in planned if p.applied)


def credit_payments_post(
    payments: Sequence[PaymentIn], *, funded_from: dict[str, int] | None = None
) -> list[PlannedPayment]:
    """Receive payments that are each their own ledger transaction: a borrower's direct payment (the bank takes
    the money) or an employer's 5 % applied to capital (`funded_from` names the savings pocket it leaves, by
    payment key). The credit's accounts are paid in the documented order. Idempotent by key: a key already
    received is skipped."""
    with transaction.atomic():
        seen = set(CreditPayment.objects.filter(key__in=[p.key for p in payments]).values_list("key", flat=True))
        fresh = [p for p in payments if p.key not in seen]
        if not fresh:
            return []
        statuses = dict(Credit.objects.filter(pk__in={p.credit_id for p in fresh}).values_list("pk", "status"))
        for p in fresh:
            if statuses.get(p.credit_id) not in PAYABLE:
                raise ServicingError(
                    CreditCode.NOT_PAYABLE,
                    "Este crédito no está vigente: no puede recibir pagos. Acude a un Centro de Servicio.",
                    details={"key": p.key},
                )
        bank = fund_accounts()[codes.FUND_BANK.code]
        done: list[PlannedPayment] = []
        for month in by_month(fresh, lambda p: p.paid_on):
            done += post_month(month, bank, funded_from or {})
    return done


def post_month(payments: list[PaymentIn], bank: int, funded_from: dict[str, int]) -> list[PlannedPayment]:
    """Apply and post one month's payments, each its own ledger transaction (`credit_payments_post`)."""
    planned, books = payments_plan(payments)
    entries = [
        Entry(
            p.payment.key,
            f"Pago al crédito {books[p.payment.credit_id].numero_credito}",
            p.payment.paid_on,
            (Line(AccountRef(funded_from.get(p.payment.key, bank)), p.applied), *p.lines),
            kind=LedgerKind.CREDIT_CONTRIBUTION
            if p.payment.source == PaymentSource.APORTACION
            else LedgerKind.CREDIT_PAYMENT,
        )
        for p in planned
        if p.applied
    ]
    txn_ids = ledger_post_many_ids(entries=entries)
    payments_record(planned, books, txn_ids)
    return planned


def credit_originate(credit: Credit) -> Credit:
    """Post the amount granted: the fund's bank pays it out, the borrower owes it (idempotent)."""
    from micuenta.ledger.services import ledger_post

    bank = fund_accounts()[codes.FUND_BANK.code]
    ledger_post(
        key=f"credito:{credit.pk}:otorgamiento",
        description="Otorgamiento del crédito",
        effective=credit.origination_date,
        lines=[
            Line(AccountRef(credit.account_id), credit.amount_granted),
            Line(AccountRef(bank), -credit.amount_granted),
        ],
        kind=LedgerKind.CREDIT_ORIGINATION,
    )
    credit.account.refresh_from_db()
    return credit


def servicing_mismatches(credit_ids: Iterable[int] | None = None) -> list[str]:
    """Where the ledger and the servicing records disagree: a credit's interest and charges accounts must hold what
    its mensualidades charged and were not paid, its saldo a favor what payments put there, and its capital can
    never be below the capital fallen due and unpaid, nor negative. Empty when all is well."""
    credits = Credit.objects.select_related("account", "interest_account", "charges_account", "excess_account")
    if credit_ids is not None:
        credits = credits.filter(pk__in=list(credit_ids))
    ids = list(credits.values_list("pk", flat=True))
    owed = {
        row["credit_id"]: row
        for row in Instalment.objects.filter(credit_id__in=ids)
        .values("credit_id")
        .annotate(
            interest_left=Sum(F("interest") - F("paid_interest")),
            charges_left=Sum(F("insurance") + F("fees") - F("paid_charges")),
            capital_left=Sum(F("capital_due") - F("paid_capital")),
        )
    }
    excess = dict(
        CreditPayment.objects.filter(credit_id__in=ids)
        .values("credit_id")
        .annotate(total=Sum("to_excess"))
        .values_list("credit_id", "total")
    )
    problems = []
    for credit in credits:
        row = owed.get(credit.pk, {})
        checks = (
            ("intereses", credit.interest_account, row.get("interest_left")),
            ("seguro y cuotas", credit.charges_account, row.get("charges_left")),
            ("saldo a favor", credit.excess_account, excess.get(credit.pk)),
        )
        for name, account, expected in checks:
            have = money(account.natural_balance) if account is not None else ZERO
            if have != money(expected or ZERO):
                problems.append(f"crédito {credit.pk}: {name} {have} en el libro, {money(expected or ZERO)} esperado")
        capital = money(credit.account.balance)
        if capital < 0 or capital < money(row.get("capital_left") or ZERO):
            problems.append(f"crédito {credit.pk}: capital {capital} menor que lo exigible")
    return problems
