"""The annual progress report's own rules: the policy's years, value bands, the verification
rate, the portfolio forecast and change since last year.

Plain functions and small named rule classes on plain values; nothing here imports Django. The
reporting app gathers the inputs from the database and stores what these return in a report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from commonweal.financial_years import financial_year_label, parse_year_label

PERCENT_PLACES = Decimal("0.1")
"""Rates and shares in the report are rounded half up to one decimal place of a percent."""


@dataclass(frozen=True)
class PolicyYear:
    number: int
    """Year 1 is the year in which the policy was adopted."""
    label: str
    starts_on: date
    ends_on: date

    def __contains__(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class PolicyYears:
    """The years of operation of a council's Social Value Policy.

    Years start on the council's chosen day and month (1 April, the financial year, unless the
    council chooses otherwise) and are labelled by the calendar years they span, like 2025-26.
    Year 1 is the year that contains the day the policy was adopted, however late in that year
    it was adopted; year 2 is the next, and so on. A day before adoption is in no policy year.
    """

    adopted_on: date
    starts_month: int = 4
    starts_day: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.starts_month <= 12:
            raise ValueError("The month a year starts must be 1 to 12")
        if not 1 <= self.starts_day <= 28:
            raise ValueError("The day a year starts must be 1 to 28, so every month has it")

    def start_year_of(self, day: date) -> int:
        """The calendar year in which the year containing `day` starts."""
        starts = date(day.year, self.starts_month, self.starts_day)
        return day.year if day >= starts else day.year - 1

    def year_starting(self, start_year: int) -> PolicyYear:
        first = self.start_year_of(self.adopted_on)
        if start_year < first:
            raise ValueError(
                f"{financial_year_label(start_year)} is before the policy was adopted "
                f"({self.adopted_on:%d %B %Y}); the first year is {financial_year_label(first)}"
            )
        starts = date(start_year, self.starts_month, self.starts_day)
        ends = date(start_year + 1, self.starts_month, self.starts_day) - timedelta(days=1)
        return PolicyYear(start_year - first + 1, financial_year_label(start_year), starts, ends)

    def year_labelled(self, label: str) -> PolicyYear:
        return self.year_starting(parse_year_label(label))

    def year_of(self, day: date) -> PolicyYear | None:
        if day < self.adopted_on:
            return None
        return self.year_starting(self.start_year_of(day))

    def previous(self, year: PolicyYear) -> PolicyYear | None:
        """Year N−1, or None for year 1."""
        if year.number == 1:
            return None
        return self.year_starting(year.starts_on.year - 1)

    def years_until(self, day: date) -> list[PolicyYear]:
        """Every policy year from year 1 to the one containing `day`, oldest first."""
        current = self.year_of(day)
        if current is None:
            return []
        first = self.start_year_of(self.adopted_on)
        return [self.year_starting(y) for y in range(first, current.starts_on.year + 1)]


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` as a percentage of `whole`, half up to one decimal place; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


class VerificationRate:
    """Of the social value suppliers claimed, the share the council has verified.

    Verified £ ÷ claimed £, both to the same day and over monetised measures only, as a
    percentage rounded half up to one decimal place. A claim still waiting for a decision
    lowers the rate, as does a claim rejected or verified in part. There is no rate when
    nothing has been claimed. Committed is not part of it: the rate says how much of what was
    claimed is proven, not how much of what was promised.
    """

    code = "verification-rate"

    def rate(self, *, claimed_pence: int, verified_pence: int) -> Decimal | None:
        return percent(verified_pence, claimed_pence)


class ForecastAtVerifiedRate:
    """What the commitments will deliver by the end of their contracts if each carries on at
    the share of its target verified so far.

    For each monetised commitment with a target due: committed £ × (verified ÷ target to date),
    added up and rounded half up to the penny once. A commitment with nothing due yet has no
    rate, so it is left out and counted separately. A commitment verified ahead of its target
    forecasts more than it committed; one with nothing verified forecasts nothing.
    """

    code = "forecast-at-verified-rate"

    def forecast(
        self, commitments: Iterable[tuple[int | None, Decimal | None]]
    ) -> tuple[int, int, int]:
        """(forecast pence, commitments forecast, commitments with nothing due yet) from
        (committed pence, verified share) pairs; unvalued commitments are skipped."""
        return self.forecast_groups(
            (committed_pence, 1, verified_share)
            for committed_pence, verified_share in commitments
            if committed_pence is not None
        )

    def forecast_groups(
        self, groups: Iterable[tuple[int, int, Decimal | None]]
    ) -> tuple[int, int, int]:
        """The same forecast from groups of valued commitments that share one verified share:
        (committed pence of the group, how many commitments, their verified share). Committed
        £ × share added over a group is the group's committed £ × share, exactly."""
        total = Decimal(0)
        counted = not_due = 0
        for committed_pence, commitments, verified_share in groups:
            if verified_share is None:
                not_due += commitments
                continue
            total += Decimal(committed_pence) * verified_share
            counted += commitments
        return int(total.to_integral_value(rounding=ROUND_HALF_UP)), counted, not_due


class ValueBand:
    """Which band of the council's policy a procurement's estimated value falls in.

    Below the policy's social value threshold; from that threshold up to (not including) the
    Procurement Act threshold for the contract's category; or at or above the Procurement Act
    threshold. Both thresholds are read from the policy version the procurement was planned
    under, so a later change of policy does not move last year's procurements between bands.
    """

    code = "value-band"
    BELOW = "below-social-value-threshold"
    ABOVE_SOCIAL_VALUE = "social-value-threshold-to-procurement-act-threshold"
    ABOVE_PROCUREMENT_ACT = "procurement-act-threshold-and-above"
    LABELS = {
        BELOW: "Below the policy's social value threshold",
        ABOVE_SOCIAL_VALUE: "From the social value threshold to the Procurement Act threshold",
        ABOVE_PROCUREMENT_ACT: "At or above the Procurement Act threshold",
    }

    def band(
        self, *, value_pence: int, social_value_threshold_pence: int, procurement_act_pence: int
    ) -> str:
        if value_pence < social_value_threshold_pence:
            return self.BELOW
        if value_pence < procurement_act_pence:
            return self.ABOVE_SOCIAL_VALUE
        return self.ABOVE_PROCUREMENT_ACT


@dataclass(frozen=True)
class Change:
    """A figure this year beside last year's: the difference, and the percentage change where
    last year's figure was not zero. Differences are between the same figure in two years,
    never between committed, claimed and verified."""

    value: Decimal | int | None
    previous: Decimal | int | None
    difference: Decimal | int | None
    percent: Decimal | None


def change(value: Decimal | int | None, previous: Decimal | int | None) -> Change:
    if value is None or previous is None:
        return Change(value, previous, None, None)
    difference = value - previous
    return Change(value, previous, difference, percent(difference, previous))
