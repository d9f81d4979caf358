"""Carbon delivered on a contract whose measure set version chose the council's own carbon
values is valued with them: on the contract's figures and in the stored figures the dashboards
add up (issue 21, point 7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commonweal.frameworks.models import CarbonPoint, CarbonSeries, LocalMeasureSetVersion
from commonweal.monitoring.figures import contract_figures, council_figures_as_of
from commonweal.valuation import RagThresholds
from tests.contracts import builders
from tests.monitoring.test_carbon_by_year import delivered  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def council_series(world, monkeypatch):
    """The version of `delivered` values carbon with the council's series: £300 for 2025 and
    £320 for 2026 per tCO2e, in 2022 prices (the contract's, so nothing is re-based)."""
    series = CarbonSeries.objects.create(
        owner=world.council,
        slug="rotherham-carbon",
        name="Rotherham carbon values 2026",
        price_year=2022,
        source_title="Rotherham MBC Climate Emergency Action Plan, annex B",
        licence="Open Government Licence v3.0",
    )
    for year, value in ((2025, "300.00"), (2026, "320.00")):
        CarbonPoint.objects.create(series=series, year=year, value=Decimal(value))
    build = builders.desnz_carbon_measures

    def with_series(council):
        version, measure = build(council)
        LocalMeasureSetVersion.objects.filter(pk=version.pk).update(carbon_series=series)
        version.refresh_from_db()
        return version, measure

    monkeypatch.setattr("tests.monitoring.test_carbon_by_year.desnz_carbon_measures", with_series)


def test_delivery_is_valued_with_the_council_series(delivered, world):  # noqa: F811
    contract, _ = delivered
    figures = contract_figures(contract, today=date(2026, 6, 30), thresholds=RagThresholds())
    (carbon,) = figures.commitments
    # Committed: 10 × 300 + 10 × 320 = 6,200.00. To the end of 2026-27 Q1, 10 t in year 1
    # (2025) and 2.5 t in year 2 (2026): 10 × 300 + 2.5 × 320 = 3,800.00 (DESNZ: 3,423.65).
    assert carbon.committed_pence == 620_000
    assert (carbon.target_pence, carbon.claimed_pence, carbon.verified_pence) == (
        380_000,
        380_000,
        380_000,
    )
    (row,) = council_figures_as_of(world.council.pk, date(2026, 6, 30))
    assert (row.committed_pence, row.verified_pence) == (620_000, 380_000)
