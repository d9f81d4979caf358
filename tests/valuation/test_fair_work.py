"""The Real Living Wage by date, the below-the-rate rule, the EFLG module level and the
small-number rule. Rates are the shipped ones (domain brief §8, living_wage.SOURCE.md)."""

from datetime import date
from decimal import Decimal

import pytest

from commonweal.valuation.fair_work import (
    Area,
    BelowRealLivingWage,
    DatePrecision,
    EflgLevel,
    LivingWageRate,
    LivingWageSchedule,
    ModuleLevelFromCriteria,
    SmallNumberSuppression,
    add_months,
    national_living_wage_on,
    pay_by_after,
)
from commonweal.valuation.official_series import living_wage_rates, national_living_wage_rates

D, E, A = EflgLevel.DEVELOPING, EflgLevel.EXCELLENT, EflgLevel.ACHIEVING


@pytest.fixture(scope="module")
def schedule() -> LivingWageSchedule:
    return LivingWageSchedule(living_wage_rates())


# --- Dates ---------------------------------------------------------------------------------


def test_six_months_after_a_day_keeps_the_day_or_the_months_last_day():
    assert add_months(date(2023, 10, 24), 6) == date(2024, 4, 24)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_pay_by_is_six_months_after_the_announcement():
    assert pay_by_after(date(2017, 11, 6), DatePrecision.DAY) == date(2018, 5, 6)


def test_pay_by_after_a_month_only_announcement_counts_from_the_months_last_day():
    # "2018-11": announced some day in November 2018, so due by 30 May 2019 at the latest.
    assert pay_by_after(date(2018, 11, 1), DatePrecision.MONTH) == date(2019, 5, 30)


def test_an_announcement_without_a_month_has_no_pay_by_date():
    assert pay_by_after(None, DatePrecision.UNKNOWN) is None


# --- Rate in force on a date ---------------------------------------------------------------


def test_the_rate_due_is_the_one_whose_pay_by_date_has_passed(schedule):
    in_force = schedule.in_force_on(date(2025, 6, 1), Area.UK)
    assert in_force.amount == Decimal("12.60")
    assert in_force.rate.label == "2024-25"
    assert in_force.announced is None


def test_inside_the_grace_window_the_previous_rate_still_applies(schedule):
    # 2025-26 was announced on 22 October 2025 and is due from 1 May 2026 (published).
    in_force = schedule.in_force_on(date(2025, 11, 1), Area.UK)
    assert in_force.amount == Decimal("12.60")
    assert in_force.announced.label == "2025-26"
    assert "not due until 1 May 2026" in in_force.reason


def test_the_last_day_of_the_grace_window_and_the_pay_by_day(schedule):
    assert schedule.in_force_on(date(2026, 4, 30), Area.UK).amount == Decimal("12.60")
    assert schedule.in_force_on(date(2026, 5, 1), Area.UK).amount == Decimal("13.45")


def test_the_day_before_an_announcement_knows_nothing_of_it(schedule):
    in_force = schedule.in_force_on(date(2025, 10, 21), Area.UK)
    assert in_force.amount == Decimal("12.60")
    assert in_force.announced is None


def test_london_has_its_own_rate_on_the_same_dates(schedule):
    assert schedule.in_force_on(date(2026, 4, 30), Area.LONDON).amount == Decimal("13.85")
    assert schedule.in_force_on(date(2026, 5, 1), Area.LONDON).amount == Decimal("14.80")
    in_grace = schedule.in_force_on(date(2025, 12, 1), Area.LONDON)
    assert in_grace.amount == Decimal("13.85")
    assert in_grace.announced.london_rate == Decimal("14.80")


def test_a_rate_announced_to_the_month_is_due_six_months_after_the_months_end(schedule):
    # 2018-19 (£9.00) was announced in November 2018: due from 30 May 2019.
    assert schedule.in_force_on(date(2019, 5, 29), Area.UK).amount == Decimal("8.75")
    assert schedule.in_force_on(date(2019, 5, 30), Area.UK).amount == Decimal("9.00")


def test_a_rate_is_never_the_latest_announced_but_the_one_due_on_the_day(schedule):
    assert schedule.in_force_on(date(2021, 9, 30), Area.UK).amount == Decimal("9.50")
    assert schedule.in_force_on(date(2030, 1, 1), Area.UK).amount == Decimal("13.45")


def test_the_2011_uk_rate_is_unknown_so_no_uk_rate_is_due_before_may_2013(schedule):
    in_force = schedule.in_force_on(date(2013, 5, 4), Area.UK)
    assert in_force.amount is None
    assert "No Real Living Wage rate was due" in in_force.reason
    # The 2012 UK rate is derived (see living_wage.SOURCE.md), and says so.
    derived = schedule.in_force_on(date(2013, 5, 5), Area.UK)
    assert derived.amount == Decimal("7.45")
    assert "derived" in derived.rate.note


def test_a_rate_with_no_figure_for_the_area_is_reported_unknown_not_taken_from_another_year():
    rates = [
        LivingWageRate(2030, "2030-31", Decimal("20.00"), Decimal("22.00"), date(2030, 10, 1),
                       DatePrecision.DAY, date(2031, 4, 1)),
        LivingWageRate(2031, "2031-32", None, Decimal("23.00"), date(2031, 10, 1),
                       DatePrecision.DAY, date(2032, 4, 1)),
    ]  # fmt: skip
    in_force = LivingWageSchedule(rates).in_force_on(date(2032, 6, 1), Area.UK)
    assert in_force.amount is None
    assert "2031-32 outside london rate" in in_force.reason


def test_two_rates_for_one_year_are_refused():
    rate = LivingWageRate(
        2030, "2030-31", Decimal("20"), None, date(2030, 10, 1), DatePrecision.DAY, None
    )
    with pytest.raises(ValueError, match="Two Real Living Wage rates for 2030"):
        LivingWageSchedule([rate, rate])


def test_a_rate_must_be_a_positive_decimal():
    with pytest.raises(ValueError, match="above £0"):
        LivingWageRate(2030, "2030-31", Decimal("0"), None, None, DatePrecision.UNKNOWN, None)


def test_rates_announced_in_a_window_for_reminders(schedule):
    announced = schedule.announced_between(date(2025, 10, 1), date(2025, 10, 31))
    assert [r.label for r in announced] == ["2025-26"]


def test_the_national_living_wage_in_force_on_a_day():
    rates = national_living_wage_rates()
    assert national_living_wage_on(rates, date(2026, 3, 31)).rate == Decimal("12.21")
    assert national_living_wage_on(rates, date(2026, 4, 1)).rate == Decimal("12.71")
    assert national_living_wage_on(rates, date(2016, 3, 31)) is None


# --- Paid below the Real Living Wage -------------------------------------------------------


def test_a_return_paying_below_the_rate_in_force_is_a_finding(schedule):
    check = BelowRealLivingWage().check(
        schedule=schedule, day=date(2026, 6, 30), lowest_paid={Area.UK: Decimal("13.00")}
    )
    assert not check.passed
    (shortfall,) = check.shortfalls
    assert shortfall.required == Decimal("13.45")
    assert shortfall.shortfall == Decimal("0.45")
    assert "£0.45 below the 2025-26 Real Living Wage of £13.45" in shortfall.message


def test_a_return_inside_the_grace_window_paying_the_previous_rate_is_not_a_finding(schedule):
    check = BelowRealLivingWage().check(
        schedule=schedule, day=date(2026, 3, 31), lowest_paid={Area.UK: Decimal("12.60")}
    )
    assert check.passed
    assert check.upcoming == ("Outside London: £12.60 must rise to the 2025-26 rate of £13.45 "
                              "by 1 May 2026",)  # fmt: skip


def test_a_return_inside_the_grace_window_below_the_previous_rate_is_a_finding(schedule):
    check = BelowRealLivingWage().check(
        schedule=schedule, day=date(2026, 3, 31), lowest_paid={Area.UK: Decimal("12.59")}
    )
    assert [s.required for s in check.shortfalls] == [Decimal("12.60")]


def test_paying_exactly_the_rate_meets_it(schedule):
    check = BelowRealLivingWage().check(
        schedule=schedule, day=date(2026, 5, 1), lowest_paid={Area.UK: Decimal("13.45")}
    )
    assert check.passed and check.met and not check.upcoming


def test_london_staff_are_held_to_the_london_rate(schedule):
    check = BelowRealLivingWage().check(
        schedule=schedule,
        day=date(2026, 6, 30),
        lowest_paid={Area.UK: Decimal("13.50"), Area.LONDON: Decimal("14.00")},
    )
    assert [(s.area, s.required) for s in check.shortfalls] == [(Area.LONDON, Decimal("14.80"))]


def test_a_return_for_a_day_with_no_known_rate_is_not_judged(schedule):
    check = BelowRealLivingWage().check(
        schedule=schedule, day=date(2012, 6, 30), lowest_paid={Area.UK: Decimal("5.00")}
    )
    assert check.passed
    assert check.not_checked and "not checked" in check.not_checked[0]


# --- EFLG module level ---------------------------------------------------------------------


RULE = ModuleLevelFromCriteria()


def test_a_module_is_excellent_only_when_every_criterion_is_excellent():
    assert RULE.level([E, E, E]).level is EflgLevel.EXCELLENT
    assert RULE.level([E, E, A]).level is EflgLevel.ACHIEVING


def test_one_developing_criterion_holds_the_module_at_developing():
    result = RULE.level([E, E, E, D])
    assert result.level is EflgLevel.DEVELOPING
    assert result.explanation == "All 4 criteria are Developing or above; 1 is below Achieving"


def test_a_module_with_a_criterion_not_assessed_has_no_level():
    result = RULE.level([E, None, A])
    assert result.level is None
    assert result.explanation == "1 of 3 criteria is not assessed yet"


def test_a_module_with_no_criteria_has_no_level():
    assert RULE.level([]).level is None


def test_the_module_level_counts_criteria_at_each_level_or_above():
    assert dict(RULE.level([D, A, E]).at_least) == {D: 3, A: 2, E: 1}


# --- Small numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "text", "withheld"),
    [
        (0, "0", False),
        (1, "fewer than 5", True),
        (4, "fewer than 5", True),
        (Decimal("4.5"), "fewer than 5", True),
        (5, "5", False),
        (Decimal("12.50"), "12.5", False),
        (1200, "1,200", False),
        (None, "Not recorded", False),
    ],
)
def test_counts_of_people_below_five_are_withheld(count, text, withheld):
    shown = SmallNumberSuppression().show(count)
    assert (shown.text, shown.withheld) == (text, withheld)
    assert shown.value is None if withheld or count is None else shown.value == count


def test_the_council_sets_its_own_threshold():
    rule = SmallNumberSuppression(10)
    assert rule.show(9).text == "fewer than 10"
    assert rule.show(10).text == "10"


@pytest.mark.parametrize("threshold", [0, 1, 101])
def test_a_threshold_outside_2_to_100_is_refused(threshold):
    with pytest.raises(ValueError, match="from 2 to 100"):
        SmallNumberSuppression(threshold)
