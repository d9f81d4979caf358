"""Helpers for monitoring tests: fill in, submit and verify returns through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commonweal.contracts.models import Contract
from commonweal.monitoring import services
from commonweal.monitoring.models import ReportingPeriod, SupplierReturn


def period(contract: Contract, label: str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(contract=contract, label=label)


def file_return(
    contract: Contract,
    label: str,
    claims: dict[str, str],
    *,
    by,
    submit: bool = True,
    today: date = date(2026, 1, 15),
) -> SupplierReturn:
    """A return for the period with claims by measure code, submitted unless told otherwise."""
    supplier_return = services.return_start(period=period(contract, label), by=by)
    lines = {line.commitment.measure.code: line for line in supplier_return.lines.all()}
    services.return_save(
        supplier_return=supplier_return,
        claims={lines[code].pk: (Decimal(quantity), "") for code, quantity in claims.items()},
        narrative="Delivered as planned",
        attests_contract_and_period=True,
        attests_commitment=True,
        by=by,
    )
    if submit:
        services.return_submit(supplier_return=supplier_return, by=by, today=today)
    return supplier_return


def decide(supplier_return: SupplierReturn, decisions: dict[str, tuple], *, by) -> SupplierReturn:
    """Decisions by measure code: (outcome, verified quantity or None, reason)."""
    supplier_return.refresh_from_db()
    lines = {line.commitment.measure.code: line for line in supplier_return.lines.all()}
    return services.return_verify(
        supplier_return=supplier_return,
        decisions=[
            services.Decision(
                lines[code].pk, outcome, Decimal(verified) if verified else None, reason
            )
            for code, (outcome, verified, reason) in decisions.items()
        ],
        expected_version=supplier_return.version,
        by=by,
    )
