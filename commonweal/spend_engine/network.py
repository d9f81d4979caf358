"""An anchor network's pooled spend figures: its members' own yearly analyses added up.

Members agree to pool their headline figures, not to show each other their suppliers, so
only totals cross from one member to another, and only when enough members contribute that
no member's figures can be worked out from the total (``NetworkPooling``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from commonweal.spend_engine.analysis import Share, YearAnalysis, percent_of


@dataclass(frozen=True)
class NetworkYear:
    """The pooled figures of one financial year; shares are of the pooled total."""

    financial_year: str
    member_count: int
    payment_count: int
    total_pence: int
    in_borough: Share
    in_combined_authority: Share
    in_region: Share
    in_deprived_area: Share
    with_sme: Share
    with_vcse: Share


@dataclass(frozen=True)
class NetworkPooling:
    """An anchor network's figures for a year are the sums of its members' own figures for that
    year, each member's suppliers placed against that member's own local areas and deprivation
    threshold, and the shares are worked out from those sums (not averaged). They are shown only
    when at least ``minimum_members`` members have spend in the year: with two, either member
    could take its own figures from the total and read the other's."""

    minimum_members: int = 3

    def pool(self, financial_year: str, member_years: Sequence[YearAnalysis]) -> NetworkYear | None:
        """The pooled year, or None when too few members have spend in it to show it."""
        years = [y for y in member_years if y.financial_year == financial_year]
        if len(years) < self.minimum_members:
            return None
        total = sum(y.total_pence for y in years)

        def pooled(share_of: Callable[[YearAnalysis], Share]) -> Share:
            pence = sum(share_of(y).pence for y in years)
            return Share(pence, percent_of(pence, total))

        return NetworkYear(
            financial_year=financial_year,
            member_count=len(years),
            payment_count=sum(y.payment_count for y in years),
            total_pence=total,
            in_borough=pooled(lambda y: y.in_borough),
            in_combined_authority=pooled(lambda y: y.in_combined_authority),
            in_region=pooled(lambda y: y.in_region),
            in_deprived_area=pooled(lambda y: y.in_deprived_area),
            with_sme=pooled(lambda y: y.with_sme),
            with_vcse=pooled(lambda y: y.with_vcse),
        )
