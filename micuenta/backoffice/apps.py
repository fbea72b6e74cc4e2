from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from micuenta.backoffice.roles import roles_ensure


def _roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # A flush (between transactional tests) empties the groups the data migration made.
    roles_ensure()


class BackofficeConfig(AppConfig):
    name = "micuenta.backoffice"
    label = "backoffice"
    verbose_name = "Validación de identidad (CESI)"

    def ready(self) -> None:
        from micuenta.backoffice.lockout import DOOR
        from micuenta.identity.throttling import sign_in_door_register

        post_migrate.connect(_roles_after_migrate, sender=self, dispatch_uid="backoffice_roles")
        # The CESI's sign-in: its own page when sign-in is paused, and where its idle sessions go back to.
        sign_in_door_register(DOOR)
