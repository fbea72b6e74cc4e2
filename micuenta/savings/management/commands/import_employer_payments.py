from __future__ import annotations

from micuenta.feeds.command import FeedCommand
from micuenta.feeds.runner import FeedProcessor
from micuenta.savings.feed import EmployerPaymentsProcessor


class Command(FeedCommand):
    job = "import_employer_payments"
    help = (
        "Carga el archivo bimestral de pagos de los patrones (SUA): aportaciones a la Subcuenta de Vivienda y "
        "amortizaciones de crédito. Sale con 0 si el archivo se procesó (aunque haya líneas en cuarentena) y "
        "con 2 si no se pudo leer."
    )

    def processor(self) -> FeedProcessor:
        return EmployerPaymentsProcessor()
