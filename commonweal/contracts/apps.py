from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "commonweal.contracts"
    label = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        from commonweal.contracts.models import Commitment, CommitmentYear, Contract, Variation
        from commonweal.core.audit import register

        for model in (Contract, Commitment, CommitmentYear, Variation):
            register(model)
