"""Builders for contracts tests: a small framework, a council measure set and a contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commonweal.accounts.models import Organisation, User
from commonweal.contracts.models import Contract
from commonweal.contracts.services import CommitmentInput, contract_create
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    LocalMeasureSet,
    LocalMeasureSetItem,
    LocalMeasureSetVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
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
    framework = Framework.objects.create(
        owner=council,
        slug="test-framework",
        name="Test framework",
        publisher="Test",
        licence="OGL v3.0",
    )
    version = FrameworkVersion.objects.create(
        framework=framework,
        year=2025,
        in_force_from=date(2025, 4, 1),
        price_base_year=2025,
        status=VersionStatus.PUBLISHED,
    )
    jobs_theme = Theme.objects.create(version=version, code="J", name="Jobs")
    env_theme = Theme.objects.create(version=version, code="E", name="Environment")
    jobs_outcome = Outcome.objects.create(theme=jobs_theme, code="J1", name="Local jobs")
    skills_outcome = Outcome.objects.create(theme=jobs_theme, code="J2", name="Skills")
    carbon_outcome = Outcome.objects.create(theme=env_theme, code="E1", name="Net zero")
    jobs = Measure.objects.create(
        version=version,
        outcome=jobs_outcome,
        code="RM1",
        title="Local people employed",
        unit="FTE",
        value_type="monetised",
        tags=["local-employment"],
        position=1,
    )
    ProxyValue.objects.create(
        measure=jobs,
        amount_per_unit=Decimal("10000"),
        price_year=2025,
        source_title="Test proxy",
        licence="OGL v3.0",
    )
    volunteering = Measure.objects.create(
        version=version,
        outcome=skills_outcome,
        code="RM2",
        title="Volunteering hours",
        unit="hours",
        value_type="monetised",
        tags=["volunteering-hours"],
        position=2,
    )
    ProxyValue.objects.create(
        measure=volunteering,
        amount_per_unit=Decimal("16.93"),
        price_year=2025,
        source_title="Essex County Council staff-time rate",
        licence="OGL v3.0",
    )
    carbon = Measure.objects.create(
        version=version,
        outcome=carbon_outcome,
        code="RM3",
        title="Carbon saved",
        unit="tCO2e",
        value_type="record_only",
        position=3,
    )
    measure_set = LocalMeasureSet.objects.create(owner=council, name="Rotherham measures")
    set_version = LocalMeasureSetVersion.objects.create(
        measure_set=measure_set,
        number=1,
        status=VersionStatus.PUBLISHED,
        in_force_from=date(2025, 4, 1),
    )
    for position, measure in enumerate((jobs, volunteering, carbon)):
        LocalMeasureSetItem.objects.create(
            set_version=set_version, measure=measure, position=position
        )
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
