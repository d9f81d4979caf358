"""The partnership JSON API, for every persona: the same rules as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from commonweal.api.tokens import token_create
from commonweal.cwb import services as cwb_services
from commonweal.partnership import services
from commonweal.partnership.models import ReturnStatus

pytestmark = pytest.mark.django_db

API = "/api/v1/partnership"
PERSONAS = ("coordinator", "signatory", "other", "authority", "councillor", "anonymous")


@pytest.fixture
def clients(client_for, coordinator, partner_user, other_council_officer, ca_officer, viewer):
    return {
        "coordinator": client_for(coordinator),
        "signatory": client_for(partner_user),
        "other": client_for(other_council_officer),
        "authority": client_for(ca_officer),
        "councillor": client_for(viewer),
        "anonymous": Client(),
    }


@pytest.fixture
def routes(charter, coordinator, partner_user):
    sent = services.progress_return_start(
        pledge=charter.target, financial_year=2024, by=partner_user, today=date(2026, 12, 7)
    )
    services.progress_return_save(
        progress_return=sent,
        progress="achieved",
        reported_quantity=Decimal(20),
        narrative="Twenty",
        by=partner_user,
    )
    services.progress_return_submit(progress_return=sent, by=partner_user)
    link = services.network_start(partnership=charter.partnership, name="Anchors", by=coordinator)
    place = services.network_invite_signatory(
        link=link, signatory=charter.signatory, by=coordinator
    )
    cwb_services.anchor_network_join(place=place, by=partner_user)
    pk = charter.partnership.pk
    return {
        "partnership": f"{API}/partnerships/{pk}",
        "signatories": f"{API}/partnerships/{pk}/signatories",
        "signatory": f"{API}/signatories/{charter.signatory.pk}",
        "signatory-returns": f"{API}/signatories/{charter.signatory.pk}/returns",
        "return": f"{API}/returns/{sent.pk}",
        "network": f"{API}/networks/{link.network.pk}",
        "region": f"{API}/region",
        "sent": sent,
    }


GETS = {
    "partnership": (200, 200, 404, 404, 200, 401),
    "signatories": (200, 200, 404, 404, 200, 401),
    "signatory": (200, 200, 404, 404, 200, 401),
    "signatory-returns": (200, 200, 404, 404, 200, 401),
    "return": (200, 200, 404, 404, 200, 401),
    "network": (200, 200, 404, 404, 200, 401),
    "region": (404, 404, 404, 200, 404, 401),
}


@pytest.mark.parametrize("name", sorted(GETS))
def test_every_read_route_for_every_persona(name, routes, clients):
    found = tuple(clients[p].get(routes[name]).status_code for p in PERSONAS)
    assert dict(zip(PERSONAS, found, strict=True)) == dict(zip(PERSONAS, GETS[name], strict=True))


def test_the_list_holds_what_each_organisation_owns_or_was_invited_to(routes, clients, charter):
    names = {
        p: [x["name"] for x in clients[p].get(f"{API}/partnerships").json()] for p in PERSONAS[:5]
    }
    assert names["coordinator"] == ["Rotherham Together Partnership"]
    assert names["signatory"] == ["Rotherham Together Partnership"]
    assert names["other"] == ["Sheffield Partnership"]
    assert names["authority"] == []
    assert clients["anonymous"].get(f"{API}/partnerships").status_code == 401


def test_the_charter_comes_with_its_principles_and_measures(routes, clients):
    data = clients["councillor"].get(routes["partnership"]).json()
    assert data["charter_version"] == 1
    assert [(p["number"], p["measures"]) for p in data["principles"]] == [
        (1, ["CH1", "CH2"]),
        (2, []),
    ]
    assert data["you_coordinate"] is False
    assert clients["coordinator"].get(routes["partnership"]).json()["you_coordinate"] is True


def test_the_signatory_sends_a_return_and_only_a_coordinator_reviews_it(routes, clients, charter):
    url = f"{API}/pledges/{charter.commitment.pk}/returns/2024"
    payload = {"progress": "on_track", "narrative": "Local firms first on 9 of 10", "submit": True}
    for persona, expected in (("other", 404), ("authority", 404), ("councillor", 403)):
        response = clients[persona].post(url, payload, content_type="application/json")
        assert response.status_code == expected, persona
    sent = clients["signatory"].post(url, payload, content_type="application/json")
    assert sent.status_code == 200
    assert sent.json()["state"] == "Submitted"
    again = clients["signatory"].post(url, payload, content_type="application/json")
    assert again.status_code == 409
    review = f"{API}/returns/{routes['sent'].pk}/review"
    body = {"decision": "accept", "reviewed_quantity": "18"}
    for persona, expected in (
        ("signatory", 403),
        ("councillor", 403),
        ("other", 404),
        ("authority", 404),
    ):
        response = clients[persona].post(review, body, content_type="application/json")
        assert response.status_code == expected, persona
    accepted = clients["coordinator"].post(review, body, content_type="application/json").json()
    assert (accepted["self_reported"], accepted["reviewed"]) == ("20.0000", "18.0000")
    routes["sent"].refresh_from_db()
    assert routes["sent"].status == ReturnStatus.ACCEPTED


def test_a_bad_return_gets_a_422_naming_the_problem(routes, clients, charter):
    response = clients["signatory"].post(
        f"{API}/pledges/{charter.target.pk}/returns/2025",
        {"submit": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "Choose how the pledge is going" in response.json()["detail"]


def test_a_draft_is_the_signatorys_own(routes, clients, charter):
    url = f"{API}/pledges/{charter.target.pk}/returns/2025"
    draft = clients["signatory"].post(url, {"narrative": "x"}, content_type="application/json")
    assert draft.json()["state"] == "Overdue"
    pk = draft.json()["id"]
    assert clients["coordinator"].get(f"{API}/returns/{pk}").status_code == 404
    owners_view = clients["coordinator"].get(routes["signatory-returns"]).json()
    assert pk not in [r["id"] for r in owners_view]


def test_the_region_view_through_a_token(routes, world, ca_officer, council_admin):
    services.region_sharing_update(council=world.council, by=council_admin, partnerships=True)
    _, secret = token_create(
        user=ca_officer,
        organisation=world.combined_authority,
        name="Dashboard",
        scope="read",
        lifetime_days=30,
    )
    data = Client().get(routes["region"], HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert data["councils_sharing"] == 1
    rows = {r["label"]: r["values"] for r in data["charters_and_networks"]["rows"]}
    assert rows["Charter signatories"] == {"Rotherham Metropolitan Borough Council": 1}
