from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "micuenta.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from micuenta.core import checks  # noqa: F401 (registers the checks)
