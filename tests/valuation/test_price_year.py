"""The year whose prices a tender's offers are valued in (valuation.price_year_for)."""

from decimal import Decimal

from commonweal.valuation import DeflatorSeries, price_year_for
from commonweal.valuation.official_series import gdp_deflator

SERIES = DeflatorSeries(
    {2020: Decimal("80"), 2022: Decimal("90"), 2024: Decimal("100")},
    "Test GDP deflators",
    "https://example.org",
    "OGL-UK-3.0",
)


def test_a_deflator_the_council_chose_values_in_the_issue_year() -> None:
    year = price_year_for(
        proxy_years=[2020, 2025], issue_year=2026, deflator=SERIES, chosen_by_council=True
    )
    assert year == 2026


def test_values_all_in_one_years_prices_stay_in_that_year() -> None:
    year = price_year_for(
        proxy_years=[2025, 2025], issue_year=2026, deflator=SERIES, chosen_by_council=False
    )
    assert year == 2025


def test_mixed_price_years_are_rebased_to_the_issue_year_when_the_default_covers_it() -> None:
    year = price_year_for(
        proxy_years=[2020, 2022], issue_year=2024, deflator=SERIES, chosen_by_council=False
    )
    assert year == 2024


def test_mixed_price_years_stop_at_the_last_year_the_default_series_covers() -> None:
    year = price_year_for(
        proxy_years=[2020, 2022], issue_year=2026, deflator=SERIES, chosen_by_council=False
    )
    assert year == 2024


def test_no_values_in_pounds_are_valued_in_the_issue_year() -> None:
    year = price_year_for(proxy_years=[], issue_year=2026, deflator=SERIES, chosen_by_council=False)
    assert year == 2026


def test_the_shipped_default_is_hm_treasurys_calendar_year_series_to_2024() -> None:
    # HM Treasury GDP deflators (December 2025 release), calendar years, 2024 = 100.
    year = price_year_for(
        proxy_years=[2020, 2022], issue_year=2026, deflator=gdp_deflator(), chosen_by_council=False
    )
    assert year == 2024
    assert gdp_deflator().index_for(2024) == Decimal("100")
