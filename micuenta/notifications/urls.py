from django.urls import path

from micuenta.notifications import views

app_name = "notifications"

urlpatterns = [
    path("buzon/", views.buzon, name="buzon"),
]
