from django.apps import AppConfig


class CwbConfig(AppConfig):
    name = "commonweal.cwb"
    label = "cwb"
    verbose_name = "Community wealth building"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.cwb import models

        for model in (
            models.SpendImportRun,
            models.SpendImportFile,
            models.PublisherMapping,
            models.ReferenceDataLoad,
            models.LocalTierSettings,
            models.CreditorRecord,
            models.SupplierLinkRun,
            models.SupplierLinkDecision,
            models.Lm3Study,
            models.AnchorNetwork,
            models.AnchorNetworkMember,
        ):
            register(model)
        register(models.SupplierSurvey, exclude=("token_hash",))
