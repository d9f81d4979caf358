"""Price indices that move £ amounts from one year's prices to another's.

Proxy values are published in the prices of one year; reports compare offers in the prices of a
single year. A deflator series (for example HM Treasury's GDP deflators, published under the Open
Government Licence) re-bases an amount: amount × index[to] ÷ index[from].
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType


class MissingDeflatorYear(ValueError):
    """The series has no index for a year a calculation needs."""

    def __init__(self, series_title: str, year: int, years_covered: tuple[int, ...]) -> None:
        self.series_title = series_title
        self.year = year
        self.years_covered = years_covered
        covered = (
            f"it covers {years_covered[0]}–{years_covered[-1]}" if years_covered else "it is empty"
        )
        missing_inside = years_covered and years_covered[0] < year < years_covered[-1]
        gap = " (a gap inside the series)" if missing_inside else ""
        super().__init__(
            f"Deflator series {series_title!r} has no index for {year}{gap}; {covered}"
        )


@dataclass(frozen=True)
class DeflatorSeries:
    """A price index by year, with the source, link and licence it was taken from."""

    index_by_year: Mapping[int, Decimal]
    source_title: str
    source_url: str
    licence: str

    def __post_init__(self) -> None:
        for year, index in self.index_by_year.items():
            if not isinstance(index, Decimal):
                raise TypeError(
                    f"Deflator series {self.source_title!r}: index for {year} must be a Decimal, "
                    f"got {type(index).__name__} {index!r}"
                )
            if not index.is_finite() or index <= 0:
                raise ValueError(
                    f"Deflator series {self.source_title!r}: index for {year} must be above 0, "
                    f"got {index}"
                )
        # Freeze a private copy so that nobody can change the series under a stored result.
        frozen = MappingProxyType(dict(sorted(self.index_by_year.items())))
        object.__setattr__(self, "index_by_year", frozen)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.index_by_year)

    def index_for(self, year: int) -> Decimal:
        try:
            return self.index_by_year[year]
        except KeyError:
            raise MissingDeflatorYear(self.source_title, year, self.years) from None

    def factor(self, from_year: int, to_year: int) -> Decimal:
        """The multiplier index[to] ÷ index[from], unrounded."""
        return self.index_for(to_year) / self.index_for(from_year)

    def rebase(self, amount: Decimal, from_year: int, to_year: int) -> Decimal:
        """Move `amount` from `from_year` prices to `to_year` prices, unrounded.

        Rounding is left to the caller, who rounds once at the end of its own calculation.
        """
        from_index = self.index_for(from_year)
        to_index = self.index_for(to_year)
        return amount * to_index / from_index


def price_year_for(
    *,
    proxy_years: Iterable[int],
    issue_year: int,
    deflator: DeflatorSeries,
    chosen_by_council: bool,
) -> int:
    """The year whose prices a tender's offers are valued in.

    With a deflator the council chose for its measure set, the year the tender is issued. With
    no choice made, and every £ value per unit in the prices of one year, that year: nothing
    has to be re-based. Otherwise the values are re-based with the default series (HM
    Treasury's GDP deflator) to the issue year, or to the latest year the series covers when it
    ends before the issue year; a value in the prices of a year the series does not cover cannot
    be re-based, and the valuation says so.
    """
    if chosen_by_council:
        return issue_year
    years = set(proxy_years)
    if len(years) == 1:
        return years.pop()
    if not years or not deflator.years:
        return issue_year
    return min(issue_year, deflator.years[-1])
