"""URL root. Every route must be classified in micuenta/core/tests/access_matrix.py."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Mi Cuenta — administración"
admin.site.site_title = "Mi Cuenta"
admin.site.index_title = "Administración"

urlpatterns = [
    path("", include("micuenta.core.urls")),
    path("", include("micuenta.identity.urls")),
    path("mi-perfil/seguridad/", include("micuenta.identity.urls_security")),
    path("mi-ahorro/", include("micuenta.savings.urls")),
    path("mi-credito/avisos/", include("micuenta.savings.urls_avisos")),
    path("mi-credito/", include("micuenta.credits.urls")),
    path("", include("micuenta.tramites.urls")),
    path("", include("micuenta.documents.urls")),
    path("", include("micuenta.mfa.urls")),
    path("webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("cesi/", include("micuenta.backoffice.urls")),
    path("dev/", include("micuenta.notifications.urls")),
    path("notificaciones/", include("micuenta.notifications.urls_provider")),
    path("dev/", include("micuenta.demo.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "micuenta.core.views.bad_request"
handler403 = "micuenta.core.views.permission_denied"
handler404 = "micuenta.core.views.page_not_found"
handler500 = "micuenta.core.views.server_error"
