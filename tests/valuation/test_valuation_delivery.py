from decimal import Decimal

import pytest

from commonweal.valuation import PeriodDelivery, Rag, RagThresholds, delivery_status

QUARTERS = [
    PeriodDelivery("2025-26 Q1", Decimal("10"), Decimal("10"), Decimal("8")),
    PeriodDelivery("2025-26 Q2", Decimal("10"), Decimal("12"), Decimal("9")),
    PeriodDelivery("2025-26 Q3", Decimal("10")),
    PeriodDelivery("2025-26 Q4", Decimal("10")),
]


def test_golden_case_half_way_through_a_year_of_quarterly_returns() -> None:
    # As of Q2: target to date 10 + 10 = 20; claimed 10 + 12 = 22; verified 8 + 9 = 17.
    # Variance 17 − 20 = −3; 17 ÷ 20 = 85% → amber (below 90%, at least 70%).
    # Awaiting verification 22 − 17 = 5. Forecast 17 ÷ 2 quarters × 4 quarters = 34,
    # against a total target of 40: 6 short.
    status = delivery_status(commitment_ref="C-1", periods=QUARTERS, as_of="2025-26 Q2")
    assert status.target_to_date == Decimal("20")
    assert status.claimed_to_date == Decimal("22")
    assert status.verified_to_date == Decimal("17")
    assert status.awaiting_verification == Decimal("5")
    assert status.variance == Decimal("-3")
    assert status.percent_of_target == Decimal("85.00")
    assert status.rag is Rag.AMBER
    assert status.total_target == Decimal("40")
    assert status.forecast_at_end == Decimal("34.00")
    assert status.forecast_variance_at_end == Decimal("-6.00")
    assert (
        status.working[3]
        == "17 verified ÷ 20 target to date = 85.00%: amber (green at 90%, amber at 70%)"
    )


def test_it_never_adds_claimed_and_verified_together() -> None:
    # Claims of 22 do not lift the status: only the 17 verified counts towards target.
    status = delivery_status(commitment_ref="C-1", periods=QUARTERS, as_of="2025-26 Q2")
    assert status.variance == status.verified_to_date - status.target_to_date


def test_green_at_the_threshold_and_red_below_amber() -> None:
    periods = [PeriodDelivery("P1", Decimal("10"), Decimal("9"), Decimal("9"))]
    # 9 ÷ 10 = 0.90: green at exactly 0.90
    assert delivery_status(commitment_ref="C", periods=periods, as_of="P1").rag is Rag.GREEN
    periods = [PeriodDelivery("P1", Decimal("10"), Decimal("9"), Decimal("6.9"))]
    # 6.9 ÷ 10 = 0.69: red below 0.70
    assert delivery_status(commitment_ref="C", periods=periods, as_of="P1").rag is Rag.RED


def test_thresholds_are_parameters() -> None:
    periods = [PeriodDelivery("P1", Decimal("10"), Decimal("9"), Decimal("9"))]
    strict = RagThresholds(green_at=Decimal("0.95"), amber_at=Decimal("0.85"))
    status = delivery_status(commitment_ref="C", periods=periods, as_of="P1", thresholds=strict)
    assert status.rag is Rag.AMBER


def test_nothing_due_yet_is_not_rated() -> None:
    periods = [PeriodDelivery("P1", Decimal("0")), PeriodDelivery("P2", Decimal("5"))]
    status = delivery_status(commitment_ref="C", periods=periods, as_of="P1")
    assert status.rag is Rag.NOT_YET_DUE
    assert status.percent_of_target is None


def test_claims_after_the_as_of_period_are_left_out() -> None:
    periods = [
        PeriodDelivery("P1", Decimal("5"), Decimal("5"), Decimal("5")),
        PeriodDelivery("P2", Decimal("5"), Decimal("5"), Decimal("5")),
    ]
    status = delivery_status(commitment_ref="C", periods=periods, as_of="P1")
    assert (status.claimed_to_date, status.verified_to_date) == (Decimal("5"), Decimal("5"))
    # 5 ÷ 1 period × 2 periods = 10
    assert status.forecast_at_end == Decimal("10.00")


def test_verified_above_claimed_is_refused_naming_the_period() -> None:
    periods = [PeriodDelivery("2025-26 Q1", Decimal("5"), Decimal("3"), Decimal("4"))]
    with pytest.raises(ValueError, match="C-9, period 2025-26 Q1: verified 4 exceeds claimed 3"):
        delivery_status(commitment_ref="C-9", periods=periods, as_of="2025-26 Q1")


def test_an_as_of_period_outside_the_contract_is_refused() -> None:
    with pytest.raises(ValueError, match="as-of period '2030-31 Q1' is not one of its periods"):
        delivery_status(commitment_ref="C-1", periods=QUARTERS, as_of="2030-31 Q1")


def test_thresholds_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValueError, match="0 < amber_at ≤ green_at"):
        RagThresholds(green_at=Decimal("0.5"), amber_at=Decimal("0.7"))
