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


class TestDeliveryForecasts:
    """A two-year contract from 1 July 2025, 100 a quarter, as of August 2026.

    Contract year 1 runs July 2025 to June 2026: quarters 2025-26 Q2, Q3, Q4 and 2026-27 Q1.
    Verified: 50 + 70 + 90 + 110 = 320 over 4 ended quarters, a run rate of 80 a quarter.
    """

    @staticmethod
    def periods() -> list:
        from commonweal.valuation import ForecastPeriod

        labels = [
            ("2025-26 Q2", 1, "2025-26", "50"),
            ("2025-26 Q3", 1, "2025-26", "70"),
            ("2025-26 Q4", 1, "2025-26", "90"),
            ("2026-27 Q1", 1, "2026-27", "110"),
            ("2026-27 Q2", 2, "2026-27", None),
            ("2026-27 Q3", 2, "2026-27", None),
            ("2026-27 Q4", 2, "2026-27", None),
            ("2027-28 Q1", 2, "2027-28", None),
        ]
        return [
            ForecastPeriod(
                label,
                Decimal(100),
                Decimal(verified) if verified else None,
                year,
                fy,
                verified is not None,
            )
            for label, year, fy, verified in labels
        ]

    def test_the_current_contract_year_is_forecast_at_the_run_rate(self) -> None:
        from commonweal.valuation import delivery_forecasts

        result = delivery_forecasts(
            periods=self.periods(), current_contract_year=2, current_financial_year="2026-27"
        )
        assert result.run_rate == Decimal(80)
        year = result.contract_year
        # Nothing of year 2 has ended: 0 + 80 × 4 = 320, against 400.
        assert (year.forecast, year.target, year.periods_to_come) == (Decimal("320.00"), 400, 4)
        assert year.method == (
            "0 verified so far in contract year 2 + run rate 80.00 a period (320 ÷ 4 period(s) "
            "ended) × 4 period(s) to come = 320.00, against a target of 400"
        )

    def test_the_current_financial_year_counts_what_it_has_verified_so_far(self) -> None:
        from commonweal.valuation import delivery_forecasts

        result = delivery_forecasts(
            periods=self.periods(), current_contract_year=2, current_financial_year="2026-27"
        )
        # 2026-27 Q1 verified 110, and 3 quarters to come: 110 + 80 × 3 = 350, against 400.
        fy = result.financial_year
        assert (fy.verified_so_far, fy.forecast, fy.target) == (110, Decimal("350.00"), 400)
        # The whole contract: 320 + 80 × 4 = 640, against 800.
        assert (result.to_end.forecast, result.to_end.target) == (Decimal("640.00"), 800)

    def test_nothing_is_forecast_before_a_period_ends_or_for_a_year_without_periods(
        self,
    ) -> None:
        from dataclasses import replace

        from commonweal.valuation import delivery_forecasts

        unended = [replace(p, ended=False, verified=None) for p in self.periods()]
        none = delivery_forecasts(
            periods=unended, current_contract_year=1, current_financial_year="2025-26"
        )
        assert none.run_rate is None and none.to_end is None
        outside = delivery_forecasts(
            periods=self.periods(), current_contract_year=3, current_financial_year="2030-31"
        )
        assert outside.contract_year is None and outside.financial_year is None
