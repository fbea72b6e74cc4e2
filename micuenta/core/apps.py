from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "micuenta.core"
    label = "core"
    verbose_name = "Núcleo"
