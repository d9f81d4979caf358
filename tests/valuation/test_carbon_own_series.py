"""A council's own carbon values in place of the DESNZ series (CarbonValuedByDeliveryYear with
a one-value-a-year series), and the DESNZ low and high paths: no database."""

from decimal import Decimal

import pytest

from commonweal.valuation import (
    CarbonPath,
    CarbonValue,
    CarbonValuedByDeliveryYear,
    CarbonValueSeries,
    InvalidCommitmentLines,
)
from commonweal.valuation.official_series import carbon_values, gdp_deflator
from tests.valuation.test_carbon_by_year import carbon_measure, ten_tonnes_a_year, value

DESNZ = carbon_values()


def own_series(price_year: int = 2022, **values: str) -> CarbonValueSeries:
    """A council's series: one value a year, its own source and licence."""
    amounts = values or {"y2025": "300.00", "y2026": "310.00", "y2027": "320.00"}
    return CarbonValueSeries(
        values={
            int(key[1:]): CarbonValue.one_value(int(key[1:]), Decimal(amount))
            for key, amount in amounts.items()
        },
        price_year=price_year,
        source_title="Rotherham MBC Climate Emergency Action Plan, annex B",
        source_url="",
        licence="Open Government Licence v3.0",
        name="Rotherham carbon values 2026",
        has_paths=False,
    )


def own_rule(series: CarbonValueSeries | None = None, first_year: int = 2025):
    return CarbonValuedByDeliveryYear(
        series or own_series(),
        first_year,
        f"the contract starts in {first_year}",
        recognised_by=DESNZ,
    )


def test_one_value_serves_every_path():
    year = CarbonValue.one_value(2025, Decimal("300"))
    assert {year.on(path) for path in CarbonPath} == {Decimal("300")}


def test_a_council_series_values_each_year_at_its_own_figure():
    # 10 t a year from 2025, the council's values in 2022 prices (no re-basing):
    # 10 × 300 + 10 × 310 + 10 × 320 = 9,300.00 (the DESNZ central path gave 8,317.20).
    result = value(ten_tonnes_a_year(3), own_rule())
    assert [line.value for line in result.lines] == [
        Decimal("3000.00"),
        Decimal("3100.00"),
        Decimal("3200.00"),
    ]
    third = result.line("L3")
    assert third.proxy.source_title == (
        "Rotherham MBC Climate Emergency Action Plan, annex B, value for 2027"
    )
    assert "so the value for 2027 in Rotherham carbon values 2026 is used" in (
        third.explanation_text
    )


def test_the_rule_names_the_council_series_its_publisher_and_price_base():
    rule = own_rule()
    assert rule.rule_text.startswith(
        "Carbon savings are valued at the values in Rotherham carbon values 2026 (Rotherham MBC "
        "Climate Emergency Action Plan, annex B, 2022 prices) for the calendar year"
    )
    assert "DESNZ" not in rule.rule_text
    assert "2022 prices, licence Open Government Licence v3.0" in rule.citation


def test_the_council_series_values_the_measures_whose_proxy_is_the_desnz_value():
    # The measure's proxy cites DESNZ; the values come from the council's series.
    assert own_rule().applies_to(carbon_measure())
    # Without `recognised_by`, the rule would look for proxies citing the council's series.
    assert not CarbonValuedByDeliveryYear(own_series(), 2025, "basis").applies_to(carbon_measure())


def test_a_council_series_has_no_low_or_high_path():
    with pytest.raises(ValueError, match="gives one value a year, so it has no high path"):
        CarbonValuedByDeliveryYear(own_series(), 2025, "basis", path=CarbonPath.HIGH)


def test_a_year_the_council_series_lacks_is_a_problem_with_the_line_naming_the_series():
    with pytest.raises(InvalidCommitmentLines) as raised:
        value(ten_tonnes_a_year(4), own_rule())
    assert (
        "Rotherham MBC Climate Emergency Action Plan, annex B has no carbon value for 2028; "
        "it covers 2025–2027"
    ) in str(raised.value)


def test_a_council_series_in_later_prices_is_re_based_like_any_proxy():
    # The council's £300 for 2025 is in 2024 prices; the offer is valued in 2022 prices with
    # HM Treasury's GDP deflator: 300 × index(2022) ÷ index(2024), times 10 tonnes.
    deflator = gdp_deflator()
    series = own_series(price_year=2024, y2025="300.00")
    result = value(ten_tonnes_a_year(1), own_rule(series), deflator=deflator)
    expected = (
        Decimal(10)
        * Decimal("300.00")
        * deflator.index_by_year[2022]
        / deflator.index_by_year[2024]
    )
    assert result.lines[0].value == expected.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("path", "values"),
    [
        # DESNZ (valuation/reference/carbon_values.csv), 2025–2027, 10 t a year.
        (CarbonPath.LOW, ("1365.30", "1386.10", "1407.20")),
        (CarbonPath.CENTRAL, ("2730.60", "2772.20", "2814.40")),
        (CarbonPath.HIGH, ("4096.00", "4158.30", "4221.70")),
    ],
)
def test_the_desnz_low_and_high_paths_value_each_year_on_that_path(path, values):
    rule = CarbonValuedByDeliveryYear(DESNZ, 2025, "the contract starts in 2025", path=path)
    result = value(ten_tonnes_a_year(3), rule)
    assert [line.value for line in result.lines] == [Decimal(v) for v in values]
    assert f"the {path.value} DESNZ carbon value for the calendar year" in rule.rule_text
    assert f"{path.value} value for 2027" in result.line("L3").proxy.source_title
