from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "micuenta.identity"
    label = "identity"
    verbose_name = "Cuentas"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from micuenta.identity import services, throttling

        throttling.connect_signals()
        user_logged_in.connect(services.session_started, dispatch_uid="micuenta_identity_session_started")
        user_logged_out.connect(services.session_stopped, dispatch_uid="micuenta_identity_session_stopped")
