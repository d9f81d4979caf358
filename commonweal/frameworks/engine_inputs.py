"""Turn stored measures and deflators into the valuation engine's plain inputs.

The engine (commonweal.valuation) knows nothing of Django; these functions are the one place
where database rows become its frozen dataclasses, so every caller values with the same specs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from commonweal import valuation
from commonweal.frameworks.models import (
    DeflatorSeries,
    LocalMeasureSetVersion,
    Measure,
    ProxyValue,
)
from commonweal.valuation.official_series import gdp_deflator


def _proxy_of(measure: Measure) -> ProxyValue | None:
    try:
        return measure.proxy
    except ProxyValue.DoesNotExist:
        return None


def measure_spec(measure: Measure) -> valuation.MeasureSpec:
    """The engine's spec for one measure, with its proxy (if any), tags, theme and outcome names.

    Raises ValueError (from MeasureSpec) when the stored measure is not usable for valuation,
    for example a monetised measure in a draft version that has no proxy yet.
    """
    proxy = _proxy_of(measure)
    return valuation.MeasureSpec(
        code=measure.code,
        title=measure.title,
        unit=measure.unit,
        value_type=valuation.ValueType(measure.value_type),
        theme=measure.outcome.theme.name,
        outcome=measure.outcome.name,
        proxy=(
            valuation.ProxyValue(
                amount_per_unit=proxy.amount_per_unit,
                price_year=proxy.price_year,
                source_title=proxy.source_title,
                source_url=proxy.source_url,
                licence=proxy.licence,
                confidence=valuation.ProxyConfidence(proxy.confidence),
            )
            if proxy is not None
            else None
        ),
        tags=frozenset(measure.tags),
    )


def measure_specs_for(measures: Iterable[Measure]) -> dict[str, valuation.MeasureSpec]:
    """Specs keyed by measure code, refusing two measures with the same code."""
    if isinstance(measures, QuerySet):
        measures = measures.select_related("outcome__theme", "proxy")
    return valuation.index_measures(measure_spec(measure) for measure in measures)


def deflator_series_for(series: DeflatorSeries) -> valuation.DeflatorSeries:
    """The engine's deflator series, with the stored source, link and licence."""
    return valuation.DeflatorSeries(
        index_by_year={point.year: point.index for point in series.points.all()},
        source_title=series.source_title,
        source_url=series.source_url,
        licence=series.licence,
    )


def deflator_for_version(version: LocalMeasureSetVersion | None) -> valuation.DeflatorSeries:
    """The series that re-bases a measure set version's £ values between price years: the one
    the council chose for the version, else HM Treasury's calendar-year GDP deflator that
    Commonweal ships (2024 = 100; see the Sources and licences page)."""
    if version is not None and version.deflator is not None:
        return deflator_series_for(version.deflator)
    return gdp_deflator()
