from django.urls import path

from micuenta.mfa import views

app_name = "mfa"

urlpatterns = [
    path("verificacion/", views.verify, name="verify"),
    path("verificacion/sin-acceso/", views.lost, name="lost"),
    path("verificacion/personal/", views.staff_enrol, name="staff_enrol"),
    path("mi-perfil/seguridad/dos-pasos/", views.manage, name="manage"),
    path("mi-perfil/seguridad/dos-pasos/aplicacion/", views.totp_setup, name="totp_setup"),
    path("mi-perfil/seguridad/dos-pasos/llave-de-acceso/", views.passkey_add, name="passkey_add"),
    path("mi-perfil/seguridad/dos-pasos/codigos-de-recuperacion/", views.recovery_codes, name="recovery_codes"),
    path("mi-perfil/seguridad/dos-pasos/quitar/", views.remove, name="remove"),
]
