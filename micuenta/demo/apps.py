from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data and the local launcher; sits above every domain and is imported by none."""

    name = "micuenta.demo"
    label = "demo"
    verbose_name = "Demostración"
