"""The council's side of a tender through the API, step by step, as a council would script it:
publish its measures, issue, open, assign, declare, score, moderate, confirm, sign off and award.
Each route is tested for who may, who may only read, and the outsider's 404; and the API says
what the pages say."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.contracts.models import Contract
from commonweal.frameworks.models import (
    FrameworkVersion,
    LocalMeasureSetItem,
    LocalMeasureSetVersion,
    VersionStatus,
)
from commonweal.tenders.models import Tender
from tests.commissioning.builders import measure, planned_procurement
from tests.tenders.conftest import pass_deadline

pytestmark = pytest.mark.django_db

API = "/api/v1"
JSON = "application/json"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type=JSON)


def put(client, url, body):
    return client.put(url, body, content_type=JSON)


def test_a_council_admin_publishes_its_framework_and_measure_set_versions(
    world, client_for, council_admin, council_officer, other_council_officer
):
    from tests.commissioning.builders import published_measure_set

    published = published_measure_set(world.council)
    version = FrameworkVersion.objects.get()
    FrameworkVersion.objects.filter(pk=version.pk).update(status=VersionStatus.DRAFT)
    draft = LocalMeasureSetVersion.objects.create(measure_set=published.measure_set, number=2)
    LocalMeasureSetItem.objects.create(set_version=draft, measure=measure("LE1"), position=0)
    url = f"{API}/frameworks/versions/{version.pk}/publish"
    set_url = f"{API}/frameworks/measure-sets/versions/{draft.pk}/publish"
    assert post(client_for(other_council_officer), url).status_code == 404
    assert (
        post(
            client_for(other_council_officer), set_url, {"in_force_from": "2026-04-01"}
        ).status_code
        == 404
    )
    assert post(client_for(council_officer), url).status_code == 403
    body = post(client_for(council_admin), url).json()
    assert body["status"] == "published"
    # Publishing twice is refused with the reason.
    again = post(client_for(council_admin), url)
    assert again.status_code == 422 and "Only a draft can be published" in again.json()["detail"]
    assert (
        post(client_for(council_officer), set_url, {"in_force_from": "2026-04-01"}).status_code
        == 403
    )
    body = post(client_for(council_admin), set_url, {"in_force_from": "2026-04-01"}).json()
    assert (body["status"], body["in_force_from"]) == ("published", "2026-04-01")


@pytest.fixture
def scripted(world, council_officer, supplier_user, second_supplier, client_for):
    """A tender issued and bid for through the API: one honest offer and one implausible."""
    procurement = planned_procurement(world.council, council_officer, value_pence=200_000_000)
    officer = client_for(council_officer)
    deadline = (timezone.now() + timedelta(days=7)).isoformat()
    response = post(
        officer, f"{API}/tenders/", {"procurement_id": procurement.pk, "deadline": deadline}
    )
    assert response.status_code == 200, response.content
    tender = Tender.objects.get(pk=response.json()["id"])
    supplier, rival_user = second_supplier
    question = procurement.questions.get()
    for user, lines in (
        (supplier_user, [{"measure_code": "LE1", "contract_year": 1, "quantity": "10"}]),
        (
            rival_user,
            [
                {"measure_code": "LE1", "contract_year": 1, "quantity": "100"},
                {"measure_code": "LE1", "contract_year": 2, "quantity": "100"},
            ],
        ),
    ):
        bidder = client_for(user)
        assert post(bidder, f"{API}/tenders/join/{tender.share_token}").status_code == 200
        put(
            bidder,
            f"{API}/tenders/{tender.pk}/offer",
            {"lines": lines, "answers": {str(question.pk): "Plan"}},
        )
        assert post(bidder, f"{API}/tenders/{tender.pk}/offer/submit").status_code == 200
    pass_deadline(tender)
    return tender, question


def test_a_whole_evaluation_scripted_through_the_api(
    scripted, client_for, council_officer, evaluator, contract_manager, viewer
):
    tender, question = scripted
    base = f"{API}/tenders/{tender.pk}"
    officer, marker = client_for(council_officer), client_for(evaluator)
    assert post(officer, f"{base}/open").json()["offers_submitted"] == 2
    assignment = post(officer, f"{base}/evaluators", {"person_id": evaluator.pk}).json()
    assert assignment["name"] == "Chloe Evans"
    bidders = {b["bidder"]: b["offer_id"] for b in marker.get(f"{base}/bidders").json()}
    # Nobody reads an offer before declaring about every bidder.
    assert marker.get(f"{base}/evaluation").status_code == 403
    for client in (officer, marker):
        declared = post(client, f"{base}/declarations", {"conflicted_with": []}).json()
        assert {d["bidder"] for d in declared} == set(bidders) and not any(
            d["has_conflict"] for d in declared
        )
    honest, rival = bidders["Don Valley Catering Ltd"], bidders["Rother Facilities Services Ltd"]
    for offer_id in (honest, rival):
        score = {"question_id": question.pk, "level": "75", "rationale": "Named partners"}
        assert post(marker, f"{base}/offers/{offer_id}/scores", score).status_code == 200
        consensus = {"question_id": question.pk, "level": "75", "notes": "Agreed"}
        assert post(officer, f"{base}/offers/{offer_id}/consensus", consensus).status_code == 200
        marks = {"price_marks": "30", "quality_marks": "30"}
        assert put(officer, f"{base}/offers/{offer_id}/marks", marks).status_code == 200
    # An unknown level is a clear 422, not a server error.
    bad = {"question_id": question.pk, "level": "80", "rationale": "x"}
    assert (
        "'80' is not a level"
        in post(marker, f"{base}/offers/{honest}/scores", bad).json()["detail"]
    )
    # The rival's £6,000,000 is 300% of the £2,000,000 contract: implausible; sign-off waits.
    state = marker.get(f"{base}/evaluation").json()
    rival_result = next(r for r in state["results"] if r["bidder"].startswith("Rother"))
    assert rival_result["implausible_as_offered"] and rival_result["implausible_as_evaluated"]
    refused = post(officer, f"{base}/sign-off")
    assert refused.status_code == 422 and "its offer is implausible" in refused.json()["detail"]
    reason = "Clarified: 5 local staff, in year 1 only"
    moderated = post(
        marker,
        f"{base}/offers/{rival}/lines/LE1/1/moderation",
        {"decision": "reduce", "evaluated_quantity": "5", "reason": reason},
    )
    assert moderated.status_code == 200
    post(
        marker,
        f"{base}/offers/{rival}/lines/LE1/2/moderation",
        {"decision": "set_aside", "reason": reason},
    )
    state = post(officer, f"{base}/sign-off").json()
    assert (state["signatures_counted"], state["signatures_needed"], state["signed_off_at"]) == (
        1,
        2,
        None,
    )
    state = post(marker, f"{base}/sign-off").json()
    assert state["signed_off_at"] is not None
    # The results: offered and evaluated, per £1 and % of contract, findings, rules and working.
    results = {r["bidder"]: r for r in client_for(viewer).get(f"{base}/results").json()}
    rival_result = results["Rother Facilities Services Ltd"]
    assert (rival_result["social_value_offered"], rival_result["social_value_evaluated"]) == (
        "6000000.00",
        "150000.00",
    )
    assert rival_result["offered_percent_of_contract"] == "300.00"
    assert rival_result["evaluated_value_per_pound"] == "0.0750"
    line = rival_result["lines"][0]
    assert (line["offered_quantity"], line["evaluated_quantity"]) == ("100.0000", "5.0000")
    assert line["moderation"]["reason"] == reason
    assert "offer-total-within-contract-value" in rival_result["rules_fired"]
    assert any(
        f["severity"] == "implausible"
        and f["applies_to"] == "offered"
        and "300.00%" in f["message"]
        for f in rival_result["findings"]
    )
    honest_result = results["Don Valley Catering Ltd"]
    # £300,000 is now the best offer: 10 marks; the rival's £150,000 gets 5.
    assert honest_result["social_value_offer_marks"] == "10.00"
    assert rival_result["social_value_offer_marks"] == "5.00"
    assert "rounded half up" in honest_result["scores"]["social value offer"]["working"]
    # The pages say the same thing.
    page = client_for(viewer).get(reverse("tenders:report", args=[tender.pk])).content.decode()
    for figure in ("£6,000,000.00", "£150,000.00", reason, honest_result["overall"]):
        assert figure in page
    award = post(
        officer,
        f"{base}/award",
        {"start_date": "2027-04-01", "contract_manager_id": contract_manager.pk},
    )
    assert Contract.objects.get().pk == award.json()["contract_id"]


def test_council_routes_refuse_readers_and_hide_from_outsiders(
    scripted, client_for, council_officer, viewer, other_council_officer, supplier_user
):
    tender, question = scripted
    base = f"{API}/tenders/{tender.pk}"
    post(client_for(council_officer), f"{base}/open")
    offer_id = tender.offers.first().pk
    writes = [
        ("post", f"{base}/open", {}),
        ("post", f"{base}/evaluators", {"person_id": viewer.pk}),
        ("post", f"{base}/declarations", {}),
        ("put", f"{base}/offers/{offer_id}/marks", {"price_marks": "1"}),
        (
            "post",
            f"{base}/offers/{offer_id}/consensus",
            {"question_id": question.pk, "level": "50", "notes": "x"},
        ),
        (
            "post",
            f"{base}/offers/{offer_id}/lines/LE1/1/moderation",
            {"decision": "set_aside", "reason": "x"},
        ),
        ("post", f"{base}/offers/{offer_id}/confirmation", {"reason": "x"}),
        ("post", f"{base}/sign-off", {}),
    ]
    reads = [f"{base}/evaluation", f"{base}/bidders"]
    for method, url, body in writes:
        response = (post if method == "post" else put)(client_for(viewer), url, body)
        assert response.status_code == 403, (url, response.status_code)
    for person in (other_council_officer, supplier_user):
        client = client_for(person)
        for method, url, body in writes:
            response = (post if method == "post" else put)(client, url, body)
            assert response.status_code == 404, (person, url, response.status_code)
        for url in reads:
            assert client.get(url).status_code == 404, (person, url)
    assert (
        post(
            client_for(viewer),
            f"{API}/tenders/",
            {"procurement_id": tender.procurement_id, "deadline": "2030-01-01T12:00:00Z"},
        ).status_code
        == 403
    )


def test_a_conflicted_person_gets_404_from_every_offer_route_of_the_api(
    scripted, client_for, council_officer, council_admin
):
    tender, question = scripted
    base = f"{API}/tenders/{tender.pk}"
    post(client_for(council_officer), f"{base}/open")
    admin = client_for(council_admin)
    offer_id = tender.offers.first().pk
    declared = post(
        admin, f"{base}/declarations", {"conflicted_with": [offer_id], "details": "My brother"}
    )
    assert declared.json()[0]["has_conflict"] or declared.json()[1]["has_conflict"]
    routes = [
        ("get", f"{base}/evaluation", None),
        ("get", f"{base}/results", None),
        ("put", f"{base}/offers/{offer_id}/marks", {"price_marks": "1"}),
        (
            "post",
            f"{base}/offers/{offer_id}/consensus",
            {"question_id": question.pk, "level": "50", "notes": "x"},
        ),
        (
            "post",
            f"{base}/offers/{offer_id}/scores",
            {"question_id": question.pk, "level": "50", "rationale": "x"},
        ),
        (
            "post",
            f"{base}/offers/{offer_id}/lines/LE1/1/moderation",
            {"decision": "set_aside", "reason": "x"},
        ),
        ("post", f"{base}/offers/{offer_id}/confirmation", {"reason": "x"}),
        ("post", f"{base}/sign-off", {}),
        ("post", f"{base}/award", {"start_date": "2027-04-01"}),
    ]
    for method, url, body in routes:
        response = (
            admin.get(url)
            if method == "get"
            else (post if method == "post" else put)(admin, url, body)
        )
        assert response.status_code == 404, (url, response.status_code)
