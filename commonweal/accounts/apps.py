from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commonweal.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from commonweal.accounts import models
        from commonweal.core.audit import register

        register(models.User, exclude=("password", "last_login"))
        register(models.Organisation)
        register(models.Membership)
        register(models.Invitation, exclude=("token_hash",))
        register(models.LivingWageAccreditation)
