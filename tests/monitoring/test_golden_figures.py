"""Golden figures: a contract with known targets, claims and verifications, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commonweal.monitoring.figures import contract_figures
from commonweal.valuation import Rag, RagThresholds
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return

pytestmark = pytest.mark.django_db


def test_committed_claimed_verified_variance_rag_and_forecast_match_the_hand_working(
    world, supplier_user, contract_manager
):
    # The contract: 1 Apr 2025 – 31 Mar 2027, quarterly, 8 periods.
    #   RM1 jobs, £10,000 per FTE: 2 FTE in each year → 0.5 FTE a quarter.
    #   RM2 volunteering, £16.93 an hour: 400 hours a year → 100 hours a quarter.
    #   RM3 carbon, record only: 10 then 12 tCO2e → 2.5 a quarter in year 1.
    # Committed £: RM1 4 × £10,000 = £40,000; RM2 800 × £16.93 = £13,544; total £53,544.
    measures = build_measures(world.council)
    contract = build_contract(world.council, world.supplier, measures)
    q1 = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5", "RM2": "120", "RM3": "2.5"}, by=supplier_user
    )
    q2 = file_return(
        contract, "2025-26 Q2", {"RM1": "0.5", "RM2": "100", "RM3": "3"}, by=supplier_user
    )
    # Q3's return is still a draft: a draft is not a claim.
    file_return(contract, "2025-26 Q3", {"RM1": "1"}, by=supplier_user, submit=False)
    decide(
        q1,
        {
            "RM1": ("verified", None, ""),
            "RM2": ("part_verified", "110", "10 hours were on another contract"),
            "RM3": ("verified", None, ""),
        },
        by=contract_manager,
    )
    decide(
        q2,
        {
            "RM1": ("rejected", None, "No payroll evidence"),
            "RM2": ("verified", None, ""),
            "RM3": ("queried", None, "Which site is this?"),
        },
        by=contract_manager,
    )

    # As of 31 Dec 2025, Q1–Q3 of 2025-26 have ended: three periods to date.
    figures = contract_figures(contract, today=date(2025, 12, 31), thresholds=RagThresholds())
    assert figures.as_of.label == "2025-26 Q3"
    jobs, volunteering, carbon = figures.commitments

    # RM1: target 0.5 × 3 = 1.5; claimed 0.5 + 0.5 = 1.0; verified 0.5 + 0 (rejected) = 0.5.
    # Variance 0.5 − 1.5 = −1.0; 0.5 ÷ 1.5 = 33.33% → red.
    # Forecast 0.5 ÷ 3 periods × 8 = 1.333… → 1.33 FTE.
    # £: 1.5 × £10,000 = £15,000; 1.0 → £10,000; 0.5 → £5,000; forecast 1.33 → £13,300.
    assert (jobs.target_to_date, jobs.claimed_to_date, jobs.verified_to_date) == (
        Decimal("1.5"),
        Decimal("1.0"),
        Decimal("0.5"),
    )
    assert jobs.variance == Decimal("-1.0")
    assert jobs.status.percent_of_target == Decimal("33.33")
    assert jobs.rag is Rag.RED
    assert jobs.status.forecast_at_end == Decimal("1.33")
    assert (jobs.target_pence, jobs.claimed_pence, jobs.verified_pence, jobs.forecast_pence) == (
        1_500_000,
        1_000_000,
        500_000,
        1_330_000,
    )

    # RM2: target 300; claimed 120 + 100 = 220; verified 110 + 100 = 210.
    # Variance −90; 210 ÷ 300 = 70.00% → amber (amber from 70%, green from 90%).
    # Forecast 210 ÷ 3 × 8 = 560 hours.
    # £: 300 × £16.93 = £5,079.00; 220 → £3,724.60; 210 → £3,555.30; 560 → £9,480.80.
    assert (
        volunteering.target_to_date,
        volunteering.claimed_to_date,
        volunteering.verified_to_date,
    ) == (Decimal("300"), Decimal("220"), Decimal("210"))
    assert volunteering.rag is Rag.AMBER
    assert volunteering.status.forecast_at_end == Decimal("560.00")
    assert (
        volunteering.target_pence,
        volunteering.claimed_pence,
        volunteering.verified_pence,
        volunteering.forecast_pence,
    ) == (507_900, 372_460, 355_530, 948_080)

    # RM3 (record only, never in £): target 7.5; claimed 2.5 + 3 = 5.5; verified 2.5 (Q2 is
    # queried, so not verified). 2.5 ÷ 7.5 = 33.33% → red.
    assert (carbon.target_to_date, carbon.claimed_to_date, carbon.verified_to_date) == (
        Decimal("7.5"),
        Decimal("5.5"),
        Decimal("2.5"),
    )
    assert carbon.rag is Rag.RED
    assert carbon.target_pence is None and carbon.verified_pence is None

    # Contract in £ (monetised commitments only, each state on its own):
    # committed £40,000 + £13,544 = £53,544; target £15,000 + £5,079 = £20,079;
    # claimed £10,000 + £3,724.60 = £13,724.60; verified £5,000 + £3,555.30 = £8,555.30;
    # variance £8,555.30 − £20,079 = −£11,523.70; £8,555.30 ÷ £20,079 = 42.6% → red;
    # forecast £13,300 + £9,480.80 = £22,780.80.
    assert figures.committed_pence == 5_354_400
    assert figures.target_pence == 2_007_900
    assert figures.claimed_pence == 1_372_460
    assert figures.verified_pence == 855_530
    assert figures.variance_pence == -1_152_370
    assert figures.rag is Rag.RED
    assert figures.forecast_pence == 2_278_080


def test_before_any_period_ends_nothing_is_rated(world):
    measures = build_measures(world.council)
    contract = build_contract(world.council, world.supplier, measures)
    figures = contract_figures(contract, today=date(2025, 5, 1), thresholds=RagThresholds())
    assert figures.as_of is None
    assert figures.rag is Rag.NOT_YET_DUE
    assert all(row.rag is Rag.NOT_YET_DUE for row in figures.commitments)


def test_the_councils_own_thresholds_change_the_rating(world, supplier_user, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(world.council, world.supplier, measures)
    q1 = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5", "RM2": "60", "RM3": "2.5"}, by=supplier_user
    )
    decide(
        q1,
        {
            "RM1": ("verified", None, ""),
            "RM2": ("verified", None, ""),
            "RM3": ("verified", None, ""),
        },
        by=contract_manager,
    )
    # RM2: 60 of 100 hours = 60%: red by default, amber when amber starts at 50%.
    strict = contract_figures(contract, today=date(2025, 7, 1), thresholds=RagThresholds())
    lenient = contract_figures(
        contract,
        today=date(2025, 7, 1),
        thresholds=RagThresholds(green_at=Decimal("0.8"), amber_at=Decimal("0.5")),
    )
    assert strict.commitments[1].rag is Rag.RED
    assert lenient.commitments[1].rag is Rag.AMBER
