from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "micuenta.identity"
    label = "identity"
    verbose_name = "Cuentas"

    def ready(self) -> None:
        from micuenta.identity import signals

        signals.connect()
