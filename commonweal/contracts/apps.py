from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "commonweal.contracts"
    label = "contracts"
    verbose_name = "Contracts"
