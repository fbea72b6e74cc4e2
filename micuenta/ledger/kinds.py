"""Every kind of ledger transaction, in one registry: pages filter and explain movements by it.

A domain that posts a new kind of event adds it here (and a migration records the new choice); the words a page
shows a person for each kind belong to that page (savings.selectors.MOVEMENT_TYPES, credits.selectors).
"""

from __future__ import annotations

from django.db import models


class LedgerKind(models.TextChoices):
    UNSPECIFIED = "", "Sin tipo"
    SUA = "sua", "Pago bimestral del patrón (SUA)"
    YIELD = "rendimiento", "Rendimientos de la Subcuenta de Vivienda"
    OPENING = "saldo_inicial", "Saldo inicial migrado"
    REVERSAL = "reverso", "Corrección (reverso de un asiento)"
    CREDIT_ORIGINATION = "credito_otorgamiento", "Otorgamiento de un crédito"
    CREDIT_MIGRATED = "credito_saldo_migrado", "Saldo migrado de un crédito"
    CREDIT_ACCRUAL = "credito_devengo", "Mensualidad: intereses y cargos de un crédito"
    CREDIT_PAYMENT = "credito_pago", "Pago a un crédito"
    CREDIT_CONTRIBUTION = "credito_aportacion", "Aportación patronal aplicada a un crédito"
