from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "micuenta.ledger"
    label = "ledger"
    verbose_name = "Contabilidad (libro mayor)"
