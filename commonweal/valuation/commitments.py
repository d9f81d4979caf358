"""The inputs every calculation shares: commitment lines and what is known about the contract."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from commonweal.valuation.measures import MeasureSpec

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class CommitmentLine:
    """A quantity of one measure offered (or delivered) in one contract year.

    `contract_year` counts years of the contract from 1. `deadweight` is the share that would
    have happened anyway and `attribution` the share due to this contract; both lie in [0, 1].
    `activity_ref` names the piece of work behind the line and `person_ref` the person a job line
    is about, when known; `person_refs` names several people sharing a line's quantity equally.
    Rules use them to find double counting.
    """

    line_ref: str
    measure_code: str
    contract_year: int
    quantity: Decimal
    deadweight: Decimal = ZERO
    attribution: Decimal = ONE
    activity_ref: str | None = None
    person_ref: str | None = None
    person_refs: tuple[str, ...] = ()

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone the line is about: `person_refs`, else `person_ref`, else nobody."""
        if self.person_refs:
            return self.person_refs
        return (self.person_ref,) if self.person_ref is not None else ()

    @property
    def quantity_per_person(self) -> Decimal:
        """The line's quantity shared equally between the people it names."""
        return self.quantity / len(self.people) if self.people else self.quantity


def person_references(text: str) -> tuple[str, ...]:
    """References for people (never names), as a bidder or supplier types them: split on commas,
    semicolons or new lines, blanks dropped, each kept once in the order given."""
    return tuple(dict.fromkeys(p.strip() for p in re.split(r"[,;\n]", text) if p.strip()))


@dataclass(frozen=True)
class LineProblem:
    """Why one line cannot be valued: the line, the field, the value and what is wrong."""

    line_ref: str
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line_ref}: {self.field} {self.value}: {self.message}"


class InvalidCommitmentLines(ValueError):
    """One or more lines cannot be valued; `problems` lists every one found, not just the first."""

    def __init__(self, problems: Sequence[LineProblem]) -> None:
        self.problems = tuple(problems)
        listed = "; ".join(str(problem) for problem in self.problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} with commitment lines: {listed}"
        )


@dataclass(frozen=True)
class RuleContext:
    """Facts about the contract that rules need besides the lines themselves.

    Any fact left as None means the rules that need it are not applied, and say so in
    `ValuationResult.rules_skipped`.
    """

    contract_value: Decimal | None = None
    contract_years: int | None = None
    workforce_fte: Decimal | None = None
    line_values: Mapping[str, Decimal] | None = None
    """Each monetised line's value in pounds, by line reference; the engine fills it in."""


def find_line_problems(
    lines: Sequence[CommitmentLine], measures: Mapping[str, MeasureSpec]
) -> list[LineProblem]:
    """Every reason any line cannot be valued, in line order."""
    problems: list[LineProblem] = []
    seen_refs: set[str] = set()
    for line in lines:
        ref = line.line_ref

        def problem(field: str, value: object, message: str, ref: str = ref) -> None:
            problems.append(LineProblem(ref, field, str(value), message))

        if not ref.strip():
            problem("line_ref", repr(ref), "every line needs a reference")
        elif ref in seen_refs:
            problem("line_ref", ref, "appears more than once; line references must be unique")
        seen_refs.add(ref)
        measure = measures.get(line.measure_code)
        if measure is None:
            problem("measure_code", line.measure_code, "is not a measure of this framework")
        if line.contract_year < 1:
            problem("contract_year", line.contract_year, "contract years count from 1")
        numbers_are_decimals = True
        for name in ("quantity", "deadweight", "attribution"):
            number = getattr(line, name)
            if not isinstance(number, Decimal) or not number.is_finite():
                problem(name, repr(number), "must be a finite Decimal")
                numbers_are_decimals = False
        if not numbers_are_decimals:
            continue
        if not ZERO <= line.deadweight <= ONE:
            problem("deadweight", line.deadweight, "must lie between 0 and 1")
        if not ZERO <= line.attribution <= ONE:
            problem("attribution", line.attribution, "must lie between 0 and 1")
        if line.quantity < 0 and (measure is None or not measure.allows_negative_quantities()):
            problem(
                "quantity",
                line.quantity,
                f"must not be negative for measure {line.measure_code}",
            )
    return problems
