"""The signed-in start page: what each domain has to say to this person at a glance.

Core knows no domain: each domain registers a provider (in its AppConfig.ready) that returns its cards and its
alerts for one person. A new kind of alert (a trámite waiting for a document, say) plugs in by registering one
more provider, or by adding alerts to an existing one; the page lists alerts first, most urgent first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import Any


class Urgency(IntEnum):
    """How soon an alert needs the person: the page shows the most urgent first."""

    ACT_NOW = 0  # money overdue
    SOON = 1  # something another party owes, or a step the person should start
    INFO = 2


@dataclass(frozen=True)
class StartFigure:
    label: str
    value: str


@dataclass(frozen=True)
class StartCard:
    """One section's summary: its title, a few figures, one sentence of what comes next, a link to its page."""

    title: str
    url: str
    link_text: str
    figures: tuple[StartFigure, ...] = ()
    status: str = ""  # a word or two shown as a badge ("Al corriente", "Liquidado")
    note: str = ""
    order: int = 100


@dataclass(frozen=True)
class StartAlert:
    """Something the person should look at, with the page where they can act."""

    kind: str  # "aportaciones", "pagos_vencidos", … a stable code, for tests and styling
    message: str
    url: str
    link_text: str
    urgency: Urgency = Urgency.SOON


@dataclass(frozen=True)
class StartSection:
    cards: tuple[StartCard, ...] = ()
    alerts: tuple[StartAlert, ...] = ()


@dataclass(frozen=True)
class StartPage:
    cards: list[StartCard] = field(default_factory=list)
    alerts: list[StartAlert] = field(default_factory=list)


# A provider gets the signed-in user and today's date; it returns what its domain shows (or an empty section).
StartProvider = Callable[[Any, date], StartSection]

_providers: dict[str, StartProvider] = {}


def start_provider_register(name: str, provider: StartProvider) -> None:
    """Add (or replace, by name) a domain's provider of cards and alerts for the start page."""
    _providers[name] = provider


def start_page_build(*, user: Any, today: date) -> StartPage:
    """Every registered provider's cards (in their order) and alerts (most urgent first)."""
    page = StartPage()
    for provider in _providers.values():
        section = provider(user, today)
        page.cards.extend(section.cards)
        page.alerts.extend(section.alerts)
    page.cards.sort(key=lambda card: card.order)
    page.alerts.sort(key=lambda alert: alert.urgency)
    return page
