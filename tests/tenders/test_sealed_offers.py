"""Sealed offers: no council person learns anything about offers before opening, and suppliers
never see each other's offers, on any page or API route."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.tenders import services
from commonweal.tenders.models import Tender
from tests.tenders.conftest import declare_no_conflict, pass_deadline, submitted_offer

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "Our confidential delivery plan"


@pytest.fixture
def bids(tender, world, supplier_user, second_supplier, evaluator, council_officer):
    first = submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 2}, SECRET_ANSWER)
    services.offer_attach_document(
        offer=first, by=supplier_user, upload=SimpleUploadedFile("plan.pdf", b"%PDF secret")
    )
    services.offer_submit(offer=first, by=supplier_user)
    supplier, user = second_supplier
    second = submitted_offer(tender, supplier, user, {("AP1", 1): 10})
    services.evaluator_assign(tender=tender, evaluator=evaluator, by=council_officer)
    return first, second


def offer_pages(tender: Tender, offer) -> list[tuple[str, str]]:
    document = offer.documents.first()
    return [
        ("get", reverse("tenders:offers", args=[tender.pk])),
        ("get", reverse("tenders:offer-detail", args=[tender.pk, offer.pk])),
        ("post", reverse("tenders:offer-detail", args=[tender.pk, offer.pk])),
        ("get", reverse("tenders:offer-moderate", args=[tender.pk, offer.pk])),
        ("post", reverse("tenders:offer-moderate", args=[tender.pk, offer.pk])),
        ("get", reverse("tenders:evaluation", args=[tender.pk])),
        ("post", reverse("tenders:sign-off", args=[tender.pk])),
        ("get", reverse("tenders:report", args=[tender.pk])),
        ("get", reverse("tenders:report-docx", args=[tender.pk])),
        ("get", reverse("tenders:report-csv", args=[tender.pk])),
        ("get", reverse("tenders:award", args=[tender.pk])),
        ("get", reverse("tenders:document", args=[tender.pk, document.pk])),
        ("get", reverse("tenders:declaration", args=[tender.pk])),
        # The bidder-side routes are never the council's.
        ("get", reverse("tenders:offer", args=[tender.pk])),
        ("get", reverse("tenders:offer-check", args=[tender.pk])),
        ("get", reverse("tenders:offer-workbook", args=[tender.pk])),
        ("get", reverse("tenders:offer-confirmation", args=[tender.pk, 1])),
        ("post", reverse("tenders:offer-submit", args=[tender.pk])),
        ("post", reverse("tenders:offer-upload", args=[tender.pk])),
        ("post", reverse("tenders:offer-document-add", args=[tender.pk])),
    ]


def api_offer_routes(tender: Tender) -> list[tuple[str, str]]:
    base = f"/api/v1/tenders/{tender.pk}"
    return [
        ("get", f"{base}/offer"),
        ("put", f"{base}/offer"),
        ("post", f"{base}/offer/submit"),
        ("get", f"{base}/results"),
    ]


def call(client, method, url):
    if method == "put":
        return client.put(url, data='{"lines": [], "answers": {}}', content_type="application/json")
    return getattr(client, method)(url)


COUNCIL_PERSONAS = ["council_admin", "council_officer", "evaluator", "contract_manager", "viewer"]


@pytest.mark.parametrize("persona", COUNCIL_PERSONAS)
@pytest.mark.parametrize(
    "past_deadline", [False, True], ids=["before deadline", "after deadline, unopened"]
)
def test_no_council_person_reaches_any_offer_before_opening(
    request, persona, past_deadline, tender, bids, client_for
):
    if past_deadline:
        pass_deadline(tender)
    client = client_for(request.getfixturevalue(persona))
    first, _ = bids
    for method, url in offer_pages(tender, first) + api_offer_routes(tender):
        response = call(client, method, url)
        assert response.status_code == 404, (persona, method, url, response.status_code)
    page = client.get(reverse("tenders:detail", args=[tender.pk])).content.decode()
    assert "Sealed until the offers are opened" in page
    for leak in ("Don Valley", "Rother Facilities", SECRET_ANSWER, "2 submitted"):
        assert leak not in page
    listing = client.get("/api/v1/tenders/").json()
    assert listing[0]["offers_submitted"] is None
    assert client.get(f"/api/v1/tenders/{tender.pk}").json()["offers_submitted"] is None


def test_offers_cannot_be_opened_before_the_deadline(tender, bids, client_for, council_officer):
    client_for(council_officer).post(reverse("tenders:open", args=[tender.pk]))
    tender.refresh_from_db()
    assert tender.opened_at is None


def test_opening_after_the_deadline_is_an_audited_event(tender, bids, client_for, council_officer):
    pass_deadline(tender)
    client_for(council_officer).post(reverse("tenders:open", args=[tender.pk]))
    tender.refresh_from_db()
    assert tender.opened_by == council_officer
    event = LogEntry.objects.get(additional_data__event="Offers opened")
    assert event.actor == council_officer
    assert event.additional_data["organisation_id"] == tender.council_id
    assert "2 offer(s) opened" in event.changes_text


def test_only_managers_may_open(tender, bids, client_for, evaluator, viewer, contract_manager):
    pass_deadline(tender)
    for person in (evaluator, viewer, contract_manager):
        assert client_for(person).post(reverse("tenders:open", args=[tender.pk])).status_code == 403
    tender.refresh_from_db()
    assert tender.opened_at is None


def test_after_opening_managers_read_offers_and_others_may_not(
    tender, bids, client_for, council_officer, council_admin, contract_manager, viewer
):
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    first, _ = bids
    for person in (council_officer, council_admin):
        url = reverse("tenders:offer-detail", args=[tender.pk, first.pk])
        # Everyone declares, about each bidder by name, before reading any offer.
        assert client_for(person).get(url).status_code == 403
        declare_no_conflict(tender, person)
        assert SECRET_ANSWER in client_for(person).get(url).content.decode()
    for person in (contract_manager, viewer):
        assert (
            client_for(person).get(reverse("tenders:offers", args=[tender.pk])).status_code == 403
        )
        assert (
            client_for(person)
            .get(reverse("tenders:offer-detail", args=[tender.pk, first.pk]))
            .status_code
            == 403
        )
    detail = client_for(viewer).get(reverse("tenders:detail", args=[tender.pk])).content.decode()
    assert "2 submitted" in detail


def test_a_supplier_never_sees_another_suppliers_offer(
    tender, bids, client_for, second_supplier, council_officer
):
    _, other_user = second_supplier
    client = client_for(other_user)
    first, _ = bids
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    for method, url in offer_pages(tender, first)[:13]:
        assert call(client, method, url).status_code == 404, url
    own = client.get(reverse("tenders:offer", args=[tender.pk])).content.decode()
    assert SECRET_ANSWER not in own and "Don Valley" not in own
    api_offer = client.get(f"/api/v1/tenders/{tender.pk}/offer").json()
    assert api_offer["supplier"] == "Rother Facilities Services Ltd"
    assert client.get(f"/api/v1/tenders/{tender.pk}/results").status_code == 404
    assert client.get(f"/api/v1/tenders/{tender.pk}").json()["offers_submitted"] is None


def test_another_council_and_partners_get_404_for_the_tender(
    tender, bids, client_for, other_council_officer, partner_user
):
    pass_deadline(tender)
    first, _ = bids
    for person in (other_council_officer, partner_user):
        client = client_for(person)
        assert client.get(reverse("tenders:detail", args=[tender.pk])).status_code == 404
        for method, url in offer_pages(tender, first) + api_offer_routes(tender):
            assert call(client, method, url).status_code == 404, (person, url)
        assert client.get(f"/api/v1/tenders/{tender.pk}").status_code == 404


def test_the_services_refuse_to_score_sealed_offers(tender, bids, council_officer, evaluator):
    from decimal import Decimal

    first, _ = bids
    question = tender.procurement.questions.get()
    assignment = tender.evaluators.get()
    with pytest.raises(PermissionDenied, match="sealed"):
        services.answer_score_record(
            assignment=assignment,
            offer=first,
            question=question,
            level="50",
            rationale="x",
            by=evaluator,
        )
    with pytest.raises(PermissionDenied, match="sealed"):
        services.moderation_record(
            offer=first, question=question, level="50", notes="x", by=council_officer
        )
    with pytest.raises(PermissionDenied, match="sealed"):
        services.price_quality_record(
            offer=first, price_marks=Decimal(1), quality_marks=Decimal(1), by=council_officer
        )


def test_the_councils_audit_trail_reveals_no_offer_before_opening(
    tender, bids, client_for, council_admin
):
    page = client_for(council_admin).get(reverse("accounts:audit-trail")).content.decode()
    assert (
        f"Chloe Evans on {tender.reference}" in page
    )  # the trail does show the tender's own records
    for leak in ("Don Valley", "Rother Facilities", SECRET_ANSWER, tender.reference + "-"):
        assert leak not in page


def test_a_document_attached_after_the_last_submission_stays_sealed(
    tender, bids, client_for, supplier_user, council_officer
):
    first, _ = bids
    submitted = first.documents.get()
    draft_only = services.offer_attach_document(
        offer=first, by=supplier_user, upload=SimpleUploadedFile("draft.pdf", b"%PDF draft")
    )
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    declare_no_conflict(tender, council_officer)
    client = client_for(council_officer)
    assert (
        client.get(reverse("tenders:document", args=[tender.pk, submitted.pk])).status_code == 200
    )
    assert (
        client.get(reverse("tenders:document", args=[tender.pk, draft_only.pk])).status_code == 404
    )
