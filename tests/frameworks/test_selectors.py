"""Comparing versions and finding a measure's values by year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commonweal.frameworks import local_sets, selectors
from commonweal.frameworks.models import Measure, ProxyValue
from tests.frameworks.measures_world import MeasuresWorld, build_measures_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world) -> MeasuresWorld:
    return build_measures_world(world.council)


def test_comparing_versions_reports_a_changed_value_field_by_field(measures):
    comparison = selectors.compare_framework_versions(measures.shipped_2024, measures.shipped_2025)
    assert comparison.added == [] and comparison.removed == []
    assert comparison.unchanged_count == 2
    [change] = comparison.changed
    assert change.after.code == "T-ENV-01"
    assert [(c.label, c.before, c.after, c.is_value) for c in change.changes] == [
        ("Value per unit", "£245.00", "£250.00", True)
    ]


def test_comparing_versions_reports_added_and_removed_measures(measures):
    Measure.objects.filter(version=measures.shipped_2025, code="T-ENV-01").update(
        code="T-ENV-02", title="Carbon avoided"
    )
    comparison = selectors.compare_framework_versions(measures.shipped_2024, measures.shipped_2025)
    assert [m.code for m in comparison.added] == ["T-ENV-02"]
    assert [m.code for m in comparison.removed] == ["T-ENV-01"]
    assert comparison.has_differences


def test_comparing_set_versions_reports_a_measure_moved_to_a_newer_framework_version(
    measures,
):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    old_carbon = Measure.objects.get(version=measures.shipped_2024, code="T-ENV-01")
    local_sets.set_item_remove(set_version=draft, measure=measures.carbon, by=None)
    local_sets.set_item_add(set_version=draft, measure=old_carbon, by=None)
    comparison = selectors.compare_set_versions(measures.set_version, draft)
    [change] = comparison.changed
    labels = {c.label: (c.before, c.after) for c in change.changes}
    assert labels["Framework version"] == ("Test framework 2025", "Test framework 2024")
    assert labels["Value per unit"] == ("£250.00", "£245.00")


def test_values_by_year_lists_the_code_in_every_version_newest_first(measures):
    years = [
        (m.version.year, m.proxy.amount_per_unit) for m in selectors.values_by_year(measures.carbon)
    ]
    assert years == [(2025, Decimal("250.0000")), (2024, Decimal("245.0000"))]


def test_per_unit_values_keep_the_precision_they_were_set_to():
    assert selectors.format_per_unit(Decimal("16.9300")) == "£16.93"
    assert selectors.format_per_unit(Decimal("0.1234")) == "£0.1234"
    assert selectors.format_per_unit(Decimal("1234")) == "£1,234.00"


def test_the_tag_filter_matches_whole_tags_only(measures):
    filters = selectors.MeasureFilters(tag="environment")
    found = selectors.version_measures(measures.shipped_2025, filters)
    assert [m.code for m in found] == ["T-ENV-01"]
    assert ProxyValue.objects.filter(measure__in=found).count() == 1
