"""What Mi ahorro tells the signed-in start page: the total with its date, missing contributions, and for a
pensioner that the savings can be returned."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from micuenta.core.money import format_pesos
from micuenta.core.periods import long_date
from micuenta.core.start import StartAlert, StartCard, StartFigure, StartSection, Urgency
from micuenta.people.models import WorkerStatus
from micuenta.savings.selectors import contribution_notices, data_cut, savings_summary


def savings_start(user: Any, today: date) -> StartSection:
    worker = getattr(user, "worker", None)
    if worker is None:
        return StartSection()
    summary = savings_summary(worker=worker)
    cut = data_cut()
    url = reverse("savings:balance")
    figures = [StartFigure("Saldo de tu Subcuenta de Vivienda", format_pesos(summary.total))]
    if cut is not None:
        # The date of the latest employer payment received: savings arrive by bimestre, unlike the credit's
        # figures, which are worked out to today (credits.selectors.credit_debt).
        figures.append(StartFigure("Información al", long_date(cut)))
    if worker.status == WorkerStatus.PENSIONADO and summary.total > 0:
        note = (
            "Tienes una pensión: puedes pedir al Instituto la devolución de tu ahorro (devolución de la "
            "Subcuenta de Vivienda). Ten a la mano tu resolución de pensión y una cuenta CLABE a tu nombre."
        )
    else:
        note = (
            "Tu saldo incluye las aportaciones recibidas hasta esa fecha: los patrones pagan cada bimestre, "
            "así que puede ser de hace unas semanas."
        )
    card = StartCard(title="Mi ahorro", url=url, link_text="Ver mi ahorro", figures=tuple(figures), note=note, order=10)
    notices = contribution_notices(worker=worker, today=today)
    alerts: list[StartAlert] = []
    if notices:
        owed = sum((n.gap.owed for n in notices), Decimal("0.00"))
        count = len(notices)
        message = (
            f"Falta una aportación de tu patrón ({format_pesos(owed)})."
            if count == 1
            else f"Faltan {count} aportaciones de tus patrones ({format_pesos(owed)} en total)."
        )
        alerts.append(
            StartAlert(
                kind="aportaciones",
                message=message + " Revisa de qué bimestres son y qué puedes hacer.",
                url=f"{url}#aportaciones-pendientes",
                link_text="Ver aportaciones pendientes",
                urgency=Urgency.SOON,
            )
        )
    return StartSection(cards=(card,), alerts=tuple(alerts))
