"""What Mi crédito tells the signed-in start page: each credit's status, what is due and when, or — once paid
off — what comes next (docs/credits.md). The figures are `credit_debt`'s, the same the credit page shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from micuenta.core.money import format_pesos
from micuenta.core.periods import long_date
from micuenta.core.start import StartAlert, StartCard, StartFigure, StartSection, Urgency
from micuenta.credits.models import Credit, CreditStatus, Regime
from micuenta.credits.selectors import credit_debt, credits_of_worker
from micuenta.people.models import WorkerStatus

STATUS_BADGE = {
    CreditStatus.VIGENTE: "Al corriente",
    CreditStatus.PRORROGA: "En prórroga",
    CreditStatus.FPP: "Fondo de Protección de Pagos",
    CreditStatus.EN_COBRANZA: "En cobranza",
    CreditStatus.LIQUIDADO: "Liquidado",
}


def _credit_url(credit: Credit, name: str, several: bool) -> str:
    url = reverse(name)
    return f"{url}?credito={credit.numero_credito}" if several else url


def _card(credit: Credit, today: date, several: bool) -> tuple[StartCard, list[StartAlert]]:
    debt = credit_debt(credit, today=today)
    url = _credit_url(credit, "credits:balance", several)
    title = f"Mi crédito {credit.numero_credito}" if several else "Mi crédito"
    alerts: list[StartAlert] = []
    if credit.status == CreditStatus.LIQUIDADO:
        paid = f" el {long_date(credit.paid_off_on)}" if credit.paid_off_on else ""
        note = (
            f"Terminaste de pagarlo{paid}. Lo que sigue: entrega a tu patrón el aviso de suspensión de descuentos "
            "si aún te descuenta, y pide tu carta de cancelación de hipoteca para liberar tu escritura "
            "(vale 180 días)."
        )
        figures: list[StartFigure] = []
        if debt.excess > 0:
            figures.append(StartFigure("Saldo a favor", format_pesos(debt.excess)))
            alerts.append(
                StartAlert(
                    kind="saldo_a_favor",
                    message=f"Pagaste {format_pesos(debt.excess)} de más en tu crédito: puedes pedir su devolución.",
                    url=url,
                    link_text="Ver Mi crédito",
                    urgency=Urgency.INFO,
                )
            )
        card = StartCard(
            title=title, url=url, link_text="Ver Mi crédito", figures=tuple(figures), status="Liquidado",
            note=note, order=20,
        )  # fmt: skip
        return card, alerts
    figures = [StartFigure("Saldo para liquidar hoy", format_pesos(debt.payoff))]
    if debt.overdue_count:
        figures.append(StartFigure("Pago para estar al corriente", format_pesos(debt.overdue_amount)))
        alerts.append(
            StartAlert(
                kind="pagos_vencidos",
                message=(
                    f"Tienes {debt.overdue_count} mensualidad{'es' if debt.overdue_count != 1 else ''} "
                    f"atrasada{'s' if debt.overdue_count != 1 else ''} por {format_pesos(debt.overdue_amount)}. "
                    "Ponte al corriente lo antes posible para no pagar más intereses."
                ),
                url=_credit_url(credit, "credits:how_to_pay", several),
                link_text="Ver cómo pagar",
                urgency=Urgency.ACT_NOW,
            )
        )
    if debt.next_due is not None:
        figures.append(
            StartFigure(f"Próximo pago, {long_date(debt.next_due)}", format_pesos(debt.next_instalment_amount))
        )
    if credit.regime == Regime.ROA:
        note = "Tu patrón descuenta los pagos de tu salario."
    else:
        note = "Pagas tú directamente cada mes."
    badge = "Con pagos atrasados" if debt.overdue_count else STATUS_BADGE.get(credit.status, "")  # type: ignore[call-overload]
    card = StartCard(
        title=title, url=url, link_text="Ver Mi crédito", figures=tuple(figures), status=badge, note=note, order=20
    )
    return card, alerts


def credits_start(user: Any, today: date) -> StartSection:
    worker = getattr(user, "worker", None)
    if worker is None:
        return StartSection()
    credits = list(credits_of_worker(worker))
    if not credits:
        if worker.status == WorkerStatus.PENSIONADO:
            return StartSection()  # Mi ahorro tells a pensioner what applies: the return of the savings
        card = StartCard(
            title="Mi crédito",
            url=reverse("credits:balance"),
            link_text="Ver Mi crédito",
            note="No tienes un crédito con el Instituto.",
            order=20,
        )
        return StartSection(cards=(card,))
    several = len(credits) > 1
    cards: list[StartCard] = []
    alerts: list[StartAlert] = []
    for credit in credits:
        card, credit_alerts = _card(credit, today, several)
        cards.append(card)
        alerts.extend(credit_alerts)
    return StartSection(cards=tuple(cards), alerts=tuple(alerts))
