"""Every trámite the portal offers, one module each; importing this package registers them (docs/tramites.md)."""

from micuenta.tramites.kinds import correccion  # noqa: F401
