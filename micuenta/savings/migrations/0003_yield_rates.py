"""The annual yield rates known when the table was made (docs/sources.md#yields); staff add new ones in the admin."""

from decimal import Decimal

from django.db import migrations

RATES = (
    (2021, "0.0736", "Infonavit, Consejo de Administración, sesión ordinaria 861 [R38]", True),
    (2022, "0.0782", "Infonavit, comunicado de prensa [R39]", True),
    (2023, "0.0633", "Blog de terceros [R40]; sin confirmar con una publicación del Instituto", False),
    (2024, "0.0421", "Supuesta igual a la inflación anual de diciembre de 2024 (INPC); sin confirmar", False),
    (2025, "0.0369", "Supuesta igual a la inflación anual de diciembre de 2025 (INPC); sin confirmar", False),
)


def load(apps, schema_editor):
    YieldRate = apps.get_model("savings", "YieldRate")
    for year, rate, source, confirmed in RATES:
        YieldRate.objects.update_or_create(
            year=year, defaults={"rate": Decimal(rate), "source": source, "confirmed": confirmed}
        )


def unload(apps, schema_editor):
    apps.get_model("savings", "YieldRate").objects.filter(year__in=[r[0] for r in RATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("savings", "0002_contributiongap_gapcheck_yieldrate_and_more")]

    operations = [migrations.RunPython(load, unload)]
