"""The credits domain's refusals and quarantine codes: a stable code for programs, a Spanish message for people."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class CreditCode(ErrorCode):
    NO_VSM_AMOUNT = "credito_sin_vsm"
    VSM_FACTOR_MISSING = "factor_vsm_faltante"
    VSM_FACTOR_UNCONFIRMED = "factor_vsm_sin_confirmar"
    PAYMENT_NOT_POSITIVE = "pago_no_positivo"
    NOT_PAYABLE = "credito_no_recibe_pagos"
    UNKNOWN_CREDIT = "credito_desconocido"


class BankLineCode(ErrorCode):
    """Why a line of the bank payments file is quarantined (docs/credits.md)."""

    REFERENCE_INVALID = "referencia_invalida"
    CONCEPT_INVALID = "concepto_invalido"
    CHANNEL_INVALID = "canal_invalido"
    BELOW_STORE_MINIMUM = "importe_menor_al_minimo"
    FOLIO_INVALID = "folio_invalido"
    UNKNOWN_CREDIT = "credito_desconocido"
    RECORDED_DIFFERENT = "registrada_distinta"
    CREDIT_NOT_CURRENT = "credito_no_vigente"
    VSM_FACTOR_MISSING = "factor_vsm_faltante"
    PAID_BEFORE_ORIGINATION = "pago_anterior_al_credito"
    AMOUNT_IMPLAUSIBLE = "importe_mayor_al_saldo"


class ServicingError(ApplicationError):
    """A refusal of the servicing engine (accrual, payments)."""
