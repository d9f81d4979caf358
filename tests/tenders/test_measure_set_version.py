"""Offers are valued with the measure set version in force when the tender was issued."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commonweal.frameworks.models import (
    FrameworkVersion,
    LocalMeasureSetItem,
    LocalMeasureSetVersion,
    Measure,
    ProxyValue,
    VersionStatus,
)
from commonweal.tenders import services
from commonweal.tenders.selectors import tender_evaluation
from tests.tenders.conftest import pass_deadline, submitted_offer

pytestmark = pytest.mark.django_db


def test_a_later_measure_set_version_does_not_change_a_tenders_values(
    tender, world, supplier_user, council_officer
):
    submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 1})
    # The council publishes a new version after issue, valuing a local job at £40,000.
    old = Measure.objects.get(code="LE1")
    newer = FrameworkVersion.objects.create(
        framework=old.version.framework,
        year=2027,
        in_force_from=date(2027, 1, 1),
        price_base_year=2027,
        status=VersionStatus.PUBLISHED,
    )
    replacement = Measure.objects.create(
        version=newer,
        outcome=old.outcome,
        code="LE1",
        title=old.title,
        unit="FTE",
        value_type="monetised",
        tags=old.tags,
    )
    ProxyValue.objects.create(
        measure=replacement,
        amount_per_unit=Decimal(40000),
        price_year=2027,
        source_title="Test proxy values",
        licence="OGL v3.0",
    )
    second = LocalMeasureSetVersion.objects.create(
        measure_set=tender.measure_set_version.measure_set,
        number=2,
        status=VersionStatus.PUBLISHED,
        in_force_from=date(2026, 1, 1),
    )
    LocalMeasureSetItem.objects.create(set_version=second, measure=replacement)
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    result = tender_evaluation(tender)[0]
    # Still 1 FTE × £30,000, the value in the version in force at issue.
    assert result.evaluated.total_value == Decimal("30000.00")
    assert tender.measure_set_version.number == 1
