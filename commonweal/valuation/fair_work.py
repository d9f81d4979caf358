"""Fair work and equality rules, without Django: the Real Living Wage an accredited employer had
to pay on a day, whether a supplier's return paid it, the level an Equality Framework for Local
Government module has reached, and the small-number rule for figures about people.

Rates are always looked up by date, never "the latest": a rate is announced each autumn and an
accredited employer has six months to pay it (the grace window), so on any day the rate that
must be paid may be older than the newest one announced.
"""

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from commonweal.valuation.money import format_pounds

GRACE_MONTHS = 6
"""An accredited employer must pay a newly announced rate within six months (Living Wage
Foundation)."""


class Area(StrEnum):
    """Where the people paid work: the Real Living Wage has a London rate and a UK rate."""

    UK = "uk"
    LONDON = "london"

    @property
    def label(self) -> str:
        return "London" if self is Area.LONDON else "Outside London"


class DatePrecision(StrEnum):
    """How much of an announcement date the sources give."""

    DAY = "day"
    MONTH = "month"
    """Only the month is known; the date is held as the first of that month."""
    UNKNOWN = "unknown"
    """Not even the month is known (the 2011 London rate was announced in "spring")."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when that month is shorter
    (31 August + 6 months = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def long_date(day: date) -> str:
    """Like 1 May 2026, as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"


def last_day_of_month(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def pay_by_after(announced_on: date | None, precision: DatePrecision) -> date | None:
    """The day from which accredited employers must pay a rate: six months after it was
    announced. When only the month of the announcement is known, six months after the last day
    of that month, the latest it can be, so nobody is held to a rate before it was due. When
    even the month is unknown there is no pay-by date."""
    if announced_on is None or precision is DatePrecision.UNKNOWN:
        return None
    if precision is DatePrecision.MONTH:
        return add_months(last_day_of_month(announced_on), GRACE_MONTHS)
    return add_months(announced_on, GRACE_MONTHS)


def _check_rate(amount: Decimal | None, what: str) -> None:
    if amount is None:
        return
    if not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(amount).__name__} {amount!r}")
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"{what} must be above £0, got {amount}")


@dataclass(frozen=True)
class LivingWageRate:
    """One year's Real Living Wage (Living Wage Foundation), per hour, for age 18 and over.

    A rate missing for an area (the UK rate of 2011 was not found) is None, never guessed.
    """

    year: int
    """The year it was announced, like 2025 for the 2025-26 rates."""
    label: str
    """As published, like "2025-26"."""
    uk_rate: Decimal | None
    london_rate: Decimal | None
    announced_on: date | None
    announced_precision: DatePrecision
    pay_by: date | None
    """From this day accredited employers must pay it; None when not known."""
    pay_by_published: bool = False
    """True when a source gives the pay-by date; False when it is six months after the
    announcement (see `pay_by_after`)."""
    sources: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        _check_rate(self.uk_rate, f"The {self.label} UK rate")
        _check_rate(self.london_rate, f"The {self.label} London rate")
        if self.uk_rate is None and self.london_rate is None:
            raise ValueError(f"The {self.label} rate has neither a UK nor a London rate")
        if self.announced_on and self.pay_by and self.pay_by < self.announced_on:
            raise ValueError(
                f"The {self.label} rate's pay-by date {self.pay_by} is before it was announced"
            )

    def rate_for(self, area: Area) -> Decimal | None:
        return self.london_rate if area is Area.LONDON else self.uk_rate

    def in_grace_on(self, day: date) -> bool:
        """Announced on or before `day` but not yet due: employers may still pay the rate
        before it."""
        return (
            self.announced_on is not None
            and self.announced_precision is not DatePrecision.UNKNOWN
            and self.pay_by is not None
            and self.announced_on <= day < self.pay_by
        )


@dataclass(frozen=True)
class RateInForce:
    """The Real Living Wage an accredited employer had to pay on one day in one area."""

    day: date
    area: Area
    rate: LivingWageRate | None
    """The rate due on the day: the one with the latest pay-by date on or before it."""
    amount: Decimal | None
    """What had to be paid per hour; None when no rate is known for the day and area."""
    announced: LivingWageRate | None
    """A newer rate announced by the day but inside its grace window (not yet due)."""
    reason: str
    """In words: which rate applies and why, or why none is known."""


class LivingWageSchedule:
    """Real Living Wage rates by year, looked up by date."""

    def __init__(self, rates: Iterable[LivingWageRate]) -> None:
        by_year: dict[int, LivingWageRate] = {}
        for rate in rates:
            if rate.year in by_year:
                raise ValueError(f"Two Real Living Wage rates for {rate.year}")
            by_year[rate.year] = rate
        self.rates: tuple[LivingWageRate, ...] = tuple(by_year[y] for y in sorted(by_year))

    def in_force_on(self, day: date, area: Area) -> RateInForce:
        """The rate an accredited employer had to pay on `day`: the one whose pay-by date is
        latest but not after `day`. A rate announced but not yet due (inside its six-month
        grace window) is reported as `announced`, and does not apply yet."""
        due = [
            (r.pay_by, r.year, r) for r in self.rates if r.pay_by is not None and r.pay_by <= day
        ]
        announced = next((r for r in reversed(self.rates) if r.in_grace_on(day)), None)
        if not due:
            reason = f"No Real Living Wage rate was due by {long_date(day)}"
            return RateInForce(day, area, None, None, announced, reason)
        due_from, _, rate = max(due, key=lambda item: (item[0], item[1]))
        amount = rate.rate_for(area)
        if amount is None:
            reason = f"The {rate.label} {area.label.lower()} rate, due from {long_date(due_from)}, "
            reason += "is not known"
            return RateInForce(day, area, rate, None, announced, reason)
        reason = f"The {rate.label} rate of {format_pounds(amount)} an hour, due from "
        reason += long_date(due_from)
        if announced is not None and announced.pay_by is not None:
            next_amount = announced.rate_for(area)
            if next_amount is not None:
                reason += (
                    f"; the {announced.label} rate of {format_pounds(next_amount)} was announced "
                    f"but is not due until {long_date(announced.pay_by)}"
                )
        return RateInForce(day, area, rate, amount, announced, reason)

    def announced_between(self, first: date, last: date) -> list[LivingWageRate]:
        """Rates announced from `first` to `last` inclusive (for reminders)."""
        return [
            r
            for r in self.rates
            if r.announced_on is not None
            and r.announced_precision is not DatePrecision.UNKNOWN
            and first <= r.announced_on <= last
        ]


@dataclass(frozen=True)
class NationalLivingWageRate:
    """The statutory National Living Wage from a date (the age it applies from changes)."""

    effective_on: date
    label: str
    rate: Decimal
    sources: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        _check_rate(self.rate, f"The {self.label} National Living Wage")


def national_living_wage_on(
    rates: Iterable[NationalLivingWageRate], day: date
) -> NationalLivingWageRate | None:
    """The National Living Wage in force on `day`: the latest to take effect on or before it."""
    in_force = [r for r in rates if r.effective_on <= day]
    return max(in_force, key=lambda r: r.effective_on) if in_force else None


# --- Compliance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WageShortfall:
    """A lowest hourly rate below the Real Living Wage in force."""

    area: Area
    paid: Decimal
    required: Decimal
    rate_label: str
    due_from: date

    @property
    def shortfall(self) -> Decimal:
        return self.required - self.paid

    @property
    def message(self) -> str:
        return (
            f"{self.area.label}: the lowest hourly rate paid, {format_pounds(self.paid)}, is "
            f"{format_pounds(self.shortfall)} below the {self.rate_label} Real Living Wage of "
            f"{format_pounds(self.required)}, due from {long_date(self.due_from)}"
        )


@dataclass(frozen=True)
class WageCheck:
    """What the rule found on one return."""

    rule_code: str
    day: date
    shortfalls: tuple[WageShortfall, ...]
    met: tuple[str, ...]
    """Each area checked and paid at least the rate, in words."""
    not_checked: tuple[str, ...]
    """Each area that could not be checked, with the reason."""
    upcoming: tuple[str, ...] = field(default=())
    """Areas paid the rate due but below a newer rate inside its grace window."""

    @property
    def passed(self) -> bool:
        return not self.shortfalls


class BelowRealLivingWage:
    """Paid below the Real Living Wage.

    A contract that requires the Real Living Wage obliges the supplier to pay everyone working
    on it at least the Living Wage Foundation's rate. Each return on such a contract gives the
    lowest hourly rate paid, on the last day of the return's period, to staff working on the
    contract outside London and, if any work there, in London. Each figure is compared with the
    rate an accredited employer had to pay on that day in that area. A new rate only has to be
    paid from six months after it is announced, so inside that grace window the previous rate
    is the one that applies; the return is then told the date by which the new rate is due.
    A figure below the rate that applies is a finding, with the shortfall per hour. Where no
    rate is known for the day and area (the UK rate of 2011 was never found), the return is not
    judged and the reason is given; nothing is assumed.
    """

    code: ClassVar[str] = "below-real-living-wage"
    title: ClassVar[str] = "Paid below the Real Living Wage"

    def check(
        self, *, schedule: LivingWageSchedule, day: date, lowest_paid: Mapping[Area, Decimal]
    ) -> WageCheck:
        shortfalls: list[WageShortfall] = []
        met: list[str] = []
        not_checked: list[str] = []
        upcoming: list[str] = []
        for area in (Area.UK, Area.LONDON):
            paid = lowest_paid.get(area)
            if paid is None:
                continue
            _check_rate(paid, f"The lowest hourly rate paid ({area.label.lower()})")
            in_force = schedule.in_force_on(day, area)
            if in_force.amount is None or in_force.rate is None or in_force.rate.pay_by is None:
                not_checked.append(f"{area.label}: not checked. {in_force.reason}.")
                continue
            if paid < in_force.amount:
                shortfalls.append(
                    WageShortfall(
                        area, paid, in_force.amount, in_force.rate.label, in_force.rate.pay_by
                    )
                )
                continue
            met.append(
                f"{area.label}: {format_pounds(paid)} is at least the {in_force.rate.label} "
                f"rate of {format_pounds(in_force.amount)}"
            )
            announced = in_force.announced
            next_amount = announced.rate_for(area) if announced else None
            if announced and announced.pay_by and next_amount is not None and paid < next_amount:
                upcoming.append(
                    f"{area.label}: {format_pounds(paid)} must rise to the {announced.label} rate "
                    f"of {format_pounds(next_amount)} by {long_date(announced.pay_by)}"
                )
        return WageCheck(
            self.code, day, tuple(shortfalls), tuple(met), tuple(not_checked), tuple(upcoming)
        )


# --- Equality Framework for Local Government ---------------------------------------------------


class EflgLevel(StrEnum):
    """The EFLG's three levels of achievement (LGA, 2021), lowest first."""

    DEVELOPING = "developing"
    ACHIEVING = "achieving"
    EXCELLENT = "excellent"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return EFLG_LEVELS.index(self)


EFLG_LEVELS: tuple[EflgLevel, ...] = (
    EflgLevel.DEVELOPING,
    EflgLevel.ACHIEVING,
    EflgLevel.EXCELLENT,
)


@dataclass(frozen=True)
class ModuleLevel:
    """A module's level and how it was reached."""

    level: EflgLevel | None
    criteria: int
    assessed: int
    at_least: Mapping[EflgLevel, int]
    """How many criteria are at each level or above."""
    explanation: str


class ModuleLevelFromCriteria:
    """A module's level is the level all of its criteria have reached.

    A module is Excellent when every one of its criteria is assessed as Excellent; Achieving
    when every criterion is Achieving or Excellent; Developing when every criterion has been
    assessed. So one criterion at Developing holds the module at Developing however many are
    Excellent, and a module with a criterion not yet assessed (or with no criteria) has no level
    yet. Each criterion counts at its latest assessment.
    """

    code: ClassVar[str] = "eflg-module-level"
    title: ClassVar[str] = "A module is at the level all of its criteria have reached"

    def level(self, criterion_levels: Sequence[EflgLevel | None]) -> ModuleLevel:
        total = len(criterion_levels)
        assessed = [level for level in criterion_levels if level is not None]
        at_least = {
            level: sum(1 for a in assessed if a.rank >= level.rank) for level in EFLG_LEVELS
        }
        if total == 0:
            return ModuleLevel(None, 0, 0, at_least, "No criteria have been entered yet")
        if len(assessed) < total:
            left = total - len(assessed)
            return ModuleLevel(
                None,
                total,
                len(assessed),
                at_least,
                f"{left} of {total} criteria {'is' if left == 1 else 'are'} not assessed yet",
            )
        reached = min(assessed, key=lambda level: level.rank)
        higher = EFLG_LEVELS[reached.rank + 1] if reached.rank + 1 < len(EFLG_LEVELS) else None
        explanation = f"All {total} criteria are {reached.label} or above"
        if higher is not None:
            short = total - at_least[higher]
            explanation += f"; {short} {'is' if short == 1 else 'are'} below {higher.label}"
        return ModuleLevel(reached, total, len(assessed), at_least, explanation)


# --- Small numbers -----------------------------------------------------------------------------

DEFAULT_SMALL_NUMBER = 5
"""Below this many people, a figure about people with a protected characteristic is withheld,
unless the council sets another number."""
SMALLEST_THRESHOLD = 2
LARGEST_THRESHOLD = 100


@dataclass(frozen=True)
class ShownCount:
    """A count as it may be shown: the number, or the words that stand in for it."""

    value: Decimal | None
    """None when withheld or not recorded."""
    text: str
    withheld: bool


class SmallNumberSuppression:
    """Small numbers of people with a protected characteristic are withheld.

    A figure that counts people with a protected characteristic (age, disability, gender
    reassignment, marriage and civil partnership, pregnancy and maternity, race, religion or
    belief, sex, sexual orientation) is shown only when it is nought or at least the council's
    threshold (5 unless the council sets another). Anything between is shown as "fewer than 5",
    on every page, export and API answer alike, so that nobody can be picked out. Nought names
    nobody and is shown.
    """

    code: ClassVar[str] = "small-number-suppression"
    title: ClassVar[str] = "Small numbers of people are withheld"

    def __init__(self, threshold: int = DEFAULT_SMALL_NUMBER) -> None:
        if not SMALLEST_THRESHOLD <= threshold <= LARGEST_THRESHOLD:
            raise ValueError(
                f"The small-number threshold must be from {SMALLEST_THRESHOLD} to "
                f"{LARGEST_THRESHOLD}, got {threshold}"
            )
        self.threshold = threshold

    @property
    def withheld_text(self) -> str:
        return f"fewer than {self.threshold}"

    def withholds(self, count: Decimal | int | None) -> bool:
        return count is not None and 0 < count < self.threshold

    def show(self, count: Decimal | int | None) -> ShownCount:
        if count is None:
            return ShownCount(None, "Not recorded", withheld=False)
        if self.withholds(count):
            return ShownCount(None, self.withheld_text, withheld=True)
        value = Decimal(count)
        return ShownCount(value, f"{value.normalize():,f}", withheld=False)
