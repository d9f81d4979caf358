"""Returns on a contract that requires the Real Living Wage ask for the lowest hourly rate paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.contracts.services import contract_living_wage_set
from commonweal.monitoring import services
from commonweal.monitoring.models import ReturnStatus
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import file_return, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world, contract_manager):
    contract = build_contract(world.council, world.supplier, build_measures(world.council))
    return contract_living_wage_set(
        contract=contract,
        service_category="catering",
        requires_real_living_wage=True,
        by=contract_manager,
    )


def test_a_return_on_a_living_wage_contract_asks_for_the_lowest_hourly_rates(
    contract, client_for, supplier_user
):
    supplier_return = file_return(contract, "2025-26 Q1", {}, by=supplier_user, submit=False)
    page = (
        client_for(supplier_user)
        .get(reverse("monitoring:return-edit", args=[supplier_return.pk]))
        .content.decode()
    )
    assert "Lowest hourly rate paid to anyone working on the contract outside London" in page
    assert "Lowest hourly rate paid to anyone working on the contract in London" in page


def test_a_return_on_another_contract_does_not_ask(world, client_for, supplier_user):
    other = build_contract(world.council, world.supplier, build_measures(world.council))
    supplier_return = file_return(other, "2025-26 Q1", {}, by=supplier_user, submit=False)
    page = (
        client_for(supplier_user)
        .get(reverse("monitoring:return-edit", args=[supplier_return.pk]))
        .content.decode()
    )
    assert "Lowest hourly rate" not in page


def test_the_rates_are_saved_checked_and_shown_to_the_council(
    contract, client_for, supplier_user, contract_manager
):
    supplier_return = file_return(contract, "2025-26 Q1", {}, by=supplier_user, submit=False)
    lines = {line.commitment.measure.code: line for line in supplier_return.lines.all()}
    data = {f"claimed_{line.pk}": "0" for line in lines.values()}
    data |= {"attests_contract_and_period": "on", "attests_commitment": "on"}
    client = client_for(supplier_user)
    url = reverse("monitoring:return-edit", args=[supplier_return.pk])
    page = client.post(
        url, {**data, "lowest_hourly_rate_outside_london": "12.6x", "draft": "1"}
    ).content.decode()
    assert "Enter an hourly rate in pounds and pence, like 12.60" in page
    page = client.post(
        url, {**data, "lowest_hourly_rate_outside_london": "12.605", "draft": "1"}
    ).content.decode()
    assert "Enter the hourly rate to the penny, like 12.60" in page
    client.post(url, {**data, "lowest_hourly_rate_outside_london": "12.60", "draft": "1"})
    supplier_return.refresh_from_db()
    assert supplier_return.lowest_hourly_rate_outside_london == Decimal("12.60")
    assert supplier_return.lowest_hourly_rate_in_london is None
    services.return_submit(
        supplier_return=supplier_return, by=supplier_user, today=date(2025, 7, 1)
    )
    page = (
        client_for(contract_manager)
        .get(reverse("monitoring:return-detail", args=[supplier_return.pk]))
        .content.decode()
    )
    assert "£12.60 on 30 June 2025" in page
    assert "Nobody on the contract works in London" in page


def test_a_return_without_the_rate_cannot_be_submitted(contract, supplier_user):
    supplier_return = file_return(contract, "2025-26 Q1", {}, by=supplier_user, submit=False)
    with pytest.raises(ValidationError, match="Enter the lowest hourly rate paid"):
        services.return_submit(
            supplier_return=supplier_return, by=supplier_user, today=date(2025, 7, 1)
        )
    assert supplier_return.status == ReturnStatus.DRAFT


def test_a_rate_of_nought_is_refused(contract, supplier_user):
    supplier_return = services.return_start(period=period(contract, "2025-26 Q1"), by=supplier_user)
    with pytest.raises(ValidationError, match="An hourly rate must be above £0"):
        services.return_wages_save(
            supplier_return=supplier_return,
            lowest_outside_london=Decimal("0"),
            lowest_in_london=None,
            by=supplier_user,
        )


def test_the_api_takes_and_gives_the_rates(contract, client_for, supplier_user):
    q1 = period(contract, "2025-26 Q1")
    response = client_for(supplier_user).post(
        f"/api/v1/monitoring/periods/{q1.pk}/return",
        {
            "claims": [],
            "attests_contract_and_period": True,
            "attests_commitment": True,
            "lowest_hourly_rate_outside_london": "12.60",
            "lowest_hourly_rate_in_london": "13.85",
            "submit": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] != "draft"
    assert (body["lowest_hourly_rate_outside_london"], body["lowest_hourly_rate_in_london"]) == (
        "12.60",
        "13.85",
    )


def test_the_contract_page_shows_the_clause(contract, client_for, council_officer):
    page = (
        client_for(council_officer)
        .get(reverse("contracts:detail", args=[contract.pk]))
        .content.decode()
    )
    assert "Required: everyone working on the contract must be paid at least the Real Living" in (
        page
    )
    assert "(catering contract)" in page
