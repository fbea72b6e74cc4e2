"""The sources of the VSM factors name the public sources themselves (docs/sources.md), in databases made before."""

from typing import Any

from django.db import migrations

from micuenta.credits.unit_updates import FACTORS


def forwards(apps: Any, schema_editor: Any) -> None:
    UnitUpdate = apps.get_model("credits", "UnitUpdate")
    sources = {year: source for year, _, _, source in FACTORS}
    for row in UnitUpdate.objects.filter(source__contains="§", year__in=list(sources)):
        row.source = sources[row.year]
        row.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("credits", "0005_charge_rates_seed")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
