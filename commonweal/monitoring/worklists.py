"""Work waiting on a council's contracts, as the dashboard and the council's home page list it:
reporting periods overdue (no return sent by the due date) and returns waiting for the council's
decision (submitted or queried).

Each entry is read as a tuple that also orders it the way it is listed, so the same lists come
out whether they are read from the database in one go (a filtered dashboard, the tests) or kept
running contract by contract in the server process (`running`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import F, Q, QuerySet

from commonweal.monitoring.models import ReportingPeriod, ReturnStatus, SupplierReturn

NOT_SUBMITTED = Q(supplier_return__isnull=True) | Q(supplier_return__status=ReturnStatus.DRAFT)
WAITING_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.QUERIED)
SHOWN = 10
"""Entries of each list kept ready to show; the dashboard lists 10, the home page 5."""
EARLIEST = datetime.min.replace(tzinfo=UTC)
"""Stands for a waiting return with no submission time (one loaded in bulk): listed first, as
the database lists them with `nulls_first`."""

OverdueEntry = tuple[date, int, int, str]
"""(due on, period id, contract id, period label): soonest due first, then by period."""
WaitingEntry = tuple[datetime, int, int, str]
"""(submitted at or EARLIEST, return id, contract id, period label): oldest submission
first, then by return."""
OVERDUE_ORDER = ("due_on", "pk")
WAITING_ORDER = (F("submitted_at").asc(nulls_first=True), "pk")


@dataclass(frozen=True)
class ContractNames:
    """What an entry shows of its contract."""

    reference: str
    supplier: str


@dataclass(frozen=True)
class OverduePeriod:
    """A reporting period past its due date with no return sent (none, or a draft)."""

    period_id: int
    contract_id: int
    contract_reference: str
    supplier: str
    label: str
    due_on: date


@dataclass(frozen=True)
class WaitingReturn:
    """A return sent and waiting for the council's decision (submitted or queried)."""

    return_id: int
    contract_id: int
    contract_reference: str
    supplier: str
    period_label: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class Worklists:
    """The first `SHOWN` of each list, how many there are in all, and the directorates and
    suppliers of the council's contracts (the dashboard's filters)."""

    overdue: list[OverduePeriod]
    overdue_count: int
    waiting: list[WaitingReturn]
    waiting_count: int
    directorates: list[str]
    suppliers: list[str]


def overdue_periods(contracts: QuerySet[Any], *, today: date) -> QuerySet[ReportingPeriod]:
    """The contracts' periods due before `today` with no return sent, soonest due first."""
    return (
        ReportingPeriod.objects.filter(contract__in=contracts, due_on__lt=today)
        .filter(NOT_SUBMITTED)
        .order_by(*OVERDUE_ORDER)
    )


def overdue_entries(periods: QuerySet[ReportingPeriod]) -> list[OverdueEntry]:
    return list(periods.values_list("due_on", "pk", "contract_id", "label"))


def waiting_returns(contracts: QuerySet[Any]) -> QuerySet[SupplierReturn]:
    """The contracts' returns waiting for the council's decision, oldest submission first."""
    return SupplierReturn.objects.filter(
        contract__in=contracts, status__in=WAITING_STATUSES
    ).order_by(*WAITING_ORDER)


def waiting_entries(returns: QuerySet[SupplierReturn]) -> list[WaitingEntry]:
    return [
        (submitted_at or EARLIEST, pk, contract, label)
        for submitted_at, pk, contract, label in returns.values_list(
            "submitted_at", "pk", "contract_id", "period__label"
        )
    ]


def contract_names(contracts: QuerySet[Any], ids: Iterable[int]) -> dict[int, ContractNames]:
    return {
        pk: ContractNames(reference, supplier)
        for pk, reference, supplier in contracts.filter(pk__in=set(ids)).values_list(
            "pk", "reference", "supplier__name"
        )
    }


def overdue_listed(
    entries: Iterable[OverdueEntry], names: Mapping[int, ContractNames]
) -> list[OverduePeriod]:
    return [
        OverduePeriod(pk, contract, names[contract].reference, names[contract].supplier, label, due)
        for due, pk, contract, label in entries
    ]


def waiting_listed(
    entries: Iterable[WaitingEntry], names: Mapping[int, ContractNames]
) -> list[WaitingReturn]:
    return [
        WaitingReturn(
            pk,
            contract,
            names[contract].reference,
            names[contract].supplier,
            label,
            None if at == EARLIEST else at,
        )
        for at, pk, contract, label in entries
    ]


def filters_of(contracts: QuerySet[Any]) -> tuple[list[str], list[str]]:
    """The directorates (recorded ones) and the suppliers' names of the contracts, sorted."""
    return (
        sorted(set(contracts.exclude(directorate="").values_list("directorate", flat=True))),
        sorted(set(contracts.values_list("supplier__name", flat=True))),
    )


def worklists_of(
    contracts: QuerySet[Any], *, today: date, all_contracts: QuerySet[Any] | None = None
) -> Worklists:
    """The lists for these contracts, read from the database in one go. When `contracts` are
    some of the council's (a filtered dashboard), `all_contracts` are all of them: the filters
    list them all, and no returns waiting are listed (a filtered dashboard shows none)."""
    overdue = overdue_periods(contracts, today=today)
    returns = waiting_returns(contracts)
    first_overdue = overdue_entries(overdue[:SHOWN])
    first_waiting = waiting_entries(returns[:SHOWN]) if all_contracts is None else []
    names = contract_names(contracts, [e[2] for e in first_overdue] + [e[2] for e in first_waiting])
    directorates, suppliers = filters_of(contracts if all_contracts is None else all_contracts)
    return Worklists(
        overdue=overdue_listed(first_overdue, names),
        overdue_count=overdue.count(),
        waiting=waiting_listed(first_waiting, names),
        waiting_count=returns.count() if all_contracts is None else 0,
        directorates=directorates,
        suppliers=suppliers,
    )
