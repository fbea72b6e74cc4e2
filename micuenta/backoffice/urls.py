from django.urls import path

from micuenta.backoffice import views, views_feeds, views_tramites

app_name = "backoffice"

urlpatterns = [
    path("iniciar-sesion/", views.login_view, name="login"),
    path("cerrar-sesion/", views.logout_view, name="logout"),
    path("", views.search, name="search"),
    path("derechohabiente/", views.worker, name="worker"),
    path("derechohabiente/identificacion/", views.id_check, name="id_check"),
    path("derechohabiente/desbloquear/", views.unlock, name="unlock"),
    path("derechohabiente/cambiar-contacto/", views.change_contact, name="change_contact"),
    path("derechohabiente/eliminar-cuenta/", views.delete_account, name="delete_account"),
    path("derechohabiente/quitar-dos-pasos/", views.mfa_reset, name="mfa_reset"),
    path("auditoria/", views.audit, name="audit"),
    path("auditoria/consultas/", views.audit_lookups, name="audit_lookups"),
    path("cargas/", views_feeds.feed_runs, name="feed_runs"),
    path("cargas/<int:run_id>/", views_feeds.feed_run, name="feed_run"),
    path("patrones-omisos/", views_feeds.employers_owing, name="employers_owing"),
    path("patrones-omisos/<str:registro_patronal>/", views_feeds.employer_owing, name="employer_owing"),
    path("tramites/", views_tramites.queue, name="tramites_queue"),
    path("tramites/indicadores/", views_tramites.indicators, name="tramites_indicators"),
    path("tramites/<str:folio>/", views_tramites.case_detail, name="tramites_case"),
    path("tramites/<str:folio>/documentos/<int:document_id>/", views_tramites.document, name="tramites_document"),
    path("tramites/<str:folio>/<str:action>/", views_tramites.case_action, name="tramites_action"),
]
