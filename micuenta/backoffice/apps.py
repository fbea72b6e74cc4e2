from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "micuenta.backoffice"
    label = "backoffice"
    verbose_name = "Validación de identidad (CESI)"
