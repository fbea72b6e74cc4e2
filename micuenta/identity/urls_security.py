"""Mi perfil → Seguridad: password, contact data, security history, sessions."""

from django.urls import path  # noqa: F401

app_name = "security"

urlpatterns: list = []
