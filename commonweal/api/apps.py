from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "commonweal.api"
    label = "api"
    verbose_name = "API tokens"

    def ready(self) -> None:
        from commonweal.api.models import ApiToken
        from commonweal.core.audit import register

        register(ApiToken, exclude=("token_hash", "last_used_at"))
