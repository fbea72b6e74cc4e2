from django.urls import path

from micuenta.identity import views

app_name = "identity"

urlpatterns = [
    path("iniciar-sesion/", views.LoginView.as_view(), name="login"),
    path("cerrar-sesion/", views.LogoutView.as_view(), name="logout"),
    path("mi-perfil/", views.profile, name="profile"),
]
