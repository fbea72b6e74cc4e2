from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "micuenta.identity"
    label = "identity"
    verbose_name = "Cuentas"

    def ready(self) -> None:
        from micuenta.documents.hooks import document_notice_connect
        from micuenta.identity import signals
        from micuenta.identity.services.history import document_issued_notify

        signals.connect()
        document_notice_connect(document_issued_notify)  # documents issued unasked are told by e-mail
