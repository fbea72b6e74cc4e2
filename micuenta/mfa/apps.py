from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "micuenta.mfa"
    label = "mfa"
    verbose_name = "Verificación en dos pasos"
