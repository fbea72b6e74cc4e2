"""Mi crédito: the person's own credits; no identifier of a person in any URL (the número de crédito, when the
person has several, travels as ?credito= and is checked against their own)."""

from django.urls import path

from micuenta.credits import views

app_name = "credits"

urlpatterns = [
    path("", views.balance, name="balance"),
    path("como-pagar/", views.how_to_pay, name="how_to_pay"),
    path("estado-de-cuenta/", views.statements, name="statements"),
    path("estado-de-cuenta/<str:periodo>/", views.statement, name="statement"),
    path("estado-de-cuenta/<str:periodo>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("historico/", views.history, name="history"),
    path("historico/csv/", views.history_csv, name="history_csv"),
    path("historico/pdf/", views.history_pdf, name="history_pdf"),
    path("constancia-de-intereses/", views.constancia, name="constancia"),
    path("constancia-de-intereses/<int:ejercicio>/pdf/", views.constancia_pdf, name="constancia_pdf"),
]
