"""Offers are valued with the measure set version in force when the tender was issued."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commonweal.frameworks.models import Measure
from commonweal.tenders import services
from commonweal.tenders.selectors import tender_evaluation
from tests.factories import (
    FrameworkVersionFactory,
    LocalMeasureSetItemFactory,
    LocalMeasureSetVersionFactory,
    MeasureFactory,
    ProxyValueFactory,
)
from tests.tenders.conftest import pass_deadline, submitted_offer

pytestmark = pytest.mark.django_db


def test_a_later_measure_set_version_does_not_change_a_tenders_values(
    tender, world, supplier_user, council_officer
):
    submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 1})
    # The council publishes a new version after issue, valuing a local job at £40,000.
    old = Measure.objects.get(code="LE1")
    newer = FrameworkVersionFactory(
        framework=old.version.framework, year=2027, in_force_from=date(2027, 1, 1)
    )
    replacement = MeasureFactory(
        version=newer, outcome=old.outcome, code="LE1", title=old.title, tags=old.tags
    )
    ProxyValueFactory(measure=replacement, amount_per_unit=Decimal(40000))
    second = LocalMeasureSetVersionFactory(
        measure_set=tender.measure_set_version.measure_set,
        number=2,
        in_force_from=date(2026, 1, 1),
    )
    LocalMeasureSetItemFactory(set_version=second, measure=replacement)
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    result = tender_evaluation(tender)[0]
    # Still 1 FTE × £30,000, the value in the version in force at issue.
    assert result.evaluated.total_value == Decimal("30000.00")
    assert tender.measure_set_version.number == 1
