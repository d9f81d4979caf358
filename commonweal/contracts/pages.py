"""The contract page below its header, laid out once and shared by every server process.

A laid-out page is kept under a key made of everything it rests on: the contract's change
counter (raised by every service that changes anything on the page), the council's counter of
changes that reach every contract page (settings, figures worked out again), how many of its
reporting periods have ended (figures are as of the last period ended, so the page moves on when
one ends, not every day), the names of the council, supplier and contract manager, and how the
viewer stands towards the contract. Nothing ever has to be removed from the cache: a change
makes a new key. `prepare_contract_pages` lays pages out ahead of their first visitors (after
an upgrade, say).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from commonweal.accounts.models import Membership
from commonweal.accounts.roles import Role
from commonweal.contracts import selectors
from commonweal.contracts.access import ContractAccess
from commonweal.contracts.models import Contract
from commonweal.core.caching import PAGE_SECONDS, SHARED, cached
from commonweal.monitoring.figures import page_stamp

BODY_TEMPLATE = "contracts/_contract_body.html"


def body_key(contract: Contract, access: ContractAccess, *, stamp: int, periods_ended: int) -> str:
    manager = contract.contract_manager
    names = (
        contract.council.name,
        contract.supplier.name,
        manager.full_name if manager else "",
    )
    parts = (
        contract.pk,
        contract.page_changes,
        stamp,
        periods_ended,
        int(access.is_council),
        int(access.can_edit),
        hashlib.sha256(repr(names).encode()).hexdigest()[:16],
    )
    return "contracts:page:" + ":".join(str(part) for part in parts)


def contract_page_body(contract: Contract, access: ContractAccess) -> str:
    """The page below its header as HTML, from the shared cache or laid out now."""
    stamp, periods_ended = page_stamp(contract, timezone.localdate())
    key = body_key(contract, access, stamp=stamp, periods_ended=periods_ended)
    return cached(
        key,
        lambda: render_to_string(BODY_TEMPLATE, page_context(contract, access)),
        store=SHARED,
        seconds=PAGE_SECONDS,
    )


def page_context(contract: Contract, access: ContractAccess) -> dict[str, Any]:
    commitments = list(selectors.contract_commitments(contract))
    years = range(1, contract.contract_years + 1)
    rows = []
    for commitment in commitments:
        by_year = {y.contract_year: y for y in commitment.years.all()}
        rows.append({"commitment": commitment, "years": [by_year.get(y) for y in years]})
    context: dict[str, Any] = {
        "contract": contract,
        "access": access,
        "rows": rows,
        "years": years,
        "committed_pence": sum(c.committed_value_pence or 0 for c in commitments),
        "variations": list(contract.variations.select_related("made_by")),
        "history": list(selectors.contract_history(contract)[:50]) if access.is_council else [],
    }
    context.update(selectors.monitoring_tabs(contract, access, commitments))
    return context


def viewpoints(contract: Contract) -> list[ContractAccess]:
    """Every way a person can stand towards the contract that changes its page: council staff
    who may only read, council staff who may change it, and the supplier."""
    return [
        ContractAccess(Membership(organisation=contract.council, role=Role.VIEWER)),
        ContractAccess(Membership(organisation=contract.council, role=Role.CONTRACT_MANAGER)),
        ContractAccess(Membership(organisation=contract.supplier, role=Role.SUPPLIER_ADMIN)),
    ]


def prepare_contract_pages(contracts: Iterable[Contract]) -> int:
    """Lay out the contracts' pages as they stand today, from every viewpoint, where not
    already in the shared cache. Returns how many contracts were visited."""
    visited = 0
    for contract in contracts:
        for access in viewpoints(contract):
            contract_page_body(contract, access)
        visited += 1
    return visited


def contracts_to_prepare(today: date) -> Iterable[Contract]:
    """Contracts still running, or ended within the last year (their pages are still read)."""
    return (
        Contract.objects.filter(end_date__gte=today - timedelta(days=365))
        .select_related(
            "council", "supplier", "contract_manager", "measure_set_version__measure_set"
        )
        .order_by("pk")
        .iterator(chunk_size=500)
    )
