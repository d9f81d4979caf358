from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "commonweal.monitoring"
    label = "monitoring"
    verbose_name = "Delivery monitoring"
