from __future__ import annotations

from micuenta.credits.feed import BankPaymentsProcessor
from micuenta.feeds.command import FeedCommand
from micuenta.feeds.runner import FeedProcessor


class Command(FeedCommand):
    job = "import_bank_payments"
    help = (
        "Carga el archivo de pagos directos a créditos que reporta el banco (ventanilla, SPEI y establecimientos): "
        "cada pago se aplica al crédito en el orden documentado. Sale con 0 si el archivo se procesó (aunque haya "
        "líneas en cuarentena) y con 2 si no se pudo leer."
    )

    def processor(self) -> FeedProcessor:
        return BankPaymentsProcessor()
