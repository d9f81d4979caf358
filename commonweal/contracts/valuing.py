"""Values commitments with the valuation engine, using the contract's measure set version.

The one place contracts and monitoring turn stored measures and quantities into engine lines, so
a commitment's value at award and every delivered figure are worked out the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from commonweal import valuation
from commonweal.frameworks.engine_inputs import deflator_for_version, measure_specs_for
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure
from commonweal.valuation.money import pounds_to_pence


def deflator_for(measure_set_version: LocalMeasureSetVersion | None) -> valuation.DeflatorSeries:
    return deflator_for_version(measure_set_version)


def specs_for(measures: Iterable[Measure]) -> dict[str, valuation.MeasureSpec]:
    """Engine specs for stored measures; a measure the engine cannot use is a ValidationError."""
    try:
        return measure_specs_for(list(measures))
    except ValueError as error:
        raise ValidationError(str(error)) from error


@dataclass(frozen=True)
class QuantityLine:
    """One quantity of one measure in one contract year, keyed for reading the result back."""

    key: str
    measure_code: str
    contract_year: int
    quantity: Decimal
    deadweight: Decimal = Decimal(0)
    attribution: Decimal = Decimal(1)
    person_refs: tuple[str, ...] = ()
    activity_ref: str | None = None


def value_lines(
    lines: Sequence[QuantityLine],
    specs: Mapping[str, valuation.MeasureSpec],
    *,
    price_year: int,
    deflator: valuation.DeflatorSeries | None,
    contract_value_pence: int | None,
    contract_years: int | None,
    rules: Sequence[valuation.CountingRule] = valuation.DEFAULT_RULES,
    workforce_fte: Decimal | None = None,
    carbon: valuation.CarbonValuedByDeliveryYear | None = None,
) -> tuple[dict[str, int | None], valuation.ValuationResult]:
    """Value of each line in pence (None for record-only and qualitative), and the full result.

    Lines the engine cannot value become one ValidationError listing every problem. Pass
    `rules=()` when only the values are wanted. With `carbon`, carbon savings are valued at the
    carbon value of the year each line's contract year falls in.
    """
    engine_lines = [
        valuation.CommitmentLine(
            line_ref=line.key,
            measure_code=line.measure_code,
            contract_year=line.contract_year,
            quantity=line.quantity,
            deadweight=line.deadweight,
            attribution=line.attribution,
            person_refs=line.person_refs,
            activity_ref=line.activity_ref,
        )
        for line in lines
    ]
    try:
        result = valuation.value_commitments(
            engine_lines,
            specs,
            price_year=price_year,
            deflator=deflator,
            contract_value=(Decimal(contract_value_pence) / 100 if contract_value_pence else None),
            contract_years=contract_years,
            workforce_fte=workforce_fte,
            rules=rules,
            carbon=carbon,
        )
    except valuation.InvalidCommitmentLines as error:
        raise ValidationError([str(problem) for problem in error.problems]) from error
    except ValueError as error:
        raise ValidationError(str(error)) from error
    values = {
        line.line_ref: (pounds_to_pence(line.value) if line.value is not None else None)
        for line in result.lines
    }
    return values, result
