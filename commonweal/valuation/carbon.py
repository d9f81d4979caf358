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

    def on(self, path: CarbonPath) -> Decimal:
        amount: Decimal = getattr(self, path.value)
        return amount


class MissingCarbonYear(ValueError):
    """The series has no carbon value for a year a calculation needs."""


@dataclass(frozen=True)
class CarbonValueSeries:
    """Carbon values by year, with the source, price year and licence they were taken from."""

    values: Mapping[int, CarbonValue]
    price_year: int
    source_title: str
    source_url: str
    licence: str

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

    def proxy_for(self, year: int, path: CarbonPath = CarbonPath.CENTRAL) -> ProxyValue:
        """The £ per tCO2e of one year and path as a measure's proxy value, in the series'
        price year, citing the series."""
        return ProxyValue(
            amount_per_unit=self.value_for(year, path),
            price_year=self.price_year,
            source_title=f"{self.source_title}, {path.value} value for {year}",
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
    DESNZ carbon value (the proxy cites the same publication as the series). Contract year 1
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

    def applies_to(self, measure: MeasureSpec) -> bool:
        return is_valued_with(measure, self.series)

    def calendar_year(self, contract_year: int) -> int:
        return self.first_year + contract_year - 1

    def proxy_for(self, contract_year: int) -> ProxyValue:
        return self.series.proxy_for(self.calendar_year(contract_year), self.path)

    def explanation(self, contract_year: int) -> str:
        year = self.calendar_year(contract_year)
        return (
            f"carbon is valued by the year it is saved in: contract year {contract_year} counts "
            f"as {year} ({self.first_year_basis}), so the {self.path.value} carbon value for "
            f"{year} is used"
        )

    @property
    def rule_text(self) -> str:
        """The rule in one sentence, for the pages that show a carbon value."""
        return (
            f"Carbon savings are valued at the {self.path.value} DESNZ carbon value for the "
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
