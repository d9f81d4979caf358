"""Writes for delivery plans, council monitoring settings and milestones."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commonweal.accounts.models import Organisation, User
from commonweal.contracts.models import Commitment, Contract, ReportingFrequency
from commonweal.core.audit import acting_as
from commonweal.monitoring.models import (
    Milestone,
    MilestoneStatus,
    MonitoringSettings,
    PeriodTarget,
    ReportingPeriod,
)
from commonweal.monitoring.periods import default_targets, periods_between
from commonweal.valuation import RagThresholds


def plain(number: Decimal) -> str:
    """A quantity without trailing zeros or exponent: 2.5000 → 2.5, 400.00 → 400."""
    return f"{number.normalize():f}"


def settings_for(council: Organisation | int) -> MonitoringSettings:
    """The council's settings in force: the latest version, or the defaults if never changed."""
    council_id = council if isinstance(council, int) else council.pk
    latest = MonitoringSettings.objects.filter(council_id=council_id).order_by("-version").first()
    return latest or MonitoringSettings(council_id=council_id, version=0)


def thresholds_of(settings: MonitoringSettings) -> RagThresholds:
    return RagThresholds(green_at=settings.rag_green_at, amber_at=settings.rag_amber_at)


def settings_update(*, council: Organisation, by: User, **fields: Any) -> MonitoringSettings:
    """Save a new version of the council's settings; earlier versions are kept."""
    current = settings_for(council)
    new = MonitoringSettings(
        council=council,
        version=current.version + 1,
        delivery_plan_band_pence=current.delivery_plan_band_pence,
        rag_green_at=current.rag_green_at,
        rag_amber_at=current.rag_amber_at,
        kpi_threshold_pence=current.kpi_threshold_pence,
        return_due_days=current.return_due_days,
        reminder_days_before=current.reminder_days_before,
        changed_by=by,
    )
    for name, value in fields.items():
        setattr(new, name, value)
    new.full_clean()
    with transaction.atomic(), acting_as(by):
        new.save()
    return new


def needs_full_plan(contract: Contract, settings: MonitoringSettings | None = None) -> bool:
    """Contracts at or above the council's band get a full delivery plan; smaller ones a
    milestone tracker (Rotherham: £250,000)."""
    settings = settings or settings_for(contract.council_id)
    return contract.value_pence >= settings.delivery_plan_band_pence


def _quantities(commitment: Commitment) -> dict[int, Decimal]:
    return {year.contract_year: year.quantity for year in commitment.years.all()}


def plan_periods(*, contract: Contract, by: User | None) -> list[ReportingPeriod]:
    """Create the contract's reporting periods and split each commitment into default targets.

    Called when the contract is created; does nothing if the periods already exist.
    """
    if ReportingPeriod.objects.filter(contract=contract).exists():
        return list(ReportingPeriod.objects.filter(contract=contract))
    settings = settings_for(contract.council_id)
    due_after = timedelta(days=settings.return_due_days)
    monthly = contract.reporting_frequency == ReportingFrequency.MONTHLY
    with transaction.atomic(), acting_as(by):
        periods = ReportingPeriod.objects.bulk_create(
            ReportingPeriod(
                contract=contract,
                label=period.label,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                due_on=period.ends_on + due_after,
                contract_year=contract.contract_year_of(period.starts_on),
                position=position,
            )
            for position, period in enumerate(
                periods_between(contract.start_date, contract.end_date, monthly=monthly)
            )
        )
        periods = list(ReportingPeriod.objects.filter(contract=contract).order_by("position"))
        for commitment in contract.commitments.prefetch_related("years"):
            _write_default_targets(commitment, periods)
    return periods


def _write_default_targets(commitment: Commitment, periods: list[ReportingPeriod]) -> None:
    targets = default_targets(_quantities(commitment), [p.contract_year for p in periods])
    PeriodTarget.objects.bulk_create(
        PeriodTarget(commitment=commitment, period=period, target=target)
        for period, target in zip(periods, targets, strict=True)
    )


def targets_reset(*, commitment: Commitment, by: User | None) -> None:
    """Split a varied commitment's quantities into default targets again."""
    periods = list(ReportingPeriod.objects.filter(contract_id=commitment.contract_id))
    with transaction.atomic(), acting_as(by):
        PeriodTarget.objects.filter(commitment=commitment).delete()
        _write_default_targets(commitment, periods)


def targets_update(
    *, contract: Contract, targets: Mapping[tuple[int, int], Decimal], by: User
) -> None:
    """Set targets keyed by (commitment id, period id). Each contract year's targets must add up
    to the quantity committed for that year, so the plan never drifts from the contract."""
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(contract=contract)}
    problems: list[str] = []
    for commitment in contract.commitments.select_related("measure").prefetch_related("years"):
        committed = _quantities(commitment)
        planned: dict[int, Decimal] = {}
        for (commitment_id, period_id), target in targets.items():
            if commitment_id == commitment.pk:
                year = periods[period_id].contract_year
                planned[year] = planned.get(year, Decimal(0)) + target
        for year in sorted(set(committed) | set(planned)):
            if planned.get(year, Decimal(0)) != committed.get(year, Decimal(0)):
                problems.append(
                    f"{commitment.measure.code} year {year}: the targets add up to "
                    f"{plain(planned.get(year, Decimal(0)))} but "
                    f"{plain(committed.get(year, Decimal(0)))} {commitment.measure.unit} was "
                    "committed; make them add up to the commitment"
                )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), acting_as(by):
        for (commitment_id, period_id), target in targets.items():
            PeriodTarget.objects.filter(commitment_id=commitment_id, period_id=period_id).update(
                target=target
            )


def milestone_create(
    *,
    contract: Contract,
    description: str,
    due_on: date,
    commitment: Commitment | None,
    by: User,
) -> Milestone:
    milestone = Milestone(
        contract=contract, description=description, due_on=due_on, commitment=commitment
    )
    milestone.full_clean()
    with transaction.atomic(), acting_as(by):
        milestone.save()
    return milestone


def milestone_set_status(*, milestone: Milestone, status: str, by: User) -> Milestone:
    if status not in MilestoneStatus.values:
        raise ValidationError({"status": "Choose a status"})
    milestone.status = status
    with transaction.atomic(), acting_as(by):
        milestone.save(update_fields=["status"])
    return milestone
