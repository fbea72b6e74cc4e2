from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "micuenta.documents"
    label = "documents"
    verbose_name = "Documentos"
