from django.urls import path

from micuenta.documents import views

app_name = "documents"

urlpatterns = [
    path("verificar/", views.verify, name="verify"),
    path("verificar/archivo/", views.verify_file, name="verify_file"),
    path("verificar/<str:folio>/<str:code>/", views.verify_link, name="verify_link"),
]
