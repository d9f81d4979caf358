from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "commonweal.monitoring"
    label = "monitoring"
    verbose_name = "Delivery monitoring"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.monitoring import models

        for model in (
            models.MonitoringSettings,
            models.ReportingPeriod,
            models.PeriodTarget,
            models.Milestone,
            models.SupplierReturn,
            models.ReturnLine,
            models.QueryMessage,
            models.CaseStudy,
            models.EvidenceFile,
            models.RecoveryAction,
            models.Kpi,
            models.KpiAssessment,
        ):
            register(model)
