"""A small world of frameworks and a local measure set for page, API and service tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commonweal.accounts.models import Organisation
from commonweal.frameworks import local_sets, services
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    LocalMeasureSet,
    LocalMeasureSetVersion,
    Measure,
    ProxyValue,
)
from tests.frameworks.sample_frameworks import import_sample


@dataclass
class MeasuresWorld:
    shipped_2024: FrameworkVersion
    shipped_2025: FrameworkVersion
    licensed: FrameworkVersion
    carbon: Measure
    licensed_carbon: Measure
    measure_set: LocalMeasureSet
    set_version: LocalMeasureSetVersion


def build_measures_world(council: Organisation) -> MeasuresWorld:
    """A shipped framework in two years (carbon re-valued), a council's licensed framework with
    restricted values, and the council's published measure set of two shipped measures."""
    shipped_2024 = import_sample(None, slug="shipped-sample", year=2024)
    services.framework_version_publish(version=shipped_2024, by=None)
    shipped_2025 = services.framework_version_copy(
        version=shipped_2024, year=2025, in_force_from=date(2025, 4, 1), by=None
    )
    ProxyValue.objects.filter(measure__version=shipped_2025, measure__code="T-ENV-01").update(
        amount_per_unit=Decimal("250.00")
    )
    services.framework_version_publish(version=shipped_2025, by=None)
    licensed = import_sample(council, slug="licensed-bank", restricted=True)
    Framework.objects.filter(pk=licensed.framework_id).update(name="Licensed value bank")
    licensed.refresh_from_db()
    services.framework_version_publish(version=licensed, by=None)
    carbon = Measure.objects.get(version=shipped_2025, code="T-ENV-01")
    measure_set = local_sets.measure_set_create(
        owner=council, name="Rotherham Social Value Measures", by=None
    )
    set_version = measure_set.versions.get()
    for measure in Measure.objects.filter(version=shipped_2025).order_by("code")[:2]:
        local_sets.set_item_add(set_version=set_version, measure=measure, by=None)
    local_sets.set_version_publish(set_version=set_version, in_force_from=date(2025, 4, 1), by=None)
    return MeasuresWorld(
        shipped_2024=shipped_2024,
        shipped_2025=shipped_2025,
        licensed=licensed,
        carbon=carbon,
        licensed_carbon=Measure.objects.get(version=licensed, code="T-ENV-01"),
        measure_set=measure_set,
        set_version=set_version,
    )
