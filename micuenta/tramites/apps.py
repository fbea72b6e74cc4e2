from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # A flush (between transactional tests) empties what the data migration made: the groups and the answer times.
    from micuenta.tramites.roles import roles_ensure
    from micuenta.tramites.sla import sla_ensure

    roles_ensure()
    sla_ensure()


class TramitesConfig(AppConfig):
    name = "micuenta.tramites"
    label = "tramites"
    verbose_name = "Trámites"

    def ready(self) -> None:
        from micuenta.tramites import kinds  # noqa: F401  (every trámite registers its kind)

        post_migrate.connect(_seed_after_migrate, sender=self, dispatch_uid="tramites_seed")
