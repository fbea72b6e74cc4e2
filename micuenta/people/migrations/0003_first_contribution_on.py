"""One language per field family: Worker.fecha_primera_cotizacion → first_contribution_on, the date that decides
Ley 73 or Ley 97. The column is renamed in place; the label stays. The fields of the CURP record (nombre,
primer_apellido, fecha_nacimiento, …) keep their names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0002_rfc_persona_fisica")]

    operations = [
        migrations.RenameField(
            model_name="worker", old_name="fecha_primera_cotizacion", new_name="first_contribution_on"
        ),
    ]
