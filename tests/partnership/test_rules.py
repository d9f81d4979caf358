"""The charter's named rules: when returns are due, which years are owed, review decisions."""

from datetime import date
from decimal import Decimal

from commonweal.partnership.rules import ReturnDueDate, ReturnsOwed, ReviewDecisionCheck


def test_a_return_is_due_91_days_after_the_year_ends_by_default_on_30_june():
    assert ReturnDueDate(91).due_on(2024) == date(2025, 6, 30)


def test_a_return_sent_after_its_due_date_is_late():
    rule = ReturnDueDate(91)
    assert not rule.is_late(2024, date(2025, 6, 30))
    assert rule.is_late(2024, date(2025, 7, 1))


def test_years_owed_run_from_the_year_the_pledge_was_made_to_the_last_year_ended():
    owed = ReturnsOwed().years(made_on=date(2024, 6, 3), ended_on=None, today=date(2026, 12, 7))
    assert owed == [2024, 2025]


def test_the_year_still_running_is_not_owed():
    owed = ReturnsOwed().years(made_on=date(2026, 5, 1), ended_on=None, today=date(2026, 12, 7))
    assert owed == []


def test_nothing_is_owed_for_a_year_that_ended_after_the_pledge_was_withdrawn():
    owed = ReturnsOwed().years(
        made_on=date(2024, 6, 3), ended_on=date(2025, 9, 1), today=date(2026, 12, 7)
    )
    assert owed == [2024]


def test_accepting_needs_a_figure_from_zero_to_the_figure_reported():
    check = ReviewDecisionCheck()
    assert (
        check.problems(
            decision="accept", reported=Decimal(12), reviewed=Decimal(10), note="", year=2024
        )
        == []
    )
    assert check.problems(
        decision="accept", reported=Decimal(12), reviewed=None, note="", year=2024
    ) == ["2024-25: enter the figure you accept"]
    assert check.problems(
        decision="accept", reported=Decimal(12), reviewed=Decimal(13), note="", year=2024
    ) == ["2024-25: the accepted figure must be from 0 to the 12 reported"]


def test_a_commitment_in_words_is_accepted_without_a_figure():
    assert (
        ReviewDecisionCheck().problems(
            decision="accept", reported=None, reviewed=None, note="", year=2024
        )
        == []
    )


def test_a_query_asks_its_question():
    check = ReviewDecisionCheck()
    assert check.problems(
        decision="query", reported=Decimal(1), reviewed=None, note=" ", year=2025
    ) == ["2025-26: enter your question"]
    assert check.problems(decision="reject", reported=None, reviewed=None, note="", year=2025) == [
        "2025-26: choose accept or query"
    ]
