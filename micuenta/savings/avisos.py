"""Avisos de Retención, Modificación y Suspensión de Descuentos: one per credit and employment relation, issued
through the documents service (docs/documents.md, "Avisos").

They live here, above credits and employment, because an aviso joins the two: what the employer of a relation
must withhold for a credit and pay with the SUA. `avisos_ensure` issues what the credit's state calls for and is
idempotent: a retención for each current relation of a credit being paid through the payroll (ROA), a modificación
when the credit's discount differs from the one in force, a suspensión (replacing the retención) once the credit is
paid off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.identifiers import CURP_STATE_NAMES
from micuenta.core.models import Umi
from micuenta.core.money import format_pesos
from micuenta.core.policies import PolicyMissing, in_force
from micuenta.core.privacy import mask_credit, mask_nss
from micuenta.credits.avisos import monthly_discount
from micuenta.credits.models import Credit, CreditStatus, DiscountType, Regime
from micuenta.documents.hooks import DocumentNotice
from micuenta.documents.models import DocumentStatus, OfficialDocument
from micuenta.documents.services import document_issue
from micuenta.employment.models import EmploymentRelation

SUBJECT = "avisos.credito_relacion"


@dataclass(frozen=True)
class AvisoKind:
    code: str
    prefix: str
    title: str
    starts: str  # when the employer starts (or stops) withholding, as the aviso says it
    what_to_do: str  # the e-mail's sentence: what the person does with it


RETENCION = AvisoKind(
    "aviso_retencion",
    "AVR",
    "Aviso para Retención de Descuentos",
    "A partir de la fecha del presente aviso.",
    "Entrégalo a tu patrón: con él descuenta de tu salario el pago de tu crédito y lo entrega al Infonavit.",
)
MODIFICACION = AvisoKind(
    "aviso_modificacion",
    "AVM",
    "Aviso de Modificación al Factor de Descuentos",
    "A partir del primer día del siguiente bimestre a aquel en que haya recibido el presente.",
    "Entrégalo a tu patrón: el descuento para tu crédito cambia desde la fecha que indica el aviso.",
)
SUSPENSION = AvisoKind(
    "aviso_suspension",
    "AVS",
    "Aviso de Suspensión de Descuentos",
    "A partir de la fecha en que se reciba este aviso deberá suspender los descuentos.",
    "Entrégalo a tu patrón para que deje de descontarte el pago de tu crédito.",
)
KINDS = {k.code: k for k in (RETENCION, MODIFICACION, SUSPENSION)}


def _subject_id(credit: Credit, relation: EmploymentRelation) -> str:
    return f"{credit.pk}:{relation.pk}"


def aviso_in_force(credit: Credit, relation: EmploymentRelation) -> OfficialDocument | None:
    return (
        OfficialDocument.objects.filter(
            subject_type=SUBJECT, subject_id=_subject_id(credit, relation), status=DocumentStatus.VIGENTE
        )
        .order_by("-issued_at", "-pk")
        .first()
    )


def avisos_of_worker(worker_id: int) -> list[OfficialDocument]:
    return list(
        OfficialDocument.objects.filter(subject_type=SUBJECT, worker_id=worker_id)
        .select_related("replaced_by")
        .order_by("-issued_at", "-pk")
    )


def _discount(credit: Credit, day: date) -> dict[str, str]:
    """The discount as the aviso prints it: its form, its value and, for cuota fija and factor, a month in pesos."""
    value = credit.discount_value
    unit: Decimal | None = None
    if credit.discount_type == DiscountType.FACTOR:
        try:
            unit = in_force(Umi, day).monthly
        except PolicyMissing:
            unit = None
    shown = {
        DiscountType.PORCENTAJE: f"{value.normalize():f} % del salario diario integrado",
        DiscountType.CUOTA_FIJA: f"{format_pesos(value)} mensuales",
        DiscountType.FACTOR: f"Factor {value.normalize():f} (veces la UMI mensual)",
    }[DiscountType(credit.discount_type)]
    month = monthly_discount(credit.discount_type, value, unit_monthly=unit)
    return {
        "tipo": str(credit.discount_type),
        "valor": str(value),
        "texto": shown,
        # a month in pesos beside the factor (the cuota fija already is one)
        "mensual": format_pesos(month) if month is not None and credit.discount_type == DiscountType.FACTOR else "",
    }


def _discount_key(discount: dict[str, str]) -> tuple[str, str, str]:
    """What makes two discounts the same for the employer: the form, the value and, for a factor, the pesos a month
    it comes to (the factor stays when the UMI is updated in January; what the employer withholds changes)."""
    tipo = discount.get("tipo", "")
    return tipo, discount.get("valor", ""), discount.get("mensual", "") if tipo == DiscountType.FACTOR else ""


def _next_bimester_start(day: date) -> date:
    first_month_of_next = ((day.month - 1) // 2 + 1) * 2 + 1
    return date(day.year + (first_month_of_next > 12), (first_month_of_next - 1) % 12 + 1, 1)


def _issue(
    actor: Actor,
    kind: AvisoKind,
    credit: Credit,
    relation: EmploymentRelation,
    *,
    replaces: OfficialDocument | None = None,
    previous: dict[str, str] | None = None,
) -> OfficialDocument:
    today = timezone.localdate()
    worker, employer = credit.worker, relation.employer
    discount = _discount(credit, today)
    starts_on = _next_bimester_start(today) if kind is MODIFICACION else today
    context: dict[str, Any] = {
        "kind": kind,
        "credit": credit,
        "worker": worker,
        "employer": employer,
        "estado": CURP_STATE_NAMES.get(employer.estado, employer.estado),
        "discount": discount,
        "previous": previous,
        "starts_on": starts_on,
        "signatory": settings.MICUENTA_AVISO_SIGNATORY,
        "institution": settings.MICUENTA_INSTITUTION,
        "issued": today,
    }
    printed = [
        ("Registro patronal", employer.registro_patronal),
        ("Patrón", employer.razon_social),
        ("NSS del trabajador", mask_nss(worker.nss)),
        ("Número de crédito", mask_credit(credit.numero_credito)),
    ]
    if kind is not SUSPENSION:
        printed.append(("Descuento", discount["texto"]))
    because = {
        MODIFICACION.code: "Lo reemplaza el aviso {folio}, que cambia el descuento a partir del "
        f"{starts_on:%d/%m/%Y}; hasta esa fecha el patrón sigue aplicando el descuento de este aviso.",
        SUSPENSION.code: "Lo reemplaza el aviso {folio}: el crédito está liquidado y el patrón deja de descontar "
        "desde que lo recibe.",
    }.get(kind.code, "")
    return document_issue(
        actor=actor,
        kind=kind.code,
        prefix=kind.prefix,
        title=kind.title,
        template="savings/aviso_pdf.html",
        context=context,
        printed=printed,
        worker_id=worker.pk,
        subject=(SUBJECT, _subject_id(credit, relation)),
        data={
            "credito": credit.numero_credito,
            "registro_patronal": employer.registro_patronal,
            "descuento": discount,
            "vigente_desde": starts_on.isoformat(),
        },
        replaces=replaces,
        replaced_because=because,
        notice=DocumentNotice(where=reverse("avisos:index"), what_to_do=kind.what_to_do),
    )


def _withheld_at_payoff(credit: Credit, relation: EmploymentRelation) -> bool:
    """The employer of `relation` was withholding for the credit when it was paid off."""
    day = credit.paid_off_on
    return (
        credit.regime == Regime.ROA
        and day is not None
        and relation.started_on <= day
        and (relation.ended_on is None or relation.ended_on >= day)
    )


def _ever(credit: Credit, relation: EmploymentRelation) -> bool:
    return OfficialDocument.objects.filter(subject_type=SUBJECT, subject_id=_subject_id(credit, relation)).exists()


def avisos_ensure(*, actor: Actor, credit: Credit) -> list[OfficialDocument]:
    """Issue the avisos `credit` calls for now; returns those issued (none when all are in place)."""
    issued: list[OfficialDocument] = []
    relations = EmploymentRelation.objects.filter(worker_id=credit.worker_id).select_related("employer")
    with transaction.atomic():
        Credit.objects.select_for_update().filter(pk=credit.pk).first()  # one issuer at a time per credit
        if credit.status == CreditStatus.LIQUIDADO:
            for relation in relations:
                if relation.ended_on is not None and credit.paid_off_on and relation.ended_on < credit.paid_off_on:
                    continue  # the employer stopped withholding when the relation ended: nothing to suspend
                current = aviso_in_force(credit, relation)
                if current is not None and current.kind != SUSPENSION.code:
                    issued.append(_issue(actor, SUSPENSION, credit, relation, replaces=current))
                elif current is None and _withheld_at_payoff(credit, relation) and not _ever(credit, relation):
                    # paid off before its retención was issued here: the employer still has to stop
                    issued.append(_issue(actor, SUSPENSION, credit, relation))
            return issued
        if credit.regime != Regime.ROA:
            return issued
        for relation in relations.filter(ended_on__isnull=True, started_on__lte=timezone.localdate()):
            current = aviso_in_force(credit, relation)
            if current is None:
                issued.append(_issue(actor, RETENCION, credit, relation))
            elif current.kind != SUSPENSION.code and _discount_key(current.data.get("descuento", {})) != _discount_key(
                _discount(credit, timezone.localdate())
            ):
                previous = dict(current.data.get("descuento", {}))
                issued.append(_issue(actor, MODIFICACION, credit, relation, replaces=current, previous=previous))
    return issued


def avisos_issue_missing(*, actor: Actor, worker_ids: Sequence[int] | None = None) -> int:
    """`avisos_ensure` for every credit that may call for an aviso (paid through the payroll, or paid off), of these
    workers or of everyone; returns how many avisos were issued."""
    candidates = Credit.objects.filter(Q(regime=Regime.ROA) | Q(status=CreditStatus.LIQUIDADO))
    if worker_ids is not None:
        candidates = candidates.filter(worker_id__in=worker_ids)
    issued = 0
    for credit in candidates.select_related("worker").order_by("pk").iterator(chunk_size=500):
        issued += len(avisos_ensure(actor=actor, credit=credit))
    return issued
