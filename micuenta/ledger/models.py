"""Double-entry journal: accounts, transactions and their postings (append-only).

Sign convention: a posting's amount is positive for a debit and negative for a credit; the postings of a
transaction sum to zero. An account's balance is the sum of its postings; `Account.balance` caches it,
updated in the same database transaction as the postings (`manage.py ledger_check` proves it).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from micuenta.core.money import MoneyField
from micuenta.ledger.kinds import LedgerKind


class AccountKind(models.TextChoices):
    ASSET = "asset", "Activo"
    LIABILITY = "liability", "Pasivo"
    EQUITY = "equity", "Patrimonio"
    INCOME = "income", "Ingreso"
    EXPENSE = "expense", "Gasto"


# Kinds whose natural balance is a credit: shown to people with the sign turned.
CREDIT_NORMAL = frozenset({AccountKind.LIABILITY, AccountKind.EQUITY, AccountKind.INCOME})


class Account(models.Model):
    code = models.CharField("clave", max_length=120, unique=True)
    name = models.CharField("nombre", max_length=200)
    kind = models.CharField("tipo", max_length=10, choices=AccountKind.choices)
    balance = MoneyField("saldo (débitos menos créditos)", default=Decimal("0.00"))
    created_at = models.DateTimeField("creada", auto_now_add=True)

    class Meta:
        verbose_name = "cuenta contable"
        verbose_name_plural = "cuentas contables"
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def natural_balance(self) -> Decimal:
        """The balance with the sign a person expects: a liability's credit balance is positive."""
        value = -self.balance if self.kind in CREDIT_NORMAL else self.balance
        return value + Decimal("0.00")  # never "-0.00"


class Transaction(models.Model):
    """A balanced set of postings. Its key makes replays harmless; a reversal points at what it reverses."""

    idempotency_key = models.CharField("clave de idempotencia", max_length=200, unique=True)
    description = models.CharField("concepto", max_length=300)
    # What kind of event this is (ledger.kinds.LedgerKind, the one registry): pages filter and explain movements by it.
    kind = models.CharField("tipo", max_length=30, blank=True, default="", choices=LedgerKind.choices)
    effective_date = models.DateField("fecha valor", db_index=True)
    created_at = models.DateTimeField("registrada", auto_now_add=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="revierte a",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )

    class Meta:
        verbose_name = "asiento"
        verbose_name_plural = "asientos"
        ordering = ("-id",)

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.effective_date})"


class Posting(models.Model):
    transaction = models.ForeignKey(
        Transaction, verbose_name="asiento", on_delete=models.PROTECT, related_name="postings"
    )
    account = models.ForeignKey(Account, verbose_name="cuenta", on_delete=models.PROTECT, related_name="postings")
    amount = MoneyField("importe (+ débito, − crédito)")

    class Meta:
        verbose_name = "movimiento contable"
        verbose_name_plural = "movimientos contables"
        constraints = (models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_posting_amount_nonzero"),)
        indexes = (models.Index(fields=("account", "transaction"), name="ledger_posting_account_txn"),)

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount}"
