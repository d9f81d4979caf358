from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "commonweal.frameworks"
    label = "frameworks"
    verbose_name = "Measures frameworks"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.frameworks import models

        for model in (
            models.Framework,
            models.FrameworkVersion,
            models.Theme,
            models.Outcome,
            models.Measure,
            models.ProxyValue,
            models.DeflatorSeries,
            models.DeflatorPoint,
            models.CarbonSeries,
            models.CarbonPoint,
            models.LocalMeasureSet,
            models.LocalMeasureSetVersion,
            models.LocalMeasureSetItem,
        ):
            register(model)
