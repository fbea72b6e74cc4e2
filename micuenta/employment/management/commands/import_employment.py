from __future__ import annotations

from micuenta.employment.feed import EmploymentProcessor
from micuenta.feeds.command import FeedCommand
from micuenta.feeds.runner import FeedProcessor


class Command(FeedCommand):
    job = "import_employment"
    help = (
        "Carga el archivo de movimientos afiliatorios del IMSS (altas, bajas, modificaciones, reingresos). "
        "Sale con 0 si el archivo se procesó (aunque haya líneas en cuarentena) y con 2 si no se pudo leer."
    )

    def processor(self) -> FeedProcessor:
        return EmploymentProcessor()
