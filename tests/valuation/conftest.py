"""A small, made-up measure framework and deflator series for the valuation tests.

The proxy values here are invented for testing; they are not National TOMs or HACT values.
"""

from collections.abc import Callable
from decimal import Decimal

import pytest

from commonweal.valuation import DeflatorSeries, MeasureSpec, ProxyValue, ValueType, tags

TEST_SOURCE = "Test proxy values (invented for tests)"
TEST_LICENCE = "CC0-1.0"


def proxy(amount: str, price_year: int = 2025) -> ProxyValue:
    return ProxyValue(
        amount_per_unit=Decimal(amount),
        price_year=price_year,
        source_title=TEST_SOURCE,
        source_url="https://example.org/proxies",
        licence=TEST_LICENCE,
    )


def monetised(
    code: str,
    amount: str,
    *,
    unit: str = "units",
    theme: str = "Jobs",
    outcome: str = "More local people in work",
    price_year: int = 2025,
    tag_set: frozenset[str] = frozenset(),
) -> MeasureSpec:
    return MeasureSpec(
        code=code,
        title=f"Measure {code}",
        unit=unit,
        value_type=ValueType.MONETISED,
        theme=theme,
        outcome=outcome,
        proxy=proxy(amount, price_year),
        tags=tag_set,
    )


def record_only(code: str, *, unit: str, theme: str = "Environment") -> MeasureSpec:
    return MeasureSpec(
        code=code,
        title=f"Measure {code}",
        unit=unit,
        value_type=ValueType.RECORD_ONLY,
        theme=theme,
        outcome="Lower emissions",
        tags=frozenset({tags.ENVIRONMENT}),
    )


@pytest.fixture
def framework() -> dict[str, MeasureSpec]:
    """Measures tagged the way the counting rules expect."""
    measures = [
        monetised(
            "JOB-LOCAL",
            "30000",
            unit="FTE-years",
            tag_set=frozenset({tags.LOCAL_EMPLOYMENT, tags.EMPLOYMENT_AND_SKILLS}),
        ),
        monetised(
            "JOB-CARE-LEAVER",
            "5000",
            unit="FTE-years",
            tag_set=frozenset({tags.DISADVANTAGED, tags.EMPLOYMENT_AND_SKILLS}),
        ),
        monetised(
            "JOB-EX-OFFENDER",
            "6000",
            unit="FTE-years",
            tag_set=frozenset({tags.DISADVANTAGED, tags.EMPLOYMENT_AND_SKILLS}),
        ),
        monetised(
            "SPEND-LOCAL",
            "0.10",
            unit="£",
            theme="Growth",
            outcome="More spend with local firms",
            tag_set=frozenset({tags.LOCAL_SUPPLY_CHAIN_SPEND}),
        ),
        monetised(
            "VOLUNTEER",
            "16.93",
            unit="hours",
            theme="Social",
            outcome="Stronger communities",
            tag_set=frozenset({tags.VOLUNTEERING_HOURS}),
        ),
        monetised(
            "TRAINING",
            "12.00",
            unit="hours",
            theme="Jobs",
            outcome="Better skills",
            tag_set=frozenset({tags.TRAINING_HOURS, tags.EMPLOYMENT_AND_SKILLS}),
        ),
        record_only("CARBON", unit="tCO2e"),
        MeasureSpec(
            code="WELLBEING-PLAN",
            title="Staff wellbeing plan",
            unit="plans",
            value_type=ValueType.QUALITATIVE,
            theme="Social",
            outcome="Healthier workforce",
        ),
    ]
    return {measure.code: measure for measure in measures}


@pytest.fixture
def deflator() -> DeflatorSeries:
    """A made-up index, shaped like HM Treasury's GDP deflator series."""
    return DeflatorSeries(
        index_by_year={
            2021: Decimal("100.0"),
            2022: Decimal("105.0"),
            2024: Decimal("102.5"),
            2025: Decimal("110.0"),
        },
        source_title="Test GDP deflators",
        source_url="https://example.org/deflators",
        licence="OGL-UK-3.0",
    )


@pytest.fixture
def make_monetised() -> Callable[..., MeasureSpec]:
    """Builds one monetised measure with an invented, fully sourced proxy."""
    return monetised
