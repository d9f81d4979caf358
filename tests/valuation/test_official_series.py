"""The shipped series read as published: every figure traceable to its file, nothing filled in."""

from datetime import date
from decimal import Decimal

import pytest

from commonweal.valuation.carbon import CarbonPath, MissingCarbonYear
from commonweal.valuation.deflators import MissingDeflatorYear
from commonweal.valuation.fair_work import DatePrecision
from commonweal.valuation.official_series import (
    REFERENCE_DIR,
    carbon_values,
    eflg_modules,
    gdp_deflator,
    living_wage_rates,
    national_living_wage_rates,
    parse_announcement,
    shipped_series,
)

# Domain brief §8: Real Living Wage per hour, UK / London, by year announced.
DOMAIN_RATES = {
    2012: ("7.45", "8.55"),
    2013: ("7.65", "8.80"),
    2014: ("7.85", "9.15"),
    2015: ("8.25", "9.40"),
    2016: ("8.45", "9.75"),
    2017: ("8.75", "10.20"),
    2018: ("9.00", "10.55"),
    2019: ("9.30", "10.75"),
    2020: ("9.50", "10.85"),
    2021: ("9.90", "11.05"),
    2022: ("10.90", "11.95"),
    2023: ("12.00", "13.15"),
    2024: ("12.60", "13.85"),
    2025: ("13.45", "14.80"),
}


def test_every_real_living_wage_rate_is_as_published():
    rates = {rate.year: rate for rate in living_wage_rates()}
    for year, (uk, london) in DOMAIN_RATES.items():
        assert (rates[year].uk_rate, rates[year].london_rate) == (Decimal(uk), Decimal(london))


def test_the_2011_uk_rate_is_missing_not_guessed():
    rate = next(r for r in living_wage_rates() if r.year == 2011)
    assert rate.uk_rate is None
    assert rate.london_rate == Decimal("8.30")
    assert rate.pay_by is None and rate.announced_precision is DatePrecision.UNKNOWN


def test_published_pay_by_dates_are_used_where_a_source_gives_them():
    rates = {rate.label: rate for rate in living_wage_rates()}
    assert rates["2025-26"].pay_by == date(2026, 5, 1) and rates["2025-26"].pay_by_published
    assert rates["2024-25"].pay_by == date(2025, 5, 1)
    assert rates["2023-24"].pay_by == date(2024, 4, 24)
    assert not rates["2023-24"].pay_by_published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-11-05", (date(2012, 11, 5), DatePrecision.DAY)),
        ("2016-11 (Living Wage Week)", (date(2016, 11, 1), DatePrecision.MONTH)),
        ("2011 (spring; GLA)", (None, DatePrecision.UNKNOWN)),
    ],
)
def test_announcement_dates_keep_the_precision_the_source_gives(text, expected):
    assert parse_announcement(text) == expected


def test_the_national_living_wage_runs_from_2016_to_2026():
    rates = national_living_wage_rates()
    assert (rates[0].effective_on, rates[0].rate) == (date(2016, 4, 1), Decimal("7.20"))
    assert (rates[-1].effective_on, rates[-1].rate) == (date(2026, 4, 1), Decimal("12.71"))


def test_carbon_values_are_in_2022_prices_on_three_paths():
    series = carbon_values()
    assert series.price_year == 2022
    assert series.years[0] == 2020 and series.years[-1] == 2050
    assert series.value_for(2025) == Decimal("273.06")
    assert series.value_for(2025, CarbonPath.LOW) == Decimal("136.53")
    assert series.value_for(2050, CarbonPath.HIGH) == Decimal("596.31")
    with pytest.raises(MissingCarbonYear, match="2019"):
        series.value_for(2019)


def test_a_carbon_proxy_cites_the_year_and_path_it_came_from():
    proxy = carbon_values().proxy_for(2025)
    assert proxy.amount_per_unit == Decimal("273.06")
    assert proxy.price_year == 2022
    assert "central value for 2025" in proxy.source_title
    assert proxy.licence == "Open Government Licence v3.0"


def test_the_gdp_deflator_is_the_calendar_year_series_2024_equals_100():
    deflator = gdp_deflator()
    assert deflator.index_for(2024) == Decimal("100")
    assert deflator.index_for(2022) == Decimal("90.5005")
    assert "calendar-year" in deflator.source_title
    with pytest.raises(MissingDeflatorYear):
        deflator.index_for(2025)


def test_every_shipped_series_has_its_file_source_note_and_licence():
    for series in shipped_series():
        assert (REFERENCE_DIR / series.file).is_file()
        assert (REFERENCE_DIR / series.source_note).is_file()
        assert series.licence and series.publisher and series.price_base
    assert (REFERENCE_DIR / "LICENCES.md").is_file()


def test_the_eflg_has_four_modules():
    assert [number for _, number, _ in eflg_modules()] == [1, 2, 3, 4]
