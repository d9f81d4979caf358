"""JSON API for contracts and their commitments: the same access rules as the pages.

A council sees its own contracts, a supplier the contracts it holds; anything else is a 404.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from commonweal.accounts.access import active_membership, request_user
from commonweal.contracts.access import contract_for_user, visible_contracts
from commonweal.contracts.models import Contract
from commonweal.contracts.selectors import contract_commitments

router = Router()


class ContractOut(Schema):
    id: int
    reference: str
    title: str
    council: str
    supplier: str
    value_pence: int
    start_date: date
    end_date: date
    contract_years: int
    directorate: str
    price_year: int
    reporting_frequency: str
    source: str


class YearOut(Schema):
    contract_year: int
    quantity: Decimal
    value_pence: int | None


class CommitmentOut(Schema):
    id: int
    measure_code: str
    measure_title: str
    unit: str
    committed_value_pence: int | None
    """Empty for record-only and qualitative measures."""
    years: list[YearOut]


def _contract_out(contract: object) -> ContractOut:

    c = cast(Contract, contract)
    return ContractOut(
        id=c.pk,
        reference=c.reference,
        title=c.title,
        council=c.council.name,
        supplier=c.supplier.name,
        value_pence=c.value_pence,
        start_date=c.start_date,
        end_date=c.end_date,
        contract_years=c.contract_years,
        directorate=c.directorate,
        price_year=c.price_year,
        reporting_frequency=c.reporting_frequency,
        source=c.source,
    )


@router.get("/", response=list[ContractOut], summary="Contracts your organisation can see")
def contract_list(request: HttpRequest) -> list[ContractOut]:
    contracts = visible_contracts(active_membership(request)).select_related("council", "supplier")
    return [_contract_out(contract) for contract in contracts.order_by("reference")]


@router.get("/{contract_id}", response=ContractOut, summary="One contract")
def contract_detail(request: HttpRequest, contract_id: int) -> ContractOut:
    contract, _ = contract_for_user(request_user(request), contract_id)
    return _contract_out(contract)


@router.get(
    "/{contract_id}/commitments",
    response=list[CommitmentOut],
    summary="A contract's commitments with the quantity and value for each contract year",
)
def commitment_list(request: HttpRequest, contract_id: int) -> list[CommitmentOut]:
    contract, _ = contract_for_user(request_user(request), contract_id)
    return [
        CommitmentOut(
            id=commitment.pk,
            measure_code=commitment.measure.code,
            measure_title=commitment.measure.title,
            unit=commitment.measure.unit,
            committed_value_pence=commitment.committed_value_pence,
            years=[
                YearOut(
                    contract_year=year.contract_year,
                    quantity=year.quantity,
                    value_pence=year.value_pence,
                )
                for year in commitment.years.all()
            ],
        )
        for commitment in contract_commitments(contract)
    ]
