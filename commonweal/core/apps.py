from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "commonweal.core"
    label = "core"
    verbose_name = "Service core"

    def ready(self) -> None:
        from commonweal.core import audit

        audit.register_models()
