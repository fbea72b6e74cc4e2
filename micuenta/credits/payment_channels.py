"""How a borrower pays directly: the fund's account, its reference, the channels (docs/sources.md#paying-directly)."""

from __future__ import annotations

from decimal import Decimal

from micuenta.credits.models import PaymentChannel

# Ventanilla bancaria or SPEI: HSBC account CLABE 021180550300050811, "Referencia 5503", concepto = the 10-digit
# número de crédito (docs/sources.md#paying-directly); the CLABE's check digit is verified in the tests.
FUND_CLABE = "021180550300050811"
FUND_BANK_NAME = "HSBC"
FUND_REFERENCE = "5503"
# Establecimientos autorizados: the número de crédito, at least $50.00, no commission (docs/sources.md#paying-directly).
STORE_MINIMUM = Decimal("50.00")

DIRECT_CHANNELS = {
    "ventanilla": PaymentChannel.VENTANILLA,
    "spei": PaymentChannel.SPEI,
    "tienda": PaymentChannel.TIENDA,
}
