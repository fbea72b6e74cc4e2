from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "micuenta.credits"
    label = "credits"
    verbose_name = "Créditos"
