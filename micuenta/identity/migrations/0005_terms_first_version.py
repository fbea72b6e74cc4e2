from datetime import date

from django.db import migrations

TERMS_2026 = """\
1. Mi Cuenta es el portal de autoservicio del Instituto para sus derechohabientes y acreditados. Es gratuito: ningún trámite en él tiene costo ni requiere gestor.
2. La cuenta es personal e intransferible. Te registras con tu NSS, CURP y RFC, y con un correo electrónico y un número de celular que solo tú uses; no uses los de tu trabajo ni los de otra persona.
3. Cuida tu contraseña y tus códigos: el Instituto nunca te los pedirá por teléfono, correo o redes sociales. Si ves actividad que no reconoces, usa «No fui yo» en «Mi perfil» → «Seguridad».
4. Tratamos tus datos personales conforme a la Ley Federal de Protección de Datos Personales en Posesión de los Particulares y al aviso de privacidad del Instituto, solo para darte los servicios de este portal.
5. Puedes borrar tu cuenta en línea cuando quieras; borrarla no cambia tu ahorro, tu crédito ni tu historial con el Instituto.
6. El Instituto puede actualizar estos términos; te pediremos aceptar la nueva versión antes de seguir usando el portal.
"""


def forwards(apps, schema_editor):
    TermsVersion = apps.get_model("identity", "TermsVersion")
    TermsVersion.objects.update_or_create(
        version="2026.1",
        defaults={
            "in_force_from": date(2026, 1, 1),
            "title": "Términos y condiciones de uso de Mi Cuenta",
            "body": TERMS_2026,
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("identity", "TermsVersion").objects.filter(version="2026.1").delete()


class Migration(migrations.Migration):
    dependencies = [("identity", "0004_registration_codes_sessions_history")]
    operations = [migrations.RunPython(forwards, backwards)]
