from django.urls import path

from micuenta.demo import views

app_name = "demo"

urlpatterns = [
    path("personas/", views.people, name="people"),
]
