from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "micuenta.employment"
    label = "employment"
    verbose_name = "Patrones y relaciones laborales"
