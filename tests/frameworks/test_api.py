"""The read-only frameworks API: same access as the pages, restricted values kept in."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.frameworks.measures_world import MeasuresWorld, build_measures_world
from tests.frameworks.sample_frameworks import RESTRICTED_AMOUNT, RESTRICTED_SOURCE

pytestmark = pytest.mark.django_db

API = "/api/v1/frameworks"


@pytest.fixture
def measures(world) -> MeasuresWorld:
    return build_measures_world(world.council)


def council_routes(m: MeasuresWorld) -> list[str]:
    return [
        f"{API}/{m.licensed.framework_id}",
        f"{API}/{m.licensed.framework_id}/versions",
        f"{API}/versions/{m.licensed.pk}/measures",
        f"{API}/measures/{m.licensed_carbon.pk}",
    ]


def shipped_routes(m: MeasuresWorld) -> list[str]:
    return [
        API,
        f"{API}/{m.shipped_2025.framework_id}",
        f"{API}/{m.shipped_2025.framework_id}/versions",
        f"{API}/versions/{m.shipped_2025.pk}/measures",
        f"{API}/measures/{m.carbon.pk}",
    ]


def test_the_api_needs_a_signed_in_person(measures):
    for route in shipped_routes(measures):
        assert Client().get(route).status_code == 401, route


def test_everyone_signed_in_reads_shipped_frameworks(
    measures, client_for, council_officer, supplier_user, partner_user, other_council_officer
):
    for person in (council_officer, supplier_user, partner_user, other_council_officer):
        client = client_for(person)
        for route in shipped_routes(measures):
            assert client.get(route).status_code == 200, (person.email, route)


def test_council_members_read_their_own_framework_with_its_restricted_values(
    measures, client_for, council_admin, council_officer, evaluator, contract_manager, viewer
):
    for person in (council_admin, council_officer, evaluator, contract_manager, viewer):
        client = client_for(person)
        for route in council_routes(measures):
            assert client.get(route).status_code == 200, (person.email, route)
    data = client_for(viewer).get(f"{API}/measures/{measures.licensed_carbon.pk}").json()
    assert data["proxy"]["amount_per_unit"] == RESTRICTED_AMOUNT
    assert data["proxy"]["source_title"] == RESTRICTED_SOURCE
    assert data["values_withheld"] is False


def test_restricted_values_never_reach_anyone_outside_the_council(
    measures, client_for, other_council_officer, supplier_user, partner_user
):
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        for route in council_routes(measures):
            response = client.get(route)
            assert response.status_code == 404, (person.email, route)
            assert RESTRICTED_AMOUNT not in response.content.decode()
            assert RESTRICTED_SOURCE not in response.content.decode()
        listed = client.get(API).content.decode()
        assert "Licensed value bank" not in listed
        assert RESTRICTED_AMOUNT not in listed


def test_measures_are_filtered_and_paginated(measures, client_for, viewer):
    client = client_for(viewer)
    route = f"{API}/versions/{measures.shipped_2025.pk}/measures"
    everything = client.get(route).json()
    assert everything["count"] == 3
    monetised = client.get(route, {"value_type": "monetised"}).json()
    assert [m["code"] for m in monetised["items"]] == ["T-ENV-01"]
    searched = client.get(route, {"search": "carbon"}).json()
    assert searched["count"] == 1
    tagged = client.get(route, {"tag": "environment"}).json()
    assert tagged["count"] == 1
    page = client.get(route, {"limit": 1, "offset": 1}).json()
    assert len(page["items"]) == 1


def test_a_measure_comes_with_its_value_provenance_and_values_by_year(
    measures, client_for, supplier_user
):
    data = client_for(supplier_user).get(f"{API}/measures/{measures.carbon.pk}").json()
    assert data["proxy"] == {
        "amount_per_unit": "250.0000",
        "price_year": 2020,
        "source_title": "Test carbon values for appraisal (2021)",
        "source_url": "https://www.gov.uk/example-carbon-values",
        "licence": "Open Government Licence v3.0",
        "confidence": "high",
    }
    assert [(v["year"], v["proxy"]["amount_per_unit"]) for v in data["values_by_year"]] == [
        (2025, "250.0000"),
        (2024, "245.0000"),
    ]


def test_the_openapi_schema_lists_the_frameworks_routes():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/frameworks/measures/{measure_id}" in schema["paths"]
    assert "/api/v1/frameworks/versions/{version_id}/measures" in schema["paths"]
