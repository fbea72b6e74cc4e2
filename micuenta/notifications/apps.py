from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "micuenta.notifications"
    label = "notifications"
    verbose_name = "Notificaciones"
