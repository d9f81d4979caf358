from django.apps import AppConfig


class CwbConfig(AppConfig):
    name = "commonweal.cwb"
    label = "cwb"
    verbose_name = "Community wealth building"
