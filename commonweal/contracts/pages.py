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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role
from commonweal.contracts import selectors
from commonweal.contracts.access import (
    ContractAccess,
    access_to_contract,
    contracts_with_parties,
)
from commonweal.contracts.models import Contract
from commonweal.core.caching import PAGE_SECONDS, SHARED, cached

# Upward, on purpose (docs/adr/0006-layers.md): the contract page shows its delivery.
from commonweal.monitoring.selectors import contract_delivery_tabs

BODY_TEMPLATE = "contracts/_contract_body.html"


@dataclass(frozen=True)
class PageFacts:
    """What a contract page's key rests on, with its heading, read in one query."""

    pk: int
    council_id: int
    supplier_id: int
    reference: str
    title: str
    page_changes: int
    party_names: tuple[str, str, str]  # council, supplier, contract manager
    every_contract_changes: int
    periods_ended: int


# Written out because every contract page asks it before anything else: the ORM would take
# longer to compose it than the database takes to answer.
_PAGE_FACTS_SQL = """
SELECT c.id, c.council_id, c.supplier_id, c.reference, c.title, c.page_changes,
       council.name, supplier.name, COALESCE(manager.full_name, ''),
       (SELECT s.every_contract_changes FROM monitoring_figuresstamp s
        WHERE s.council_id = c.council_id),
       (SELECT COUNT(*) FROM monitoring_reportingperiod p
        WHERE p.contract_id = c.id AND p.ends_on <= %s)
FROM contracts_contract c
JOIN accounts_organisation council ON council.id = c.council_id
JOIN accounts_organisation supplier ON supplier.id = c.supplier_id
LEFT JOIN accounts_user manager ON manager.id = c.contract_manager_id
WHERE c.id = %s
"""


def page_facts(pk: int, today: date) -> PageFacts | None:
    """The contract's page facts as of `today` (figures are as of the last period ended, so
    the page moves on when a period ends, not every day); None if there is no such contract."""
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_FACTS_SQL, [today, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    return PageFacts(
        pk=row[0],
        council_id=row[1],
        supplier_id=row[2],
        reference=row[3],
        title=row[4],
        page_changes=row[5],
        party_names=(row[6], row[7], row[8]),
        every_contract_changes=row[9] or 0,
        periods_ended=row[10],
    )


def contract_page_for_user(user: User, pk: int) -> tuple[PageFacts, ContractAccess]:
    """The page facts of a contract of the person's council or supplier; 404 otherwise."""
    facts = page_facts(pk, timezone.localdate())
    if facts is None:
        raise Http404("No such contract")
    return facts, access_to_contract(user, facts.council_id, facts.supplier_id)


def body_key(facts: PageFacts, access: ContractAccess) -> str:
    parts = (
        facts.pk,
        facts.page_changes,
        facts.every_contract_changes,
        facts.periods_ended,
        int(access.is_council),
        int(access.can_edit),
        hashlib.sha256(repr(facts.party_names).encode()).hexdigest()[:16],
    )
    return "contracts:page:" + ":".join(str(part) for part in parts)


def contract_page_body(
    facts: PageFacts, access: ContractAccess, contract: Contract | None = None
) -> str:
    """The page below its header as HTML, from the shared cache or laid out now (reading the
    contract, unless given, only then)."""

    def lay_out() -> str:
        shown = contract or contracts_with_parties().get(pk=facts.pk)
        return render_to_string(BODY_TEMPLATE, page_context(shown, access))

    return cached(body_key(facts, access), lay_out, store=SHARED, seconds=PAGE_SECONDS)


def page_context(contract: Contract, access: ContractAccess) -> dict[str, Any]:
    commitments = list(selectors.contract_commitments(contract))
    years = range(1, contract.contract_years + 1)
    carbon, valued_by_year = selectors.contract_carbon(contract, commitments)
    rows = []
    for commitment in commitments:
        by_year = {y.contract_year: y for y in commitment.years.all()}
        rows.append(
            {
                "commitment": commitment,
                "years": [by_year.get(y) for y in years],
                "carbon_years": (
                    [
                        (year, carbon.calendar_year(year), by_year[year].value_pence)
                        for year in sorted(by_year)
                    ]
                    if carbon is not None and commitment.pk in valued_by_year
                    else []
                ),
            }
        )
    context: dict[str, Any] = {
        "contract": contract,
        "access": access,
        "rows": rows,
        "years": years,
        "carbon": carbon,
        "committed_pence": sum(c.committed_value_pence or 0 for c in commitments),
        "variations": list(contract.variations.select_related("made_by")),
        "history": list(selectors.contract_history(contract)[:50]) if access.is_council else [],
    }
    context.update(contract_delivery_tabs(contract, access, commitments))
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
    today = timezone.localdate()
    for contract in contracts:
        facts = page_facts(contract.pk, today)
        if facts is None:  # removed since the list was read
            continue
        for access in viewpoints(contract):
            contract_page_body(facts, access, contract)
        visited += 1
    return visited


def contracts_to_prepare(today: date) -> Iterable[Contract]:
    """Contracts still running, or ended within the last year (their pages are still read)."""
    return (
        contracts_with_parties()
        .filter(end_date__gte=today - timedelta(days=365))
        .order_by("pk")
        .iterator(chunk_size=500)
    )
