"""Evaluation after opening: conflicts of interest, independent scores, moderation, price and
quality, sign-off (and nothing after it), the report, and the award."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from docx import Document

from commonweal.tenders import services
from commonweal.tenders.models import AnswerScore, ModeratedScore
from tests.downloads import csv_text
from tests.tenders.conftest import declare_no_conflict, pass_deadline, sign_off, submitted_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(tender, world, supplier_user, second_supplier, council_officer, evaluator):
    supplier, user = second_supplier
    # Don Valley: 2 FTE in year 1 = 2 × £30,000 = £60,000. Rother: 120 weeks × £250 = £30,000.
    first = submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 2})
    second = submitted_offer(tender, supplier, user, {("AP1", 1): 120})
    assignment = services.evaluator_assign(tender=tender, evaluator=evaluator, by=council_officer)
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    return tender, first, second, assignment


def score_everything(tender, first, second, assignment, evaluator, officer):
    question = tender.procurement.questions.get()
    declare_no_conflict(tender, evaluator, officer)
    for offer, level, price, quality in ((first, "75", 30, 32), (second, "50", 40, 28)):
        services.answer_score_record(
            assignment=assignment,
            offer=offer,
            question=question,
            level=level,
            rationale="Clear named programme",
            by=evaluator,
        )
        services.moderation_record(
            offer=offer, question=question, level=level, notes="Agreed", by=officer
        )
        services.price_quality_record(
            offer=offer, price_marks=Decimal(price), quality_marks=Decimal(quality), by=officer
        )
    return question


def test_an_evaluator_must_declare_before_reading_offers(opened, client_for, evaluator):
    tender, first, _, _ = opened
    client = client_for(evaluator)
    assert client.get(reverse("tenders:offers", args=[tender.pk])).status_code == 403
    assert (
        client.get(reverse("tenders:offer-detail", args=[tender.pk, first.pk])).status_code == 403
    )
    client.post(
        reverse("tenders:declaration", args=[tender.pk]), {"has_conflict": "no", "confirm": "on"}
    )
    page = client.get(reverse("tenders:offer-detail", args=[tender.pk, first.pk]))
    assert page.status_code == 200
    assert "£60,000.00" in page.content.decode()


def test_an_evaluator_with_a_conflict_never_reads_or_scores(opened, client_for, evaluator):
    tender, first, second, assignment = opened
    client = client_for(evaluator)
    page = client.get(reverse("tenders:declaration", args=[tender.pk])).content.decode()
    # The bidders are named, so the conflict can be declared against one of them.
    assert "Don Valley Catering Ltd" in page and "Rother Facilities Services Ltd" in page
    response = client.post(
        reverse("tenders:declaration", args=[tender.pk]),
        {
            "has_conflict": "yes",
            "conflicted_with": [first.pk],
            "details": "My brother runs Don Valley Catering",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    # The seal closes on the whole tender for them: 404, exactly as before opening.
    for offer in (first, second):
        url = reverse("tenders:offer-detail", args=[tender.pk, offer.pk])
        assert client.get(url).status_code == 404
    with pytest.raises(Exception, match="conflict of interest"):
        services.answer_score_record(
            assignment=assignment,
            offer=second,
            question=tender.procurement.questions.get(),
            level="50",
            rationale="x",
            by=evaluator,
        )


def test_a_declaration_names_each_bidder_and_later_only_adds_conflicts(
    opened, evaluator, council_officer
):
    tender, first, second, _ = opened
    with pytest.raises(Exception, match="Describe the conflict"):
        services.conflicts_declare(tender=tender, conflicted_with=[first], details="", by=evaluator)
    declare_no_conflict(tender, evaluator)
    declared = tender.declarations.filter(person=evaluator)
    assert sorted((d.offer.supplier.name, d.has_conflict) for d in declared) == [
        ("Don Valley Catering Ltd", False),
        ("Rother Facilities Services Ltd", False),
    ]
    with pytest.raises(Exception, match="new conflict of interest"):
        services.conflicts_declare(tender=tender, conflicted_with=[], details="", by=evaluator)
    services.conflicts_declare(
        tender=tender, conflicted_with=[second], details="Rother hired my partner", by=evaluator
    )
    assert declared.get(offer=second).has_conflict
    with pytest.raises(Exception, match="already declared a conflict"):
        services.conflicts_declare(
            tender=tender, conflicted_with=[second], details="again", by=evaluator
        )
    event = LogEntry.objects.get(additional_data__event="Conflict of interest declared")
    assert "Rother Facilities Services Ltd: Rother hired my partner" in event.changes_text


def test_evaluators_score_independently_with_a_rationale_then_moderate(
    opened, client_for, evaluator, council_officer
):
    tender, first, _, assignment = opened
    declare_no_conflict(tender, evaluator, council_officer)
    question = tender.procurement.questions.get()
    client = client_for(evaluator)
    url = reverse("tenders:offer-detail", args=[tender.pk, first.pk])
    client.post(
        url,
        {"question": question.pk, f"q{question.pk}-level": "75", f"q{question.pk}-rationale": ""},
    )
    assert not AnswerScore.objects.exists()
    client.post(
        url,
        {
            "question": question.pk,
            f"q{question.pk}-level": "75",
            f"q{question.pk}-rationale": "Strong",
        },
    )
    assert AnswerScore.objects.get().level == "75"
    # Evaluators do not moderate.
    assert (
        client.get(reverse("tenders:offer-moderate", args=[tender.pk, first.pk])).status_code == 403
    )
    manager = client_for(council_officer)
    page = manager.get(
        reverse("tenders:offer-moderate", args=[tender.pk, first.pk])
    ).content.decode()
    assert "Strong" in page
    manager.post(
        reverse("tenders:offer-moderate", args=[tender.pk, first.pk]),
        {
            "question": question.pk,
            f"q{question.pk}-level": "50",
            f"q{question.pk}-notes": "Agreed 50 after discussion",
        },
    )
    assert ModeratedScore.objects.get().notes == "Agreed 50 after discussion"


def test_moderation_needs_independent_scores_first(opened, council_officer):
    tender, first, _, _ = opened
    declare_no_conflict(tender, council_officer)
    with pytest.raises(Exception, match="score this answer independently before moderation"):
        services.moderation_record(
            offer=first,
            question=tender.procurement.questions.get(),
            level="50",
            notes="n",
            by=council_officer,
        )


def test_sign_off_locks_the_evaluation_and_is_audited(
    opened, client_for, evaluator, council_officer
):
    tender, first, second, assignment = opened
    question = score_everything(tender, first, second, assignment, evaluator, council_officer)
    # The first signature does not lock it: the policy needs two people with no conflict.
    response = client_for(council_officer).post(reverse("tenders:sign-off", args=[tender.pk]))
    assert response["Location"] == reverse("tenders:evaluation", args=[tender.pk])
    tender.refresh_from_db()
    assert tender.signed_off_at is None
    response = client_for(evaluator).post(reverse("tenders:sign-off", args=[tender.pk]))
    assert response["Location"] == reverse("tenders:report", args=[tender.pk])
    tender.refresh_from_db()
    assert tender.signed_off_by == evaluator
    event = LogEntry.objects.get(additional_data__event="Evaluation signed off")
    assert "Signed by Ben Carter, Chloe Evans" in event.changes_text
    for attempt in (
        lambda: services.answer_score_record(
            assignment=assignment,
            offer=first,
            question=question,
            level="100",
            rationale="x",
            by=evaluator,
        ),
        lambda: services.moderation_record(
            offer=first, question=question, level="100", notes="x", by=council_officer
        ),
        lambda: services.price_quality_record(
            offer=first, price_marks=Decimal(40), quality_marks=Decimal(40), by=council_officer
        ),
        lambda: services.evaluation_sign_off(tender=tender, by=evaluator),
    ):
        with pytest.raises(Exception, match="signed off"):
            attempt()
    assert (
        client_for(council_officer)
        .get(reverse("tenders:offer-moderate", args=[tender.pk, first.pk]))
        .status_code
        == 403
    )
    # Nor do the offer pages still offer moderation.
    moderate = reverse("tenders:offer-moderate", args=[tender.pk, first.pk])
    for page in ("tenders:offers", "tenders:offer-detail"):
        args = [tender.pk] if page == "tenders:offers" else [tender.pk, first.pk]
        html = client_for(council_officer).get(reverse(page, args=args)).content.decode()
        assert moderate not in html
    first.refresh_from_db()
    assert first.price_marks == Decimal(30)


def test_sign_off_is_refused_until_every_score_is_in(opened, council_officer):
    tender, *_ = opened
    declare_no_conflict(tender, council_officer)
    with pytest.raises(Exception, match="needs an agreed score for question 1, a price score"):
        services.evaluation_sign_off(tender=tender, by=council_officer)


def test_the_report_answers_a_challenge(
    opened, client_for, evaluator, council_officer, viewer, contract_manager
):
    tender, first, second, assignment = opened
    score_everything(tender, first, second, assignment, evaluator, council_officer)
    sign_off(tender, council_officer, evaluator)
    for person in (viewer, contract_manager, council_officer):
        page = client_for(person).get(reverse("tenders:report", args=[tender.pk])).content.decode()
        # Don Valley: 10.00 + 7.50 + 30 + 32 = 79.50; Rother: 5.00 + 5.00 + 40 + 28 = 78.00
        assert "79.50" in page and "78.00" in page
        assert "Moderation notes: Agreed" in page
        assert "Chloe Evans: 75. Clear named programme" in page
    download = csv_text(client_for(viewer).get(reverse("tenders:report-csv", args=[tender.pk])))
    assert (
        "1,Don Valley Catering Ltd" in download and "2,Rother Facilities Services Ltd" in download
    )
    docx = client_for(viewer).get(reverse("tenders:report-docx", args=[tender.pk]))
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "Bidders are ranked by overall score" in text
    api = client_for(viewer).get(f"/api/v1/tenders/{tender.pk}/results").json()
    assert [(r["rank"], r["overall"]) for r in api] == [(1, "79.50"), (2, "78.00")]


def test_a_mark_of_zero_shows_as_zero_not_as_missing(
    opened, client_for, evaluator, council_officer
):
    tender, first, second, assignment = opened
    score_everything(tender, first, second, assignment, evaluator, council_officer)
    services.price_quality_record(
        offer=second, price_marks=Decimal(0), quality_marks=Decimal(28), by=council_officer
    )
    page = client_for(council_officer).get(reverse("tenders:evaluation", args=[tender.pk]))
    cells = page.content.decode().split("Rother Facilities Services Ltd", 1)[1].split("</tr>")[0]
    assert 'numeric">0.00</td>' in cells and "—" not in cells


def test_the_report_is_not_published_before_sign_off(opened, client_for, viewer):
    tender, *_ = opened
    assert client_for(viewer).get(reverse("tenders:report", args=[tender.pk])).status_code == 404
    assert client_for(viewer).get(f"/api/v1/tenders/{tender.pk}/results").status_code == 404


def test_the_award_turns_the_winning_offer_into_a_contract_with_commitments(
    opened, client_for, evaluator, council_officer, contract_manager
):
    from commonweal.contracts.models import Contract

    tender, first, second, assignment = opened
    score_everything(tender, first, second, assignment, evaluator, council_officer)
    sign_off(tender, council_officer, evaluator)
    response = client_for(council_officer).post(
        reverse("tenders:award", args=[tender.pk]),
        {
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": "2027",
            "contract_manager": contract_manager.pk,
        },
    )
    contract = Contract.objects.get()
    assert response["Location"] == reverse("contracts:detail", args=[contract.pk])
    assert contract.supplier == first.supplier
    assert contract.start_date == date(2027, 4, 1) and contract.end_date == date(2029, 3, 31)
    commitments = list(contract.commitments.all())
    assert len(commitments) == 1
    tender.refresh_from_db()
    assert tender.contract_id == contract.pk and tender.awarded_offer == first
    assert LogEntry.objects.filter(additional_data__event="Tender awarded").exists()


def test_only_managers_award(opened, client_for, evaluator, council_officer, viewer):
    tender, first, second, assignment = opened
    score_everything(tender, first, second, assignment, evaluator, council_officer)
    sign_off(tender, council_officer, evaluator)
    assert client_for(viewer).get(reverse("tenders:award", args=[tender.pk])).status_code == 403
    assert (
        client_for(evaluator).post(reverse("tenders:award", args=[tender.pk]), {}).status_code
        == 403
    )
