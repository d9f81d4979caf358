from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "commonweal.tenders"
    label = "tenders"
    verbose_name = "Tenders and evaluation"
