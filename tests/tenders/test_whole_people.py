"""An offer counting people, jobs or apprenticeships offers whole ones: saving a draft (from the
page, the API or the offline workbook, which all call the same service) refuses a fraction of
a person, naming the measure and year. FTE may be fractional."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonweal.frameworks.models import Measure
from commonweal.tenders import services
from tests.commissioning.builders import planned_procurement

pytestmark = pytest.mark.django_db


def test_a_draft_offering_half_a_person_is_refused_and_half_an_fte_is_not(
    world, council_officer, supplier_user
):
    procurement = planned_procurement(world.council, council_officer, codes=("LE1", "CO1"))
    Measure.objects.filter(code="CO1").update(unit="people")
    tender = services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=7), by=council_officer
    )
    offer = services.offer_start(tender=tender, supplier=world.supplier, by=supplier_user)
    with pytest.raises(ValidationError) as refused:
        services.offer_save_draft(
            offer=offer,
            by=supplier_user,
            quantities={("LE1", 1): Decimal("1.5"), ("CO1", 1): Decimal("2.5")},
            answers={},
        )
    assert refused.value.messages == [
        "CO1 counts whole people: enter a whole number for year 1, not 2.5 (FTE may be "
        "fractional, a person may not)"
    ]
    assert not offer.lines.exists()
    services.offer_save_draft(
        offer=offer,
        by=supplier_user,
        quantities={("LE1", 1): Decimal("1.5"), ("CO1", 1): Decimal("2.0")},
        answers={},
    )
    assert offer.lines.count() == 2
