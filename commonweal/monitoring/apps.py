from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def work_out_missing_figures(sender: AppConfig, verbosity: int = 1, **kwargs: Any) -> None:
    """After `migrate`, a database whose contracts predate stored delivery figures gets them,
    so an upgrade needs no extra step (`commonweal monitoring refresh-figures` does the same
    by hand)."""
    from commonweal.contracts.models import Contract
    from commonweal.monitoring.models import DeliveryFigures
    from commonweal.monitoring.services import figures_refresh_all

    if DeliveryFigures.objects.exists() or not Contract.objects.exists():
        return
    contracts, rows = figures_refresh_all()
    stdout = kwargs.get("stdout")
    if verbosity and stdout is not None:
        stdout.write(f"Delivery figures worked out for {contracts} contract(s): {rows} row(s)\n")


class MonitoringConfig(AppConfig):
    name = "commonweal.monitoring"
    label = "monitoring"
    verbose_name = "Delivery monitoring"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.monitoring import models

        post_migrate.connect(work_out_missing_figures, sender=self)

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
