"""Codes of the ledger's accounts, in one place. Person accounts use database ids, never NSS or CURP."""

from __future__ import annotations

from micuenta.ledger.models import AccountKind

FUND_BANK = ("fondo:bancos", "Bancos del Instituto", AccountKind.ASSET)
YIELD_EXPENSE = ("fondo:gastos:rendimientos", "Rendimientos abonados a la Subcuenta de Vivienda", AccountKind.EXPENSE)
INTEREST_INCOME = ("fondo:ingresos:intereses", "Intereses de créditos", AccountKind.INCOME)
OPENING_BALANCES = ("fondo:saldos-iniciales", "Saldos iniciales migrados", AccountKind.EQUITY)


def pocket_code(worker_id: int, pocket: str) -> str:
    return f"ahorro:{worker_id}:{pocket}"


def credit_code(numero_credito: str) -> str:
    return f"credito:{numero_credito}"


def credit_excess_code(numero_credito: str) -> str:
    return f"credito:{numero_credito}:saldo-a-favor"
