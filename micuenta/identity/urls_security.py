"""Mi perfil → Seguridad: password, contact data, security history, sessions, deleting the online account."""

from django.urls import path

from micuenta.identity import views_security as views

app_name = "security"

urlpatterns = [
    path("", views.index, name="index"),
    path("contrasena/", views.password, name="password"),
    path("correo/", views.email, name="email"),
    path("correo/confirmar/", views.email_confirm, name="email_confirm"),
    path("celular/", views.mobile, name="mobile"),
    path("celular/confirmar/", views.mobile_confirm, name="mobile_confirm"),
    path("actividad/", views.activity, name="activity"),
    path("actividad/<int:pk>/no-fui-yo/", views.report, name="report"),
    path("cuenta-bloqueada/", views.locked, name="locked"),
    path("cuenta-bloqueada/acude-a-un-cesi/", views.locked_cesi, name="locked_cesi"),
    path("sesiones/", views.sessions, name="sessions"),
    path("sesiones/<int:pk>/cerrar/", views.session_end_view, name="session_end"),
    path("sesiones/cerrar-todas/", views.end_all, name="end_all"),
    path("eliminar-cuenta/", views.delete, name="delete"),
    path("eliminar-cuenta/confirmar/", views.delete_confirm, name="delete_confirm"),
    path("eliminar-cuenta/listo/", views.deleted, name="deleted"),
]
