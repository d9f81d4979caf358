"""Counting and plausibility rules applied to an offer's or a contract's commitment lines.

Each rule is a small class named by what it enforces. Its docstring is written for an auditor;
its `code` is stable, so that stored results and reports can say which rules fired. A rule never
changes a value: it reports findings, and people decide what to do about them.
"""

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from commonweal.valuation.commitments import CommitmentLine, RuleContext
from commonweal.valuation.measures import MeasureSpec
from commonweal.valuation.tags import (
    DISADVANTAGED,
    LOCAL_EMPLOYMENT,
    LOCAL_SUPPLY_CHAIN_SPEND,
    TRAINING_HOURS,
    VOLUNTEERING_HOURS,
)

FULL_TIME_WEEKLY_HOURS = Decimal("37.5")


class Severity(StrEnum):
    ERROR = "error"
    """The lines break a counting rule; the claim cannot stand as it is."""
    WARNING = "warning"
    """The lines look implausible or doubled; someone should check them."""
    IMPLAUSIBLE = "implausible"
    """The lines cannot be taken at face value: in a tender, evaluators must moderate the offer
    or confirm it with a reason before the evaluation is signed off."""


@dataclass(frozen=True)
class Finding:
    """What a rule found, about which lines."""

    rule_code: str
    severity: Severity
    message: str
    line_refs: tuple[str, ...]


class DocumentedRule:
    """A rule whose docstring is its plain-English statement; reports quote its summary."""

    @property
    def summary(self) -> str:
        """The first paragraph of the rule's docstring, for reports."""
        doc = (type(self).__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split())


class CountingRule(DocumentedRule, ABC):
    """A rule that checks commitment lines and reports findings."""

    code: ClassVar[str]

    @abstractmethod
    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        """Return every finding about `lines`; an empty list means the rule is satisfied."""

    def skip_reason(self, context: RuleContext) -> str | None:
        """Why this rule cannot be applied with what is known, or None when it can."""
        return None


def _lines_tagged(
    lines: Iterable[CommitmentLine], measures: Mapping[str, MeasureSpec], *tags: str
) -> list[CommitmentLine]:
    tagged = []
    for line in lines:
        measure = measures.get(line.measure_code)
        if measure is not None and any(measure.has_tag(tag) for tag in tags):
            tagged.append(line)
    return tagged


def _shown(quantity: Decimal) -> str:
    """A quantity without trailing zeros (1.5000 → 1.5, 3,300.00 → 3,300); one shared between
    people is shown to 2 places."""
    exponent = quantity.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        quantity = quantity.quantize(Decimal("0.01"))
    return f"{quantity.normalize():,f}"


def fte(
    *,
    full_time_staff: int,
    part_time_weekly_hours: Sequence[Decimal] = (),
    full_time_weekly_hours: Decimal = FULL_TIME_WEEKLY_HOURS,
) -> Decimal:
    """Full-time equivalent staff: each full-timer is 1, each part-timer their hours ÷ full time."""
    if full_time_staff < 0:
        raise ValueError(f"full_time_staff must not be negative, got {full_time_staff}")
    if full_time_weekly_hours <= 0:
        raise ValueError(f"full_time_weekly_hours must be above 0, got {full_time_weekly_hours}")
    total = Decimal(full_time_staff)
    for position, hours in enumerate(part_time_weekly_hours, start=1):
        if not 0 < hours <= full_time_weekly_hours:
            raise ValueError(
                f"part-time worker {position} works {hours} hours a week; part-time hours must "
                f"be above 0 and at most the full-time {full_time_weekly_hours}"
            )
        total += hours / full_time_weekly_hours
    return total


def fte_years(
    *,
    full_time_staff: int,
    part_time_weekly_hours: Sequence[Decimal] = (),
    contract_years: int,
    full_time_weekly_hours: Decimal = FULL_TIME_WEEKLY_HOURS,
) -> Decimal:
    """FTE for each contract year × the number of contract years (Torbay's counting rule)."""
    if contract_years < 1:
        raise ValueError(f"contract_years must be at least 1, got {contract_years}")
    per_year = fte(
        full_time_staff=full_time_staff,
        part_time_weekly_hours=part_time_weekly_hours,
        full_time_weekly_hours=full_time_weekly_hours,
    )
    return per_year * contract_years


class EmploymentCountedAsFtePerContractYear(CountingRule):
    """Employment is counted as full-time equivalent (FTE) staff in each year of the contract.

    Ten full-time and five half-time local staff on a two-year contract are 12.5 FTE in each
    year, 25 FTE-years in all (Torbay Council's social value guidance). So an employment line
    must fall inside the contract's term, and one named person can never count as more than
    1 FTE under one measure in one contract year.
    """

    code = "employment-fte-per-contract-year"

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        findings: list[Finding] = []
        employment = _lines_tagged(lines, measures, LOCAL_EMPLOYMENT, DISADVANTAGED)
        if context.contract_years is not None:
            outside = [line for line in employment if line.contract_year > context.contract_years]
            for line in outside:
                findings.append(
                    Finding(
                        self.code,
                        Severity.ERROR,
                        f"Line {line.line_ref} counts employment in contract year "
                        f"{line.contract_year}, but the contract lasts {context.contract_years} "
                        "year(s).",
                        (line.line_ref,),
                    )
                )
        per_person: dict[tuple[str, str, int], list[CommitmentLine]] = defaultdict(list)
        for line in employment:
            for person in line.people:
                per_person[(person, line.measure_code, line.contract_year)].append(line)
        for (person, measure_code, year), person_lines in per_person.items():
            total = sum((line.quantity_per_person for line in person_lines), Decimal(0))
            if total > 1:
                findings.append(
                    Finding(
                        self.code,
                        Severity.ERROR,
                        f"Person {person} counts as {_shown(total)} FTE under {measure_code} in "
                        f"contract "
                        f"year {year}; one person is at most 1 FTE in a year.",
                        tuple(line.line_ref for line in person_lines),
                    )
                )
        return findings


class DisadvantagedHireCountsUnderOneMeasureInFirstYearOnly(CountingRule):
    """A disadvantaged hire counts under one disadvantaged measure, and only in their first year.

    A person from a disadvantaged group who is hired locally may count under local employment
    and under one disadvantaged-group measure, but the disadvantaged measure counts only in the
    first contract year in which the person appears; one person is never two kinds of
    disadvantaged (Torbay guidance; National TOMs handbook). The rule looks at lines that name a
    person; an offer that gives only head counts cannot be checked this way.
    """

    code = "disadvantaged-one-measure-first-year"

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        findings: list[Finding] = []
        first_year: dict[str, int] = {}
        for line in lines:
            for person in line.people:
                first_year[person] = min(
                    first_year.get(person, line.contract_year), line.contract_year
                )
        by_person: dict[str, list[CommitmentLine]] = defaultdict(list)
        for line in _lines_tagged(lines, measures, DISADVANTAGED):
            for person in line.people:
                by_person[person].append(line)
        for person, person_lines in by_person.items():
            codes = sorted({line.measure_code for line in person_lines})
            if len(codes) > 1:
                findings.append(
                    Finding(
                        self.code,
                        Severity.ERROR,
                        f"Person {person} is counted under {len(codes)} disadvantaged measures "
                        f"({', '.join(codes)}); one person counts under one only.",
                        tuple(line.line_ref for line in person_lines),
                    )
                )
            later = [line for line in person_lines if line.contract_year > first_year[person]]
            for line in later:
                findings.append(
                    Finding(
                        self.code,
                        Severity.ERROR,
                        f"Line {line.line_ref} counts person {person} under disadvantaged measure "
                        f"{line.measure_code} in contract year {line.contract_year}, but their "
                        f"first year was {first_year[person]}; it counts in the first year only.",
                        (line.line_ref,),
                    )
                )
        return findings


class LocalSupplyChainSpendWithinContractValue(CountingRule):
    """Local supply-chain spend cannot exceed the value of the contract.

    Pounds a supplier promises to spend with local firms must come out of the contract's own
    value; a promise of more than the whole contract is not credible. All local supply-chain
    spend lines across all contract years are added and compared with the contract value.
    """

    code = "local-spend-within-contract-value"

    def skip_reason(self, context: RuleContext) -> str | None:
        return None if context.contract_value is not None else "the contract value is not known"

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        if context.contract_value is None:
            return []
        spend_lines = _lines_tagged(lines, measures, LOCAL_SUPPLY_CHAIN_SPEND)
        total = sum((line.quantity for line in spend_lines), Decimal(0))
        if total <= context.contract_value:
            return []
        return [
            Finding(
                self.code,
                Severity.ERROR,
                f"Local supply-chain spend of £{total:,} exceeds the contract value of "
                f"£{context.contract_value:,}.",
                tuple(line.line_ref for line in spend_lines),
            )
        ]


class HoursPlausibleForWorkforce(CountingRule):
    """Volunteering and training hours in a contract year must be plausible for the workforce.

    The hours promised in each contract year are compared with the hours the workforce
    delivering the contract works in a year (FTE × working hours per FTE-year). More than the
    set share of those hours is flagged for a person to check. Defaults, which a council may
    change: 1,650 working hours per FTE-year (37.5 hours × 44 weeks, after annual leave, bank
    holidays and some sickness); at most 2% of them volunteered (about 4½ days per FTE) and at
    most 5% spent in training (about 11 days per FTE).
    """

    code = "hours-plausible-for-workforce"

    def __init__(
        self,
        *,
        working_hours_per_fte_year: Decimal = Decimal("1650"),
        max_volunteering_share: Decimal = Decimal("0.02"),
        max_training_share: Decimal = Decimal("0.05"),
    ) -> None:
        if working_hours_per_fte_year <= 0:
            raise ValueError(
                f"working_hours_per_fte_year must be above 0, got {working_hours_per_fte_year}"
            )
        for name, share in (
            ("max_volunteering_share", max_volunteering_share),
            ("max_training_share", max_training_share),
        ):
            if not 0 <= share <= 1:
                raise ValueError(f"{name} must lie between 0 and 1, got {share}")
        self.working_hours_per_fte_year = working_hours_per_fte_year
        self.max_volunteering_share = max_volunteering_share
        self.max_training_share = max_training_share

    def skip_reason(self, context: RuleContext) -> str | None:
        return None if context.workforce_fte is not None else "the workforce FTE is not known"

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        if context.workforce_fte is None:
            return []
        workforce_hours = context.workforce_fte * self.working_hours_per_fte_year
        findings: list[Finding] = []
        for tag, activity, share in (
            (VOLUNTEERING_HOURS, "volunteering", self.max_volunteering_share),
            (TRAINING_HOURS, "training", self.max_training_share),
        ):
            limit = workforce_hours * share
            by_year: dict[int, list[CommitmentLine]] = defaultdict(list)
            for line in _lines_tagged(lines, measures, tag):
                by_year[line.contract_year].append(line)
            for year in sorted(by_year):
                year_lines = by_year[year]
                hours = sum((line.quantity for line in year_lines), Decimal(0))
                if hours > limit:
                    findings.append(
                        Finding(
                            self.code,
                            Severity.WARNING,
                            f"{_shown(hours)} hours of {activity} in contract year {year} is "
                            f"more than {share:%} of the {_shown(workforce_hours)} hours a "
                            f"workforce of {_shown(context.workforce_fte)} FTE works in a year "
                            f"({limit:,} hours).",
                            tuple(line.line_ref for line in year_lines),
                        )
                    )
        return findings


class SameActivityClaimedUnderTwoMeasures(CountingRule):
    """One activity should be claimed under one measure only.

    When lines under two or more different measures name the same activity, the same work may
    be counted twice (for example a training day claimed both as training hours and as
    volunteering). The lines are flagged for a person to check.
    """

    code = "same-activity-two-measures"

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        by_activity: dict[str, list[CommitmentLine]] = defaultdict(list)
        for line in lines:
            if line.activity_ref is not None:
                by_activity[line.activity_ref].append(line)
        findings = []
        for activity, activity_lines in by_activity.items():
            codes = sorted({line.measure_code for line in activity_lines})
            if len(codes) > 1:
                findings.append(
                    Finding(
                        self.code,
                        Severity.WARNING,
                        f"Activity {activity} is claimed under {len(codes)} measures "
                        f"({', '.join(codes)}); check it is not counted twice.",
                        tuple(line.line_ref for line in activity_lines),
                    )
                )
        return findings


COUNTING_RULES: tuple[CountingRule, ...] = (
    EmploymentCountedAsFtePerContractYear(),
    DisadvantagedHireCountsUnderOneMeasureInFirstYearOnly(),
    LocalSupplyChainSpendWithinContractValue(),
    HoursPlausibleForWorkforce(),
    SameActivityClaimedUnderTwoMeasures(),
)


@dataclass(frozen=True)
class SkippedRule:
    rule_code: str
    reason: str


class FindingsSummary:
    """What a result's findings say: which rules fired, and whether any finding is an error."""

    findings: tuple[Finding, ...]

    @property
    def rules_fired(self) -> tuple[str, ...]:
        return rules_fired(self.findings)

    @property
    def has_errors(self) -> bool:
        return any(finding.severity is Severity.ERROR for finding in self.findings)


@dataclass(frozen=True)
class RuleOutcome(FindingsSummary):
    """Every finding, and which rules were applied or skipped (with why)."""

    findings: tuple[Finding, ...]
    rules_applied: tuple[str, ...]
    rules_skipped: tuple[SkippedRule, ...]


def rules_fired(findings: Iterable[Finding]) -> tuple[str, ...]:
    """The codes of the rules that reported at least one finding, each once, in first-seen order."""
    return tuple(dict.fromkeys(finding.rule_code for finding in findings))


def apply_rules(
    lines: Sequence[CommitmentLine],
    measures: Mapping[str, MeasureSpec],
    context: RuleContext,
    rules: Sequence[CountingRule] = COUNTING_RULES,
) -> RuleOutcome:
    """Run each rule that can be applied with what `context` knows."""
    codes = [rule.code for rule in rules]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise ValueError(f"Rules must have distinct codes; repeated: {duplicated}")
    findings: list[Finding] = []
    applied: list[str] = []
    skipped: list[SkippedRule] = []
    for rule in rules:
        reason = rule.skip_reason(context)
        if reason is not None:
            skipped.append(SkippedRule(rule.code, reason))
            continue
        applied.append(rule.code)
        findings.extend(rule.check(lines, measures, context))
    return RuleOutcome(tuple(findings), tuple(applied), tuple(skipped))
