from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "micuenta.feeds"
    label = "feeds"
    verbose_name = "Archivos de datos (IMSS y SUA)"
