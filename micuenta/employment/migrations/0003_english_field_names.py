"""One language per field family: EmploymentRelation.fecha_alta → started_on, fecha_baja → ended_on,
tipo_trabajador → worker_type; EmploymentMovement.tipo → kind, fecha → effective_on. The IMSS file keeps its column
names (docs/feeds.md) and the labels stay as they were.

The columns are renamed in place: PostgreSQL and SQLite carry every index and constraint over to the renamed
columns, so nothing is rebuilt or validated again. The migration state is told separately that those indexes and
constraints now name the new fields (RenameField leaves them naming the old ones), and the one index named after a
field is renamed too. The names that speak of the IMSS's alta and baja (employment_worker_alta,
employment_baja_after_alta, …) stay.
"""

from django.db import migrations, models

FIELDS = (
    ("employmentrelation", "fecha_alta", "started_on"),
    ("employmentrelation", "fecha_baja", "ended_on"),
    ("employmentrelation", "tipo_trabajador", "worker_type"),
    ("employmentmovement", "tipo", "kind"),
    ("employmentmovement", "fecha", "effective_on"),
)


class Migration(migrations.Migration):
    dependencies = [("employment", "0002_alter_employer_estado_alter_employer_municipio_and_more")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                # Before the column is renamed: SQLite renames an index by dropping and creating it on the old field.
                migrations.RenameIndex(
                    model_name="employmentmovement",
                    new_name="employment_movement_rel_date",
                    old_name="employment_movement_rel_fecha",
                ),
                *(migrations.RenameField(model, old, new) for model, old, new in FIELDS),
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="employmentrelation", name="employment_worker_alta"),
                migrations.RemoveIndex(model_name="employmentrelation", name="employment_employer_alta"),
                migrations.RemoveConstraint(model_name="employmentrelation", name="employment_baja_after_alta"),
                migrations.RemoveIndex(model_name="employmentmovement", name="employment_movement_rel_fecha"),
                migrations.RemoveConstraint(model_name="employmentmovement", name="employment_movement_once"),
                *(migrations.RenameField(model, old, new) for model, old, new in FIELDS),
                migrations.AddIndex(
                    model_name="employmentrelation",
                    index=models.Index(fields=["worker", "started_on"], name="employment_worker_alta"),
                ),
                migrations.AddIndex(
                    model_name="employmentrelation",
                    index=models.Index(fields=["employer", "started_on"], name="employment_employer_alta"),
                ),
                migrations.AddConstraint(
                    model_name="employmentrelation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("ended_on__isnull", True), ("ended_on__gte", models.F("started_on")), _connector="OR"),
                        name="employment_baja_after_alta",
                    ),
                ),
                migrations.AddIndex(
                    model_name="employmentmovement",
                    index=models.Index(fields=["relation", "effective_on"], name="employment_movement_rel_date"),
                ),
                migrations.AddConstraint(
                    model_name="employmentmovement",
                    constraint=models.UniqueConstraint(
                        fields=("relation", "kind", "effective_on"), name="employment_movement_once"
                    ),
                ),
                migrations.AlterModelOptions(
                    name="employmentmovement",
                    options={
                        "ordering": ("relation", "effective_on", "id"),
                        "verbose_name": "movimiento afiliatorio",
                        "verbose_name_plural": "movimientos afiliatorios",
                    },
                ),
            ],
        ),
    ]
