from django.urls import path

from micuenta.tramites import views

app_name = "tramites"

urlpatterns = [
    path("tramites/", views.index, name="index"),
    path("tramites/<str:folio>/", views.case_detail, name="case"),
    path("tramites/<str:folio>/responder/", views.answer, name="answer"),
    path("tramites/<str:folio>/cancelar/", views.withdraw, name="withdraw"),
    path("tramites/<str:folio>/documentos/<int:document_id>/", views.document, name="document"),
    path("mi-perfil/corregir-mis-datos/", views.correction, name="correccion"),
]
