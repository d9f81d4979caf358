"""The JSON API for contracts, commitments, returns, verification and portfolio totals: the
same access rules as the pages."""

from __future__ import annotations

import pytest

from commonweal.monitoring.models import SupplierReturn
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import file_return, period

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def contract(world, contract_manager):
    measures = build_measures(world.council)
    return build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )


def test_contracts_and_commitments_for_the_council_and_the_supplier(
    contract, client_for, viewer, supplier_user
):
    for person in (viewer, supplier_user):
        client = client_for(person)
        listing = client.get(f"{API}/contracts/").json()
        assert [c["reference"] for c in listing] == ["RMBC-2025-001"]
        assert client.get(f"{API}/contracts/{contract.pk}").json()["contract_years"] == 2
        commitments = client.get(f"{API}/contracts/{contract.pk}/commitments").json()
        assert commitments[0]["measure_code"] == "RM1"
        assert commitments[0]["committed_value_pence"] == 4_000_000
        assert commitments[2]["committed_value_pence"] is None


def test_outsiders_get_404_on_every_route(
    contract, client_for, supplier_user, other_council_officer, partner_user
):
    supplier_return = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    q2 = period(contract, "2025-26 Q2")
    for person in (other_council_officer, partner_user):
        client = client_for(person)
        assert client.get(f"{API}/contracts/").json() == []
        for url in (
            f"{API}/contracts/{contract.pk}",
            f"{API}/contracts/{contract.pk}/commitments",
            f"{API}/monitoring/contracts/{contract.pk}/returns",
            f"{API}/monitoring/returns/{supplier_return.pk}",
            f"{API}/monitoring/returns/{supplier_return.pk}/version",
        ):
            assert client.get(url).status_code == 404, url
        assert (
            client.post(
                f"{API}/monitoring/periods/{q2.pk}/return",
                {"claims": []},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"{API}/monitoring/returns/{supplier_return.pk}/verification",
                {"version": 1, "decisions": []},
                content_type="application/json",
            ).status_code
            == 404
        )
    assert client_for(partner_user).get(f"{API}/monitoring/portfolio").status_code == 404


def test_a_supplier_submits_a_return_through_the_api(contract, client_for, supplier_user, viewer):
    q1 = period(contract, "2025-26 Q1")
    jobs = contract.commitments.get(measure__code="RM1")
    payload = {
        "claims": [{"commitment_id": jobs.pk, "claimed": "0.5", "note": "One cook"}],
        "narrative": "A good quarter",
        "attests_contract_and_period": True,
        "attests_commitment": True,
        "submit": True,
    }
    assert (
        client_for(viewer)
        .post(f"{API}/monitoring/periods/{q1.pk}/return", payload, content_type="application/json")
        .status_code
        == 403
    )
    response = client_for(supplier_user).post(
        f"{API}/monitoring/periods/{q1.pk}/return", payload, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["reference"].startswith("SVR-")
    again = client_for(supplier_user).post(
        f"{API}/monitoring/periods/{q1.pk}/return", payload, content_type="application/json"
    )
    assert again.status_code == 409


def test_verification_outcomes_with_optimistic_locking(
    contract, client_for, supplier_user, contract_manager, viewer
):
    supplier_return = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    line = supplier_return.lines.get(commitment__measure__code="RM1")
    client = client_for(contract_manager)
    version = client.get(f"{API}/monitoring/returns/{supplier_return.pk}/version").json()["version"]
    decision = {"version": version, "decisions": [{"line_id": line.pk, "outcome": "verified"}]}
    assert (
        client_for(viewer)
        .post(
            f"{API}/monitoring/returns/{supplier_return.pk}/verification",
            decision,
            content_type="application/json",
        )
        .status_code
        == 403
    )
    first = client.post(
        f"{API}/monitoring/returns/{supplier_return.pk}/verification",
        decision,
        content_type="application/json",
    )
    assert first.status_code == 200
    assert first.json()["lines"][0]["verified"] == "0.5000"
    stale = client.post(
        f"{API}/monitoring/returns/{supplier_return.pk}/verification",
        decision,
        content_type="application/json",
    )
    assert stale.status_code == 409
    outcome = client_for(supplier_user).get(f"{API}/monitoring/returns/{supplier_return.pk}").json()
    assert outcome["lines"][0]["outcome"] == "verified"
    assert SupplierReturn.objects.get().status == "verified"


def test_portfolio_totals_for_the_council(contract, client_for, viewer, supplier_user):
    totals = client_for(viewer).get(f"{API}/monitoring/portfolio").json()
    assert totals["committed_pence"] == 5_354_400
    assert totals["commitments"] == 3
    assert client_for(supplier_user).get(f"{API}/monitoring/portfolio").status_code == 404
