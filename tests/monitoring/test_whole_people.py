"""A return counting people, jobs or apprenticeships claims whole ones: the form, the service
and the API refuse a fraction of a person, naming the measure (FTE may be fractional)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.frameworks.models import Measure
from commonweal.monitoring import services
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import period

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world, contract_manager):
    measures = build_measures(world.council)
    # RM3 counts care leavers given jobs, in people; RM1 stays in FTE.
    Measure.objects.filter(pk=measures.carbon.pk).update(unit="people")
    return build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )


def test_the_return_form_refuses_half_a_person_but_not_half_an_fte(
    contract, supplier_user, client_for
):
    supplier_return = services.return_start(period=period(contract, "2025-26 Q1"), by=supplier_user)
    lines = {line.commitment.measure.code: line.pk for line in supplier_return.lines.all()}
    url = reverse("monitoring:return-edit", args=[supplier_return.pk])
    form = {f"note_{pk}": "" for pk in lines.values()} | {"narrative": "Delivered"}
    form |= {f"claimed_{lines['RM1']}": "1.5", f"claimed_{lines['RM2']}": "10"}
    page = client_for(supplier_user).post(url, form | {f"claimed_{lines['RM3']}": "2.5"})
    assert page.status_code == 200
    assert "Enter a whole number of people, not 2.5: a person cannot be split" in (
        page.content.decode()
    )
    response = client_for(supplier_user).post(url, form | {f"claimed_{lines['RM3']}": "2"})
    assert response.status_code == 302
    claimed = {line.commitment.measure.code: line.claimed for line in supplier_return.lines.all()}
    assert claimed["RM1"] == Decimal("1.5") and claimed["RM3"] == Decimal(2)


def test_the_service_and_the_api_refuse_a_fraction_of_a_person(contract, supplier_user, client_for):
    q1 = period(contract, "2025-26 Q1")
    supplier_return = services.return_start(period=q1, by=supplier_user)
    line = supplier_return.lines.get(commitment__measure__code="RM3")
    with pytest.raises(ValidationError, match="RM3 counts whole people: claim a whole number"):
        services.return_save(
            supplier_return=supplier_return,
            claims={line.pk: (Decimal("0.5"), "")},
            narrative="",
            attests_contract_and_period=False,
            attests_commitment=False,
            by=supplier_user,
        )
    line.refresh_from_db()
    assert line.claimed == 0
    response = client_for(supplier_user).post(
        f"/api/v1/monitoring/periods/{q1.pk}/return",
        {"claims": [{"commitment_id": line.commitment_id, "claimed": "0.5"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "RM3 counts whole people: claim a whole number, not 0.5" in response.json()["detail"]
