"""Load the reference data kept in micuenta/core/data/ (see its README.md for each file's source).

Reversible: going back deletes the rows. A later correction of a value is a new data migration (and the edited
file), so that databases already migrated receive it too.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BATCH_SIZE = 2000
MODELS = ("Uma", "MinimumWage", "Umi", "Inpc", "Udi", "Holiday")


def read(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load(apps, schema_editor):
    Uma = apps.get_model("core", "Uma")
    MinimumWage = apps.get_model("core", "MinimumWage")
    Umi = apps.get_model("core", "Umi")
    Inpc = apps.get_model("core", "Inpc")
    Udi = apps.get_model("core", "Udi")
    Holiday = apps.get_model("core", "Holiday")

    Uma.objects.bulk_create(
        Uma(
            year=int(row["year"]),
            valid_from=date.fromisoformat(row["valid_from"]),
            daily=Decimal(row["daily"]),
            monthly=Decimal(row["monthly"]),
            annual=Decimal(row["annual"]),
            source=row["source"],
        )
        for row in read("uma.csv")
    )
    MinimumWage.objects.bulk_create(
        MinimumWage(
            valid_from=date.fromisoformat(row["valid_from"]),
            general=Decimal(row["general"]),
            zlfn=Decimal(row["zlfn"]),
            source=row["source"],
        )
        for row in read("minimum_wage.csv")
    )
    Umi.objects.bulk_create(
        Umi(
            valid_from=date.fromisoformat(row["valid_from"]),
            daily=Decimal(row["daily"]),
            monthly=Decimal(row["monthly"]),
            annual=Decimal(row["annual"]),
            source=row["source"],
        )
        for row in read("umi.csv")
    )
    Inpc.objects.bulk_create(
        Inpc(year=int(row["year"]), month=int(row["month"]), value=Decimal(row["inpc"]), source=row["source"])
        for row in read("inpc_monthly.csv")
    )
    Udi.objects.bulk_create(
        (
            Udi(date=date.fromisoformat(row["date"]), value=Decimal(row["udi"]), source=row["source"])
            for row in read("udi_daily.csv")
        ),
        batch_size=BATCH_SIZE,
    )
    Holiday.objects.bulk_create(
        Holiday(
            date=date.fromisoformat(row["date"]),
            name=row["name"],
            kind=row["kind"],
            rule=row["rule"],
            source=row["source"],
        )
        for row in read("holidays_mx.csv")
    )


def unload(apps, schema_editor):
    for name in MODELS:
        apps.get_model("core", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
