"""Shipped frameworks: load idempotently, and every £ value says where it comes from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commonweal.frameworks.content import CONTENT_DIR, load_shipped_frameworks, shipped_manifest
from commonweal.frameworks.importing import IMPORT_FIELDS, read_table
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
)
from commonweal.valuation import ValueType
from commonweal.valuation.official_series import carbon_values, shipped_series

pytestmark = pytest.mark.django_db
MODELS = (Framework, FrameworkVersion, Theme, Outcome, Measure, ProxyValue)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_shipped_content_loads_twice_without_duplicates():
    first = load_shipped_frameworks()
    after_first = _counts()
    second = load_shipped_frameworks()

    assert all(shipped.created for shipped in first)
    assert not any(shipped.created for shipped in second)
    assert _counts() == after_first
    assert after_first["Framework"] == len(shipped_manifest())


def test_shipped_frameworks_are_published_and_visible_to_everyone():
    load_shipped_frameworks()

    for version in FrameworkVersion.objects.select_related("framework"):
        assert version.status == VersionStatus.PUBLISHED
        assert version.published_at is not None
        assert version.framework.owner is None
        assert version.framework.licence
        assert not version.framework.values_restricted


def test_every_monetised_shipped_measure_has_a_value_with_source_and_licence():
    load_shipped_frameworks()

    monetised = Measure.objects.filter(value_type=ValueType.MONETISED.value)
    assert monetised.exists()
    for measure in monetised:
        assert measure.proxy.source_title.strip(), measure.code
        assert measure.proxy.source_url.startswith("https://www.gov.uk/"), measure.code
        assert measure.proxy.licence.strip(), measure.code
    assert ProxyValue.objects.count() == monetised.count()


def test_carbon_is_valued_at_the_desnz_central_value_shipped_in_the_reference_series():
    # DESNZ (November 2023) carbon values for appraisal, data table 3: central value for 2025,
    # £273.06 per tCO2e in 2022 prices, under the Open Government Licence v3.0. The figure must be
    # the one in valuation/reference/carbon_values.csv, never typed in apart from it.
    load_shipped_frameworks()

    carbon = Measure.objects.get(code="CW-ENV-01")
    series = carbon_values()

    assert carbon.unit == "tCO2e"
    assert carbon.proxy.amount_per_unit == series.value_for(2025) == Decimal("273.06")
    assert carbon.proxy.price_year == series.price_year == 2022
    assert carbon.proxy.licence == series.licence == "Open Government Licence v3.0"
    assert carbon.proxy.source_url == series.source_url
    assert "DESNZ" in carbon.proxy.source_title and "2025" in carbon.proxy.source_title


def test_every_shipped_value_comes_from_a_series_in_the_reference_folder():
    """A shipped £ value per unit cites a series shipped with its source note and licence."""
    load_shipped_frameworks()
    shipped_sources = {entry.source_url for entry in shipped_series() if entry.source_url}

    for proxy in ProxyValue.objects.filter(measure__version__framework__owner__isnull=True):
        assert proxy.source_url in shipped_sources, proxy.measure.code


def test_the_social_value_model_is_qualitative_and_cites_ppn_002():
    load_shipped_frameworks()

    framework = Framework.objects.get(slug="ppn-002-social-value-model")

    assert framework.licence == "Open Government Licence v3.0"
    assert framework.source_url.startswith("https://www.gov.uk/government/publications/ppn-002")
    measures = Measure.objects.filter(version__framework=framework)
    assert measures.exists()
    assert set(measures.values_list("value_type", flat=True)) == {ValueType.QUALITATIVE.value}
    assert not ProxyValue.objects.filter(measure__version__framework=framework).exists()


def test_open_measures_map_only_to_shipped_ppn_002_outcomes():
    load_shipped_frameworks()
    ppn_outcomes = set(
        Outcome.objects.filter(
            theme__version__framework__slug="ppn-002-social-value-model"
        ).values_list("code", flat=True)
    )

    for measure in Measure.objects.filter(version__framework__slug="commonweal-open-measures"):
        assert set(measure.ppn002_outcomes) <= ppn_outcomes, measure.code


def test_counting_rules_can_find_the_open_measures_by_their_tags():
    load_shipped_frameworks()
    tagged = {
        tag
        for tags in Measure.objects.filter(
            version__framework__slug="commonweal-open-measures"
        ).values_list("tags", flat=True)
        for tag in tags
    }

    assert {
        "local-employment",
        "disadvantaged",
        "apprenticeships",
        "training-hours",
        "volunteering-hours",
        "local-supply-chain-spend",
        "environment",
    } <= tagged


def test_the_shipped_files_are_in_the_importers_own_format():
    for entry in shipped_manifest():
        path = CONTENT_DIR / entry["file"]
        table = read_table(path, path.name)
        assert table.headers == [import_field.label for import_field in IMPORT_FIELDS]
