"""The ledger's refusals: a stable code for programs, a message for people."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class LedgerCode(ErrorCode):
    TOO_FEW_LINES = "asiento_incompleto"
    ZERO_LINE = "movimiento_en_cero"
    UNBALANCED = "asiento_descuadrado"
    UNSAVED_ACCOUNT = "cuenta_inexistente"
    DUPLICATE_KEY = "clave_repetida_en_lote"
    ALREADY_REVERSED = "asiento_ya_revertido"


class LedgerError(ApplicationError):
    pass
