"""The demo borrowers' credits, made by the servicing engine from origination to the day the demo is loaded.

Month by month, as it would have happened: the credit is originated (`credit_originate`), each month's mensualidad
is issued (`credits_accrue`) and the payments are applied (`credit_payments_apply`) in the order they came:

- ROA, al corriente (bruno): his employer pays each bimestre's deduction, the mensualidades of the bimestre's months
  (cuota fija: the level payment plus seguro and cuota), on the SUA deadline (NOMINA, SUA); and each bimestre's 5 %
  aportación (the seed's Contribution rows) goes to capital (APORTACION), leaving his Vivienda pocket.
- REA, atrasado (carla): she pays her mensualidad on day 10 of each month (DIRECTO, at a bank window, by SPEI or at
  a store, in turn) until STOP_MONTHS before that day; one month she pays part and makes it up the next.
- ROA, liquidado con exceso (diego): deductions each bimestre until PAYOFF_MONTH, when he pays his whole saldo para
  liquidar directly; the employer, not told to stop, deducts the next bimestre too: that is his saldo a favor.

Every key is fixed by the credit and the period, so running it again posts nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from micuenta.core.actors import Actor
from micuenta.core.periods import bimestre_end, bimestre_start, bimestres, payment_deadline
from micuenta.credits import schedule
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.models import Credit, Denomination, PaymentChannel, PaymentSource, Regime, UnitUpdate
from micuenta.credits.rules import mensualidad, unit_factors, vsm_unit_value
from micuenta.credits.selectors import credit_debt
from micuenta.credits.services.accrual import credits_accrue
from micuenta.credits.services.origination import credit_originate
from micuenta.credits.services.payments import credit_payments_apply
from micuenta.savings.models import Contribution, SubaccountPocket

# Salario mínimo general 2009, zona A (CONASAMI): 54.80 pesos a day; a VSM a month is 54.80 × 30.4 = 1,665.92.
VSM_MONTHLY_2009_A = Decimal("54.80") * Decimal("30.4")
STOP_MONTHS = 5  # the REA borrower's last payment is this many months before the day of loading
PARTIAL_MONTH = date(2022, 8, 1)  # ... and this month she pays 60 %, the rest the month after
PAYOFF_MONTH = date(2025, 3, 1)  # the paid-off borrower pays his saldo para liquidar this month (day PAY_DAY)
PAY_DAY = 10
CHANNELS = (PaymentChannel.VENTANILLA, PaymentChannel.SPEI, PaymentChannel.TIENDA)


def vsm_amount(pesos: Decimal) -> Decimal:
    """A 2009 credit's amount in VSM: pesos over the VSM monthly value of 2009 (zona A)."""
    return (pesos / VSM_MONTHLY_2009_A).quantize(Decimal("0.0001"))


ACTOR = Actor.system("load_demo_data")


@dataclass(frozen=True)
class _Payment:
    payment: PaymentIn


def _mensualidad(credit: Credit, period: date, factors: dict[int, UnitUpdate]) -> Decimal:
    """The mensualidad of `period` as issued (level payment + seguro + cuota), while capital remains to fall due."""
    unit = vsm_unit_value(credit, period, factors) if credit.denomination == Denomination.VSM else None
    return mensualidad(credit, unit, on=period)


def _deductions(credit: Credit, until: date, factors: dict[int, UnitUpdate]) -> list[_Payment]:
    """The employer's deduction of each bimestre from origination whose SUA deadline is not after `until`."""
    first = schedule.add_months(credit.origination_date, 1)
    out = []
    for year, bim in bimestres(credit.origination_date, until):
        deadline = payment_deadline(year, bim)
        if deadline > until:
            break
        months = [
            schedule.add_months(bimestre_start(year, bim), k)
            for k in range(2)
            if first <= schedule.add_months(bimestre_start(year, bim), k) <= bimestre_end(year, bim)
        ]
        if months:
            amount = sum((_mensualidad(credit, m, factors) for m in months), Decimal("0.00"))
            key = f"demo:credito:{credit.numero_credito}:nomina:{year}-{bim}"
            out.append(_Payment(PaymentIn(credit.pk, key, amount, deadline, PaymentSource.NOMINA, PaymentChannel.SUA)))
    return out


def _aportaciones(credit: Credit, until: date) -> list[_Payment]:
    pockets = dict(
        SubaccountPocket.objects.filter(subaccount__worker_id=credit.worker_id).values_list("pocket", "account_id")
    )
    out = []
    for c in (
        Contribution.objects.filter(worker_id=credit.worker_id, paid_on__gt=credit.origination_date)
        .filter(paid_on__lte=until)
        .select_related("employer")
        .order_by("paid_on", "year", "bimestre")
    ):
        key = f"demo:credito:{credit.numero_credito}:aportacion:{c.year}-{c.bimestre}:{c.employer.registro_patronal}"
        payment = PaymentIn(
            credit.pk, key, c.amount, c.paid_on, PaymentSource.APORTACION, PaymentChannel.SUA,
            funding=pockets[c.pocket],
        )  # fmt: skip
        out.append(_Payment(payment))
    return out


def _direct(credit: Credit, last: date, factors: dict[int, UnitUpdate]) -> list[_Payment]:
    """A REA borrower's mensualidad on day PAY_DAY of each month up to the month `last`."""
    out = []
    carry = Decimal("0.00")
    period = schedule.add_months(credit.origination_date, 1)
    while period <= last:
        amount = _mensualidad(credit, period, factors) + carry
        carry = Decimal("0.00")
        if period == PARTIAL_MONTH:
            carry = (amount * Decimal("0.4")).quantize(Decimal("0.01"))
            amount -= carry
        key = f"demo:credito:{credit.numero_credito}:directo:{period:%Y-%m}"
        channel = CHANNELS[schedule.months_between(credit.origination_date, period) % len(CHANNELS)]
        out.append(_Payment(PaymentIn(credit.pk, key, amount, period.replace(day=PAY_DAY), channel=channel)))
        period = schedule.add_months(period, 1)
    return out


def demo_credit_histories(credits: list[tuple[Credit, str]], *, as_of: date) -> None:
    """Originate each (credit, scenario) and run it through the engine to `as_of` (see the module docstring)."""
    factors = unit_factors()
    payments: list[_Payment] = []
    payoffs: dict[date, Credit] = {}
    for credit, scenario in credits:
        credit_originate(actor=ACTOR, credit=credit)
        if credit.regime == Regime.ROA and scenario == "liquidado_con_exceso":
            # Deductions up to the payoff, and the one bimestre after it that the employer still deducted.
            payoff_day = PAYOFF_MONTH.replace(day=PAY_DAY)
            deductions = _deductions(credit, as_of, factors)
            before = [d for d in deductions if d.payment.paid_on < payoff_day]
            after = [d for d in deductions if d.payment.paid_on > payoff_day][:1]
            payments += before + after
            payoffs[payoff_day] = credit
        elif credit.regime == Regime.ROA:
            payments += _deductions(credit, as_of, factors) + _aportaciones(credit, as_of)
        else:
            last = schedule.add_months(as_of.replace(day=1), -STOP_MONTHS)
            payments += _direct(credit, last, factors)
    by_month: dict[date, list[_Payment]] = defaultdict(list)
    for p in payments:
        by_month[p.payment.paid_on.replace(day=1)].append(p)
    for day in payoffs:
        by_month.setdefault(day.replace(day=1), [])
    for month in sorted(by_month):
        batch = sorted(by_month[month], key=lambda p: p.payment.paid_on)
        payoff = next(((day, c) for day, c in payoffs.items() if day.replace(day=1) == month), None)
        if payoff is None:
            _post(batch)
            continue
        day, credit = payoff
        _post([p for p in batch if p.payment.paid_on < day])
        credits_accrue(actor=ACTOR, month=month, credit_ids=[credit.pk], allow_unconfirmed=True)
        owed = credit_debt(Credit.objects.select_related(*ACCOUNTS).get(pk=credit.pk), today=day).payoff
        if owed <= 0:
            raise ValueError(f"nothing to pay off on {day}")
        key = f"demo:credito:{credit.numero_credito}:liquidacion"
        _post([_Payment(PaymentIn(credit.pk, key, owed, day, channel=PaymentChannel.SPEI, reference="liquidación"))])
        _post([p for p in batch if p.payment.paid_on >= day])
    credits_accrue(
        actor=ACTOR, month=as_of.replace(day=1), credit_ids=[c.pk for c, _ in credits], allow_unconfirmed=True
    )


ACCOUNTS = ("account", "interest_account", "charges_account", "excess_account")


def _post(batch: list[_Payment]) -> None:
    if batch:
        credit_payments_apply(actor=ACTOR, payments=[p.payment for p in batch])


__all__ = ["demo_credit_histories", "vsm_amount"]
