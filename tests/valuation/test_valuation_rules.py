from decimal import Decimal

import pytest

from commonweal.valuation import (
    COUNTING_RULES,
    CommitmentLine,
    DisadvantagedHireCountsUnderOneMeasureInFirstYearOnly,
    EmploymentCountedAsFtePerContractYear,
    HoursPlausibleForWorkforce,
    LocalSupplyChainSpendWithinContractValue,
    MeasureSpec,
    RuleContext,
    SameActivityClaimedUnderTwoMeasures,
    Severity,
    apply_rules,
    fte,
    fte_years,
)

NO_CONTEXT = RuleContext()


def line(ref: str, code: str, quantity: str, year: int = 1, **extra: object) -> CommitmentLine:
    return CommitmentLine(ref, code, year, Decimal(quantity), **extra)  # type: ignore[arg-type]


class TestFteYears:
    def test_torbay_golden_case_ten_full_time_and_five_half_time_over_two_years(self) -> None:
        # Torbay Council social value guidance: 10 full-time + 5 half-time local staff on a
        # 2-year contract = 10 + 5 × 0.5 = 12.5 FTE; 12.5 FTE × 2 years = 25 FTE-years.
        half_time = [Decimal("18.75")] * 5  # 18.75 hours = half of a 37.5-hour week
        assert fte(full_time_staff=10, part_time_weekly_hours=half_time) == Decimal("12.5")
        assert fte_years(
            full_time_staff=10, part_time_weekly_hours=half_time, contract_years=2
        ) == Decimal("25")

    def test_it_counts_part_time_staff_by_their_share_of_full_time_hours(self) -> None:
        # 15 ÷ 37.5 = 0.4 FTE; 30 ÷ 37.5 = 0.8 FTE
        assert fte(
            full_time_staff=0, part_time_weekly_hours=[Decimal("15"), Decimal("30")]
        ) == Decimal("1.2")

    def test_it_uses_the_stated_full_time_week(self) -> None:
        # 18 ÷ 36 = 0.5 FTE, × 3 years = 1.5 FTE-years
        assert fte_years(
            full_time_staff=0,
            part_time_weekly_hours=[Decimal("18")],
            contract_years=3,
            full_time_weekly_hours=Decimal("36"),
        ) == Decimal("1.5")

    def test_it_refuses_part_time_hours_above_full_time(self) -> None:
        with pytest.raises(ValueError, match="part-time worker 2 works 40 hours a week"):
            fte(full_time_staff=1, part_time_weekly_hours=[Decimal("10"), Decimal("40")])

    def test_it_refuses_a_contract_of_no_years(self) -> None:
        with pytest.raises(ValueError, match="contract_years must be at least 1, got 0"):
            fte_years(full_time_staff=1, contract_years=0)


class TestEmploymentCountedAsFtePerContractYear:
    rule = EmploymentCountedAsFtePerContractYear()

    def test_it_accepts_fte_counted_in_each_year_of_the_contract(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        # The Torbay case written as lines: 12.5 FTE in each of the contract's 2 years.
        lines = [line("L1", "JOB-LOCAL", "12.5", 1), line("L2", "JOB-LOCAL", "12.5", 2)]
        assert self.rule.check(lines, framework, RuleContext(contract_years=2)) == []

    def test_it_flags_employment_counted_after_the_contract_ends(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [line("L1", "JOB-LOCAL", "12.5", 1), line("L3", "JOB-LOCAL", "12.5", 3)]
        findings = self.rule.check(lines, framework, RuleContext(contract_years=2))
        assert [(f.severity, f.line_refs) for f in findings] == [(Severity.ERROR, ("L3",))]
        assert "contract year 3, but the contract lasts 2 year(s)" in findings[0].message

    def test_it_flags_one_person_counted_as_more_than_one_fte_in_a_year(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [
            line("L1", "JOB-LOCAL", "1", 1, person_ref="P-7"),
            line("L2", "JOB-LOCAL", "0.5", 1, person_ref="P-7"),
            line("L3", "JOB-LOCAL", "1", 2, person_ref="P-7"),
        ]
        findings = self.rule.check(lines, framework, NO_CONTEXT)
        assert [f.line_refs for f in findings] == [("L1", "L2")]
        assert "Person P-7 counts as 1.5 FTE under JOB-LOCAL in contract year 1" in (
            findings[0].message
        )

    def test_it_ignores_measures_that_are_not_employment(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [line("L1", "VOLUNTEER", "500", 9, person_ref="P-1")]
        assert self.rule.check(lines, framework, RuleContext(contract_years=2)) == []


class TestDisadvantagedHireCountsUnderOneMeasureInFirstYearOnly:
    rule = DisadvantagedHireCountsUnderOneMeasureInFirstYearOnly()

    def test_a_hire_counted_under_local_employment_and_one_disadvantaged_measure_in_year_one_is_fine(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        # Torbay guidance: a disadvantaged local hire may count under local employment and
        # one disadvantaged measure in their first year.
        lines = [
            line("L1", "JOB-LOCAL", "1", 1, person_ref="P-1"),
            line("L2", "JOB-CARE-LEAVER", "1", 1, person_ref="P-1"),
            line("L3", "JOB-LOCAL", "1", 2, person_ref="P-1"),
        ]
        assert self.rule.check(lines, framework, NO_CONTEXT) == []

    def test_counting_the_disadvantaged_measure_again_in_year_two_is_flagged(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [
            line("L1", "JOB-LOCAL", "1", 1, person_ref="P-1"),
            line("L2", "JOB-CARE-LEAVER", "1", 1, person_ref="P-1"),
            line("L3", "JOB-LOCAL", "1", 2, person_ref="P-1"),
            line("L4", "JOB-CARE-LEAVER", "1", 2, person_ref="P-1"),
        ]
        findings = self.rule.check(lines, framework, NO_CONTEXT)
        assert [(f.severity, f.line_refs) for f in findings] == [(Severity.ERROR, ("L4",))]
        assert "first year was 1; it counts in the first year only" in findings[0].message

    def test_counting_one_person_under_two_disadvantaged_measures_is_flagged(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [
            line("L1", "JOB-LOCAL", "1", 1, person_ref="P-1"),
            line("L2", "JOB-CARE-LEAVER", "1", 1, person_ref="P-1"),
            line("L3", "JOB-EX-OFFENDER", "1", 1, person_ref="P-1"),
        ]
        findings = self.rule.check(lines, framework, NO_CONTEXT)
        assert [f.line_refs for f in findings] == [("L2", "L3")]
        assert "2 disadvantaged measures (JOB-CARE-LEAVER, JOB-EX-OFFENDER)" in (
            findings[0].message
        )

    def test_a_person_first_hired_in_year_two_counts_as_disadvantaged_in_year_two(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [
            line("L1", "JOB-LOCAL", "1", 2, person_ref="P-2"),
            line("L2", "JOB-CARE-LEAVER", "1", 2, person_ref="P-2"),
        ]
        assert self.rule.check(lines, framework, NO_CONTEXT) == []

    def test_head_count_lines_without_a_person_are_not_checked(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [line("L1", "JOB-CARE-LEAVER", "3", 1), line("L2", "JOB-CARE-LEAVER", "2", 2)]
        assert self.rule.check(lines, framework, NO_CONTEXT) == []


class TestLocalSupplyChainSpendWithinContractValue:
    rule = LocalSupplyChainSpendWithinContractValue()

    def test_spend_up_to_the_contract_value_is_fine(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [line("L1", "SPEND-LOCAL", "60000", 1), line("L2", "SPEND-LOCAL", "40000", 2)]
        context = RuleContext(contract_value=Decimal("100000"))
        assert self.rule.check(lines, framework, context) == []

    def test_spend_above_the_contract_value_is_an_error(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        # £60,000 + £40,000.01 = £100,000.01 > £100,000
        lines = [line("L1", "SPEND-LOCAL", "60000", 1), line("L2", "SPEND-LOCAL", "40000.01", 2)]
        findings = self.rule.check(lines, framework, RuleContext(contract_value=Decimal("100000")))
        assert [(f.severity, f.line_refs) for f in findings] == [(Severity.ERROR, ("L1", "L2"))]
        assert findings[0].message == (
            "Local supply-chain spend of £100,000.01 exceeds the contract value of £100,000."
        )

    def test_it_is_skipped_when_the_contract_value_is_unknown(self) -> None:
        assert self.rule.skip_reason(NO_CONTEXT) == "the contract value is not known"


class TestHoursPlausibleForWorkforce:
    def test_hours_within_the_default_shares_are_fine(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        # 10 FTE × 1,650 hours = 16,500 hours; 2% = 330 volunteering hours; 5% = 825 training
        lines = [line("L1", "VOLUNTEER", "330"), line("L2", "TRAINING", "825")]
        rule = HoursPlausibleForWorkforce()
        assert rule.check(lines, framework, RuleContext(workforce_fte=Decimal("10"))) == []

    def test_volunteering_above_the_share_in_one_contract_year_is_a_warning(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        # Year 1: 200 + 131 = 331 hours > 330 (2% of 16,500); year 2: 300 hours is fine
        lines = [
            line("L1", "VOLUNTEER", "200", 1),
            line("L2", "VOLUNTEER", "131", 1),
            line("L3", "VOLUNTEER", "300", 2),
        ]
        rule = HoursPlausibleForWorkforce()
        findings = rule.check(lines, framework, RuleContext(workforce_fte=Decimal("10")))
        assert [(f.severity, f.line_refs) for f in findings] == [(Severity.WARNING, ("L1", "L2"))]
        assert findings[0].message == (
            "331 hours of volunteering in contract year 1 is more than 2% of the 16,500 hours a "
            "workforce of 10 FTE works in a year (330.00 hours)."
        )

    def test_the_thresholds_are_parameters(self, framework: dict[str, MeasureSpec]) -> None:
        # 4 FTE × 1,500 hours = 6,000 hours; 10% = 600 training hours; 601 is too many
        rule = HoursPlausibleForWorkforce(
            working_hours_per_fte_year=Decimal("1500"), max_training_share=Decimal("0.10")
        )
        findings = rule.check(
            [line("L1", "TRAINING", "601")], framework, RuleContext(workforce_fte=Decimal("4"))
        )
        assert [f.line_refs for f in findings] == [("L1",)]

    def test_it_is_skipped_when_the_workforce_is_unknown(self) -> None:
        assert HoursPlausibleForWorkforce().skip_reason(NO_CONTEXT) == (
            "the workforce FTE is not known"
        )

    def test_it_refuses_a_share_above_one(self) -> None:
        with pytest.raises(ValueError, match="max_volunteering_share must lie between 0 and 1"):
            HoursPlausibleForWorkforce(max_volunteering_share=Decimal("2"))


class TestSameActivityClaimedUnderTwoMeasures:
    rule = SameActivityClaimedUnderTwoMeasures()

    def test_one_activity_under_two_measures_is_a_warning(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [
            line("L1", "TRAINING", "40", activity_ref="school-careers-day"),
            line("L2", "VOLUNTEER", "40", activity_ref="school-careers-day"),
            line("L3", "VOLUNTEER", "10", activity_ref="park-clean-up"),
        ]
        findings = self.rule.check(lines, framework, NO_CONTEXT)
        assert [(f.severity, f.line_refs) for f in findings] == [(Severity.WARNING, ("L1", "L2"))]
        assert "Activity school-careers-day is claimed under 2 measures" in findings[0].message

    def test_one_activity_across_years_under_one_measure_is_fine(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [
            line("L1", "VOLUNTEER", "10", 1, activity_ref="park-clean-up"),
            line("L2", "VOLUNTEER", "10", 2, activity_ref="park-clean-up"),
        ]
        assert self.rule.check(lines, framework, NO_CONTEXT) == []


def test_every_default_rule_has_a_distinct_code_and_a_plain_english_docstring() -> None:
    codes = [rule.code for rule in COUNTING_RULES]
    assert len(set(codes)) == len(codes) == 5
    for rule in COUNTING_RULES:
        assert len(rule.summary) > 40, rule.code


def test_apply_rules_reports_which_rules_fired(framework: dict[str, MeasureSpec]) -> None:
    lines = [
        line("L1", "JOB-LOCAL", "1", 1, person_ref="P-1"),
        line("L2", "JOB-CARE-LEAVER", "1", 2, person_ref="P-1"),
    ]
    outcome = apply_rules(lines, framework, RuleContext(contract_years=1))
    assert outcome.rules_fired == (
        "employment-fte-per-contract-year",
        "disadvantaged-one-measure-first-year",
    )
    assert outcome.has_errors


def test_apply_rules_refuses_two_rules_with_one_code(framework: dict[str, MeasureSpec]) -> None:
    rules = [SameActivityClaimedUnderTwoMeasures(), SameActivityClaimedUnderTwoMeasures()]
    with pytest.raises(ValueError, match="repeated: \\['same-activity-two-measures'\\]"):
        apply_rules([], framework, NO_CONTEXT, rules)


def test_a_line_naming_several_people_shares_its_quantity_between_them(
    framework: dict[str, MeasureSpec],
) -> None:
    rule = EmploymentCountedAsFtePerContractYear()
    # 3 FTE for two named hires is 1.5 FTE each: more than one person can be.
    lines = [line("L1", "JOB-LOCAL", "3", 1, person_refs=("H1", "H2"))]
    findings = rule.check(lines, framework, RuleContext(contract_years=2))
    assert [f.message for f in findings] == [
        "Person H1 counts as 1.5 FTE under JOB-LOCAL in contract year 1; one person is at most "
        "1 FTE in a year.",
        "Person H2 counts as 1.5 FTE under JOB-LOCAL in contract year 1; one person is at most "
        "1 FTE in a year.",
    ]
    assert (
        rule.check(
            [line("L1", "JOB-LOCAL", "2", 1, person_refs=("H1", "H2"))],
            framework,
            RuleContext(contract_years=2),
        )
        == []
    )


def test_people_named_on_a_disadvantaged_line_count_in_their_first_year_only(
    framework: dict[str, MeasureSpec],
) -> None:
    rule = DisadvantagedHireCountsUnderOneMeasureInFirstYearOnly()
    lines = [
        line("L1", "JOB-CARE-LEAVER", "2", 1, person_refs=("H1", "H2")),
        line("L2", "JOB-CARE-LEAVER", "2", 2, person_refs=("H1", "H2")),
    ]
    findings = rule.check(lines, framework, NO_CONTEXT)
    assert len(findings) == 2 and all("first year was 1" in f.message for f in findings)
