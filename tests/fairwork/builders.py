"""A council contract that requires the Real Living Wage, and returns on it reporting pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commonweal.contracts.models import Contract
from commonweal.contracts.services import contract_living_wage_set
from commonweal.monitoring import services as monitoring
from commonweal.monitoring.models import SupplierReturn
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import period


def care_contract(world, by, *, reference: str = "RMBC-2025-001") -> Contract:
    contract = build_contract(
        world.council,
        world.supplier,
        build_measures(world.council),
        reference=reference,
        contract_manager=by,
    )
    return contract_living_wage_set(
        contract=contract, service_category="care", requires_real_living_wage=True, by=by
    )


def wage_return(
    contract: Contract,
    label: str,
    *,
    by,
    outside: str | None,
    london: str | None = None,
    today: date = date(2026, 5, 15),
) -> SupplierReturn:
    """A submitted return for the period reporting the lowest hourly rates paid."""
    supplier_return = monitoring.return_start(period=period(contract, label), by=by)
    monitoring.return_save(
        supplier_return=supplier_return,
        claims={},
        narrative="",
        attests_contract_and_period=True,
        attests_commitment=True,
        by=by,
    )
    monitoring.return_wages_save(
        supplier_return=supplier_return,
        lowest_outside_london=Decimal(outside) if outside else None,
        lowest_in_london=Decimal(london) if london else None,
        by=by,
    )
    return monitoring.return_submit(supplier_return=supplier_return, by=by, today=today)
