from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _unit_updates_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # A flush (between transactional tests) empties the factors the data migration loaded.
    from micuenta.credits.unit_updates import unit_updates_ensure

    unit_updates_ensure()


class CreditsConfig(AppConfig):
    name = "micuenta.credits"
    label = "credits"
    verbose_name = "Créditos"

    def ready(self) -> None:
        from micuenta.core.start import start_provider_register
        from micuenta.credits.start import credits_start

        start_provider_register("credits", credits_start)
        post_migrate.connect(_unit_updates_after_migrate, sender=self, dispatch_uid="credits_unit_updates")
