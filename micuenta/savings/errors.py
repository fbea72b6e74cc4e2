"""The savings domain's refusals and quarantine codes: a stable code for programs, a Spanish message for people."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class YieldCode(ErrorCode):
    INVALID_MODE = "rendimientos_modo_invalido"
    NO_RATE = "rendimientos_sin_tasa"


class YieldError(ApplicationError):
    """A refusal of the yields' crediting."""


class SuaLineCode(ErrorCode):
    """Why a line of the employers' SUA payments file is quarantined."""

    YEAR_INVALID = "anio_invalido"
    BIMESTRE_INVALID = "bimestre_invalido"
    DAYS_INVALID = "dias_invalidos"
    NO_AMOUNTS = "sin_importes"
    CREDIT_MISSING = "credito_faltante"
    CREDIT_INVALID = "credito_invalido"
    PAID_BEFORE_BIMESTRE = "pago_anterior_al_bimestre"
    CONTRIBUTION_TOO_LARGE = "aportacion_excesiva"
    DEDUCTION_TOO_LARGE = "amortizacion_excesiva"
    PAID_BEFORE_ORIGINATION = "pago_anterior_al_credito"
    FOLIO_MISSING = "folio_faltante"
    FOLIO_INVALID = "folio_invalido"
    UNKNOWN_WORKER = "trabajador_desconocido"
    UNKNOWN_EMPLOYER = "patron_desconocido"
    CREDIT_OF_ANOTHER = "credito_ajeno"
    CREDIT_NOT_CURRENT = "credito_no_vigente"
    VSM_FACTOR_MISSING = "factor_vsm_faltante"
    REPEATED_DIFFERENT = "repetida_distinta"
    RECORDED_DIFFERENT = "registrada_distinta"
    BIMESTRE_REPEATED = "bimestre_repetido"
