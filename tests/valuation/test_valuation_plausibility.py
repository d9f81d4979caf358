"""Plausibility rules: each fires, stays silent at its boundary, and names its figures."""

from decimal import Decimal

import pytest

from commonweal.valuation import (
    COUNTING_RULES,
    DEFAULT_RULES,
    ClaimedToDateWithinMarginOfCommitment,
    ClaimedWithinWholeContractCommitment,
    ClaimPosition,
    CommitmentLine,
    MeasureSpec,
    OfferTotalWithinShareOfContractValue,
    RuleContext,
    Severity,
    SingleMeasureWithinShareOfContractValue,
    ValueType,
    WageBillWithinContractValue,
    WholePersonUnitsAreWholeNumbers,
    apply_rules,
    check_claims,
    splits_a_person,
    tags,
    value_commitments,
)
from tests.valuation.conftest import monetised


def line(ref: str, code: str, quantity: str, year: int = 1) -> CommitmentLine:
    return CommitmentLine(ref, code, year, Decimal(quantity))


def valued(lines: list[CommitmentLine], framework: dict[str, MeasureSpec], contract: str):
    """The rule context the engine builds: the lines' £ values and the contract value."""
    result = value_commitments(
        lines,
        framework,
        price_year=2025,
        deflator=None,
        contract_value=Decimal(contract),
        rules=(),
    )
    return RuleContext(
        contract_value=Decimal(contract),
        line_values={r.line_ref: r.value for r in result.lines if r.value is not None},
    )


class TestOfferTotalWithinShareOfContractValue:
    rule = OfferTotalWithinShareOfContractValue()

    def test_an_offer_worth_more_than_the_contract_is_implausible_and_named(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        # 20,000 hours × £16.93 = £338,600 and 1.5 FTE-years × £30,000 = £45,000:
        # £383,600 on a £380,000 contract is 100.95%.
        lines = [line("L1", "VOLUNTEER", "20000"), line("L2", "JOB-LOCAL", "1.5")]
        findings = self.rule.check(lines, framework, valued(lines, framework, "380000"))
        assert [f.severity for f in findings] == [Severity.IMPLAUSIBLE]
        assert findings[0].message == (
            "Social value of £383,600.00 is 100.95% of the contract value of £380,000.00, "
            "above the 100% at which an offer is implausible: moderate it, or confirm it with "
            "a reason."
        )
        assert findings[0].line_refs == ("L1", "L2")

    def test_at_exactly_the_contract_value_it_is_checked_not_implausible(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [line("L1", "JOB-LOCAL", "10")]  # £300,000 on £300,000
        findings = self.rule.check(lines, framework, valued(lines, framework, "300000"))
        assert [f.severity for f in findings] == [Severity.WARNING]
        assert "100.00% of the contract value" in findings[0].message
        assert "above the 30% at which an offer is checked" in findings[0].message

    def test_at_exactly_the_warning_share_it_is_silent(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        lines = [line("L1", "JOB-LOCAL", "1")]  # £30,000 on £100,000: 30%
        assert self.rule.check(lines, framework, valued(lines, framework, "100000")) == []
        lines = [line("L1", "JOB-LOCAL", "1.0001")]  # £30,003: 30.003%
        assert self.rule.check(lines, framework, valued(lines, framework, "100000"))

    def test_record_only_lines_carry_no_pounds(self, framework: dict[str, MeasureSpec]) -> None:
        lines = [line("L1", "CARBON", "1000000")]
        assert self.rule.check(lines, framework, valued(lines, framework, "1000")) == []

    def test_the_council_sets_its_shares(self, framework: dict[str, MeasureSpec]) -> None:
        rule = OfferTotalWithinShareOfContractValue(
            implausible_percent=Decimal(50), warning_percent=Decimal(20)
        )
        lines = [line("L1", "JOB-LOCAL", "2")]  # £60,000 on £100,000
        [finding] = rule.check(lines, framework, valued(lines, framework, "100000"))
        assert finding.severity is Severity.IMPLAUSIBLE
        assert "above the 50% at which an offer is implausible" in finding.message
        with pytest.raises(ValueError, match="must be below implausible_percent"):
            OfferTotalWithinShareOfContractValue(
                implausible_percent=Decimal(30), warning_percent=Decimal(30)
            )

    def test_it_says_why_it_is_skipped(self) -> None:
        assert self.rule.skip_reason(RuleContext()) == "the contract value is not known"


class TestSingleMeasureWithinShareOfContractValue:
    rule = SingleMeasureWithinShareOfContractValue()

    def test_one_measure_above_half_the_contract_is_checked_and_named(
        self, framework: dict[str, MeasureSpec]
    ) -> None:
        # 2 FTE-years × £30,000 = £60,000 of a £100,000 contract; volunteering is £1,693.
        lines = [
            line("L1", "JOB-LOCAL", "1"),
            line("L2", "JOB-LOCAL", "1", 2),
            line("L3", "VOLUNTEER", "100"),
        ]
        [finding] = self.rule.check(lines, framework, valued(lines, framework, "100000"))
        assert finding.severity is Severity.WARNING
        assert finding.message == (
            "JOB-LOCAL alone is worth £60,000.00, 60.00% of the contract value of "
            "£100,000.00, above the 50% at which one measure is checked."
        )
        assert finding.line_refs == ("L1", "L2")

    def test_exactly_half_is_silent(self, framework: dict[str, MeasureSpec]) -> None:
        lines = [line("L1", "JOB-LOCAL", "1")]  # £30,000 of £60,000
        assert self.rule.check(lines, framework, valued(lines, framework, "60000")) == []


@pytest.fixture
def people() -> dict[str, MeasureSpec]:
    return {
        "JOBS": monetised("JOBS", "30000", unit="FTE", tag_set=frozenset({tags.LOCAL_EMPLOYMENT})),
        "APPS": monetised("APPS", "250", unit="weeks", tag_set=frozenset({tags.APPRENTICESHIPS})),
        "HEADS": MeasureSpec(
            code="HEADS",
            title="Care leavers employed",
            unit="people",
            value_type=ValueType.RECORD_ONLY,
            theme="Jobs",
            outcome="Jobs",
            tags=frozenset({tags.DISADVANTAGED}),
        ),
    }


class TestWageBillWithinContractValue:
    def test_an_unaffordable_wage_bill_is_implausible_and_shows_its_working(
        self, people: dict[str, MeasureSpec]
    ) -> None:
        rule = WageBillWithinContractValue(annual_cost_per_fte=Decimal("25000"))
        # 12 FTE + 12 FTE + 104 apprenticeship weeks (2 FTE-years) = 26 FTE-years
        # × £25,000 = £650,000 against a £600,000 contract. Head counts are left out.
        lines = [
            line("L1", "JOBS", "12"),
            line("L2", "JOBS", "12", 2),
            line("L3", "APPS", "104"),
            line("L4", "HEADS", "40"),
        ]
        [finding] = rule.check(lines, people, RuleContext(contract_value=Decimal("600000")))
        assert finding.severity is Severity.IMPLAUSIBLE
        assert finding.message == (
            "26.00 FTE-years of jobs and apprenticeships × £25,000.00 a year each is a wage "
            "bill of £650,000.00, more than the contract value of £600,000.00."
        )
        assert finding.line_refs == ("L1", "L2", "L3")

    def test_a_wage_bill_equal_to_the_contract_value_is_silent(
        self, people: dict[str, MeasureSpec]
    ) -> None:
        rule = WageBillWithinContractValue(annual_cost_per_fte=Decimal("25000"))
        lines = [line("L1", "JOBS", "24")]
        assert rule.check(lines, people, RuleContext(contract_value=Decimal("600000"))) == []

    def test_without_a_cost_per_fte_it_reports_that_it_is_not_configured(
        self, people: dict[str, MeasureSpec]
    ) -> None:
        rule = WageBillWithinContractValue()
        assert rule.skip_reason(RuleContext(contract_value=Decimal(1))) == (
            "not configured: the council has not set an annual cost per FTE"
        )
        outcome = apply_rules([line("L1", "JOBS", "1000")], people, RuleContext(), (rule,))
        assert outcome.findings == ()
        assert outcome.rules_skipped[0].reason.startswith("not configured")


class TestWholePersonUnitsAreWholeNumbers:
    rule = WholePersonUnitsAreWholeNumbers()

    def test_a_fraction_of_a_person_is_an_error_naming_the_line(
        self, people: dict[str, MeasureSpec]
    ) -> None:
        [finding] = self.rule.check([line("L4", "HEADS", "2.5")], people, RuleContext())
        assert finding.severity is Severity.ERROR
        assert finding.message == (
            "Line L4 counts 2.5 people under HEADS; count whole people (FTE may be "
            "fractional, a person may not)."
        )

    def test_whole_people_and_fractional_fte_are_silent(
        self, people: dict[str, MeasureSpec]
    ) -> None:
        lines = [line("L1", "HEADS", "3"), line("L2", "HEADS", "3.0000"), line("L3", "JOBS", "2.5")]
        assert self.rule.check(lines, people, RuleContext()) == []


def test_only_whole_person_units_must_be_whole() -> None:
    assert splits_a_person("People", Decimal("2.5"))
    assert splits_a_person("apprenticeships ", Decimal("0.1"))
    assert not splits_a_person("jobs", Decimal("3.0000"))
    assert not splits_a_person("FTE", Decimal("2.5"))


class TestClaimRules:
    def position(self, claimed: str, to_date: str = "100", total: str = "400") -> ClaimPosition:
        return ClaimPosition(
            commitment_ref="C7",
            measure_code="VOL",
            unit="hours",
            period="2025-26 Q1",
            claimed_to_date=Decimal(claimed),
            committed_to_date=Decimal(to_date),
            committed_in_total=Decimal(total),
        )

    def test_claims_far_ahead_of_the_commitment_to_date_are_flagged_with_the_figures(
        self,
    ) -> None:
        rule = ClaimedToDateWithinMarginOfCommitment()
        [finding] = rule.check(self.position("500", "80", "320"))
        assert finding.severity is Severity.WARNING
        assert finding.message == (
            "500 hours of VOL claimed by the end of 2025-26 Q1 is 525.00% above the 80 "
            "committed by then, more than the 25% margin; check the evidence before verifying."
        )
        assert finding.line_refs == ("C7",)

    def test_a_claim_at_exactly_the_margin_is_silent(self) -> None:
        rule = ClaimedToDateWithinMarginOfCommitment()
        assert rule.check(self.position("125")) == []
        assert rule.check(self.position("125.01"))

    def test_the_council_sets_the_margin(self) -> None:
        rule = ClaimedToDateWithinMarginOfCommitment(margin_percent=Decimal(10))
        [finding] = rule.check(self.position("111"))
        assert "more than the 10% margin" in finding.message

    def test_claims_beyond_the_whole_contract_are_flagged(self) -> None:
        rule = ClaimedWithinWholeContractCommitment()
        assert rule.check(self.position("400", "400")) == []
        [finding] = rule.check(self.position("2000"))
        assert finding.message == (
            "2,000 hours of VOL claimed by the end of 2025-26 Q1 is more than the 400 "
            "committed for the whole contract."
        )

    def test_check_claims_runs_both_rules(self) -> None:
        codes = [f.rule_code for f in check_claims([self.position("2000")])]
        assert codes == ["claimed-to-date-within-margin", "claimed-within-whole-commitment"]


def test_the_engine_applies_every_rule_by_default_and_names_the_fired(
    framework: dict[str, MeasureSpec],
) -> None:
    assert len(COUNTING_RULES) == 5 and len(DEFAULT_RULES) == 9
    for rule in DEFAULT_RULES:
        assert len(rule.summary) > 40, rule.code
    result = value_commitments(
        [line("L1", "VOLUNTEER", "20000"), line("L2", "JOB-LOCAL", "1.5")],
        framework,
        price_year=2025,
        deflator=None,
        contract_value=Decimal("380000"),
    )
    assert result.rules_fired == (
        "offer-total-within-contract-value",
        "measure-within-share-of-contract-value",
    )
    assert [s.rule_code for s in result.rules_skipped] == [
        "hours-plausible-for-workforce",
        "wage-bill-within-contract-value",
    ]
