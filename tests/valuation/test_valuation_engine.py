from collections.abc import Callable
from decimal import Decimal

import pytest

from commonweal.valuation import (
    CommitmentLine,
    DeflatorSeries,
    InvalidCommitmentLines,
    MeasureSpec,
    ProxyConfidence,
    ValueType,
    tags,
    value_commitments,
)


def line(ref: str, code: str, quantity: str, year: int = 1, **extra: object) -> CommitmentLine:
    return CommitmentLine(ref, code, year, Decimal(quantity), **extra)  # type: ignore[arg-type]


def test_it_values_a_line_as_quantity_times_rebased_proxy_less_deadweight_times_attribution(
    make_monetised: Callable[..., MeasureSpec],
    deflator: DeflatorSeries,
) -> None:
    measures = {"JOB": make_monetised("JOB", "30000", unit="FTE-years", price_year=2021)}
    lines = [
        line("L1", "JOB", "12.5", deadweight=Decimal("0.10"), attribution=Decimal("0.80")),
    ]
    result = value_commitments(
        lines, measures, price_year=2025, deflator=deflator, contract_value=None
    )
    valued = result.line("L1")
    # £30,000 × 110.0 ÷ 100.0 = £33,000 per FTE-year in 2025 prices
    # 12.5 × £33,000 = £412,500; × (1 − 0.10) = £371,250; × 0.80 = £297,000.00
    assert valued.proxy_in_price_year == Decimal("33000")
    assert valued.value == Decimal("297000.00")
    assert result.total_value == Decimal("297000.00")
    assert valued.explanation_text == (
        "12.5 FTE-years × £30,000 per unit (Test proxy values (invented for tests), price year "
        "2021) re-based to 2025 prices with Test GDP deflators (index 100.0 → 110.0): £30,000 × "
        "110.0 ÷ 100.0 = £33,000.00 per unit to the penny (unrounded in the calculation) "
        "× (1 − 0.10 deadweight) × 0.80 attribution = £297,000.00 (rounded half up to the penny)"
    )


def test_it_rounds_to_the_penny_only_at_the_end_of_each_line(
    make_monetised: Callable[..., MeasureSpec],
) -> None:
    deflator = DeflatorSeries(
        {2024: Decimal("102.5"), 2025: Decimal("104.9")}, "Test GDP deflators", "", "OGL-UK-3.0"
    )
    measures = {"VOL": make_monetised("VOL", "16.93", unit="hours", price_year=2024)}
    lines = [line("L1", "VOL", "333", deadweight=Decimal("0.15"), attribution=Decimal("0.75"))]
    result = value_commitments(
        lines, measures, price_year=2025, deflator=deflator, contract_value=None
    )
    # 333 × £16.93 × 104.9 ÷ 102.5 = £5,769.69444878…; × 0.85 = £4,904.24028146…;
    # × 0.75 = £3,678.18021109… → £3,678.18.
    # Rounding each step instead (£17.33 per hour → £5,770.89 → £4,905.26 → £3,678.95)
    # would overstate the line by 77p.
    assert result.line("L1").value == Decimal("3678.18")


def test_it_rounds_half_pennies_up(make_monetised: Callable[..., MeasureSpec]) -> None:
    measures = {"VOL": make_monetised("VOL", "0.125", unit="hours")}
    result = value_commitments(
        [line("L1", "VOL", "1")], measures, price_year=2025, deflator=None, contract_value=None
    )
    # 1 × £0.125 = £0.125 → £0.13
    assert result.line("L1").value == Decimal("0.13")


def test_a_proxy_already_in_the_price_year_needs_no_deflator(
    framework: dict[str, MeasureSpec],
) -> None:
    result = value_commitments(
        [line("L1", "VOLUNTEER", "100")],
        framework,
        price_year=2025,
        deflator=None,
        contract_value=None,
    )
    # 100 hours × £16.93 × (1 − 0) × 1 = £1,693.00
    assert result.total_value == Decimal("1693.00")
    assert "already in 2025 prices, so not re-based" in result.line("L1").explanation
    assert result.deflator_citation is None


def test_a_deflator_that_rebased_nothing_is_not_cited(
    framework: dict[str, MeasureSpec], deflator: DeflatorSeries
) -> None:
    result = value_commitments(
        [line("L1", "VOLUNTEER", "100")],
        framework,
        price_year=2025,
        deflator=deflator,
        contract_value=None,
    )
    assert result.total_value == Decimal("1693.00")
    assert result.deflator_citation is None


def test_a_deflator_that_rebased_a_line_is_cited(
    make_monetised: Callable[..., MeasureSpec], deflator: DeflatorSeries
) -> None:
    measures = {"OLD": make_monetised("OLD", "100", price_year=2021)}
    result = value_commitments(
        [line("L1", "OLD", "1")], measures, price_year=2025, deflator=deflator, contract_value=None
    )
    # £100 × 110.0 ÷ 100.0 = £110.00
    assert result.total_value == Decimal("110.00")
    assert result.deflator_citation == (
        "Test GDP deflators, https://example.org/deflators, licence OGL-UK-3.0"
    )


def test_each_line_carries_its_proxy_provenance(framework: dict[str, MeasureSpec]) -> None:
    result = value_commitments(
        [line("L1", "VOLUNTEER", "1")],
        framework,
        price_year=2025,
        deflator=None,
        contract_value=None,
    )
    proxy = result.line("L1").proxy
    assert proxy is not None
    assert proxy.source_url == "https://example.org/proxies"
    assert proxy.licence == "CC0-1.0"
    assert proxy.confidence is ProxyConfidence.MEDIUM


def test_it_totals_by_theme_outcome_measure_and_contract_year(
    framework: dict[str, MeasureSpec],
) -> None:
    lines = [
        line("L1", "JOB-LOCAL", "2", year=1),  # 2 × £30,000 = £60,000.00, Jobs
        line("L2", "JOB-LOCAL", "1", year=2),  # 1 × £30,000 = £30,000.00, Jobs
        line("L3", "TRAINING", "10", year=2),  # 10 × £12.00 = £120.00, Jobs / Better skills
        line("L4", "VOLUNTEER", "10", year=1),  # 10 × £16.93 = £169.30, Social
    ]
    result = value_commitments(
        lines, framework, price_year=2025, deflator=None, contract_value=None
    )
    assert result.total_value == Decimal("90289.30")
    assert result.by_theme == {"Jobs": Decimal("90120.00"), "Social": Decimal("169.30")}
    assert result.by_outcome == {
        "Better skills": Decimal("120.00"),
        "More local people in work": Decimal("90000.00"),
        "Stronger communities": Decimal("169.30"),
    }
    assert result.by_measure == {
        "JOB-LOCAL": Decimal("90000.00"),
        "TRAINING": Decimal("120.00"),
        "VOLUNTEER": Decimal("169.30"),
    }
    assert result.by_contract_year == {1: Decimal("60169.30"), 2: Decimal("30120.00")}


def test_record_only_and_qualitative_lines_are_counted_in_their_units_not_in_pounds(
    framework: dict[str, MeasureSpec],
) -> None:
    lines = [
        line("L1", "VOLUNTEER", "10"),  # £169.30
        line("L2", "CARBON", "12.5"),
        line("L3", "CARBON", "7.5", year=2),
        line("L4", "WELLBEING-PLAN", "1"),
    ]
    result = value_commitments(
        lines, framework, price_year=2025, deflator=None, contract_value=None
    )
    assert result.total_value == Decimal("169.30")
    assert result.record_only_by_unit == {"tCO2e": Decimal("20.0")}
    assert result.qualitative_by_unit == {"plans": Decimal("1")}
    assert result.line("L2").value is None
    assert result.line("L2").explanation == (
        "12.5 tCO2e of CARBON (record only): counted in tCO2e, not valued in pounds.",
    )
    assert "CARBON" not in result.by_measure


def test_it_states_value_per_pound_and_percent_of_contract_value(
    framework: dict[str, MeasureSpec],
) -> None:
    result = value_commitments(
        [line("L1", "VOLUNTEER", "100")],
        framework,
        price_year=2025,
        deflator=None,
        contract_value=Decimal("30000"),
    )
    # £1,693.00 ÷ £30,000 = 0.056433… → £0.0564 per £1 (4 places); 5.643…% → 5.64%
    assert result.value_per_pound == Decimal("0.0564")
    assert result.percent_of_contract_value == Decimal("5.64")


def test_ratios_are_absent_without_a_contract_value(framework: dict[str, MeasureSpec]) -> None:
    result = value_commitments(
        [line("L1", "VOLUNTEER", "100")],
        framework,
        price_year=2025,
        deflator=None,
        contract_value=None,
    )
    assert result.value_per_pound is None
    assert result.percent_of_contract_value is None


def test_an_unknown_measure_code_is_an_error_naming_the_line(
    framework: dict[str, MeasureSpec],
) -> None:
    with pytest.raises(InvalidCommitmentLines) as raised:
        value_commitments(
            [line("row 7", "NT1", "3")],
            framework,
            price_year=2025,
            deflator=None,
            contract_value=None,
        )
    assert str(raised.value) == (
        "1 problem with commitment lines: line row 7: measure_code NT1: is not a measure of "
        "this framework"
    )


def test_it_lists_every_problem_at_once_so_a_bidder_can_fix_them_together(
    framework: dict[str, MeasureSpec],
) -> None:
    lines = [
        line("L1", "VOLUNTEER", "-5"),
        line("L2", "VOLUNTEER", "5", deadweight=Decimal("1.2")),
        line("L3", "VOLUNTEER", "5", attribution=Decimal("-0.1")),
        line("L3", "VOLUNTEER", "5", year=0),
    ]
    with pytest.raises(InvalidCommitmentLines) as raised:
        value_commitments(lines, framework, price_year=2025, deflator=None, contract_value=None)
    assert [(p.line_ref, p.field, p.value) for p in raised.value.problems] == [
        ("L1", "quantity", "-5"),
        ("L2", "deadweight", "1.2"),
        ("L3", "attribution", "-0.1"),
        ("L3", "line_ref", "L3"),
        ("L3", "contract_year", "0"),
    ]


def test_a_quantity_given_as_a_float_is_refused(framework: dict[str, MeasureSpec]) -> None:
    bad = CommitmentLine("L1", "VOLUNTEER", 1, 2.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidCommitmentLines, match="quantity 2.5: must be a finite Decimal"):
        value_commitments([bad], framework, price_year=2025, deflator=None, contract_value=None)


def test_a_measure_tagged_for_negatives_accepts_a_negative_quantity(
    make_monetised: Callable[..., MeasureSpec],
) -> None:
    measures = {
        "REDUNDANCY": make_monetised(
            "REDUNDANCY",
            "30000",
            unit="FTE-years",
            tag_set=frozenset({tags.NEGATIVE_QUANTITIES_ALLOWED}),
        ),
        "JOB": make_monetised("JOB", "30000", unit="FTE-years"),
    }
    lines = [line("L1", "JOB", "3"), line("L2", "REDUNDANCY", "-1")]
    result = value_commitments(lines, measures, price_year=2025, deflator=None, contract_value=None)
    # 3 × £30,000 − 1 × £30,000 = £60,000.00
    assert result.line("L2").value == Decimal("-30000.00")
    assert result.total_value == Decimal("60000.00")


def test_a_proxy_year_missing_from_the_deflator_is_an_error_naming_line_and_year(
    make_monetised: Callable[..., MeasureSpec],
    deflator: DeflatorSeries,
) -> None:
    measures = {"OLD": make_monetised("OLD", "100", price_year=2019)}
    with pytest.raises(InvalidCommitmentLines) as raised:
        value_commitments(
            [line("L9", "OLD", "1")],
            measures,
            price_year=2025,
            deflator=deflator,
            contract_value=None,
        )
    message = str(raised.value)
    assert "line L9" in message
    assert "has no index for 2019" in message


def test_rebasing_without_a_deflator_is_an_error_naming_the_line(
    make_monetised: Callable[..., MeasureSpec],
) -> None:
    measures = {"OLD": make_monetised("OLD", "100", price_year=2021)}
    with pytest.raises(InvalidCommitmentLines, match="line L1: .* no deflator was given"):
        value_commitments(
            [line("L1", "OLD", "1")], measures, price_year=2025, deflator=None, contract_value=None
        )


def test_a_contract_value_of_zero_is_refused(framework: dict[str, MeasureSpec]) -> None:
    with pytest.raises(ValueError, match="contract_value must be above £0"):
        value_commitments([], framework, price_year=2025, deflator=None, contract_value=Decimal(0))


def test_measures_keyed_by_a_different_code_are_refused(framework: dict[str, MeasureSpec]) -> None:
    with pytest.raises(ValueError, match="keyed 'X' has code 'VOLUNTEER'"):
        value_commitments(
            [],
            {"X": framework["VOLUNTEER"]},
            price_year=2025,
            deflator=None,
            contract_value=None,
        )


def test_the_result_carries_rule_findings_and_says_which_rules_fired_or_were_skipped(
    framework: dict[str, MeasureSpec],
) -> None:
    lines = [
        line("L1", "SPEND-LOCAL", "120000"),
        line("L2", "TRAINING", "10", activity_ref="induction"),
        line("L3", "VOLUNTEER", "10", activity_ref="induction"),
    ]
    result = value_commitments(
        lines, framework, price_year=2025, deflator=None, contract_value=Decimal("100000")
    )
    assert result.rules_fired == (
        "local-spend-within-contract-value",
        "same-activity-two-measures",
    )
    assert result.has_errors
    assert [(s.rule_code, s.reason) for s in result.rules_skipped] == [
        ("hours-plausible-for-workforce", "the workforce FTE is not known"),
        (
            "wage-bill-within-contract-value",
            "not configured: the council has not set an annual cost per FTE",
        ),
    ]
    assert "employment-fte-per-contract-year" in result.rules_applied


def test_an_empty_offer_is_worth_nothing(framework: dict[str, MeasureSpec]) -> None:
    result = value_commitments(
        [], framework, price_year=2025, deflator=None, contract_value=Decimal("1000")
    )
    assert result.total_value == Decimal("0.00")
    assert result.value_per_pound == Decimal("0.0000")
    assert result.findings == ()


def test_a_qualitative_measure_is_reported_as_such(framework: dict[str, MeasureSpec]) -> None:
    result = value_commitments(
        [line("L1", "WELLBEING-PLAN", "1")],
        framework,
        price_year=2025,
        deflator=None,
        contract_value=None,
    )
    assert result.line("L1").value_type is ValueType.QUALITATIVE
    assert "(qualitative)" in result.line("L1").explanation[0]
