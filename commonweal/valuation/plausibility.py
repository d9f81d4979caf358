"""Plausibility rules: offers and claims that cannot be taken at face value.

The sector's central failure is the inflated offer ("£32m committed, £12.3m validated"). These
rules compare what is offered or claimed with what the contract could carry, and report the
figures that triggered them. Like every rule here they never change a value: evaluators decide,
and an offer found implausible must be moderated, or confirmed with a reason, before sign-off.

Offer rules are counting rules (they see the commitment lines, their £ values and the contract);
claim rules see one commitment's claimed and committed quantities to date.
"""

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from commonweal.valuation.commitments import CommitmentLine, RuleContext
from commonweal.valuation.measures import MeasureSpec
from commonweal.valuation.money import format_pounds
from commonweal.valuation.rules import (
    COUNTING_RULES,
    CountingRule,
    DocumentedRule,
    Finding,
    Severity,
    _lines_tagged,
)
from commonweal.valuation.tags import APPRENTICESHIPS, DISADVANTAGED, LOCAL_EMPLOYMENT

HUNDRED = Decimal(100)
WEEKS_IN_A_YEAR = Decimal(52)

FTE_YEAR_PER_UNIT: Mapping[str, Decimal] = {
    "fte": Decimal(1),
    "fte-years": Decimal(1),
    "fte years": Decimal(1),
    "people (fte)": Decimal(1),
    "weeks": Decimal(1) / WEEKS_IN_A_YEAR,
}
"""Full-time-equivalent years in one unit of a people-based measure, by unit (lower case).

An FTE line is the FTE employed in one contract year, so one FTE-year per unit; a week of an
apprenticeship or job is a 52nd of one. Head counts ("people", "jobs") say nothing about hours,
so they cannot be turned into a wage bill and are left out.
"""

WHOLE_PERSON_UNITS = frozenset({"people", "jobs", "apprenticeships"})
"""Units that count whole people (lower case): a quantity in them must be a whole number."""


def splits_a_person(unit: str, quantity: Decimal) -> bool:
    """True when a quantity counted in whole people (people, jobs, apprenticeships) is not a
    whole number. FTE and other units may be fractional."""
    return unit.strip().lower() in WHOLE_PERSON_UNITS and quantity != quantity.to_integral_value()


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """`part` as a % of `whole`, rounded half up to 2 places, for messages."""
    return (part / whole * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _plain(number: Decimal) -> str:
    """A quantity without trailing zeros, with thousands separators: 12.5, 20,000."""
    text = f"{number.normalize():,f}"
    return text


def _share_of_contract_value_unknown(context: RuleContext) -> str | None:
    """Why a share of the contract value cannot be worked out yet, or None when it can."""
    if context.contract_value is None:
        return "the contract value is not known"
    if context.line_values is None:
        return "the lines have not been valued"
    return None


def _check_percent(name: str, value: Decimal) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be above 0%, got {value}%")


class OfferTotalWithinShareOfContractValue(CountingRule):
    """An offer's social value in pounds is tested against the value of the contract.

    Social value worth more than the council's set share of the contract value (Commonweal
    starts at 100%: more than the whole contract pays) is implausible; evaluators must moderate
    the offer, or confirm it with a reason, before the evaluation is signed off. Above a lower
    share (Commonweal starts at 30%) the offer is flagged for a person to check. Only monetised
    lines count: record-only and qualitative measures have no value in pounds.
    """

    code = "offer-total-within-contract-value"

    def __init__(
        self, *, implausible_percent: Decimal = HUNDRED, warning_percent: Decimal = Decimal(30)
    ) -> None:
        _check_percent("implausible_percent", implausible_percent)
        _check_percent("warning_percent", warning_percent)
        if warning_percent >= implausible_percent:
            raise ValueError(
                f"warning_percent ({warning_percent}%) must be below implausible_percent "
                f"({implausible_percent}%)"
            )
        self.implausible_percent = implausible_percent
        self.warning_percent = warning_percent

    def skip_reason(self, context: RuleContext) -> str | None:
        return _share_of_contract_value_unknown(context)

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        if context.contract_value is None or context.line_values is None:
            return []
        valued = [line for line in lines if line.line_ref in context.line_values]
        total = sum((context.line_values[line.line_ref] for line in valued), Decimal(0))
        share = total / context.contract_value * HUNDRED
        if share > self.implausible_percent:
            severity, verdict = (
                Severity.IMPLAUSIBLE,
                (
                    f"above the {_plain(self.implausible_percent)}% at which an offer is "
                    "implausible: moderate it, or confirm it with a reason"
                ),
            )
        elif share > self.warning_percent:
            severity, verdict = (
                Severity.WARNING,
                (f"above the {_plain(self.warning_percent)}% at which an offer is checked"),
            )
        else:
            return []
        return [
            Finding(
                self.code,
                severity,
                f"Social value of {format_pounds(total)} is "
                f"{percent_of(total, context.contract_value)}% of the contract value of "
                f"{format_pounds(context.contract_value)}, {verdict}.",
                tuple(line.line_ref for line in valued),
            )
        ]


class SingleMeasureWithinShareOfContractValue(CountingRule):
    """No one measure should carry a large share of the contract value on its own.

    Inflated offers are typically dominated by one measure (local spend or local jobs). A
    measure whose lines are together worth more than the council's set share of the contract
    value (Commonweal starts at 50%) is flagged for a person to check.
    """

    code = "measure-within-share-of-contract-value"

    def __init__(self, *, warning_percent: Decimal = Decimal(50)) -> None:
        _check_percent("warning_percent", warning_percent)
        self.warning_percent = warning_percent

    def skip_reason(self, context: RuleContext) -> str | None:
        return _share_of_contract_value_unknown(context)

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        if context.contract_value is None or context.line_values is None:
            return []
        by_measure: dict[str, list[CommitmentLine]] = defaultdict(list)
        for line in lines:
            if line.line_ref in context.line_values:
                by_measure[line.measure_code].append(line)
        findings = []
        for code in sorted(by_measure):
            measure_lines = by_measure[code]
            total = sum((context.line_values[line.line_ref] for line in measure_lines), Decimal(0))
            if total / context.contract_value * HUNDRED > self.warning_percent:
                findings.append(
                    Finding(
                        self.code,
                        Severity.WARNING,
                        f"{code} alone is worth {format_pounds(total)}, "
                        f"{percent_of(total, context.contract_value)}% of the contract value of "
                        f"{format_pounds(context.contract_value)}, above the "
                        f"{_plain(self.warning_percent)}% at which one measure is checked.",
                        tuple(line.line_ref for line in measure_lines),
                    )
                )
        return findings


class WageBillWithinContractValue(CountingRule):
    """The people an offer promises to employ must be affordable out of the contract.

    Lines of jobs (local employment and disadvantaged-group measures) and apprenticeships are
    turned into full-time-equivalent (FTE) years: FTE and FTE-year units as they stand, weeks
    ÷ 52; head counts cannot be, and are left out. Their number × the council's annual cost of
    one FTE is the wage bill the offer implies. A wage bill above the contract value is
    implausible: the supplier would pay those people more than the whole contract pays it.
    Commonweal assumes no cost per FTE (there is no sourced figure it could use), so until the
    council sets one the rule is not applied, and says it is not configured.
    """

    code = "wage-bill-within-contract-value"

    def __init__(self, *, annual_cost_per_fte: Decimal | None = None) -> None:
        if annual_cost_per_fte is not None and not annual_cost_per_fte > 0:
            raise ValueError(f"annual_cost_per_fte must be above £0, got {annual_cost_per_fte}")
        self.annual_cost_per_fte = annual_cost_per_fte

    def skip_reason(self, context: RuleContext) -> str | None:
        if self.annual_cost_per_fte is None:
            return "not configured: the council has not set an annual cost per FTE"
        if context.contract_value is None:
            return "the contract value is not known"
        return None

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        if self.annual_cost_per_fte is None or context.contract_value is None:
            return []
        counted = []
        fte_years = Decimal(0)
        for line in _lines_tagged(
            lines, measures, LOCAL_EMPLOYMENT, DISADVANTAGED, APPRENTICESHIPS
        ):
            per_unit = FTE_YEAR_PER_UNIT.get(measures[line.measure_code].unit.strip().lower())
            if per_unit is not None and line.quantity > 0:
                fte_years += line.quantity * per_unit
                counted.append(line)
        bill = fte_years * self.annual_cost_per_fte
        if bill <= context.contract_value:
            return []
        fte_text = f"{fte_years.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
        return [
            Finding(
                self.code,
                Severity.IMPLAUSIBLE,
                f"{fte_text} FTE-years of jobs and apprenticeships × "
                f"{format_pounds(self.annual_cost_per_fte)} a year each is a wage bill of "
                f"{format_pounds(bill.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}, "
                f"more than the contract value of {format_pounds(context.contract_value)}.",
                tuple(line.line_ref for line in counted),
            )
        ]


class WholePersonUnitsAreWholeNumbers(CountingRule):
    """A person cannot be split: quantities counted in people, jobs or apprenticeships must be
    whole numbers.

    Full-time equivalents may be fractional (two half-time staff are 1 FTE); a head count may
    not (there is no such thing as 2.5 apprentices). A fractional head count is an error.
    """

    code = "whole-person-units"

    def check(
        self,
        lines: Sequence[CommitmentLine],
        measures: Mapping[str, MeasureSpec],
        context: RuleContext,
    ) -> list[Finding]:
        findings = []
        for line in lines:
            measure = measures.get(line.measure_code)
            if measure is not None and splits_a_person(measure.unit, line.quantity):
                findings.append(
                    Finding(
                        self.code,
                        Severity.ERROR,
                        f"Line {line.line_ref} counts {_plain(line.quantity)} {measure.unit} "
                        f"under {line.measure_code}; count whole {measure.unit} (FTE may be "
                        "fractional, a person may not).",
                        (line.line_ref,),
                    )
                )
        return findings


def offer_plausibility_rules(
    *,
    implausible_percent: Decimal = HUNDRED,
    warning_percent: Decimal = Decimal(30),
    measure_percent: Decimal = Decimal(50),
    annual_cost_per_fte: Decimal | None = None,
) -> tuple[CountingRule, ...]:
    """The plausibility rules with a council's settings (Commonweal's defaults otherwise)."""
    return (
        OfferTotalWithinShareOfContractValue(
            implausible_percent=implausible_percent, warning_percent=warning_percent
        ),
        SingleMeasureWithinShareOfContractValue(warning_percent=measure_percent),
        WageBillWithinContractValue(annual_cost_per_fte=annual_cost_per_fte),
        WholePersonUnitsAreWholeNumbers(),
    )


def offer_rules(
    *,
    implausible_percent: Decimal = HUNDRED,
    warning_percent: Decimal = Decimal(30),
    measure_percent: Decimal = Decimal(50),
    annual_cost_per_fte: Decimal | None = None,
) -> tuple[CountingRule, ...]:
    """Every counting and plausibility rule, the plausibility rules with a council's settings."""
    return (
        *COUNTING_RULES,
        *offer_plausibility_rules(
            implausible_percent=implausible_percent,
            warning_percent=warning_percent,
            measure_percent=measure_percent,
            annual_cost_per_fte=annual_cost_per_fte,
        ),
    )


DEFAULT_RULES: tuple[CountingRule, ...] = offer_rules()
"""Every counting and plausibility rule with Commonweal's defaults (no cost per FTE)."""


# --- Claims in supplier returns ---------------------------------------------------------


@dataclass(frozen=True)
class ClaimPosition:
    """One commitment's claims to the end of a reporting period, against what was committed."""

    commitment_ref: str
    measure_code: str
    unit: str
    period: str
    claimed_to_date: Decimal
    committed_to_date: Decimal
    """The commitment's targets to the end of the period."""
    committed_in_total: Decimal
    """The commitment for the whole contract."""


class ClaimRule(DocumentedRule, ABC):
    """A rule that checks a commitment's claims to date and reports findings."""

    code: ClassVar[str]

    @abstractmethod
    def check(self, position: ClaimPosition) -> list[Finding]:
        """Every finding about `position`; an empty list means the rule is satisfied."""


class ClaimedToDateWithinMarginOfCommitment(ClaimRule):
    """Claims to date should not run far ahead of the commitment to date.

    Delivery claimed by the end of a period more than the council's margin (Commonweal starts
    at 25%) above what was committed by then is flagged for the contract manager to check
    against the evidence before verifying: it is usually a claim for work outside the contract,
    the period or the area, or the same work counted twice.
    """

    code = "claimed-to-date-within-margin"

    def __init__(self, *, margin_percent: Decimal = Decimal(25)) -> None:
        if margin_percent < 0:
            raise ValueError(f"margin_percent must not be negative, got {margin_percent}%")
        self.margin_percent = margin_percent

    def check(self, position: ClaimPosition) -> list[Finding]:
        limit = position.committed_to_date * (1 + self.margin_percent / HUNDRED)
        if position.claimed_to_date <= limit:
            return []
        p = position
        if p.committed_to_date > 0:
            above = (
                f"{percent_of(p.claimed_to_date - p.committed_to_date, p.committed_to_date)}% "
                f"above the {_plain(p.committed_to_date)} committed by then"
            )
        else:
            above = "when nothing was committed by then"
        return [
            Finding(
                self.code,
                Severity.WARNING,
                f"{_plain(p.claimed_to_date)} {p.unit} of {p.measure_code} claimed by the end "
                f"of {p.period} is {above}, more than the "
                f"{_plain(self.margin_percent)}% margin; check the evidence before verifying.",
                (p.commitment_ref,),
            )
        ]


class ClaimedWithinWholeContractCommitment(ClaimRule):
    """Claims should not exceed what was committed for the whole contract.

    Delivery claimed to date beyond the commitment for the entire contract is flagged for the
    contract manager to check, whatever the margin: over-delivery does happen, but it is the
    claim most often found to include work that does not count.
    """

    code = "claimed-within-whole-commitment"

    def check(self, position: ClaimPosition) -> list[Finding]:
        p = position
        if p.claimed_to_date <= p.committed_in_total:
            return []
        return [
            Finding(
                self.code,
                Severity.WARNING,
                f"{_plain(p.claimed_to_date)} {p.unit} of {p.measure_code} claimed by the end "
                f"of {p.period} is more than the {_plain(p.committed_in_total)} committed for "
                "the whole contract.",
                (p.commitment_ref,),
            )
        ]


def claim_rules(*, margin_percent: Decimal = Decimal(25)) -> tuple[ClaimRule, ...]:
    """The claim rules with a council's margin (Commonweal's default otherwise)."""
    return (
        ClaimedToDateWithinMarginOfCommitment(margin_percent=margin_percent),
        ClaimedWithinWholeContractCommitment(),
    )


def check_claims(
    positions: Sequence[ClaimPosition], rules: Sequence[ClaimRule] | None = None
) -> list[Finding]:
    """Every finding of `rules` (the defaults when None) about each commitment's claims."""
    chosen = claim_rules() if rules is None else rules
    return [
        finding for position in positions for rule in chosen for finding in rule.check(position)
    ]
