"""Carbon values for appraisal: £ per tonne of CO2 equivalent by year, on a low, central and
high path, in the prices of one year (DESNZ publishes them in 2022 prices)."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from commonweal.valuation.measures import ProxyConfidence, ProxyValue


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
