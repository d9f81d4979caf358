"""Values an offer's or a contract's commitment lines and applies the counting rules.

For a monetised measure, a line's value is

    quantity × proxy re-based to the report's price year × (1 − deadweight) × attribution

worked in full precision and rounded half up to the penny once, at the end of the line. Totals
are sums of those rounded line values, so they always add up in a published table. Record-only
and qualitative lines are counted in their own units and never added into pounds.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from commonweal.valuation.carbon import CarbonValuedByDeliveryYear, MissingCarbonYear
from commonweal.valuation.commitments import (
    CommitmentLine,
    InvalidCommitmentLines,
    LineProblem,
    RuleContext,
    find_line_problems,
)
from commonweal.valuation.deflators import DeflatorSeries
from commonweal.valuation.measures import (
    EARLIEST_PRICE_YEAR,
    LATEST_PRICE_YEAR,
    MeasureSpec,
    ProxyValue,
    ValueType,
)
from commonweal.valuation.money import format_pounds, to_pence
from commonweal.valuation.plausibility import DEFAULT_RULES
from commonweal.valuation.rules import (
    CountingRule,
    Finding,
    FindingsSummary,
    SkippedRule,
    apply_rules,
)

VALUE_PER_POUND_PLACES = Decimal("0.0001")
"""Social value per £1 of contract value is rounded half up to 4 decimal places of a pound."""
PERCENT_PLACES = Decimal("0.01")
"""Social value as a percentage of contract value is rounded half up to 2 decimal places."""

K = TypeVar("K", str, int)


@dataclass(frozen=True)
class LineValuation:
    """One line's value and every step that produced it."""

    line_ref: str
    measure_code: str
    value_type: ValueType
    contract_year: int
    quantity: Decimal
    unit: str
    proxy: ProxyValue | None
    """The proxy as published, with its source, price year and licence; None unless monetised."""
    proxy_in_price_year: Decimal | None
    """The proxy per unit re-based to the report's price year, unrounded."""
    value: Decimal | None
    """Social value in pounds, rounded half up to the penny; None unless monetised."""
    explanation: tuple[str, ...]

    @property
    def explanation_text(self) -> str:
        return " ".join(self.explanation)


@dataclass(frozen=True)
class ValuationResult(FindingsSummary):
    """The value of a set of commitment lines, with totals, ratios and rule findings."""

    price_year: int
    deflator_citation: str | None
    """The deflator's source, link and licence when it re-based at least one line; else None."""
    carbon_rule: str | None
    """The carbon rule in words when it valued at least one line by its delivery year; else None
    (shown beside the figures so a reader can trace each year's carbon value)."""
    lines: tuple[LineValuation, ...]
    total_value: Decimal
    by_theme: Mapping[str, Decimal]
    by_outcome: Mapping[str, Decimal]
    by_measure: Mapping[str, Decimal]
    by_contract_year: Mapping[int, Decimal]
    record_only_by_unit: Mapping[str, Decimal]
    qualitative_by_unit: Mapping[str, Decimal]
    contract_value: Decimal | None
    value_per_pound: Decimal | None
    """Total value ÷ contract value in pounds per £1, rounded half up to 4 places."""
    percent_of_contract_value: Decimal | None
    """Total value as a % of contract value, rounded half up to 2 places."""
    findings: tuple[Finding, ...]
    rules_applied: tuple[str, ...]
    rules_skipped: tuple[SkippedRule, ...]

    def line(self, line_ref: str) -> LineValuation:
        for line in self.lines:
            if line.line_ref == line_ref:
                return line
        raise KeyError(f"No line {line_ref!r} in this valuation")


def _sorted_totals(totals: Mapping[K, Decimal]) -> dict[K, Decimal]:
    return {key: totals[key] for key in sorted(totals)}


def _value_line(
    line: CommitmentLine,
    measure: MeasureSpec,
    *,
    price_year: int,
    deflator: DeflatorSeries | None,
    carbon: CarbonValuedByDeliveryYear | None = None,
) -> LineValuation:
    proxy = measure.proxy
    by_year = carbon is not None and carbon.applies_to(measure)
    if carbon is not None and by_year:
        proxy = carbon.proxy_for(line.contract_year)
    if measure.value_type is not ValueType.MONETISED or proxy is None:
        kind = "record only" if measure.value_type is ValueType.RECORD_ONLY else "qualitative"
        return LineValuation(
            line_ref=line.line_ref,
            measure_code=measure.code,
            value_type=measure.value_type,
            contract_year=line.contract_year,
            quantity=line.quantity,
            unit=measure.unit,
            proxy=None,
            proxy_in_price_year=None,
            value=None,
            explanation=(
                f"{line.quantity} {measure.unit} of {measure.code} ({kind}): counted in "
                f"{measure.unit}, not valued in pounds.",
            ),
        )
    steps = [
        f"{line.quantity} {measure.unit} × £{proxy.amount_per_unit:,} per unit "
        f"({proxy.source_title}, price year {proxy.price_year})"
    ]
    if carbon is not None and by_year:
        steps.insert(0, carbon.explanation(line.contract_year) + ":")
    if proxy.price_year == price_year:
        per_unit = proxy.amount_per_unit
        steps.append(f"already in {price_year} prices, so not re-based")
    else:
        if deflator is None:
            raise ValueError(f"needs re-basing from {proxy.price_year} but no deflator was given")
        from_index = deflator.index_for(proxy.price_year)
        to_index = deflator.index_for(price_year)
        per_unit = deflator.rebase(proxy.amount_per_unit, proxy.price_year, price_year)
        steps.append(
            f"re-based to {price_year} prices with {deflator.source_title} (index {from_index} → "
            f"{to_index}): £{proxy.amount_per_unit:,} × {to_index} ÷ {from_index} = "
            f"{format_pounds(per_unit)} per unit to the penny (unrounded in the calculation)"
        )
    steps.append(f"× (1 − {line.deadweight} deadweight)")
    steps.append(f"× {line.attribution} attribution")
    value = to_pence(line.quantity * per_unit * (1 - line.deadweight) * line.attribution)
    steps.append(f"= {format_pounds(value)} (rounded half up to the penny)")
    return LineValuation(
        line_ref=line.line_ref,
        measure_code=measure.code,
        value_type=measure.value_type,
        contract_year=line.contract_year,
        quantity=line.quantity,
        unit=measure.unit,
        proxy=proxy,
        proxy_in_price_year=per_unit,
        value=value,
        explanation=tuple(steps),
    )


def _ratios(
    total: Decimal, contract_value: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    if contract_value is None:
        return None, None
    per_pound = total / contract_value
    return (
        per_pound.quantize(VALUE_PER_POUND_PLACES, rounding=ROUND_HALF_UP),
        (per_pound * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP),
    )


def value_commitments(
    lines: Sequence[CommitmentLine],
    measures: Mapping[str, MeasureSpec],
    *,
    price_year: int,
    deflator: DeflatorSeries | None,
    contract_value: Decimal | None,
    contract_years: int | None = None,
    workforce_fte: Decimal | None = None,
    rules: Sequence[CountingRule] = DEFAULT_RULES,
    carbon: CarbonValuedByDeliveryYear | None = None,
) -> ValuationResult:
    """Value every line in `price_year` prices, total them and apply `rules`.

    `measures` maps each measure code to its spec in the framework version in force when the
    tender was issued. `deflator` may be None only when every monetised proxy is already in
    `price_year` prices. With `carbon`, a carbon measure whose proxy is the DESNZ carbon value is
    valued at each delivery year's value (see CarbonValuedByDeliveryYear). Raises
    InvalidCommitmentLines listing every line that cannot be valued; rule findings never raise,
    they are returned with the result.
    """
    if not EARLIEST_PRICE_YEAR <= price_year <= LATEST_PRICE_YEAR:
        raise ValueError(
            f"price_year must be between {EARLIEST_PRICE_YEAR} and {LATEST_PRICE_YEAR}, "
            f"got {price_year}"
        )
    if contract_value is not None and not contract_value > 0:
        raise ValueError(f"contract_value must be above £0 when given, got {contract_value}")
    if contract_years is not None and contract_years < 1:
        raise ValueError(f"contract_years must be at least 1 when given, got {contract_years}")
    if workforce_fte is not None and workforce_fte < 0:
        raise ValueError(f"workforce_fte must not be negative, got {workforce_fte}")
    for code, measure in measures.items():
        if code != measure.code:
            raise ValueError(f"Measure keyed {code!r} has code {measure.code!r}; they must match")

    problems = find_line_problems(lines, measures)
    if problems:
        raise InvalidCommitmentLines(problems)

    valued: list[LineValuation] = []
    for line in lines:
        try:
            valued.append(
                _value_line(
                    line,
                    measures[line.measure_code],
                    price_year=price_year,
                    deflator=deflator,
                    carbon=carbon,
                )
            )
        except ValueError as error:
            # Raised only when the proxy cannot be re-based (no deflator, or a year missing), or
            # the carbon series has no value for the year a line is saved in.
            problems.append(
                LineProblem(
                    line.line_ref,
                    "measure_code",
                    line.measure_code,
                    f"its proxy cannot be re-based to {price_year} prices: {error}"
                    if not isinstance(error, MissingCarbonYear)
                    else f"it cannot be valued: {error}",
                )
            )
    if problems:
        raise InvalidCommitmentLines(problems)

    by_theme: dict[str, Decimal] = defaultdict(Decimal)
    by_outcome: dict[str, Decimal] = defaultdict(Decimal)
    by_measure: dict[str, Decimal] = defaultdict(Decimal)
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    record_only: dict[str, Decimal] = defaultdict(Decimal)
    qualitative: dict[str, Decimal] = defaultdict(Decimal)
    for result in valued:
        measure = measures[result.measure_code]
        if result.value is None:
            units = record_only if measure.value_type is ValueType.RECORD_ONLY else qualitative
            units[measure.unit] += result.quantity
            continue
        by_theme[measure.theme] += result.value
        by_outcome[measure.outcome] += result.value
        by_measure[measure.code] += result.value
        by_year[result.contract_year] += result.value
    total = sum(by_measure.values(), Decimal("0.00"))
    # The deflator is cited only when it moved a value: a default series that re-based nothing
    # is not a source of any figure.
    rebased = any(r.proxy is not None and r.proxy.price_year != price_year for r in valued)
    value_per_pound, percent = _ratios(total, contract_value)
    carbon_used = carbon is not None and any(
        r.value is not None and carbon.applies_to(measures[r.measure_code]) for r in valued
    )

    outcome = apply_rules(
        lines,
        measures,
        RuleContext(
            contract_value=contract_value,
            contract_years=contract_years,
            workforce_fte=workforce_fte,
            line_values={r.line_ref: r.value for r in valued if r.value is not None},
        ),
        rules,
    )
    return ValuationResult(
        price_year=price_year,
        deflator_citation=(
            f"{deflator.source_title}, {deflator.source_url}, licence {deflator.licence}"
            if deflator is not None and rebased
            else None
        ),
        carbon_rule=carbon.rule_text if carbon is not None and carbon_used else None,
        lines=tuple(valued),
        total_value=total,
        by_theme=_sorted_totals(by_theme),
        by_outcome=_sorted_totals(by_outcome),
        by_measure=_sorted_totals(by_measure),
        by_contract_year=_sorted_totals(by_year),
        record_only_by_unit=_sorted_totals(record_only),
        qualitative_by_unit=_sorted_totals(qualitative),
        contract_value=contract_value,
        value_per_pound=value_per_pound,
        percent_of_contract_value=percent,
        findings=outcome.findings,
        rules_applied=outcome.rules_applied,
        rules_skipped=outcome.rules_skipped,
    )
