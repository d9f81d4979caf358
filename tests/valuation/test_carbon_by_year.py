"""Carbon savings valued by the year they are saved in (CarbonValuedByDeliveryYear), with the
DESNZ series shipped in valuation/reference (2022 prices): no database."""

from decimal import Decimal

import pytest

from commonweal.valuation import (
    CarbonPath,
    CarbonValuedByDeliveryYear,
    CommitmentLine,
    InvalidCommitmentLines,
    MeasureSpec,
    ValueType,
    value_commitments,
)
from commonweal.valuation.official_series import carbon_values, gdp_deflator
from tests.valuation.conftest import monetised, record_only

SERIES = carbon_values()


def carbon_measure(code: str = "CW-ENV-01", unit: str = "tCO2e") -> MeasureSpec:
    """Like the shipped framework's measure: one proxy, the 2025 central value."""
    return MeasureSpec(
        code=code,
        title="Carbon emissions saved",
        unit=unit,
        value_type=ValueType.MONETISED,
        theme="Environment",
        outcome="Lower greenhouse gas emissions",
        proxy=SERIES.proxy_for(2025),
    )


def ten_tonnes_a_year(years: int, code: str = "CW-ENV-01") -> list[CommitmentLine]:
    return [CommitmentLine(f"L{y}", code, y, Decimal(10)) for y in range(1, years + 1)]


def value(lines, carbon=None, *, measure=None, price_year=2022, deflator=None):
    measure = measure or carbon_measure()
    return value_commitments(
        lines,
        {measure.code: measure},
        price_year=price_year,
        deflator=deflator,
        contract_value=None,
        carbon=carbon,
    )


def by_year(first_year: int, basis: str = "the contract starts in 2025", **kwargs):
    return CarbonValuedByDeliveryYear(SERIES, first_year, basis, **kwargs)


def test_each_contract_year_is_valued_at_its_own_calendar_year_s_value():
    # Central values, 2022 prices: 2025 £273.06, 2026 £277.22, 2027 £281.44 per tCO2e.
    result = value(ten_tonnes_a_year(3), by_year(2025))
    assert [line.value for line in result.lines] == [
        Decimal("2730.60"),
        Decimal("2772.20"),
        Decimal("2814.40"),
    ]
    assert result.total_value == Decimal("8317.20")
    third = result.line("L3")
    assert "central value for 2027" in third.proxy.source_title
    assert third.explanation_text.startswith(
        "carbon is valued by the year it is saved in: contract year 3 counts as 2027 (the "
        "contract starts in 2025), so the central DESNZ carbon value for 2027 is used:"
    )


def test_without_the_rule_every_year_keeps_the_measure_s_single_proxy():
    result = value(ten_tonnes_a_year(3))
    assert {line.value for line in result.lines} == {Decimal("2730.60")}


def test_an_offer_at_tender_counts_year_one_as_the_tender_s_price_year():
    rule = by_year(2026, "no start date yet, so the tender's price year")
    result = value(ten_tonnes_a_year(2), rule)
    assert [line.value for line in result.lines] == [Decimal("2772.20"), Decimal("2814.40")]
    assert rule.rule_text == (
        "Carbon savings are valued at the central DESNZ carbon value for the calendar year they "
        "are saved in: contract year 1 counts as 2026 (no start date yet, so the tender's price "
        "year), year 2 as 2027, and so on."
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [(CarbonPath.LOW, "1365.30"), (CarbonPath.CENTRAL, "2730.60"), (CarbonPath.HIGH, "4096.00")],
)
def test_a_council_may_value_carbon_on_the_low_or_high_path(path, expected):
    result = value(ten_tonnes_a_year(1), by_year(2025, path=path))
    assert result.total_value == Decimal(expected)


def test_the_year_s_value_is_re_based_to_the_price_year_like_any_proxy():
    deflator = gdp_deflator()
    result = value(ten_tonnes_a_year(2), by_year(2025), price_year=2024, deflator=deflator)
    second = result.line("L2")
    assert second.proxy_in_price_year == deflator.rebase(Decimal("277.22"), 2022, 2024)
    assert result.deflator_citation is not None


def test_only_carbon_measures_valued_with_the_desnz_series_follow_the_rule():
    own_proxy = monetised("OWN-CARBON", "100.00", unit="tCO2e")  # a council's own proxy
    not_carbon = MeasureSpec(
        code="ENERGY",
        title="Energy saved",
        unit="MWh",
        value_type=ValueType.MONETISED,
        theme="Environment",
        outcome="Less energy used",
        proxy=SERIES.proxy_for(2025),
    )
    rule = by_year(2030)
    assert rule.applies_to(carbon_measure())
    assert rule.applies_to(carbon_measure(unit="TCO2E"))
    assert not rule.applies_to(own_proxy)
    assert not rule.applies_to(not_carbon)
    assert not rule.applies_to(record_only("CARBON", unit="tCO2e"))
    result = value(
        [CommitmentLine("A", "OWN-CARBON", 2, Decimal(1))], rule, measure=own_proxy, price_year=2025
    )
    assert result.total_value == Decimal("100.00")


def test_a_year_the_series_does_not_cover_is_a_problem_with_the_line_not_a_guess():
    with pytest.raises(InvalidCommitmentLines) as problems:
        value(ten_tonnes_a_year(3), by_year(2049, "the contract starts in 2049"))
    (problem,) = problems.value.problems
    assert problem.line_ref == "L3"
    assert "no carbon value for 2051; it covers 2020–2050" in str(problem)


def test_the_result_states_the_rule_only_when_it_valued_a_line():
    rule = by_year(2025)
    assert value(ten_tonnes_a_year(1), rule).carbon_rule == rule.rule_text
    assert value(ten_tonnes_a_year(1)).carbon_rule is None
    not_carbon = monetised("VOL", "10", unit="hours", price_year=2022)
    result = value([CommitmentLine("V1", "VOL", 1, Decimal(10))], rule, measure=not_carbon)
    assert result.carbon_rule is None


def test_the_rule_cites_the_series_it_reads():
    assert by_year(2025).citation == (
        f"{SERIES.source_title}, {SERIES.source_url}, 2022 prices, licence {SERIES.licence}"
    )
