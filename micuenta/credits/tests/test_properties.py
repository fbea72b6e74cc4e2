"""Properties of the arithmetic and of the servicing engine, for any credit and any way of paying it."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from micuenta.credits import schedule
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.checks import servicing_mismatches
from micuenta.credits.models import CreditPayment, CreditStatus, Instalment, Regime
from micuenta.credits.selectors import credit_debt
from micuenta.credits.tests.factories import CreditFactory, originate, payments_post
from micuenta.ledger.selectors import ledger_mismatches

principals = st.decimals(min_value=Decimal("10000.00"), max_value=Decimal("2500000.00"), places=2)
rates = st.decimals(min_value=Decimal("0.0100"), max_value=Decimal("0.1200"), places=4)
terms = st.integers(min_value=12, max_value=360)


def interest_of(capital: Decimal, rate: Decimal) -> Decimal:
    """Independently of the code under test: capital × rate / 12, half-up to the centavo."""
    return (capital * rate / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=60, deadline=None)
@given(principal=principals, rate=rates, term=terms, extra=st.sampled_from([Decimal("0.00"), Decimal("423.78")]))
def test_any_schedule_ends_at_zero_never_goes_negative_and_repays_exactly_the_principal(principal, rate, term, extra):
    rows = list(schedule.schedule(principal, rate, term, extra_monthly=extra))

    assert rows[-1].closing == Decimal("0.00")
    assert len(rows) <= term
    assert all(row.closing >= 0 and row.capital >= 0 for row in rows)
    assert sum(row.capital for row in rows) == principal
    assert all(row.interest == interest_of(row.opening, rate) for row in rows)
    level = schedule.annuity(principal, rate, term)
    assert all(row.payment == level + min(extra, row.opening - (level - row.interest)) for row in rows[:-1])


# Month k's payment, as a fraction of the mensualidad: 0 skips it, above 1 pays ahead.
paying = st.lists(st.sampled_from(["0", "0.5", "1", "1", "1", "2", "6"]), min_size=1, max_size=14)


class ServicingProperties(HypothesisTestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        principal=st.decimals(min_value=Decimal("5000.00"), max_value=Decimal("900000.00"), places=2),
        rate=rates,
        term=st.integers(min_value=12, max_value=360),
        fractions=paying,
        excess=st.decimals(min_value=Decimal("0.00"), max_value=Decimal("5000.00"), places=2),
    )
    def test_balances_never_negative_interest_as_documented_and_payoff_repays_the_amount_granted(
        self, principal, rate, term, fractions, excess
    ):
        credit = originate(
            CreditFactory.create(
                amount_granted=principal, annual_rate=rate, term_months=term, regime=Regime.REA,
                origination_date=date(2024, 1, 20),
            )
        )  # fmt: skip
        month = date(2024, 2, 1)
        for k, fraction in enumerate(fractions):
            day = schedule.add_months(month, k).replace(day=15)
            debt = credit_debt(credit, today=day)
            amount = (debt.mensualidad * Decimal(fraction)).quantize(Decimal("0.01"))
            if amount > 0:
                payments_post([PaymentIn(credit.pk, f"p{k}", amount, day)])
            credit.refresh_from_db()
            for account in (credit.account, credit.interest_account, credit.charges_account):
                assert account is None or account.balance >= 0
        # Pay off whatever is owed, and a little more.
        payoff_day = schedule.add_months(month, len(fractions)).replace(day=10)
        credit.refresh_from_db()
        owed = credit_debt(credit, today=payoff_day).payoff
        payments_post([PaymentIn(credit.pk, "payoff", owed + excess + Decimal("0.01"), payoff_day)])
        credit.refresh_from_db()

        assert credit.status == CreditStatus.LIQUIDADO
        payments = CreditPayment.objects.filter(credit=credit)
        assert sum(p.to_capital for p in payments) == principal
        assert credit.excess_account is not None
        assert credit.excess_account.natural_balance > excess
        for instalment in Instalment.objects.filter(credit=credit):
            assert instalment.interest == interest_of(instalment.opening_capital, rate)
            assert instalment.remaining == 0
        assert servicing_mismatches([credit.pk]) == []
        assert ledger_mismatches() == []
