"""One language per field family: Contribution.anio → year, dias_cotizados → days, fecha_pago → paid_on,
amortizacion → deduction; ContributionGap.anio → year, dias → days. The SUA file keeps its column names
(docs/feeds.md) and the labels stay as they were.

The columns are renamed in place: PostgreSQL and SQLite carry every index and constraint over to the renamed
columns, so nothing is rebuilt or validated again, however many contributions there are. The migration state is
told separately that those indexes and constraints now name the new fields (RenameField leaves them naming the old
ones), and the one index named after a field is renamed too.
"""

from django.db import migrations, models

FIELDS = (
    ("contribution", "anio", "year"),
    ("contribution", "dias_cotizados", "days"),
    ("contribution", "fecha_pago", "paid_on"),
    ("contribution", "amortizacion", "deduction"),
    ("contributiongap", "anio", "year"),
    ("contributiongap", "dias", "days"),
)


class Migration(migrations.Migration):
    dependencies = [("savings", "0006_yield_rate_valid_from")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                # Before the column is renamed: SQLite renames an index by dropping and creating it on the old field.
                migrations.RenameIndex(
                    model_name="contribution", new_name="savings_contrib_paid_on", old_name="savings_contrib_fecha_pago"
                ),
                *(migrations.RenameField(model, old, new) for model, old, new in FIELDS),
            ],
            state_operations=[
                migrations.RemoveConstraint(model_name="contribution", name="savings_contribution_once"),
                migrations.RemoveIndex(model_name="contribution", name="savings_contrib_worker_period"),
                migrations.RemoveIndex(model_name="contribution", name="savings_contrib_employer_per"),
                migrations.RemoveIndex(model_name="contribution", name="savings_contrib_fecha_pago"),
                migrations.RemoveIndex(model_name="contribution", name="savings_contrib_period"),
                migrations.RemoveConstraint(model_name="contributiongap", name="savings_gap_once"),
                migrations.RemoveIndex(model_name="contributiongap", name="savings_gap_employer_period"),
                *(migrations.RenameField(model, old, new) for model, old, new in FIELDS),
                migrations.AddConstraint(
                    model_name="contribution",
                    constraint=models.UniqueConstraint(
                        fields=("worker", "employer", "year", "bimestre", "folio_sua"), name="savings_contribution_once"
                    ),
                ),
                migrations.AddIndex(
                    model_name="contribution",
                    index=models.Index(fields=["worker", "year", "bimestre"], name="savings_contrib_worker_period"),
                ),
                migrations.AddIndex(
                    model_name="contribution",
                    index=models.Index(fields=["employer", "year", "bimestre"], name="savings_contrib_employer_per"),
                ),
                migrations.AddIndex(
                    model_name="contribution",
                    index=models.Index(fields=["paid_on"], name="savings_contrib_paid_on"),
                ),
                migrations.AddIndex(
                    model_name="contribution",
                    index=models.Index(fields=["year", "bimestre"], name="savings_contrib_period"),
                ),
                migrations.AddConstraint(
                    model_name="contributiongap",
                    constraint=models.UniqueConstraint(
                        fields=("worker", "employer", "year", "bimestre"), name="savings_gap_once"
                    ),
                ),
                migrations.AddIndex(
                    model_name="contributiongap",
                    index=models.Index(fields=["employer", "year", "bimestre"], name="savings_gap_employer_period"),
                ),
            ],
        ),
    ]
