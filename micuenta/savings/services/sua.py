"""Writes of the savings domain: opening the Subcuenta de Vivienda, and posting the employers' SUA payments.

`contributions_post` is where a chunk of the SUA file (micuenta.savings.feed, which parses and checks the lines)
becomes money: each line one ledger transaction, keyed by employer, worker, bimestre and folio SUA. The bank receives
aportación + amortización; the aportación goes to the worker's pocket for that period (Vivienda 97 from July 1997);
the amortización pays the credit through the credits' one door, `credit_payments_apply`, in the same transaction;
for a ROA borrower the aportación of a bimestre from the credit's origination on then goes on to the credit's
capital, in a second transaction out of the pocket (docs/feeds.md, docs/credits.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from micuenta.core.actors import Actor
from micuenta.core.db.bulk import insert_rows
from micuenta.core.money import money
from micuenta.core.periods import bimestre_label, bimestre_start
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.models import PaymentChannel, PaymentSource
from micuenta.credits.services.locks import credits_lock
from micuenta.credits.services.payments import credit_payments_apply
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.services import (
    AccountRef,
    Entry,
    Line,
    fund_accounts_lock,
    ledger_post_many_ids,
)
from micuenta.people.models import Worker
from micuenta.savings.models import SubaccountPocket, pocket_for_contribution
from micuenta.savings.services.subaccounts import subaccount_open


def sua_key(*, employer_id: int, worker_id: int, year: int, bimestre: int, folio: str) -> str:
    """The idempotency key of an SUA line: database ids and the folio, never the NSS. Keys are stored in the
    ledger: their text (`sua:<employer>:<worker>:<year>-<bimestre>:<folio>`) never changes."""
    return f"sua:{employer_id}:{worker_id}:{year}-{bimestre}:{folio}"


@dataclass(frozen=True)
class ContributionLine:
    """An SUA line checked and ready to post (micuenta.savings.feed): its key, whose it is, what it pays, and the
    credit it pays, if any."""

    key: str
    worker_id: int
    employer_id: int
    razon_social: str
    year: int
    bimestre: int
    days: int
    sbc: Decimal
    aportacion: Decimal
    deduction: Decimal  # the credit deduction (amortización) paid with the line
    numero_credito: str
    paid_on: date
    folio: str
    credit_id: int | None = None  # the credit the line names
    to_capital: bool = False  # the aportación goes to that credit's capital (ROA, a bimestre after origination)


def _pockets(actor: Actor, worker_ids: set[int], today: date) -> dict[tuple[int, str], int]:
    pockets = {
        (w, pocket): account
        for w, pocket, account in SubaccountPocket.objects.filter(subaccount__worker_id__in=worker_ids).values_list(
            "subaccount__worker_id", "pocket", "account_id"
        )
    }
    missing = worker_ids - {w for w, _ in pockets}
    for worker in Worker.objects.filter(pk__in=missing):  # a worker whose subaccount was never opened
        subaccount = subaccount_open(actor=actor, worker=worker, opened_on=today)
        for pocket, account in subaccount.pockets.values_list("pocket", "account_id"):
            pockets[(worker.pk, pocket)] = account
    return pockets


def contributions_post(*, actor: Actor, run_id: int | None, lines: Sequence[ContributionLine], today: date) -> None:
    """Post checked SUA lines: ledger transactions, the credits' side, and one `Contribution` row per line."""
    if not lines:
        return
    with transaction.atomic():
        # The locks in their one order: the credits the lines pay, then the fund's own accounts (its bank).
        credits_lock({r.credit_id for r in lines if r.credit_id is not None})
        bank = AccountRef(fund_accounts_lock()[codes.FUND_BANK.code])
        pockets = _pockets(actor, {r.worker_id for r in lines}, today)
        own: list[Entry] = []
        payments: list[PaymentIn] = []
        rows = []
        for r in lines:
            p = r
            pocket = pocket_for_contribution(bimestre_start(p.year, p.bimestre))
            pocket_account = AccountRef(pockets[(r.worker_id, pocket.value)])
            aportacion, deduction = money(p.aportacion), money(p.deduction)
            saving = (Line(bank, aportacion), Line(pocket_account, -aportacion)) if aportacion else ()
            description = f"Pago SUA del {bimestre_label(p.year, p.bimestre)}, {r.razon_social}"[:300]
            if r.credit_id is not None and deduction > 0:
                payments.append(
                    PaymentIn(
                        r.credit_id, r.key, deduction, p.paid_on, PaymentSource.NOMINA, PaymentChannel.SUA,
                        p.folio, funding=bank.pk, description=description, kind=LedgerKind.SUA, other_lines=saving,
                    )
                )  # fmt: skip
            else:
                own.append(Entry(r.key, description, p.paid_on, saving, kind=LedgerKind.SUA))
            if r.credit_id is not None and r.to_capital:
                payments.append(
                    PaymentIn(
                        r.credit_id, f"{r.key}:aportacion", aportacion, p.paid_on, PaymentSource.APORTACION,
                        PaymentChannel.SUA, p.folio, funding=pocket_account.pk,
                        description=f"Aportación del {bimestre_label(p.year, p.bimestre)} aplicada al crédito",
                        kind=LedgerKind.CREDIT_CONTRIBUTION,
                    )
                )  # fmt: skip
            rows.append((r, pocket.value))
        txn_ids = ledger_post_many_ids(entries=own)
        if payments:
            txn_ids.update(credit_payments_apply(actor=actor, payments=payments).transaction_ids)
        # Raw rows (COPY on PostgreSQL): thousands of model instances would cost more than the insert itself.
        insert_rows(
            "savings_contribution",
            (
                "worker_id", "employer_id", "year", "bimestre", "days", "sbc", "amount", "paid_on", "folio_sua",
                "pocket", "transaction_id", "deduction", "numero_credito", "import_run_id",
            ),
            [
                (
                    r.worker_id, r.employer_id, r.year, r.bimestre, r.days, r.sbc, money(r.aportacion), r.paid_on,
                    r.folio, pocket, txn_ids[r.key], money(r.deduction), r.numero_credito, run_id,
                )
                for r, pocket in rows
            ],
        )  # fmt: skip
