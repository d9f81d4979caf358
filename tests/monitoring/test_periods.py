"""Reporting periods in the UK financial year and default targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commonweal.monitoring.periods import default_targets, periods_between, split_evenly


def test_quarters_are_labelled_by_financial_year():
    periods = periods_between(date(2025, 4, 1), date(2026, 3, 31))
    assert [p.label for p in periods] == ["2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4"]
    assert periods[1].starts_on == date(2025, 7, 1)
    assert periods[1].ends_on == date(2025, 9, 30)
    assert periods[3].starts_on == date(2026, 1, 1)
    assert periods[3].ends_on == date(2026, 3, 31)


def test_a_contract_starting_mid_quarter_has_its_first_period_cut_to_its_start():
    periods = periods_between(date(2025, 8, 15), date(2026, 1, 10))
    assert [p.label for p in periods] == ["2025-26 Q2", "2025-26 Q3", "2025-26 Q4"]
    assert periods[0].starts_on == date(2025, 8, 15)
    assert periods[-1].ends_on == date(2026, 1, 10)


def test_monthly_periods_are_labelled_with_the_month():
    periods = periods_between(date(2026, 2, 1), date(2026, 4, 30), monthly=True)
    assert [p.label for p in periods] == ["2025-26 Feb", "2025-26 Mar", "2026-27 Apr"]


def test_split_evenly_always_adds_up_to_the_total():
    assert split_evenly(Decimal(10), 3) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert sum(split_evenly(Decimal("400"), 4)) == Decimal("400")


def test_default_targets_split_each_contract_years_quantity_over_its_periods():
    targets = default_targets({1: Decimal(8), 2: Decimal(4)}, [1, 1, 1, 1, 2, 2, 2, 2])
    assert targets == [Decimal(2)] * 4 + [Decimal(1)] * 4
