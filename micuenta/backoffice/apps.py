from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # A flush (between transactional tests) empties the groups the data migration made.
    from micuenta.backoffice.roles import roles_ensure

    roles_ensure()


class BackofficeConfig(AppConfig):
    name = "micuenta.backoffice"
    label = "backoffice"
    verbose_name = "Validación de identidad (CESI)"

    def ready(self) -> None:
        post_migrate.connect(_roles_after_migrate, sender=self, dispatch_uid="backoffice_roles")
