"""Reporting periods in the UK financial year (1 April to 31 March) and default targets.

A quarter is labelled like "2025-26 Q2" (July to September 2025); a month like "2025-26 Jun".
A contract's periods are the quarters or months its term overlaps, cut to its start and end.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from commonweal.financial_years import financial_year_label, financial_year_of

TARGET_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Period:
    label: str
    starts_on: date
    ends_on: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _calendar_period(day: date, monthly: bool) -> Period:
    """The whole quarter or month of the financial year that contains `day`."""
    fy = financial_year_of(day)
    label = financial_year_label(fy)
    if monthly:
        return Period(
            f"{label} {calendar.month_abbr[day.month]}",
            date(day.year, day.month, 1),
            _month_end(day.year, day.month),
        )
    months_into_year = (day.month - 4) % 12
    quarter = months_into_year // 3 + 1
    first_month = (3 + (quarter - 1) * 3) % 12 + 1
    first_year = fy if first_month >= 4 else fy + 1
    last_month = first_month + 2
    return Period(
        f"{label} Q{quarter}",
        date(first_year, first_month, 1),
        _month_end(first_year, last_month),
    )


def periods_between(start: date, end: date, *, monthly: bool = False) -> list[Period]:
    """The reporting periods a term from `start` to `end` overlaps, each cut to the term."""
    if end < start:
        raise ValueError(f"The end date {end} is before the start date {start}")
    periods: list[Period] = []
    cursor = start
    while cursor <= end:
        whole = _calendar_period(cursor, monthly)
        periods.append(Period(whole.label, max(whole.starts_on, start), min(whole.ends_on, end)))
        cursor = whole.ends_on + timedelta(days=1)
    return periods


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """`total` in `parts` equal shares to the hundredth; the last share takes what is left over.

    The shares always add up to exactly `total`: 10 in 3 parts is 3.33, 3.33 and 3.34.
    """
    if parts < 1:
        raise ValueError(f"parts must be at least 1, got {parts}")
    share = (total / parts).quantize(TARGET_PLACES, rounding=ROUND_DOWN)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def default_targets(
    quantities_by_year: dict[int, Decimal], period_years: Sequence[int]
) -> list[Decimal]:
    """A target for each period: its contract year's quantity split evenly over that year's
    periods. `period_years` gives each period's contract year, in order."""
    shares: dict[int, list[Decimal]] = {}
    for year in set(period_years):
        count = sum(1 for y in period_years if y == year)
        shares[year] = split_evenly(quantities_by_year.get(year, Decimal(0)), count)
    targets = []
    for year in period_years:
        targets.append(shares[year].pop(0))
    return targets
