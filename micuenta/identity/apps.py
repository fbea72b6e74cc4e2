from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "micuenta.identity"
    label = "identity"
    verbose_name = "Cuentas"
