from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commonweal.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning"

    def ready(self) -> None:
        from commonweal.commissioning import models
        from commonweal.core.audit import register

        for model in (
            models.PolicyVersion,
            models.Procurement,
            models.ProcurementMeasure,
            models.WrittenQuestion,
        ):
            register(model)
