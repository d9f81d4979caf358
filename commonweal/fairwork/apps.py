from django.apps import AppConfig


class FairWorkConfig(AppConfig):
    name = "commonweal.fairwork"
    label = "fairwork"
    verbose_name = "Fair work and equality"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.fairwork import models

        for model in (
            models.FairWorkSettings,
            models.LivingWageRateAddition,
            models.CouncilAccreditation,
            models.AccreditationEvent,
            models.ActionPlanStep,
            models.WageFinding,
            models.EflgCriterion,
            models.EflgAssessment,
            models.EflgEvidence,
        ):
            register(model)
