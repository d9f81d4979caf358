"""A council's financial year and its label, the one definition every app and engine uses."""

from __future__ import annotations

from datetime import date

import pytest

from commonweal.financial_years import financial_year_label, financial_year_of, parse_year_label


@pytest.mark.parametrize(
    ("day", "start"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2026, 2, 1), 2025)],
)
def test_a_day_is_in_the_financial_year_that_started_the_april_before(day, start):
    assert financial_year_of(day) == start


def test_the_label_spans_two_calendar_years_and_crosses_a_century():
    assert financial_year_label(2025) == "2025-26"
    assert financial_year_label(2099) == "2099-00"


@pytest.mark.parametrize("label", ["2025-27", "2025/26", "25-26", "2025-", "twenty"])
def test_a_label_that_is_not_a_financial_year_is_refused(label):
    with pytest.raises(ValueError, match="is not a year like 2025-26"):
        parse_year_label(label)


def test_a_label_reads_back_as_its_start_year():
    assert parse_year_label(" 2025-26 ") == 2025
    assert parse_year_label(financial_year_label(2099)) == 2099
