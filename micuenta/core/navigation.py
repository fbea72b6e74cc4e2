"""The signed-in navigation: the portal's sections, each shown only once its page exists.

A section lists the URL names that may serve as its entry page, in order of preference. A section whose
pages are not routed yet is left out, so the menu never leads to a missing page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavSection:
    label: str
    url_names: tuple[str, ...]


# Labels follow the real portal's menu (docs/sources.md#portal-menu).
SECTIONS: tuple[NavSection, ...] = (
    NavSection("Mi ahorro", ("savings:balance",)),
    NavSection("Mi crédito", ("credits:balance",)),
    NavSection("Trámites", ("tramites:index",)),
    NavSection("Mi perfil", ("identity:profile",)),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    url_name: str

    @property
    def section(self) -> str:
        """The URL namespace of the section ("savings"): every page in it belongs to this entry."""
        return self.url_name.split(":", 1)[0]


def _first_existing(url_names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in url_names:
        try:
            return name, reverse(name)
        except NoReverseMatch:
            continue
    return None


@cache
def signed_in_navigation() -> tuple[NavItem, ...]:
    """The menu for a signed-in person: only sections whose page is routed."""
    items = []
    for section in SECTIONS:
        found = _first_existing(section.url_names)
        if found is not None:
            name, url = found
            items.append(NavItem(label=section.label, url=url, url_name=name))
    return tuple(items)
