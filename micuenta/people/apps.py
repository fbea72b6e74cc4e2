from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "micuenta.people"
    label = "people"
    verbose_name = "Derechohabientes"
