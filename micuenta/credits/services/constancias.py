"""Issuing the Constancia de Intereses of a credit and fiscal year through the documents service (docs/documents.md):
computed and signed on first request, then the same stored PDF every time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.identifiers import CURP_STATE_NAMES
from micuenta.core.money import format_pesos
from micuenta.core.privacy import mask_credit, mask_nss
from micuenta.credits.constancia import InterestFigures, constancia_figures
from micuenta.credits.models import Credit
from micuenta.documents.models import DocumentStatus, OfficialDocument
from micuenta.documents.services import document_issue

KIND = "constancia_intereses"
PREFIX = "CIN"
SUBJECT = "credits.credit"


def constancia_in_force(credit: Credit, year: int) -> OfficialDocument | None:
    return (
        OfficialDocument.objects.filter(
            kind=KIND, subject_type=SUBJECT, subject_id=str(credit.pk), status=DocumentStatus.VIGENTE
        )
        .filter(data__ejercicio=year)
        .first()
    )


def _masked_rfc(rfc: str) -> str:
    return rfc[:4] + "*" * (len(rfc) - 4) if rfc else "—"


def constancia_issue(*, actor: Actor, credit: Credit, year: int) -> OfficialDocument:
    """The constancia of `credit` for `year`: the one in force, or a new one computed, signed and stored now.
    A year not closed, or without its INPC, raises ConstanciaUnavailable (its message says why)."""
    found = constancia_in_force(credit, year)
    if found is not None:
        return found
    figures = constancia_figures(credit, year)
    worker = credit.worker
    with transaction.atomic():
        Credit.objects.select_for_update().filter(pk=credit.pk).first()  # one issue at a time per credit
        found = constancia_in_force(credit, year)
        if found is not None:
            return found
        return document_issue(
            actor=actor,
            kind=KIND,
            prefix=PREFIX,
            title=f"Constancia de Intereses del ejercicio {year}",
            template="credits/constancia_pdf.html",
            context=_context(credit, year, figures),
            printed=[
                ("Ejercicio", str(year)),
                ("Número de crédito", mask_credit(credit.numero_credito)),
                ("NSS del acreditado", mask_nss(worker.nss)),
                ("RFC del acreditado", _masked_rfc(worker.rfc)),
                ("Intereses nominales devengados", format_pesos(figures.nominal_accrued)),
                ("Intereses pagados en el ejercicio", format_pesos(figures.nominal_paid)),
                ("Intereses reales pagados en el ejercicio", format_pesos(figures.real_interest)),
            ],
            worker_id=worker.pk,
            subject=(SUBJECT, str(credit.pk)),
            data=_data(year, figures, worker.rfc),
        )


def _data(year: int, figures: InterestFigures, rfc: str) -> dict[str, Any]:
    i = figures.inputs
    return {
        "ejercicio": year,
        "rfc": rfc,
        "meses": [i.first_month, i.last_month],
        "saldos_fin_de_mes": [str(b) for b in i.month_end_balances],
        "intereses_devengados": str(figures.nominal_accrued),
        "intereses_pagados": str(figures.nominal_paid),
        "inpc": [str(i.inpc_before_first), str(i.inpc_last)],
        "saldo_promedio": str(figures.average_balance),
        "ajuste_inflacion": str(figures.inflation_adjustment),
        "saldo_insoluto_inicial": str(i.balance_at_start),
        "udi_inicial": str(i.udi_at_start),
        "proporcion": str(figures.proportion) if figures.proportion is not None else None,
        "intereses_reales": str(figures.real_interest),
    }


def _context(credit: Credit, year: int, figures: InterestFigures) -> dict[str, Any]:
    return {
        "credit": credit,
        "worker": credit.worker,
        "nss": mask_nss(credit.worker.nss),
        "year": year,
        "figures": figures,
        "institution": settings.MICUENTA_INSTITUTION,
        "issued": timezone.localdate(),
        "estado": CURP_STATE_NAMES.get(credit.estado, credit.estado),
    }
