"""Conflicts of interest, enforced everywhere: whoever declares one is sealed out of the tender's
offers exactly as everyone is before opening, takes no part in scoring, moderation or sign-off,
and a council admin may give their work to someone else. All of it is audited and reported."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from commonweal.commissioning.models import PolicyVersion
from commonweal.tenders import services
from commonweal.tenders.evaluation import (
    DeclarationLine,
    EvaluationRecord,
    ReassignmentLine,
    SignatureLine,
)
from tests.downloads import csv_text
from tests.tenders.conftest import declare_no_conflict, pass_deadline, sign_off, submitted_offer

pytestmark = pytest.mark.django_db

CONFLICT = "My brother runs Don Valley Catering"


@pytest.fixture
def panel(tender, world, supplier_user, second_supplier, council_officer, evaluator, council_admin):
    """Two bids, opened; the evaluator and the officer evaluate; the admin declares a conflict."""
    supplier, user = second_supplier
    first = submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 2}, "Plan A")
    services.offer_attach_document(
        offer=first, by=supplier_user, upload=SimpleUploadedFile("plan.pdf", b"%PDF plan")
    )
    services.offer_submit(offer=first, by=supplier_user)
    second = submitted_offer(tender, supplier, user, {("AP1", 1): 120}, "Plan B")
    assignment = services.evaluator_assign(tender=tender, evaluator=evaluator, by=council_officer)
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    declare_no_conflict(tender, evaluator, council_officer)
    services.conflicts_declare(
        tender=tender, conflicted_with=[first], details=CONFLICT, by=council_admin
    )
    return tender, first, second, assignment


def score_and_sign(tender, offers, assignment, evaluator, officer):
    question = tender.procurement.questions.get()
    for offer in offers:
        services.answer_score_record(
            assignment=assignment,
            offer=offer,
            question=question,
            level="75",
            rationale="Named partners",
            by=evaluator,
        )
        services.moderation_record(
            offer=offer, question=question, level="75", notes="Agreed", by=officer
        )
        services.price_quality_record(
            offer=offer, price_marks=Decimal(30), quality_marks=Decimal(30), by=officer
        )
    return sign_off(tender, officer, evaluator)


def conflicted_routes(tender, offer) -> list[tuple[str, str]]:
    """Every page, download, API route and export that shows an offer or its evaluation."""
    code = offer.latest_submission().lines[0]["measure_code"]
    documents = [
        ("get", reverse("tenders:document", args=[tender.pk, d.pk])) for d in offer.documents.all()
    ]
    return documents + [
        ("get", reverse("tenders:offers", args=[tender.pk])),
        ("get", reverse("tenders:offer-detail", args=[tender.pk, offer.pk])),
        ("post", reverse("tenders:offer-detail", args=[tender.pk, offer.pk])),
        ("get", reverse("tenders:offer-moderate", args=[tender.pk, offer.pk])),
        ("post", reverse("tenders:offer-moderate", args=[tender.pk, offer.pk])),
        ("get", reverse("tenders:line-moderate", args=[tender.pk, offer.pk, code, 1])),
        ("post", reverse("tenders:line-moderate", args=[tender.pk, offer.pk, code, 1])),
        ("post", reverse("tenders:confirm-value", args=[tender.pk, offer.pk])),
        ("get", reverse("tenders:evaluation", args=[tender.pk])),
        ("post", reverse("tenders:sign-off", args=[tender.pk])),
        ("get", reverse("tenders:report", args=[tender.pk])),
        ("get", reverse("tenders:report-docx", args=[tender.pk])),
        ("get", reverse("tenders:report-csv", args=[tender.pk])),
        ("get", reverse("tenders:award", args=[tender.pk])),
        ("post", reverse("tenders:award", args=[tender.pk])),
        ("get", f"/api/v1/tenders/{tender.pk}/results"),
    ]


@pytest.mark.parametrize("stage", ["during evaluation", "after sign-off"])
def test_a_conflicted_person_gets_404_for_every_route_to_the_offers(
    stage, panel, client_for, council_admin, council_officer, evaluator
):
    tender, first, second, assignment = panel
    if stage == "after sign-off":
        score_and_sign(tender, (first, second), assignment, evaluator, council_officer)
    client = client_for(council_admin)
    for offer in (first, second):
        for method, url in conflicted_routes(tender, offer):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (stage, method, url, response.status_code)
    # The people without a conflict still reach them.
    reader = client_for(council_officer)
    assert (
        reader.get(reverse("tenders:offer-detail", args=[tender.pk, first.pk])).status_code == 200
    )
    page = client.get(reverse("tenders:detail", args=[tender.pk])).content.decode()
    assert "closed to you" in page and "Plan A" not in page


def test_a_conflict_declared_after_scoring_sets_that_persons_scores_aside(
    panel, client_for, evaluator, council_officer
):
    tender, first, _, assignment = panel
    question = tender.procurement.questions.get()
    services.answer_score_record(
        assignment=assignment,
        offer=first,
        question=question,
        level="100",
        rationale="Excellent",
        by=evaluator,
    )
    services.conflicts_declare(
        tender=tender, conflicted_with=[first], details="Offered a job by Don Valley", by=evaluator
    )
    with pytest.raises(Exception, match="conflict of interest"):
        services.moderation_record(
            offer=first, question=question, level="100", notes="x", by=evaluator
        )
    from commonweal.tenders.selectors import tender_evaluation

    results = {r.bidder.name: r for r in tender_evaluation(tender)}
    assert results["Don Valley Catering Ltd"].questions[0].consensus.independent == ()


def test_sign_off_needs_the_councils_number_of_people_with_no_conflict_on_the_same_results(
    panel, client_for, evaluator, council_officer, world
):
    tender, first, second, assignment = panel
    PolicyVersion.objects.filter(pk=tender.procurement.policy_version_id).update(sign_off_people=3)
    tender.procurement.policy_version.refresh_from_db()
    score_and_sign(tender, (first, second), assignment, evaluator, council_officer)
    assert tender.signed_off_at is None
    page = client_for(council_officer).get(reverse("tenders:evaluation", args=[tender.pk]))
    assert "3 people with no conflict of interest" in page.content.decode()
    assert "2 have" in page.content.decode()
    # A change to the results voids the signatures made before it.
    services.price_quality_record(
        offer=first, price_marks=Decimal(31), quality_marks=Decimal(30), by=council_officer
    )
    page = client_for(council_officer).get(reverse("tenders:evaluation", args=[tender.pk]))
    assert "0 have" in page.content.decode() and "(no longer counts)" in page.content.decode()


def test_a_council_admin_reassigns_a_conflicted_evaluators_work(
    panel, client_for, council_admin, council_officer, evaluator, contract_manager, viewer, world
):
    from commonweal.accounts.roles import Role
    from tests.factories import MembershipFactory, UserFactory

    tender, first, second, assignment = panel
    stand_in = UserFactory(email="grace@rotherham.test", full_name="Grace Lee")
    MembershipFactory(user=stand_in, organisation=world.council, role=Role.EVALUATOR)
    services.conflicts_declare(
        tender=tender, conflicted_with=[second], details="Rother is my landlord", by=evaluator
    )
    url = reverse("tenders:evaluator-reassign", args=[tender.pk])
    for person in (council_officer, evaluator, contract_manager, viewer):
        assert client_for(person).get(url).status_code == 403
    response = client_for(council_admin).post(
        url,
        {"assignment": assignment.pk, "replacement": stand_in.pk, "reason": "Declared a conflict"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.stood_down_by == council_admin
    assert assignment.replaced_by.evaluator == stand_in
    event = LogEntry.objects.get(additional_data__event="Evaluator reassigned")
    assert "Chloe Evans stood down; Grace Lee evaluates instead" in event.changes_text
    # The stand-in declares for themselves before reading any offer.
    offer_url = reverse("tenders:offer-detail", args=[tender.pk, first.pk])
    assert client_for(stand_in).get(offer_url).status_code == 403
    declare_no_conflict(tender, stand_in)
    assert client_for(stand_in).get(offer_url).status_code == 200


def test_the_report_lists_every_declaration_exclusion_reassignment_and_signature(
    panel, client_for, council_officer, evaluator, viewer
):
    tender, first, second, assignment = panel
    score_and_sign(tender, (first, second), assignment, evaluator, council_officer)
    page = client_for(viewer).get(reverse("tenders:report", args=[tender.pk])).content.decode()
    assert "Asha Patel declared a conflict of interest with Don Valley Catering Ltd" in page
    assert CONFLICT in page and "excluded from the offers" in page
    assert "Chloe Evans declared no conflict of interest with Don Valley Catering Ltd" in page
    assert "Signed off" in page and "Ben Carter, Chloe Evans" in page
    download = csv_text(client_for(viewer).get(reverse("tenders:report-csv", args=[tender.pk])))
    assert f"declaration,Asha Patel,conflict of interest,,,{CONFLICT}" in download
    assert "signature,Chloe Evans,counts" in download
    docx = client_for(viewer).get(reverse("tenders:report-docx", args=[tender.pk]))
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "Asha Patel declared a conflict of interest with Don Valley Catering Ltd" in text


def test_declaring_is_for_people_taking_part_and_outsiders_get_404(
    panel, client_for, contract_manager, viewer, other_council_officer, supplier_user
):
    tender, *_ = panel
    url = reverse("tenders:declaration", args=[tender.pk])
    for person in (contract_manager, viewer):
        assert client_for(person).get(url).status_code == 403
    for person in (other_council_officer, supplier_user):
        assert client_for(person).get(url).status_code == 404
        assert (
            client_for(person)
            .get(reverse("tenders:evaluator-reassign", args=[tender.pk]))
            .status_code
            == 404
        )


def test_the_report_gives_declarations_reassignments_and_signatures_in_uk_time():
    # Kept in UTC; 13:05 UTC on 8 June is 14:05 BST, and GOV.UK writes "8 June", not "08 June".
    at = datetime(2026, 6, 8, 13, 5, tzinfo=UTC)
    record = EvaluationRecord(
        declarations=(DeclarationLine("Kate Morris", "Dalton Ltd", True, "My brother.", at),),
        reassignments=(
            ReassignmentLine("Kate Morris", "Asha Patel", "Asha Patel", "Conflict", at),
        ),
        signatures=(SignatureLine("Ben Carter", at, True),),
    )
    summary = record.summary()
    assert summary[0].startswith(
        "Kate Morris declared a conflict of interest with Dalton Ltd on 8 June 2026 14:05: "
        "My brother. They were excluded"
    )
    assert "down on 8 June 2026 14:05 and assigned" in summary[1]
    assert summary[2] == "Signed by Ben Carter on 8 June 2026 14:05."
