"""Turn stored measures, deflators and carbon series into the valuation engine's plain inputs.

The engine (commonweal.valuation) knows nothing of Django; these functions are the one place
where database rows become its frozen dataclasses, so every caller values with the same specs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from commonweal import valuation
from commonweal.frameworks.models import (
    CarbonSeries,
    DeflatorSeries,
    LocalMeasureSetVersion,
    Measure,
    ProxyValue,
)
from commonweal.valuation.carbon import is_valued_with
from commonweal.valuation.official_series import carbon_values, gdp_deflator


def proxy_of(measure: Measure) -> ProxyValue | None:
    """The measure's proxy value, or None for a measure counted without one."""
    try:
        return measure.proxy
    except ProxyValue.DoesNotExist:
        return None


def measure_spec(measure: Measure) -> valuation.MeasureSpec:
    """The engine's spec for one measure, with its proxy (if any), tags, theme and outcome names.

    Raises ValueError (from MeasureSpec) when the stored measure is not usable for valuation,
    for example a monetised measure in a draft version that has no proxy yet.
    """
    proxy = proxy_of(measure)
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


def carbon_series_for(series: CarbonSeries) -> valuation.CarbonValueSeries:
    """The engine's carbon series for a council's own load: one value a year, no paths."""
    return valuation.CarbonValueSeries(
        values={
            point.year: valuation.CarbonValue.one_value(point.year, point.value)
            for point in series.points.all()
        },
        price_year=series.price_year,
        source_title=series.source_title,
        source_url=series.source_url,
        licence=series.licence,
        name=series.name,
        has_paths=False,
    )


def carbon_rule(
    first_year: int,
    first_year_basis: str,
    *,
    own_series: CarbonSeries | None = None,
    path: str = valuation.CarbonPath.CENTRAL.value,
) -> valuation.CarbonValuedByDeliveryYear:
    """The rule that values a carbon saving at the carbon value of the year it is saved in.

    The one place that decides which carbon values a figure uses: `own_series`, a council's
    own load, else the DESNZ series Commonweal ships (2022 prices; see the Sources and licences
    page) on `path`. Either way the rule applies to the measures whose proxy is the DESNZ carbon
    value. Contract year 1 counts as `first_year`, for the reason `first_year_basis` gives in
    words. Raises ValueError for a path a council's series (one value a year) does not have.
    """
    if own_series is not None:
        return valuation.CarbonValuedByDeliveryYear(
            carbon_series_for(own_series),
            first_year,
            first_year_basis,
            path=valuation.CarbonPath(path),
            recognised_by=carbon_values(),
        )
    return valuation.CarbonValuedByDeliveryYear(
        carbon_values(), first_year, first_year_basis, path=valuation.CarbonPath(path)
    )


def carbon_by_delivery_year(
    first_year: int, first_year_basis: str, version: LocalMeasureSetVersion | None = None
) -> valuation.CarbonValuedByDeliveryYear:
    """The carbon rule with the carbon values `version` chose: its council's own series, or the
    DESNZ series on its path (central when there is no version)."""
    if version is None:
        return carbon_rule(first_year, first_year_basis)
    return carbon_rule(
        first_year,
        first_year_basis,
        own_series=version.carbon_series,
        path=version.carbon_path,
    )


def valued_by_delivery_year(measure: Measure) -> bool:
    """Whether a stored measure's £ value follows the carbon rule: a monetised carbon measure
    whose proxy is the DESNZ carbon value. A measure the engine cannot use is never valued."""
    try:
        spec = measure_spec(measure)
    except ValueError:
        return False
    return is_valued_with(spec, carbon_values())


def carbon_for_contract(
    version: LocalMeasureSetVersion | None, start_year: int
) -> valuation.CarbonValuedByDeliveryYear:
    """Carbon valued by delivery year for a contract valued with `version`: contract year 1 is
    the year it starts."""
    return carbon_by_delivery_year(start_year, f"the contract starts in {start_year}", version)


def carbon_for_tender(
    version: LocalMeasureSetVersion | None, price_year: int
) -> valuation.CarbonValuedByDeliveryYear:
    """Carbon valued by delivery year for an offer at tender valued with `version`, when no
    start date is known: contract year 1 is the tender's price year."""
    return carbon_by_delivery_year(
        price_year,
        f"at tender no start date is known, so year 1 is taken as the tender's price year, "
        f"{price_year}",
        version,
    )
