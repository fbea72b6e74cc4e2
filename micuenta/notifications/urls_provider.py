"""Routes the SMS provider calls (not under /dev/: they exist in production)."""

from django.urls import path

from micuenta.notifications import views

app_name = "notifications_provider"

urlpatterns = [
    path("sms/estado/", views.sms_status, name="sms_status"),
]
