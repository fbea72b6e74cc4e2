"""Granting a credit's money: the amount granted leaves the fund's bank and the borrower owes it."""

from __future__ import annotations

from django.db import transaction

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.credits.audit import CreditAction
from micuenta.credits.models import Credit
from micuenta.credits.services.locks import credits_lock
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Transaction
from micuenta.ledger.services import AccountRef, Line, fund_accounts_lock, ledger_post


def credit_originate(*, actor: Actor, credit: Credit) -> Credit:
    """Post the amount granted, once: the fund's bank pays it out, the credit's capital account owes it."""
    key = f"credito:{credit.pk}:otorgamiento"
    with transaction.atomic():
        credits_lock([credit.pk])
        bank = fund_accounts_lock()[codes.FUND_BANK.code]
        if not Transaction.objects.filter(idempotency_key=key).exists():
            ledger_post(
                key=key,
                description="Otorgamiento del crédito",
                effective=credit.origination_date,
                lines=[
                    Line(AccountRef(credit.account_id), credit.amount_granted),
                    Line(AccountRef(bank), -credit.amount_granted),
                ],
                kind=LedgerKind.CREDIT_ORIGINATION,
            )
            audit_record(
                actor=actor,
                action=CreditAction.ORIGINATED,
                subject=credit,
                worker_id=credit.worker_id,
                after={"amount_granted": credit.amount_granted, "origination_date": credit.origination_date},
            )
    credit.account.refresh_from_db()
    return credit
