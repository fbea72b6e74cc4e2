"""The yearly factors of credits in VSM, with their sources (micuenta/credits/unit_updates.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from micuenta.credits.unit_updates import unit_updates_ensure

    unit_updates_ensure(apps.get_model("credits", "UnitUpdate"))


def unload(apps, schema_editor):
    from micuenta.credits.unit_updates import FACTORS

    apps.get_model("credits", "UnitUpdate").objects.filter(year__in=[f[0] for f in FACTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("credits", "0002_servicing")]

    operations = [migrations.RunPython(load, unload)]
