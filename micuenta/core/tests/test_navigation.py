from django.urls import reverse

from micuenta.core import navigation
from micuenta.core.navigation import NavSection, signed_in_navigation


def test_sections_follow_the_portal_menu():
    assert [s.label for s in navigation.SECTIONS] == ["Mi ahorro", "Mi crédito", "Trámites", "Mi perfil"]


def test_only_routed_sections_are_listed():
    items = signed_in_navigation()
    assert [(i.label, i.url) for i in items] == [
        ("Mi ahorro", reverse("savings:balance")),
        ("Mi crédito", reverse("credits:balance")),
        ("Trámites", reverse("tramites:index")),
        ("Mi perfil", reverse("identity:profile")),
    ]


def test_a_section_appears_as_soon_as_one_of_its_pages_is_routed(monkeypatch):
    monkeypatch.setattr(
        navigation,
        "SECTIONS",
        (NavSection("Mi ahorro", ("ahorro:sin_ruta", "core:home")), NavSection("Nada", ("no:existe",))),
    )
    signed_in_navigation.cache_clear()
    try:
        assert [(i.label, i.url_name) for i in signed_in_navigation()] == [("Mi ahorro", "core:home")]
    finally:
        signed_in_navigation.cache_clear()
