"""Measures and the £ proxy values that turn a quantity into social value.

A measure sits in a framework as theme → outcome → measure. Only a *monetised* measure has a
£ proxy per unit, and that proxy must say where it comes from and under which licence, so that
every pound in a report can be traced to an open source.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from commonweal.valuation.tags import ALL_TAGS, NEGATIVE_QUANTITIES_ALLOWED

EARLIEST_PRICE_YEAR = 1900
LATEST_PRICE_YEAR = 2100


class ValueType(StrEnum):
    """How a measure's quantity is reported."""

    MONETISED = "monetised"
    """Quantity × £ proxy per unit gives social value in pounds."""
    RECORD_ONLY = "record_only"
    """Counted in its own unit (for example tCO2e or hours) and never turned into pounds."""
    QUALITATIVE = "qualitative"
    """Described in words and scored by evaluators; any quantity is kept in its own unit."""


class ProxyConfidence(StrEnum):
    """How much weight the council puts on a proxy value, as recorded in its framework."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class ProxyValue:
    """A £ value per unit of a measure, in the prices of one year, with its provenance."""

    amount_per_unit: Decimal
    price_year: int
    source_title: str
    source_url: str
    licence: str
    confidence: ProxyConfidence = ProxyConfidence.MEDIUM

    def __post_init__(self) -> None:
        if not isinstance(self.amount_per_unit, Decimal):
            raise TypeError(
                f"Proxy amount_per_unit must be a Decimal, got {type(self.amount_per_unit).__name__} "
                f"{self.amount_per_unit!r} (source {self.source_title!r})"
            )
        if not self.amount_per_unit.is_finite() or self.amount_per_unit < 0:
            raise ValueError(
                f"Proxy amount_per_unit must be a finite amount of at least £0, got "
                f"{self.amount_per_unit} (source {self.source_title!r})"
            )
        if not EARLIEST_PRICE_YEAR <= self.price_year <= LATEST_PRICE_YEAR:
            raise ValueError(
                f"Proxy price_year must be between {EARLIEST_PRICE_YEAR} and {LATEST_PRICE_YEAR}, "
                f"got {self.price_year} (source {self.source_title!r})"
            )

    @property
    def has_provenance(self) -> bool:
        """True when the proxy names both its source and its licence."""
        return bool(self.source_title.strip()) and bool(self.licence.strip())

    @property
    def citation(self) -> str:
        """One line naming the source, its price year and licence, for explanations and reports."""
        link = f", {self.source_url}" if self.source_url.strip() else ""
        return f"{self.source_title}{link}, price year {self.price_year}, licence {self.licence}"


@dataclass(frozen=True)
class MeasureSpec:
    """One measure of a framework version, as the engine needs it."""

    code: str
    title: str
    unit: str
    value_type: ValueType
    theme: str
    outcome: str
    proxy: ProxyValue | None = None
    tags: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ValueError(f"Measure code must not be blank (measure titled {self.title!r})")
        if not self.unit.strip():
            raise ValueError(f"Measure {self.code} must name its unit (for example 'hours')")
        unknown = sorted(set(self.tags) - ALL_TAGS)
        if unknown:
            raise ValueError(
                f"Measure {self.code} has unknown tags {unknown}; known tags are {sorted(ALL_TAGS)}"
            )
        if self.value_type is ValueType.MONETISED:
            if self.proxy is None:
                raise ValueError(
                    f"Measure {self.code} is monetised but has no £ proxy value; give it a proxy "
                    "with a source and licence, or make it record-only"
                )
            if not self.proxy.has_provenance:
                raise ValueError(
                    f"Measure {self.code} is monetised but its proxy of £{self.proxy.amount_per_unit} "
                    f"per {self.unit} does not name both a source and a licence "
                    f"(source {self.proxy.source_title!r}, licence {self.proxy.licence!r}); "
                    "values without a traceable open source are not used"
                )
        elif self.proxy is not None:
            raise ValueError(
                f"Measure {self.code} is {self.value_type.value} and so must not carry a £ proxy; "
                "make it monetised to value it in pounds"
            )

    def allows_negative_quantities(self) -> bool:
        return NEGATIVE_QUANTITIES_ALLOWED in self.tags

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags


def index_measures(measures: Iterable[MeasureSpec]) -> dict[str, MeasureSpec]:
    """Key measures by code, refusing two measures with the same code."""
    by_code: dict[str, MeasureSpec] = {}
    for measure in measures:
        if measure.code in by_code:
            raise ValueError(f"Two measures share the code {measure.code!r}; codes must be unique")
        by_code[measure.code] = measure
    return by_code
