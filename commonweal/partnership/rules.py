"""The rules the charter's progress returns follow, each a named class an auditor can read,
with its own tests (tests/partnership/test_rules.py). They take plain values and touch no
database: services and selectors read the inputs, ask the rule, and store or show what it says.

Where each fires:
- ``ReturnDueDate``: ``selectors.returns_due`` (what a signatory owes, and the coordinator's
  overdue list), ``services.progress_return_submit`` (late or not) and the reminders.
- ``ReturnsOwed``: ``selectors.returns_due`` and ``services.progress_return_start``.
- ``ReviewDecisionCheck``: ``services.progress_return_review``.
- ``NetworkFigureDisclosure`` (in ``valuation.disclosure``): ``selectors.network_view`` and the
  public network figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from commonweal.financial_years import financial_year_label, financial_year_of
from commonweal.valuation.money import plain_number


def financial_year_end(first_year: int) -> date:
    """The last day of a financial year: 2024 (2024-25) ends on 31 March 2025."""
    return date(first_year + 1, 3, 31)


@dataclass(frozen=True)
class ReturnDueDate:
    """A signatory reports on each pledge once a year, after the financial year (April to
    March) has ended: the return is due the partnership's number of days after 31 March
    (91 days: 30 June). A return submitted after that day is marked late."""

    days_after_year_end: int

    def due_on(self, financial_year: int) -> date:
        return financial_year_end(financial_year) + timedelta(days=self.days_after_year_end)

    def is_late(self, financial_year: int, submitted_on: date) -> bool:
        return submitted_on > self.due_on(financial_year)


@dataclass(frozen=True)
class ReturnsOwed:
    """A pledge is reported on for every financial year that ended while it stood: from the
    year it was made in to the last year that ended before it was withdrawn (or its signatory
    withdrew). The year still running is not owed yet."""

    def years(self, *, made_on: date, ended_on: date | None, today: date) -> list[int]:
        first = financial_year_of(made_on)
        last_ended = financial_year_of(today) - 1
        if ended_on is not None:
            last_ended = min(last_ended, financial_year_of(ended_on) - 1)
        return list(range(first, last_ended + 1))


@dataclass(frozen=True)
class ReviewDecisionCheck:
    """What a coordinator must say about a submitted progress return: accept it or query it.
    Accepting a return with a reported figure names the reviewed figure, from 0 up to the
    figure reported (the partnership never stands behind more than was reported); a query
    asks its question. Self-reported and reviewed figures stay apart, never added."""

    ACCEPT = "accept"
    QUERY = "query"

    def problems(
        self,
        *,
        decision: str,
        reported: Decimal | None,
        reviewed: Decimal | None,
        note: str,
        year: int,
    ) -> list[str]:
        label = financial_year_label(year)
        if decision not in (self.ACCEPT, self.QUERY):
            return [f"{label}: choose accept or query"]
        if decision == self.QUERY:
            return [] if note.strip() else [f"{label}: enter your question"]
        if reported is None:
            return [] if reviewed is None else [f"{label}: there is no reported figure to review"]
        if reviewed is None:
            return [f"{label}: enter the figure you accept"]
        if not Decimal(0) <= reviewed <= reported:
            return [
                f"{label}: the accepted figure must be from 0 to the {plain_number(reported)} "
                "reported"
            ]
        return []
