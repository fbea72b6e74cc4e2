"""The charge rates in force since the fund began (a staff member enters a new row when they change)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import migrations

SOURCE = (
    "Seguro de daños: sin prima publicada por el Instituto; 0.25 % anual del monto otorgado es un supuesto "
    "(docs/credits.md, «Seguro y cuotas»). Cuota de administración: 0, el Instituto informó en 2025 que no la cobra."
)


def forwards(apps: Any, schema_editor: Any) -> None:
    ChargeRate = apps.get_model("credits", "ChargeRate")
    ChargeRate.objects.get_or_create(
        valid_from=date(1972, 5, 1),
        defaults={
            "damage_insurance": Decimal("0.00250"),
            "administration_fee": Decimal("0"),
            "confirmed": False,
            "source": SOURCE,
        },
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("credits", "ChargeRate").objects.filter(valid_from=date(1972, 5, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("credits", "0004_charge_rates")]

    operations = [migrations.RunPython(forwards, backwards)]
