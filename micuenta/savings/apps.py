from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "micuenta.savings"
    label = "savings"
    verbose_name = "Subcuenta de Vivienda"
