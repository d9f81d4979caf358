"""Carbon values for appraisal: £ per tonne of CO2 equivalent by year, on a low, central and
high path, in the prices of one year (DESNZ publishes them in 2022 prices)."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from commonweal.valuation.measures import MeasureSpec, ProxyConfidence, ProxyValue, ValueType


class CarbonPath(StrEnum):
    LOW = "low"
    CENTRAL = "central"
    HIGH = "high"


@dataclass(frozen=True)
class CarbonValue:
    """One year's carbon values, £ per tCO2e."""

    year: int
    low: Decimal
    central: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        for path in CarbonPath:
            amount = self.on(path)
            if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
                raise ValueError(f"The {path} carbon value for {self.year} must be above £0")
        if not self.low <= self.central <= self.high:
            raise ValueError(f"The carbon values for {self.year} must rise from low to high")

    @classmethod
    def one_value(cls, year: int, amount: Decimal) -> "CarbonValue":
        """A year of a series that gives one value, not a low, central and high path (a
        council's own series): the one value serves every path."""
        return cls(year=year, low=amount, central=amount, high=amount)

    def on(self, path: CarbonPath) -> Decimal:
        amount: Decimal = getattr(self, path.value)
        return amount


class MissingCarbonYear(ValueError):
    """The series has no carbon value for a year a calculation needs."""


@dataclass(frozen=True)
class CarbonValueSeries:
    """Carbon values by year, with the source, price year and licence they were taken from.

    `name` is how a page names the series ("DESNZ carbon value", or a council's own series by
    its name). A series with `has_paths` gives a low, central and high value a year (DESNZ); one
    without gives one value a year, so only its central path may be chosen.
    """

    values: Mapping[int, CarbonValue]
    price_year: int
    source_title: str
    source_url: str
    licence: str
    name: str = "DESNZ carbon value"
    has_paths: bool = True

    def __post_init__(self) -> None:
        for year, value in self.values.items():
            if value.year != year:
                raise ValueError(f"The carbon value filed under {year} is for {value.year}")
        object.__setattr__(self, "values", MappingProxyType(dict(sorted(self.values.items()))))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.values)

    def value_for(self, year: int, path: CarbonPath = CarbonPath.CENTRAL) -> Decimal:
        try:
            return self.values[year].on(path)
        except KeyError:
            covered = f"{self.years[0]}–{self.years[-1]}" if self.years else "no years"
            raise MissingCarbonYear(
                f"{self.source_title} has no carbon value for {year}; it covers {covered}"
            ) from None

    def value_words(self, year: int, path: CarbonPath = CarbonPath.CENTRAL) -> str:
        """The value a rule uses, in words: "the central DESNZ carbon value for 2027", or
        "the value for 2027 in Rotherham carbon values" for a series with one value a year."""
        if self.has_paths:
            return f"the {path.value} {self.name} for {year}"
        return f"the value for {year} in {self.name}"

    def proxy_for(self, year: int, path: CarbonPath = CarbonPath.CENTRAL) -> ProxyValue:
        """The £ per tCO2e of one year and path as a measure's proxy value, in the series'
        price year, citing the series."""
        which = f"{path.value} value" if self.has_paths else "value"
        return ProxyValue(
            amount_per_unit=self.value_for(year, path),
            price_year=self.price_year,
            source_title=f"{self.source_title}, {which} for {year}",
            source_url=self.source_url,
            licence=self.licence,
            confidence=ProxyConfidence.HIGH,
        )


CARBON_UNITS = frozenset({"tco2e"})
"""Units a carbon saving is counted in (compared in lower case)."""


def is_valued_with(measure: MeasureSpec, series: CarbonValueSeries) -> bool:
    """Whether a measure is a carbon saving valued with this carbon series: monetised, counted in
    tonnes of CO2 equivalent, with a proxy citing the same publication as the series."""
    proxy = measure.proxy
    return (
        measure.value_type is ValueType.MONETISED
        and proxy is not None
        and proxy.source_url == series.source_url
        and measure.unit.strip().lower() in CARBON_UNITS
    )


@dataclass(frozen=True)
class CarbonValuedByDeliveryYear:
    """A carbon saving is valued at the carbon value of the calendar year it is delivered in.

    It applies to a monetised measure counted in tonnes of CO2 equivalent whose proxy is the
    DESNZ carbon value (the proxy cites the same publication as `recognised_by`, the DESNZ
    series; without it, as `series`). The values come from `series`: DESNZ's own, or a series
    the council loaded and chose for its measure set version instead. Contract year 1
    falls in `first_year` and each later contract year in the next calendar year: for a contract
    with a start date, the year it starts; for an offer at tender, when no start date is known,
    the tender's price year. That year's value on the chosen path (central unless a council
    chooses low or high) replaces the measure's single proxy; it is in the series' price year, so
    it is then re-based, and deadweight and attribution applied, like any other proxy. A year the
    series does not cover is a problem with the line, never a guess.
    """

    series: CarbonValueSeries
    first_year: int
    first_year_basis: str
    """Why contract year 1 is `first_year`, in words: "the contract starts in 2025"."""
    path: CarbonPath = CarbonPath.CENTRAL
    recognised_by: CarbonValueSeries | None = None
    """The series whose publication marks a carbon measure's proxy, when `series` is another."""

    def __post_init__(self) -> None:
        if not self.series.has_paths and self.path is not CarbonPath.CENTRAL:
            raise ValueError(
                f"{self.series.name} gives one value a year, so it has no {self.path.value} path"
            )

    def applies_to(self, measure: MeasureSpec) -> bool:
        return is_valued_with(measure, self.recognised_by or self.series)

    def calendar_year(self, contract_year: int) -> int:
        return self.first_year + contract_year - 1

    def proxy_for(self, contract_year: int) -> ProxyValue:
        return self.series.proxy_for(self.calendar_year(contract_year), self.path)

    def explanation(self, contract_year: int) -> str:
        year = self.calendar_year(contract_year)
        return (
            f"carbon is valued by the year it is saved in: contract year {contract_year} counts "
            f"as {year} ({self.first_year_basis}), so "
            f"{self.series.value_words(year, self.path)} is used"
        )

    @property
    def rule_text(self) -> str:
        """The rule in one sentence, for the pages that show a carbon value."""
        which = (
            f"the {self.path.value} {self.series.name}"
            if self.series.has_paths
            else f"the values in {self.series.name} ({self.series.source_title}, "
            f"{self.series.price_year} prices)"
        )
        return (
            f"Carbon savings are valued at {which} for the "
            f"calendar year they are saved in: contract year 1 counts as {self.first_year} "
            f"({self.first_year_basis}), year 2 as {self.first_year + 1}, and so on."
        )

    @property
    def citation(self) -> str:
        """The series the rule reads: publication, link, price year and licence."""
        series = self.series
        return (
            f"{series.source_title}, {series.source_url}, {series.price_year} prices, "
            f"licence {series.licence}"
        )
