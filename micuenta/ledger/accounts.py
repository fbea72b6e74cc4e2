"""Codes of the ledger's accounts, in one place. Person accounts use database ids, never NSS or CURP."""

from __future__ import annotations

from typing import NamedTuple

from micuenta.ledger.models import AccountKind


class FundAccount(NamedTuple):
    """One of the fund's own accounts: its code in the ledger, its name and its kind."""

    code: str
    name: str
    kind: AccountKind


FUND_BANK = FundAccount("fondo:bancos", "Bancos del Instituto", AccountKind.ASSET)
YIELD_EXPENSE = FundAccount(
    "fondo:gastos:rendimientos", "Rendimientos abonados a la Subcuenta de Vivienda", AccountKind.EXPENSE
)
INTEREST_INCOME = FundAccount("fondo:ingresos:intereses", "Intereses de créditos", AccountKind.INCOME)
INSURANCE_PAYABLE = FundAccount("fondo:seguros:danos", "Primas del seguro de daños por pagar", AccountKind.LIABILITY)
FEE_INCOME = FundAccount("fondo:ingresos:cuotas", "Cuotas de administración de créditos", AccountKind.INCOME)
VSM_UPDATE_INCOME = FundAccount(
    "fondo:ingresos:actualizacion-vsm", "Actualización anual de créditos en VSM", AccountKind.INCOME
)
OPENING_BALANCES = FundAccount("fondo:saldos-iniciales", "Saldos iniciales migrados", AccountKind.EQUITY)

# Every account of the fund's own: each service that moves money locks them all, in id order (ledger.services).
FUND_ACCOUNTS = (
    FUND_BANK,
    YIELD_EXPENSE,
    INTEREST_INCOME,
    INSURANCE_PAYABLE,
    FEE_INCOME,
    VSM_UPDATE_INCOME,
    OPENING_BALANCES,
)


def pocket_code(worker_id: int, pocket: str) -> str:
    return f"ahorro:{worker_id}:{pocket}"


def credit_code(numero_credito: str) -> str:
    return f"credito:{numero_credito}"


def credit_excess_code(numero_credito: str) -> str:
    return f"credito:{numero_credito}:saldo-a-favor"


def credit_interest_code(numero_credito: str) -> str:
    return f"credito:{numero_credito}:intereses"


def credit_charges_code(numero_credito: str) -> str:
    return f"credito:{numero_credito}:cargos"
