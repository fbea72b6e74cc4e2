from django.urls import path

from micuenta.identity import views, views_recovery, views_registration

app_name = "identity"

urlpatterns = [
    path("iniciar-sesion/", views.LoginView.as_view(), name="login"),
    path("cerrar-sesion/", views.LogoutView.as_view(), name="logout"),
    path("sesion/estado/", views.session_status, name="session_status"),
    path("sesion/seguir/", views.session_keepalive, name="session_keepalive"),
    path("mi-perfil/", views.profile, name="profile"),
    path("terminos-y-condiciones/", views.terms, name="terms"),
    path("acude-a-un-cesi/", views.cesi, name="cesi"),
    # Quiero una cuenta
    path("quiero-una-cuenta/", views_registration.identity_step, name="register"),
    path("quiero-una-cuenta/datos-no-coinciden/", views_registration.mismatch, name="register_mismatch"),
    path("quiero-una-cuenta/contacto/", views_registration.contact_step, name="register_contact"),
    path("quiero-una-cuenta/confirmar-correo/", views_registration.confirm_email_step, name="register_confirm_email"),
    path(
        "quiero-una-cuenta/confirmar-celular/", views_registration.confirm_mobile_step, name="register_confirm_mobile"
    ),
    path("quiero-una-cuenta/contrasena/", views_registration.password_step, name="register_password"),
    path("quiero-una-cuenta/lista/", views_registration.done, name="register_done"),
    # Olvidé mi contraseña
    path("olvide-mi-contrasena/", views_recovery.password_reset, name="password_reset"),
    path("olvide-mi-contrasena/enviado/", views_recovery.password_reset_sent, name="password_reset_sent"),
    path(
        "olvide-mi-contrasena/<uidb64>/<token>/",
        views_recovery.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("olvide-mi-contrasena/listo/", views_recovery.password_reset_complete, name="password_reset_complete"),
    # No tengo acceso a mi correo
    path("no-tengo-acceso-a-mi-correo/", views_recovery.lost_email, name="lost_email"),
    path("borrar-mi-cuenta/", views_recovery.delete_account, name="delete_account"),
    path("borrar-mi-cuenta/codigo/", views_recovery.delete_account_code, name="delete_account_code"),
]
