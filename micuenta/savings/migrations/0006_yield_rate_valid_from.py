"""The yield rate becomes an effective-dated rule (micuenta.core.policies): each row is in force from 1 January of
its year, the same lookup as the UMA or the credits' charge rates."""

from datetime import date
from typing import Any

from django.db import migrations, models


def from_year(apps: Any, schema_editor: Any) -> None:
    YieldRate = apps.get_model("savings", "YieldRate")
    for row in YieldRate.objects.all():
        row.valid_from = date(row.year, 1, 1)
        row.save(update_fields=["valid_from"])


def to_year(apps: Any, schema_editor: Any) -> None:
    YieldRate = apps.get_model("savings", "YieldRate")
    for row in YieldRate.objects.all():
        row.year = row.valid_from.year
        row.save(update_fields=["year"])


class Migration(migrations.Migration):
    dependencies = [("savings", "0005_sua_line_amortization")]

    operations = [
        migrations.AddField(
            model_name="yieldrate",
            name="valid_from",
            field=models.DateField(null=True, verbose_name="vigente desde"),
        ),
        migrations.RunPython(from_year, to_year),
        migrations.AlterField(
            model_name="yieldrate",
            name="valid_from",
            field=models.DateField(unique=True, verbose_name="vigente desde"),
        ),
        migrations.AlterField(
            model_name="yieldrate",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="año"),
        ),
        migrations.RemoveField(model_name="yieldrate", name="year"),
        migrations.AlterModelOptions(
            name="yieldrate",
            options={
                "ordering": ("valid_from",),
                "verbose_name": "tasa de rendimiento",
                "verbose_name_plural": "tasas de rendimiento",
            },
        ),
        migrations.AddConstraint(
            model_name="yieldrate",
            constraint=models.CheckConstraint(
                condition=models.Q(("valid_from__day", 1), ("valid_from__month", 1)),
                name="savings_yield_rate_from_january",
                violation_error_message="La tasa de un año rige desde el 1 de enero de ese año.",
            ),
        ),
    ]
