from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "micuenta.mfa"
    label = "mfa"
    verbose_name = "Verificación en dos pasos"

    def ready(self) -> None:
        from micuenta.mfa import signals  # noqa: F401
