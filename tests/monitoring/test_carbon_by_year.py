"""Carbon delivered is valued at the carbon value of the contract year it was delivered in, as
the commitment was at award: target, claimed, verified and forecast £, on the contract page's
figures, in the stored figures the dashboards add up, and on a return's check."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest

from commonweal.contracts.services import CommitmentInput, contract_create
from commonweal.monitoring.figures import contract_figures, council_figures_as_of, return_check
from commonweal.valuation import RagThresholds
from tests.contracts.builders import desnz_carbon_measures
from tests.monitoring.helpers import decide, file_return

pytestmark = pytest.mark.django_db
AFTER = date(2026, 7, 15)


@pytest.fixture
def delivered(world, supplier_user, contract_manager):
    # 1 Apr 2025 – 31 Mar 2027, quarterly: year 1 counts as 2025, year 2 as 2026. 10 tCO2e a
    # year, 2.5 a quarter, in 2022 prices (so nothing is re-based). DESNZ central values:
    # 2025 £273.06, 2026 £277.22 per tCO2e.
    version, carbon = desnz_carbon_measures(world.council)
    contract = contract_create(
        council=world.council,
        supplier=world.supplier,
        title="Fleet electrification",
        reference="RMBC-C-2025",
        value_pence=50_000_000,
        start_date=date(2025, 4, 1),
        end_date=date(2027, 3, 31),
        directorate="Place",
        contract_manager=None,
        measure_set_version=version,
        price_year=2022,
        commitments=[CommitmentInput(carbon, {1: Decimal(10), 2: Decimal(10)})],
        source="manual",
        by=None,
    )
    returns = [
        file_return(contract, label, {"CW-ENV-01": "2.5"}, by=supplier_user, today=AFTER)
        for label in ("2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4", "2026-27 Q1")
    ]
    for supplier_return in returns:
        decide(supplier_return, {"CW-ENV-01": ("verified", None, "")}, by=contract_manager)
    return contract, returns


def test_delivery_to_date_is_valued_year_by_year(delivered):
    contract, _ = delivered
    figures = contract_figures(contract, today=date(2026, 6, 30), thresholds=RagThresholds())
    (carbon,) = figures.commitments
    # Committed: 10 × 273.06 + 10 × 277.22 = 2,730.60 + 2,772.20 = 5,502.80.
    assert carbon.committed_pence == 550_280
    # To the end of 2026-27 Q1: 10 t in year 1 and 2.5 t in year 2, targeted, claimed and
    # verified alike: 10 × 273.06 + 2.5 × 277.22 = 2,730.60 + 693.05 = 3,423.65 (the single
    # 2025 figure would have made it 12.5 × 273.06 = 3,413.25).
    assert (carbon.target_pence, carbon.claimed_pence, carbon.verified_pence) == (
        342_365,
        342_365,
        342_365,
    )
    # Forecast at end: 12.5 ÷ 5 periods = 2.5 a period × 8 periods, 4 in each year: 10 t in
    # each year, so the forecast's £ is the commitment's, 5,502.80.
    assert carbon.forecast_pence == 550_280
    # The current contract year (2) in full: 2.5 verified + 2.5 × 3 to come = 10 t × 277.22.
    assert carbon.forecast_pence_by_span["contract_year"] == 277_220


def test_the_stored_figures_match_the_contract_page(delivered, world):
    (row,) = council_figures_as_of(world.council.pk, date(2026, 6, 30))
    assert (row.committed_pence, row.target_pence, row.claimed_pence, row.verified_pence) == (
        550_280,
        342_365,
        342_365,
        342_365,
    )


def test_a_return_s_claim_is_valued_at_its_contract_year_s_value(delivered):
    _, returns = delivered
    # 2026-27 Q1 is in contract year 2 (2026): 2.5 × 277.22 = 693.05.
    (claimed,) = return_check(returns[-1].pk).claimed_pence.values()
    assert claimed == 69_305
    # 2025-26 Q1 is in contract year 1 (2025): 2.5 × 273.06 = 682.65.
    (claimed,) = return_check(returns[0].pk).claimed_pence.values()
    assert claimed == 68_265


def test_the_upgrade_re_values_carbon_stored_at_the_single_figure(delivered):
    from django.apps import apps

    from commonweal.contracts.models import CommitmentYear
    from commonweal.monitoring.models import DeliveryFigures

    migration = importlib.import_module(
        "commonweal.monitoring.migrations.0007_carbon_valued_by_delivery_year"
    )
    contract, _ = delivered
    commitment = contract.commitments.get()
    # As stored before: every year at the 2025 figure, 10 × 273.06 = 2,730.60 each.
    CommitmentYear.objects.filter(commitment=commitment).update(value_pence=273_060)
    commitment.committed_value_pence = 546_120
    commitment.save()

    migration.revalue_carbon_commitments(apps, None)

    commitment.refresh_from_db()
    assert list(
        commitment.years.order_by("contract_year").values_list("value_pence", flat=True)
    ) == [273_060, 277_220]
    assert commitment.committed_value_pence == 550_280
    # Cleared, so that migrate's post_migrate hook works every figure out again.
    assert not DeliveryFigures.objects.exists()
