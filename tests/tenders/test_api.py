"""The JSON API: tenders, the bidder's own offer (start, update, submit), results."""

from __future__ import annotations

import json

import pytest

from commonweal.tenders.models import OfferSubmission
from tests.tenders.conftest import pass_deadline

pytestmark = pytest.mark.django_db


def put(client, url, payload):
    return client.put(url, data=json.dumps(payload), content_type="application/json")


def test_a_supplier_starts_updates_and_submits_an_offer_through_the_api(
    tender, client_for, supplier_user
):
    client = client_for(supplier_user)
    started = client.post(f"/api/v1/tenders/join/{tender.share_token}")
    assert started.status_code == 200 and started.json()["lines"] == []
    question = tender.procurement.questions.get()
    updated = put(
        client,
        f"/api/v1/tenders/{tender.pk}/offer",
        {
            "lines": [{"measure_code": "AP1", "contract_year": 1, "quantity": "52"}],
            "answers": {str(question.pk): "Plan"},
        },
    )
    assert updated.status_code == 200
    # 52 weeks × £250 = £13,000.00
    assert updated.json()["social_value_total"] == "13000.00"
    submitted = client.post(f"/api/v1/tenders/{tender.pk}/offer/submit")
    assert submitted.status_code == 200
    assert submitted.json()["reference"] == OfferSubmission.objects.get().reference
    listing = client.get("/api/v1/tenders/").json()
    assert [t["reference"] for t in listing] == [tender.reference]


def test_bad_lines_and_late_submissions_are_refused(tender, client_for, supplier_user):
    client = client_for(supplier_user)
    client.post(f"/api/v1/tenders/join/{tender.share_token}")
    bad = put(
        client,
        f"/api/v1/tenders/{tender.pk}/offer",
        {"lines": [{"measure_code": "ZZ9", "contract_year": 9, "quantity": "1"}]},
    )
    assert bad.status_code == 422
    assert "ZZ9 is not a measure of this tender" in bad.json()["detail"]
    pass_deadline(tender)
    late = client.post(f"/api/v1/tenders/{tender.pk}/offer/submit")
    assert late.status_code == 422
    assert not OfferSubmission.objects.exists()


def test_council_staff_cannot_start_offers(tender, client_for, council_officer):
    assert (
        client_for(council_officer).post(f"/api/v1/tenders/join/{tender.share_token}").status_code
        == 403
    )


def test_the_council_lists_its_tenders_without_offer_counts_while_sealed(
    tender, client_for, viewer, other_council_officer
):
    listing = client_for(viewer).get("/api/v1/tenders/").json()
    assert listing[0]["reference"] == tender.reference and listing[0]["offers_submitted"] is None
    assert client_for(other_council_officer).get("/api/v1/tenders/").json() == []
