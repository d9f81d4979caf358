"""Stored measures and deflators become specs the valuation engine accepts."""

from __future__ import annotations

from decimal import Decimal

from commonweal import valuation
from commonweal.frameworks.engine_inputs import (
    deflator_for_version,
    deflator_series_for,
    measure_spec,
    measure_specs_for,
)
from commonweal.frameworks.models import DeflatorPoint, DeflatorSeries, LocalMeasureSetVersion
from commonweal.valuation.official_series import gdp_deflator
from tests.frameworks.sample_frameworks import CARBON_SOURCE, import_sample


def test_a_monetised_measure_carries_its_proxy_with_provenance(world):
    version = import_sample(world.council)

    spec = measure_spec(version.measures.get(code="T-ENV-01"))

    assert spec.value_type is valuation.ValueType.MONETISED
    assert spec.theme == "Environment"
    assert spec.outcome == "Lower emissions"
    assert spec.tags == frozenset({"environment"})
    assert spec.proxy is not None
    assert spec.proxy.amount_per_unit == Decimal("245")
    assert spec.proxy.price_year == 2020
    assert spec.proxy.source_title == CARBON_SOURCE
    assert spec.proxy.confidence is valuation.ProxyConfidence.HIGH


def test_a_record_only_measure_has_no_proxy(world):
    version = import_sample(world.council)

    spec = measure_spec(version.measures.get(code="T-JOBS-01"))

    assert spec.value_type is valuation.ValueType.RECORD_ONLY
    assert spec.proxy is None
    assert spec.tags == frozenset({"volunteering-hours", "employment-and-skills"})


def test_the_engine_values_commitments_with_the_specs(world):
    version = import_sample(world.council)
    measures = measure_specs_for(version.measures.all())
    lines = [
        # 10 tCO2e × £245 × (1 − 0.2) × 1 = £1,960.00
        valuation.CommitmentLine(
            "1", "T-ENV-01", 1, Decimal("10"), deadweight=Decimal("0.2"), attribution=Decimal(1)
        ),
        valuation.CommitmentLine("2", "T-JOBS-01", 1, Decimal("40")),
    ]

    result = valuation.value_commitments(
        lines, measures, price_year=2020, deflator=None, contract_value=Decimal("100000")
    )

    assert result.total_value == Decimal("1960.00")
    assert result.by_theme == {"Environment": Decimal("1960.00")}
    assert result.record_only_by_unit == {"hours": Decimal("40")}


def test_specs_are_keyed_by_measure_code(world):
    version = import_sample(world.council)

    specs = measure_specs_for(version.measures.all())

    assert sorted(specs) == ["T-ENV-01", "T-JOBS-01", "T-JOBS-02"]


def test_a_deflator_series_rebases_with_its_stored_points(world):
    series = DeflatorSeries.objects.create(
        owner=world.council,
        slug="test-index",
        name="Test index",
        source_title="Test price index",
        licence="Open Government Licence v3.0",
    )
    DeflatorPoint.objects.create(series=series, year=2020, index=Decimal("100"))
    DeflatorPoint.objects.create(series=series, year=2024, index=Decimal("120"))

    engine_series = deflator_series_for(series)

    # £245 × 120 ÷ 100 = £294
    assert engine_series.rebase(Decimal("245"), 2020, 2024) == Decimal("294")
    assert engine_series.source_title == "Test price index"
    assert engine_series.years == (2020, 2024)


def test_a_set_version_without_a_deflator_rebases_with_the_shipped_gdp_deflator(world):
    version = import_sample(world.council)
    measures = measure_specs_for(version.measures.all())

    deflator = deflator_for_version(None)
    result = valuation.value_commitments(
        [valuation.CommitmentLine("1", "T-ENV-01", 1, Decimal("10"))],
        measures,
        price_year=2024,
        deflator=deflator,
        contract_value=None,
    )

    # HM Treasury GDP deflators, calendar years, 2024 = 100: 2020 is 85.2137 (gdp_deflators.csv).
    index_2020 = gdp_deflator().index_for(2020)
    assert deflator.source_title.startswith("HM Treasury")
    assert index_2020 == Decimal("85.2137")
    # 10 tCO2e × £245 × 100 ÷ 85.2137 = £2,875.12 to the penny
    assert result.total_value == Decimal("2875.12")
    assert "HM Treasury" in (result.deflator_citation or "")


def test_a_deflator_the_council_chose_replaces_the_shipped_one(world):
    series = DeflatorSeries.objects.create(
        owner=world.council,
        slug="ours",
        name="Our index",
        source_title="Our price index",
        licence="Open Government Licence v3.0",
    )
    DeflatorPoint.objects.create(series=series, year=2026, index=Decimal("100"))
    version = LocalMeasureSetVersion(deflator=series)

    assert deflator_for_version(version).source_title == "Our price index"
