from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "commonweal.reporting"
    label = "reporting"
    verbose_name = "Programme office: decisions, actions, events, engagement and progress reports"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.reporting import models

        for model in (
            models.ReportingSettings,
            models.Decision,
            models.Recommendation,
            models.Action,
            models.ActionUpdate,
            models.ActionEvidence,
            models.Event,
            models.Engagement,
            models.EngagementEntry,
            models.ProgressReport,
        ):
            register(model)
        # The frozen document is large and never changes once written; the trail records the
        # publication itself.
        register(models.ReportVersion, exclude=("document", "changes"))
