from django.urls import path

from micuenta.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("salud/", views.health, name="health"),
    path("aviso-de-privacidad/", views.privacy_notice, name="privacy_notice"),
    path("mi-cuenta/", views.dashboard, name="dashboard"),
]
