from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commonweal.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
