from django.urls import path

from micuenta.savings import views_avisos

app_name = "avisos"

urlpatterns = [
    path("", views_avisos.avisos, name="index"),
    path("<str:folio>/pdf/", views_avisos.aviso_pdf, name="pdf"),
]
