"""Writes for contracts and their commitments.

Commitments are created with the contract and afterwards change only through
``commitment_vary``, which records who changed what, when, why, and the figures before and after.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import COUNCIL_ROLES
from commonweal.contracts.models import (
    Commitment,
    CommitmentYear,
    Contract,
    ContractSource,
    ReportingFrequency,
    Variation,
    contract_years_between,
)
from commonweal.contracts.valuing import (
    QuantityLine,
    deflator_for,
    specs_for,
    value_lines,
)
from commonweal.core.audit import acting_as
from commonweal.frameworks.engine_inputs import carbon_for_contract
from commonweal.frameworks.models import LocalMeasureSetItem, LocalMeasureSetVersion, Measure

# Upward, on purpose (docs/adr/0006-layers.md): a new or varied contract is planned at once.
from commonweal.monitoring.services import contract_page_changed, plan_periods, targets_reset
from commonweal.valuation import ValueType

WRITTEN_MEASURE = (
    "{code} is a written measure: it is described in words in the contract, not committed as "
    "a number"
)


@dataclass(frozen=True)
class CommitmentInput:
    """A measure the supplier commits to, with its quantity in each contract year (from 1)."""

    measure: Measure
    quantities_by_year: Mapping[int, Decimal]
    deadweight: Decimal = Decimal(0)
    attribution: Decimal = Decimal(1)
    offered_by_year: Mapping[int, Decimal] | None = None
    """At award from a tender: the quantities offered, when moderation changed them."""
    evaluation_note: str = ""


def _year_key(measure_code: str, contract_year: int) -> str:
    """A commitment year's line reference: problems with the line name it, so it reads well."""
    return f"{measure_code} year {contract_year}"


def _check_commitments(
    commitments: Sequence[CommitmentInput],
    *,
    contract_years: int,
    measure_set_version: LocalMeasureSetVersion | None,
) -> list[str]:
    problems: list[str] = []
    allowed: set[int] | None = None
    if measure_set_version is not None:
        allowed = set(
            LocalMeasureSetItem.objects.filter(set_version=measure_set_version).values_list(
                "measure_id", flat=True
            )
        )
    seen: set[int] = set()
    for commitment in commitments:
        code = commitment.measure.code
        if commitment.measure.pk in seen:
            problems.append(f"Measure {code} is listed more than once; list each measure once")
        seen.add(commitment.measure.pk)
        if allowed is not None and commitment.measure.pk not in allowed:
            problems.append(f"Measure {code} is not in {measure_set_version}")
        if commitment.measure.value_type == ValueType.QUALITATIVE:
            problems.append(WRITTEN_MEASURE.format(code=code))
            continue
        if not commitment.quantities_by_year:
            problems.append(f"Measure {code} needs a quantity for at least one contract year")
        for year in commitment.quantities_by_year:
            if not 1 <= year <= contract_years:
                problems.append(
                    f"Measure {code} has a quantity for contract year {year}, but the contract "
                    f"lasts {contract_years} year{'s' if contract_years != 1 else ''}"
                )
    return problems


def _valued_years(
    commitments: Sequence[CommitmentInput],
    *,
    price_year: int,
    measure_set_version: LocalMeasureSetVersion | None,
    value_pence: int,
    contract_years: int,
    start_year: int,
) -> dict[str, int | None]:
    specs = specs_for(commitment.measure for commitment in commitments)
    lines = [
        QuantityLine(
            key=_year_key(commitment.measure.code, year),
            measure_code=commitment.measure.code,
            contract_year=year,
            quantity=Decimal(quantity),
            deadweight=Decimal(commitment.deadweight),
            attribution=Decimal(commitment.attribution),
        )
        for commitment in commitments
        for year, quantity in sorted(commitment.quantities_by_year.items())
    ]
    try:
        values, _ = value_lines(
            lines,
            specs,
            price_year=price_year,
            deflator=deflator_for(measure_set_version),
            contract_value_pence=value_pence,
            contract_years=contract_years,
            carbon=carbon_for_contract(measure_set_version, start_year),
        )
    except ValidationError as error:
        # Keyed, as every other problem with the commitments is, so pages show it on the form.
        raise ValidationError({"commitments": error.messages}) from error
    return values


def _sum_pence(values: Sequence[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def contract_create(
    *,
    council: Organisation,
    supplier: Organisation,
    title: str,
    reference: str,
    value_pence: int,
    start_date: date,
    end_date: date,
    directorate: str,
    contract_manager: User | None,
    measure_set_version: LocalMeasureSetVersion | None,
    price_year: int,
    commitments: Sequence[CommitmentInput],
    source: str,
    by: User | None,
    reporting_frequency: str = ReportingFrequency.QUARTERLY,
) -> Contract:
    """Create a contract with its commitments, each valued at award with the valuation engine.

    Raises ValidationError listing every problem; nothing is written unless all is well.
    """
    contract = Contract(
        council=council,
        supplier=supplier,
        title=title.strip(),
        reference=reference.strip(),
        value_pence=value_pence,
        start_date=start_date,
        end_date=end_date,
        directorate=directorate.strip(),
        contract_manager=contract_manager,
        measure_set_version=measure_set_version,
        price_year=price_year,
        reporting_frequency=reporting_frequency,
        source=source,
        created_by=by,
    )
    errors: dict[str, list[str]] = {}
    try:
        contract.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if source not in ContractSource.values:
        errors.setdefault("source", []).append(f"Unknown contract source {source!r}")
    if not council.is_council:
        errors.setdefault("council", []).append(f"{council} is not a council")
    if not supplier.is_supplier:
        errors.setdefault("supplier", []).append(f"{supplier} is not a supplier")
    if (
        contract_manager is not None
        and not Membership.objects.filter(
            user=contract_manager, organisation=council, role__in=COUNCIL_ROLES
        ).exists()
    ):
        errors.setdefault("contract_manager", []).append(
            f"{contract_manager} is not a member of {council}"
        )
    if errors:
        raise ValidationError(errors)

    years = contract_years_between(start_date, end_date)
    problems = _check_commitments(
        commitments, contract_years=years, measure_set_version=measure_set_version
    )
    if problems:
        raise ValidationError({"commitments": problems})
    values = (
        _valued_years(
            commitments,
            price_year=price_year,
            measure_set_version=measure_set_version,
            value_pence=value_pence,
            contract_years=years,
            start_year=start_date.year,
        )
        if commitments
        else {}
    )

    with transaction.atomic(), acting_as(by):
        contract.save()
        for position, item in enumerate(commitments):
            year_values = {
                year: values[_year_key(item.measure.code, year)] for year in item.quantities_by_year
            }
            commitment = Commitment.objects.create(
                contract=contract,
                measure=item.measure,
                deadweight=item.deadweight,
                attribution=item.attribution,
                committed_value_pence=_sum_pence(list(year_values.values())),
                position=position,
                evaluation_note=item.evaluation_note,
            )
            offered = item.offered_by_year or {}
            CommitmentYear.objects.bulk_create(
                CommitmentYear(
                    commitment=commitment,
                    contract_year=year,
                    quantity=Decimal(quantity),
                    value_pence=year_values[year],
                    offered_quantity=offered.get(year),
                )
                for year, quantity in sorted(item.quantities_by_year.items())
            )
        plan_periods(contract=contract, by=by)
    return contract


def _snapshot(commitment: Commitment) -> dict[str, Any]:
    return {
        "quantities_by_year": {
            str(year.contract_year): str(year.quantity) for year in commitment.years.all()
        },
        "value_pence": commitment.committed_value_pence,
    }


def commitment_vary(
    *,
    commitment: Commitment,
    quantities_by_year: Mapping[int, Decimal],
    reason: str,
    agreed_on: date,
    by: User,
) -> Variation:
    """Change a commitment's quantities through a recorded variation; values are re-worked."""
    contract = commitment.contract
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the variation"})
    item = CommitmentInput(
        measure=commitment.measure,
        quantities_by_year=quantities_by_year,
        deadweight=commitment.deadweight,
        attribution=commitment.attribution,
    )
    others = [
        CommitmentInput(
            measure=other.measure,
            quantities_by_year={y.contract_year: y.quantity for y in other.years.all()},
            deadweight=other.deadweight,
            attribution=other.attribution,
        )
        for other in contract.commitments.exclude(pk=commitment.pk).select_related("measure")
    ]
    problems = _check_commitments(
        [item], contract_years=contract.contract_years, measure_set_version=None
    )
    if problems:
        raise ValidationError({"quantities": problems})
    # Value the whole contract, so that rules comparing commitments see every line.
    values = _valued_years(
        [item, *others],
        price_year=contract.price_year,
        measure_set_version=contract.measure_set_version,
        value_pence=contract.value_pence,
        contract_years=contract.contract_years,
        start_year=contract.start_date.year,
    )
    before = _snapshot(commitment)
    with transaction.atomic(), acting_as(by):
        commitment.years.all().delete()
        year_values = {
            year: values[_year_key(commitment.measure.code, year)] for year in quantities_by_year
        }
        CommitmentYear.objects.bulk_create(
            CommitmentYear(
                commitment=commitment,
                contract_year=year,
                quantity=Decimal(quantity),
                value_pence=year_values[year],
            )
            for year, quantity in sorted(quantities_by_year.items())
        )
        commitment.committed_value_pence = _sum_pence(list(year_values.values()))
        commitment.save(update_fields=["committed_value_pence"])
        variation = Variation.objects.create(
            contract=contract,
            commitment=commitment,
            measure_code=commitment.measure.code,
            reason=reason.strip(),
            agreed_on=agreed_on,
            made_by=by,
            before=before,
            after=_snapshot(commitment),
        )
        targets_reset(commitment=commitment, by=by)
    return variation


def contract_living_wage_set(
    *, contract: Contract, service_category: str, requires_real_living_wage: bool, by: User
) -> Contract:
    """Set the contract's service category and whether it requires the Real Living Wage (the
    fair work pages set both from the council's policy, or an officer for one contract)."""
    contract.service_category = service_category
    contract.requires_real_living_wage = requires_real_living_wage
    contract.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic(), acting_as(by):
        contract.save(update_fields=["service_category", "requires_real_living_wage"])
        contract_page_changed(contract)
    return contract
