"""Councils' financial years: 1 April to 31 March, labelled by the calendar years they span.

The ground floor under the engines and the apps alike (no Django, no other import), so a year
is worked out and labelled one way everywhere: spend analysis, monitoring periods, the policy
years of the annual report, charter returns.
"""

from __future__ import annotations

from datetime import date

FIRST_MONTH = 4
"""A financial year starts on 1 April."""


def financial_year_of(day: date) -> int:
    """The calendar year in which the day's financial year starts: 1 Feb 2026 → 2025."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def financial_year_label(start_year: int) -> str:
    """A year that starts in `start_year`, labelled as councils label financial years: 2025-26."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_year_label(label: str) -> int:
    """The calendar year a label like "2025-26" starts in; ValueError for anything else."""
    text = label.strip()
    head, sep, tail = text.partition("-")
    if not (sep and head.isdigit() and tail.isdigit() and len(head) == 4 and len(tail) == 2):
        raise ValueError(f"“{label}” is not a year like 2025-26")
    start = int(head)
    if (start + 1) % 100 != int(tail):
        raise ValueError(f"“{label}” is not a year like 2025-26: {tail} does not follow {head}")
    return start
