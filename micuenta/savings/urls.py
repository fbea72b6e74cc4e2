"""Mi ahorro: the person's own savings and employment history; no identifier in any URL."""

from django.urls import path

from micuenta.savings import views

app_name = "savings"

urlpatterns = [
    path("", views.balance, name="balance"),
    path("movimientos/", views.movements, name="movements"),
    path("movimientos/csv/", views.movements_csv, name="movements_csv"),
    path("movimientos/pdf/", views.movements_pdf, name="movements_pdf"),
    path("relaciones-laborales/", views.employment, name="employment"),
]
