"""The council's whole portfolio as of today, kept in the server process's memory and brought up
to date by reading again only the contracts that changed.

Every change to what the stored figures rest on goes through a service that, in the same
transaction, works the contract's figures out again, raises the contract's `page_changes` and
raises the council's figures stamp (`services.contract_changed`); a change to every contract at
once (the council's settings, all figures worked out again) raises the stamp's
`every_contract_changes`. So when a reader finds the stamp moved, it asks which contracts'
`page_changes` moved, reads those contracts' rows alone, takes their old rows out of the running
sums and adds the new ones. Pence are whole numbers and quantities Decimals, so the sums are
exactly what adding up every row again would give; one verification costs a few small queries,
not a read of the whole portfolio.

A reading is only ever one moment's figures: the stamp is read before and after the rows, and
if it moved in between (a change was saved meanwhile) the rows are read again. While one thread
of the process brings the figures up to date, the others show the last figures, saying when
they were read, rather than all working out the same thing or waiting long.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.utils import timezone
from sortedcontainers import SortedList

from commonweal.accounts.models import Organisation
from commonweal.contracts.models import Contract
from commonweal.core.caching import CACHE_SECONDS
from commonweal.monitoring import figures, worklists
from commonweal.monitoring.dashboard import (
    CellKey,
    Portfolio,
    build_portfolio,
    measures_by_id,
    portfolio_of_parts,
)
from commonweal.monitoring.figures import NOT_RECORDED, PortfolioRow
from commonweal.monitoring.models import DeliveryFigures, ReportingPeriod, SupplierReturn
from commonweal.monitoring.worklists import (
    NOT_SUBMITTED,
    WAITING_STATUSES,
    ContractNames,
    OverdueEntry,
    WaitingEntry,
    Worklists,
)
from commonweal.valuation import Rag, RagThresholds

SHORTFALLS = 10
READ_AGAIN_SECONDS = 60 * 60
"""Every row is read again this often, so a change saved without raising its contract's
`page_changes` (none is known; this is a bound, not a schedule) lasts an hour at most."""
WAIT_SECONDS = 0.25
"""How long a reader waits for another thread's update before showing the last figures."""
ATTEMPTS = 3
"""Reads in a row spoilt by a change saved meanwhile before the last figures are shown."""
COUNCILS_KEPT = 16

ROW_FIELDS = (
    "pk",
    "contract_id",
    "commitment_id",
    "measure_id",
    "financial_year",
    "verified_share",
    "committed_pence",
    "target_pence",
    "claimed_pence",
    "verified_pence",
    "committed",
    "target_to_date",
    "claimed_to_date",
    "verified_to_date",
)


@dataclass(frozen=True)
class Reading:
    """The portfolio and the work waiting (periods overdue, returns to verify) as the process
    has them, the figures stamp they reflect, and, when they are older than the figures in the
    database (another thread is bringing them up to date), the time they were read."""

    portfolio: Portfolio
    stamp: int
    as_at: datetime | None
    lists: Worklists


@dataclass(frozen=True)
class _ContractFacts:
    page_changes: int
    supplier_id: int
    directorate: str
    reference: str
    title: str


@dataclass(frozen=True)
class _Shortfall:
    """What a row of the largest shortfalls shows, kept for rows behind their target."""

    figures_id: int
    commitment_id: int
    measure_id: int
    financial_year: str
    quantities: tuple[Decimal, Decimal, Decimal, Decimal]
    pence: tuple[int | None, int | None, int | None, int | None]
    shortfall_pence: int
    rag: Rag


_Row = tuple[CellKey, list[Any], _Shortfall | None]


@dataclass(frozen=True)
class _Shown:
    """The figures and lists readers are given, the stamps they are those of, when they were
    read (wall clock) and laid out (monotonic)."""

    stamps: tuple[int, int]
    portfolio: Portfolio
    lists: Worklists
    read_at: datetime
    laid_out: float


def stamps_of(council_id: int) -> tuple[int, int]:
    """(changes, every-contract changes) of the council's figures stamp, (0, 0) if none."""
    return figures.figures_stamps(council_id)


class RunningPortfolio:
    """One council's portfolio as of one day under one pair of RAG thresholds."""

    def __init__(self, council_id: int, day: date, thresholds: RagThresholds) -> None:
        self.council_id = council_id
        self.day = day
        self.thresholds = thresholds
        self.token = uuid.uuid4().hex
        self.lock = threading.Lock()
        self.stamps: tuple[int, int] | None = None
        """The figures stamp the sums are those of."""
        self.read_in_full = 0.0
        self.contracts: dict[int, _ContractFacts] = {}
        self.rows_of: dict[int, list[_Row]] = {}
        self.parts: list[dict[Any, list[Any]]] = [{} for _ in range(5)]
        """The sums of every row by each part of its cell's key (`dashboard.parts_of`)."""
        self.shortfalls: SortedList = SortedList()
        """(-shortfall, row id, contract id, shortfall) of the rows behind their target,
        in the order the largest are listed."""
        self.overdue_of: dict[int, list[OverdueEntry]] = {}
        self.overdue: SortedList = SortedList()
        self.waiting_of: dict[int, list[WaitingEntry]] = {}
        self.waiting: SortedList = SortedList()
        self.shown: _Shown | None = None
        """What readers are given."""

    # --- Keeping the sums ---------------------------------------------------------------------

    def _row(self, values: tuple[Any, ...], facts: _ContractFacts) -> _Row:
        (
            pk,
            _,
            commitment_id,
            measure_id,
            year,
            share,
            committed_pence,
            target_pence,
            claimed_pence,
            verified_pence,
            committed,
            target,
            claimed,
            verified,
        ) = values
        rag = Rag.NOT_YET_DUE if share is None else self.thresholds.rate(share)
        key: CellKey = (
            measure_id,
            facts.supplier_id,
            facts.directorate or NOT_RECORDED,
            year,
            rag.value,
        )
        sums = [
            1,
            committed_pence or 0,
            target_pence or 0,
            claimed_pence or 0,
            verified_pence or 0,
            committed,
            target,
            claimed,
            verified,
        ]
        shortfall = (target_pence or 0) - (verified_pence or 0)
        behind = (
            _Shortfall(
                pk,
                commitment_id,
                measure_id,
                year,
                (committed, target, claimed, verified),
                (committed_pence, target_pence, claimed_pence, verified_pence),
                shortfall,
                rag,
            )
            if shortfall > 0
            else None
        )
        return key, sums, behind

    def _add(
        self,
        contract_id: int,
        rows: list[_Row],
        overdue: list[OverdueEntry],
        waiting: list[WaitingEntry],
    ) -> None:
        self.rows_of[contract_id] = rows
        for key, sums, behind in rows:
            for part, sums_of in zip(key, self.parts, strict=True):
                into = sums_of.get(part)
                if into is None:
                    sums_of[part] = list(sums)
                else:
                    for position, value in enumerate(sums):
                        into[position] += value
            if behind is not None:
                self.shortfalls.add(_shortfall_entry(contract_id, behind))
        self.overdue_of[contract_id] = overdue
        self.overdue.update(overdue)
        self.waiting_of[contract_id] = waiting
        self.waiting.update(waiting)

    def _take_away(self, contract_id: int) -> None:
        for key, sums, behind in self.rows_of.pop(contract_id, []):
            for part, sums_of in zip(key, self.parts, strict=True):
                into = sums_of[part]
                for position, value in enumerate(sums):
                    into[position] -= value
                if into[0] == 0:  # no commitment left in the group
                    del sums_of[part]
            if behind is not None:
                self.shortfalls.remove(_shortfall_entry(contract_id, behind))
        for entry in self.overdue_of.pop(contract_id, []):
            self.overdue.remove(entry)
        for entry in self.waiting_of.pop(contract_id, []):
            self.waiting.remove(entry)

    # --- Reading from the database ------------------------------------------------------------

    def _contract_facts(self, ids: Iterable[int] | None) -> dict[int, _ContractFacts]:
        contracts = Contract.objects.filter(council_id=self.council_id)
        if ids is not None:
            contracts = contracts.filter(pk__in=list(ids))
        return {
            pk: _ContractFacts(changes, supplier_id, directorate, reference, title)
            for pk, changes, supplier_id, directorate, reference, title in contracts.values_list(
                "pk", "page_changes", "supplier_id", "directorate", "reference", "title"
            )
        }

    def _overdue(self, contract_ids: list[int] | None) -> dict[int, list[OverdueEntry]]:
        periods = ReportingPeriod.objects.filter(due_on__lt=self.day).filter(NOT_SUBMITTED)
        if contract_ids is None:
            periods = periods.filter(contract__council_id=self.council_id)
        else:
            periods = periods.filter(contract_id__in=contract_ids)
        found: dict[int, list[OverdueEntry]] = {}
        for entry in worklists.overdue_entries(periods.order_by()):
            found.setdefault(entry[2], []).append(entry)
        return found

    def _waiting(self, contract_ids: list[int] | None) -> dict[int, list[WaitingEntry]]:
        returns = SupplierReturn.objects.filter(status__in=WAITING_STATUSES)
        if contract_ids is None:
            returns = returns.filter(contract__council_id=self.council_id)
        else:
            returns = returns.filter(contract_id__in=contract_ids)
        found: dict[int, list[WaitingEntry]] = {}
        for entry in worklists.waiting_entries(returns.order_by()):
            found.setdefault(entry[2], []).append(entry)
        return found

    def _rows(self, contract_ids: list[int] | None) -> dict[int, list[tuple[Any, ...]]]:
        if contract_ids is None:
            rows = figures.council_figures_as_of(self.council_id, self.day)
        else:
            # Through the contracts' index: the council's would read all its rows.
            rows = DeliveryFigures.objects.filter(
                contract_id__in=contract_ids, from_date__lte=self.day, until_date__gt=self.day
            )
        found: dict[int, list[tuple[Any, ...]]] = {}
        for values in rows.values_list(*ROW_FIELDS):
            found.setdefault(values[1], []).append(values)
        return found

    def _read(self, stamps: tuple[int, int]) -> bool:
        """Bring the sums up to the database's figures; False when a change was saved while
        reading (the sums are then left as they were)."""
        everything = self.stamps is None or self.stamps[1] != stamps[1] or self._due_in_full()
        if everything:
            facts = self._contract_facts(None)
            rows, overdue, waiting = self._rows(None), self._overdue(None), self._waiting(None)
            changed = set(facts) | set(self.contracts)
        else:
            changes = dict(
                # Unordered: sorting every contract of the council took longer than reading.
                Contract.objects.filter(council_id=self.council_id)
                .order_by()
                .values_list("pk", "page_changes")
            )
            changed = {
                pk
                for pk in set(changes) | set(self.contracts)
                if pk not in self.contracts
                or pk not in changes
                or self.contracts[pk].page_changes != changes[pk]
            }
            facts = self._contract_facts(changed) if changed else {}
            ids = sorted(changed)
            rows, overdue, waiting = (
                (self._rows(ids), self._overdue(ids), self._waiting(ids))
                if changed
                else ({}, {}, {})
            )
        if stamps_of(self.council_id) != stamps:
            return False
        if everything:
            self.contracts, self.rows_of, self.parts = {}, {}, [{} for _ in range(5)]
            self.shortfalls, self.overdue_of, self.overdue = SortedList(), {}, SortedList()
            self.waiting_of, self.waiting = {}, SortedList()
            self.read_in_full = time.monotonic()
        for pk in changed:
            self._take_away(pk)
            self.contracts.pop(pk, None)
            if pk in facts:
                self.contracts[pk] = facts[pk]
                self._add(
                    pk,
                    [self._row(values, facts[pk]) for values in rows.get(pk, [])],
                    overdue.get(pk, []),
                    waiting.get(pk, []),
                )
        self.stamps = stamps
        self._show()
        return True

    def _due_in_full(self) -> bool:
        return time.monotonic() - self.read_in_full > READ_AGAIN_SECONDS

    def _show(self) -> None:
        """Lay the sums and lists out as readers are given them (names read afresh)."""
        assert self.stamps is not None
        suppliers = dict(
            Organisation.objects.filter(
                pk__in={fact.supplier_id for fact in self.contracts.values()}
            ).values_list("pk", "name")
        )
        measures = measures_by_id(self.parts[0])
        portfolio = portfolio_of_parts(
            self.parts,
            self._largest_shortfalls(measures, suppliers),
            measures=measures,
            suppliers=suppliers,
        )
        # One assignment, so a reader never sees figures with another reading's stamp.
        self.shown = _Shown(
            self.stamps, portfolio, self._lists(suppliers), timezone.now(), time.monotonic()
        )

    def current(self, stamps: tuple[int, int]) -> Reading | None:
        """The portfolio shown, if it is still that of the figures saved (`stamps`)."""
        shown = self.shown
        if (
            shown is None
            or shown.stamps != stamps
            or self._due_in_full()
            or time.monotonic() - shown.laid_out > CACHE_SECONDS
        ):
            return None
        return Reading(shown.portfolio, stamps[0], None, shown.lists)

    def update(self, stamps: tuple[int, int]) -> Reading | None:
        """Bring the portfolio up to the figures saved (call holding the lock); None if a
        change was saved while reading."""
        if self.stamps == stamps and not self._due_in_full():
            self._show()  # only the names are old
        elif not self._read(stamps):
            return None
        return self.current(stamps)

    def last(self) -> Reading:
        """The portfolio shown last, with the time it was read."""
        assert self.shown is not None
        shown = self.shown
        return Reading(shown.portfolio, shown.stamps[0], shown.read_at, shown.lists)

    # --- The portfolio ------------------------------------------------------------------------

    def _lists(self, suppliers: dict[int, str]) -> Worklists:
        def names(entries: list[Any]) -> dict[int, ContractNames]:
            return {
                entry[2]: ContractNames(
                    self.contracts[entry[2]].reference,
                    suppliers[self.contracts[entry[2]].supplier_id],
                )
                for entry in entries
            }

        overdue = list(self.overdue.islice(0, worklists.SHOWN))
        waiting = list(self.waiting.islice(0, worklists.SHOWN))
        return Worklists(
            overdue=worklists.overdue_listed(overdue, names(overdue)),
            overdue_count=len(self.overdue),
            waiting=worklists.waiting_listed(waiting, names(waiting)),
            waiting_count=len(self.waiting),
            directorates=sorted(
                {fact.directorate for fact in self.contracts.values() if fact.directorate}
            ),
            suppliers=sorted({suppliers[fact.supplier_id] for fact in self.contracts.values()}),
        )

    def _largest_shortfalls(
        self, measures: dict[int, Any], suppliers: dict[int, str]
    ) -> list[PortfolioRow]:
        # Row ids are unique, so tuples are never compared past them.
        largest: list[tuple[int, _Shortfall]] = [
            item[2:] for item in self.shortfalls.islice(0, SHORTFALLS)
        ]
        facts = {pk: self.contracts[pk] for pk, _ in largest}
        found = []
        for contract_id, behind in largest:
            fact, measure = facts[contract_id], measures[behind.measure_id]
            found.append(
                PortfolioRow(
                    behind.commitment_id,
                    contract_id,
                    fact.reference,
                    fact.title,
                    suppliers[fact.supplier_id],
                    fact.directorate or NOT_RECORDED,
                    measure.outcome.theme.name,
                    measure.outcome.name,
                    measure.code,
                    measure.unit,
                    behind.financial_year,
                    *behind.quantities,
                    *behind.pence,
                    behind.shortfall_pence,
                    behind.rag,
                )
            )
        return found


def _shortfall_entry(contract_id: int, behind: _Shortfall) -> tuple[int, int, int, _Shortfall]:
    """Ordered as the largest are listed: largest first, then by row."""
    return (-behind.shortfall_pence, behind.figures_id, contract_id, behind)


_states: dict[int, RunningPortfolio] = {}
_states_guard = threading.Lock()


def _token_key(council_id: int) -> str:
    return f"monitoring:running-portfolio:{council_id}"


def _state_for(council_id: int, day: date, thresholds: RagThresholds) -> RunningPortfolio:
    """The process's running portfolio for the council, day and thresholds. It lives as long
    as the process's own cache keeps its token, so emptying the cache (as each test does)
    forgets it too."""
    cache = caches["default"]
    with _states_guard:
        state = _states.get(council_id)
        if (
            state is None
            or state.day != day
            or state.thresholds != thresholds
            or cache.get(_token_key(council_id)) != state.token
        ):
            state = RunningPortfolio(council_id, day, thresholds)
            _states.pop(council_id, None)
            while len(_states) >= COUNCILS_KEPT:
                _states.pop(next(iter(_states)))
            _states[council_id] = state
            cache.set(_token_key(council_id), state.token, None)
        return state


def read(council_id: int, day: date, thresholds: RagThresholds) -> Reading:
    """The council's whole portfolio as of `day`, up to date with the figures saved.

    Brought up to date under the state's lock; a reader that finds another thread updating
    waits a moment, then is given the last figures with the time they were read.
    """
    state = _state_for(council_id, day, thresholds)
    found = state.current(stamps_of(council_id))
    if found is not None:
        return found
    shown_before = state.shown is not None
    if not state.lock.acquire(timeout=WAIT_SECONDS if shown_before else -1):
        return state.last()
    try:
        for _ in range(ATTEMPTS):
            stamps = stamps_of(council_id)
            found = state.current(stamps) or state.update(stamps)
            if found is not None:
                return found
        if shown_before:
            return state.last()
    finally:
        state.lock.release()
    # Changes saved faster than the whole portfolio could be read, and nothing read before:
    # the figures added up in the database, at least as new as the stamp read first.
    stamp = stamps_of(council_id)[0]
    portfolio = build_portfolio(
        figures.council_figures_as_of(council_id, day), thresholds, shortfall_count=SHORTFALLS
    )
    lists = worklists.worklists_of(Contract.objects.filter(council_id=council_id), today=day)
    return Reading(portfolio, stamp, None, lists)


def as_read(reading: Reading) -> Portfolio:
    """The portfolio, with the time its figures were read when they are not the latest."""
    return replace(reading.portfolio, as_at=reading.as_at) if reading.as_at else reading.portfolio
