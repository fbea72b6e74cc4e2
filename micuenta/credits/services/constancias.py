"""Issuing the Constancia de Intereses of a credit and fiscal year through the documents service (docs/documents.md):
computed and signed on first request, then the same stored PDF every time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.identifiers import CURP_STATE_NAMES
from micuenta.core.money import format_pesos
from micuenta.core.privacy import mask_credit, mask_nss
from micuenta.credits.constancia import (
    ConstanciaUnavailable,
    InterestFigures,
    InterestInputs,
    constancia_inputs_many,
    interest_inputs_row,
    real_interest_compute,
)
from micuenta.credits.models import Credit, InterestYear
from micuenta.documents.models import DocumentStatus, OfficialDocument
from micuenta.documents.services import document_issue
from micuenta.people.models import Worker

KIND = "constancia_intereses"
PREFIX = "CIN"
SUBJECT = "credits.credit"
TEMPLATE = "credits/constancia_pdf.html"


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


def _holder(worker: Worker) -> dict[str, str]:
    """Who the constancia is issued to, as it prints them: a correction of any of them issues it again."""
    return {"nombre": worker.nombre_completo, "curp": worker.curp, "rfc": worker.rfc}


def _current(found: OfficialDocument, worker: Worker) -> bool:
    return bool(found.data.get("titular") == _holder(worker))


def constancia_issue(*, actor: Actor, credit: Credit, year: int) -> OfficialDocument:
    """The constancia of `credit` for `year`: the one in force, or a new one computed, signed and stored now.
    When the holder's name, CURP or RFC was corrected after it was issued, a new one with the same figures replaces
    it. A year not closed, or without its INPC, raises ConstanciaUnavailable (its message says why)."""
    worker = credit.worker
    found = constancia_in_force(credit, year)
    if found is not None and _current(found, worker):
        return found
    figures = real_interest_compute(interest_inputs_kept(credit, year))
    with transaction.atomic():
        Credit.objects.select_for_update().filter(pk=credit.pk).first()  # one issue at a time per credit
        found = constancia_in_force(credit, year)
        if found is not None and _current(found, worker):
            return found
        return document_issue(
            actor=actor,
            kind=KIND,
            prefix=PREFIX,
            title=f"Constancia de Intereses del ejercicio {year}",
            template=TEMPLATE,
            context=constancia_context(credit, year, figures),
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
            data={**_data(year, figures), "titular": _holder(worker)},
            replaces=found,
        )


def constancia_credit_ids(year: int) -> list[int]:
    """The credits owed during `year` whose constancia inputs are not kept yet."""
    return list(
        Credit.objects.filter(origination_date__lte=date(year, 12, 31))
        .exclude(paid_off_on__lt=date(year, 1, 1))
        .exclude(interest_years__year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def interest_years_store(*, year: int, credit_ids: Sequence[int]) -> int:
    """Compute and keep the constancia inputs of these credits for `year` (a closed year); those already kept are
    left as they are, and a credit without a constancia that year (its reason is said on its page) gets no row.
    Returns how many rows were added."""
    credits = list(
        Credit.objects.filter(pk__in=credit_ids)
        .exclude(interest_years__year=year)
        .only("pk", "origination_date", "paid_off_on", "account_id", "interest_account_id")
    )
    rows = [
        _row(credit_id, inputs)
        for credit_id, inputs in constancia_inputs_many(credits, year).items()
        if isinstance(inputs, InterestInputs)
    ]
    return len(InterestYear.objects.bulk_create(rows, ignore_conflicts=True))


def interest_inputs_kept(credit: Credit, year: int) -> InterestInputs:
    """The inputs kept for `credit` in `year`, computing and keeping them first when there are none."""
    row = InterestYear.objects.filter(credit=credit, year=year).first()
    if row is not None:
        return interest_inputs_row(row)
    found = constancia_inputs_many([credit], year)[credit.pk]
    if isinstance(found, ConstanciaUnavailable):
        raise found
    InterestYear.objects.bulk_create([_row(credit.pk, found)], ignore_conflicts=True)
    return found


def _row(credit_id: int, inputs: InterestInputs) -> InterestYear:
    return InterestYear(
        credit_id=credit_id,
        year=inputs.year,
        first_month=inputs.first_month,
        last_month=inputs.last_month,
        month_end_balances=[str(b) for b in inputs.month_end_balances],
        nominal_accrued=inputs.nominal_accrued,
        nominal_paid=inputs.nominal_paid,
        inpc_last=inputs.inpc_last,
        inpc_before_first=inputs.inpc_before_first,
        balance_at_start=inputs.balance_at_start,
        udi_at_start=inputs.udi_at_start,
        real_interest=real_interest_compute(inputs).real_interest,
    )


def _data(year: int, figures: InterestFigures) -> dict[str, Any]:
    i = figures.inputs
    return {
        "ejercicio": year,
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


def constancia_context(credit: Credit, year: int, figures: InterestFigures) -> dict[str, Any]:
    """What the constancia's template prints, but for the document's own folio and code (`official`)."""
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
