"""ForecastAtVerifiedRate: committed £ × verified share, added up and rounded once."""

from decimal import Decimal

from commonweal.valuation.programme import ForecastAtVerifiedRate

FORECAST = ForecastAtVerifiedRate()


def test_each_commitment_carries_on_at_its_verified_share() -> None:
    # £1,000.00 at 0.5 → £500.00; £333.33 at 0.333333 → 11,110.988889 pence; £50.00 at 1.2
    # (ahead of target) → £60.00. 50,000 + 11,110.988889 + 6,000 = 67,110.988889 → 67,111.
    # A record-only measure (no £) is skipped; one with nothing due is counted apart.
    found = FORECAST.forecast(
        [
            (100_000, Decimal("0.5")),
            (33_333, Decimal("0.333333")),
            (5_000, Decimal("1.2")),
            (None, Decimal("0.9")),
            (20_000, None),
        ]
    )
    assert found == (67_111, 3, 1)


def test_groups_sharing_a_share_forecast_exactly_what_their_commitments_do() -> None:
    # Three commitments of 1p at 0.5 are one group of 3p: 1.5p either way, rounded half up
    # once to 2p (rounding each commitment first would give 3 × 1p).
    one_by_one = FORECAST.forecast([(1, Decimal("0.5"))] * 3 + [(7_000, None)] * 2)
    grouped = FORECAST.forecast_groups([(3, 3, Decimal("0.5")), (14_000, 2, None)])
    assert one_by_one == grouped == (2, 3, 2)


def test_nothing_to_forecast_is_zero() -> None:
    assert FORECAST.forecast([]) == (0, 0, 0)
