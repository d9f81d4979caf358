"""Builders for contracts tests: a small framework, a council measure set and a contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commonweal.accounts.models import Organisation, User
from commonweal.contracts.models import Contract
from commonweal.contracts.services import CommitmentInput, contract_create
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure
from tests.factories import (
    FrameworkVersionFactory,
    MeasureFactory,
    OutcomeFactory,
    ProxyValueFactory,
    ThemeFactory,
    desnz_carbon_measure,
    published_set,
)


@dataclass
class Measures:
    version: LocalMeasureSetVersion
    jobs: Measure
    """Local people employed, FTE, £10,000 per FTE (2025 prices)."""
    volunteering: Measure
    """Volunteering hours, £16.93 per hour (Essex's staff-time rate, 2025 prices)."""
    carbon: Measure
    """Carbon saved, tCO2e, record only."""


def build_measures(council: Organisation) -> Measures:
    version = FrameworkVersionFactory(
        framework__owner=council, framework__slug="test-framework", year=2025
    )
    jobs_theme = ThemeFactory(version=version, code="J", name="Jobs")
    env_theme = ThemeFactory(version=version, code="E", name="Environment")
    jobs = MeasureFactory(
        outcome=OutcomeFactory(theme=jobs_theme, code="J1", name="Local jobs"),
        code="RM1",
        title="Local people employed",
        tags=["local-employment"],
        position=1,
    )
    ProxyValueFactory(measure=jobs, amount_per_unit=Decimal("10000"), source_title="Test proxy")
    volunteering = MeasureFactory(
        outcome=OutcomeFactory(theme=jobs_theme, code="J2", name="Skills"),
        code="RM2",
        title="Volunteering hours",
        unit="hours",
        tags=["volunteering-hours"],
        position=2,
    )
    ProxyValueFactory(
        measure=volunteering,
        amount_per_unit=Decimal("16.93"),
        source_title="Essex County Council staff-time rate",
    )
    carbon = MeasureFactory(
        outcome=OutcomeFactory(theme=env_theme, code="E1", name="Net zero"),
        code="RM3",
        title="Carbon saved",
        unit="tCO2e",
        value_type="record_only",
        position=3,
    )
    set_version = published_set(council, [jobs, volunteering, carbon])
    return Measures(set_version, jobs, volunteering, carbon)


def build_contract(
    council: Organisation,
    supplier: Organisation,
    measures: Measures,
    *,
    reference: str = "RMBC-2025-001",
    value_pence: int = 50_000_000,
    contract_manager: User | None = None,
    by: User | None = None,
    title: str = "School meals",
    directorate: str = "Children and Young People's Services",
) -> Contract:
    """A two-year contract from 1 April 2025 with jobs, volunteering and carbon commitments."""
    return contract_create(
        council=council,
        supplier=supplier,
        title=title,
        reference=reference,
        value_pence=value_pence,
        start_date=date(2025, 4, 1),
        end_date=date(2027, 3, 31),
        directorate=directorate,
        contract_manager=contract_manager,
        measure_set_version=measures.version,
        price_year=2025,
        commitments=[
            CommitmentInput(measures.jobs, {1: Decimal("2"), 2: Decimal("2")}),
            CommitmentInput(measures.volunteering, {1: Decimal("400"), 2: Decimal("400")}),
            CommitmentInput(measures.carbon, {1: Decimal("10"), 2: Decimal("12")}),
        ],
        source="manual",
        by=by,
    )


def desnz_carbon_measures(council: Organisation) -> tuple[LocalMeasureSetVersion, Measure]:
    """A published measure set with one carbon measure valued, like the open measures' CW-ENV-01,
    with the shipped DESNZ series' central 2025 value (£273.06 per tCO2e in 2022 prices), so
    the rule that values carbon by the year it is saved in applies to it."""
    version = FrameworkVersionFactory(
        framework__owner=council, framework__slug="carbon-framework", year=2025
    )
    carbon = desnz_carbon_measure(
        OutcomeFactory(
            theme=ThemeFactory(version=version, code="ENV", name="Environment"),
            code="ENV-1",
            name="Lower greenhouse gas emissions",
        )
    )
    return published_set(council, [carbon]), carbon
