"""Evaluated value apart from offered value: evaluators moderate offer lines with a reason,
the offered figures stay beside the evaluated ones, scores use the evaluated values, an
implausible offer waits for a decision before sign-off, and the award carries the evaluated
commitments into the contract with the offered ones kept for the record."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from docx import Document

from commonweal.tenders import services
from commonweal.tenders.selectors import tender_evaluation
from tests.commissioning.builders import planned_procurement
from tests.downloads import csv_text
from tests.tenders.conftest import declare_no_conflict, pass_deadline, sign_off, submitted_offer

pytestmark = pytest.mark.django_db

REASON = "Clarification: 5 local staff, and in year 1 only"


@pytest.fixture
def inflated(world, council_officer, evaluator, supplier_user, second_supplier):
    """A £2m contract: an honest £300,000 offer and an implausible £6m one, opened."""
    procurement = planned_procurement(
        world.council,
        council_officer,
        value_pence=200_000_000,
        social_value_quantitative_percent=Decimal(10),
        social_value_qualitative_percent=Decimal(10),
        price_percent=Decimal(40),
        quality_percent=Decimal(40),
        scoring_method="relative_to_best",
    )
    tender = services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=7), by=council_officer
    )
    supplier, user = second_supplier
    honest = submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 10})
    # 200 FTE-years × £30,000 = £6,000,000: 300% of the contract value.
    bloated = submitted_offer(tender, supplier, user, {("LE1", 1): 100, ("LE1", 2): 100})
    assignment = services.evaluator_assign(tender=tender, evaluator=evaluator, by=council_officer)
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    declare_no_conflict(tender, council_officer, evaluator)
    question = procurement.questions.get()
    for offer in (honest, bloated):
        services.answer_score_record(
            assignment=assignment,
            offer=offer,
            question=question,
            level="50",
            rationale="Adequate",
            by=evaluator,
        )
        services.moderation_record(
            offer=offer, question=question, level="50", notes="Agreed", by=council_officer
        )
        services.price_quality_record(
            offer=offer, price_marks=Decimal(30), quality_marks=Decimal(30), by=council_officer
        )
    return tender, honest, bloated


def moderate(bloated, by):
    for year, quantity in ((1, Decimal(5)), (2, Decimal(0))):
        services.offer_line_moderate(
            offer=bloated,
            measure_code="LE1",
            contract_year=year,
            evaluated_quantity=quantity,
            set_aside=quantity == 0,
            reason=REASON,
            by=by,
        )


def test_an_implausible_offer_must_be_moderated_or_confirmed_before_sign_off(
    inflated, council_officer, evaluator
):
    tender, _, bloated = inflated
    with pytest.raises(Exception, match="Rother Facilities Services Ltd: its offer is implausible"):
        services.evaluation_sign_off(tender=tender, by=council_officer)
    services.offer_plausibility_confirm(
        offer=bloated, reason="Group-wide staff genuinely based in Rotherham", by=evaluator
    )
    tender = sign_off(tender, council_officer, evaluator)
    assert tender.signed_off_at is not None
    assert LogEntry.objects.filter(additional_data__event="Offer value confirmed").exists()


def test_moderation_only_reduces_a_line_and_always_says_why(inflated, council_officer, viewer):
    tender, honest, bloated = inflated
    args = dict(offer=bloated, measure_code="LE1", contract_year=1, by=council_officer)
    with pytest.raises(Exception, match="only reduces a line: enter at most the 100 offered"):
        services.offer_line_moderate(evaluated_quantity=Decimal(101), reason="x", **args)
    with pytest.raises(Exception, match="Write why"):
        services.offer_line_moderate(evaluated_quantity=Decimal(5), reason=" ", **args)
    with pytest.raises(Exception, match="offered nothing under AP1 in year 1"):
        services.offer_line_moderate(
            offer=bloated,
            measure_code="AP1",
            contract_year=1,
            evaluated_quantity=Decimal(0),
            reason="x",
            by=council_officer,
        )
    with pytest.raises(Exception, match="Only the tender's commissioner and its evaluators"):
        services.offer_line_moderate(
            evaluated_quantity=Decimal(5), reason="x", **{**args, "by": viewer}
        )


def test_moderating_through_the_page_restores_the_honest_marks_and_shows_both_figures(
    inflated, client_for, evaluator, council_officer
):
    tender, honest, bloated = inflated
    before = {r.bidder.name: r.quantitative.marks for r in tender_evaluation(tender)}
    # £300,000 ÷ £6,000,000 × 10 = 0.50
    assert before["Don Valley Catering Ltd"] == Decimal("0.50")
    client = client_for(evaluator)
    detail = reverse("tenders:offer-detail", args=[tender.pk, bloated.pk])
    page = client.get(detail).content.decode()
    assert "Implausible" in page and "300.00% of the contract value" in page
    for year, decision, quantity in ((1, "reduce", "5"), (2, "set_aside", "")):
        url = reverse("tenders:line-moderate", args=[tender.pk, bloated.pk, "LE1", year])
        assert (
            client.post(url, {"decision": decision, "evaluated_quantity": quantity}).status_code
            == 200
        )
        response = client.post(
            url, {"decision": decision, "evaluated_quantity": quantity, "reason": REASON}
        )
        assert response["Location"] == detail
    after = {r.bidder.name: r.quantitative.marks for r in tender_evaluation(tender)}
    # Evaluated, Rother's offer is 5 × £30,000 = £150,000: the honest £300,000 is best again.
    assert after == {
        "Don Valley Catering Ltd": Decimal("10.00"),
        "Rother Facilities Services Ltd": Decimal("5.00"),
    }
    page = client.get(detail).content.decode()
    assert "£6,000,000.00" in page and "£150,000.00" in page
    assert "Set aside" in page and REASON in page
    events = LogEntry.objects.filter(additional_data__event="Offer line moderated")
    assert any("LE1 year 1: offered 100, evaluated 5." in e.changes_text for e in events)


def test_the_report_csv_and_api_show_offered_evaluated_and_why(
    inflated, client_for, council_officer, evaluator, viewer
):
    tender, _, bloated = inflated
    moderate(bloated, council_officer)
    sign_off(tender, council_officer, evaluator)
    page = client_for(viewer).get(reverse("tenders:report", args=[tender.pk])).content.decode()
    assert "£6,000,000.00" in page and "£150,000.00" in page and REASON in page
    assert "Implausible as offered" in page and "Moderated" in page
    rows = csv_text(client_for(viewer).get(reverse("tenders:report-csv", args=[tender.pk])))
    assert "offered total,social value,,£,6000000.00" in rows
    assert "evaluated total,social value,,£,150000.00" in rows
    assert "offer-total-within-contract-value,implausible" in rows
    docx = client_for(viewer).get(reverse("tenders:report-docx", args=[tender.pk]))
    document = Document(BytesIO(docx.content))
    ranking = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    [row] = [row for row in ranking if row[1].startswith(bloated.supplier.name)]
    assert row[1].endswith("(implausible as offered; moderated)")
    assert row[2:4] == ["£6,000,000.00", "£150,000.00"]
    assert REASON in "\n".join(p.text for p in document.paragraphs)


def test_the_award_carries_the_evaluated_commitments_and_keeps_the_offered(
    inflated, client_for, council_officer, evaluator, contract_manager
):
    from commonweal.contracts.models import Contract

    tender, honest, bloated = inflated
    moderate(bloated, council_officer)
    # Make the moderated bidder win on price, so its evaluated lines become the contract.
    services.price_quality_record(
        offer=bloated, price_marks=Decimal(40), quality_marks=Decimal(40), by=council_officer
    )
    sign_off(tender, council_officer, evaluator)
    services.tender_award(
        tender=tender,
        start_date=date(2027, 4, 1),
        contract_manager=contract_manager,
        by=council_officer,
    )
    contract = Contract.objects.get()
    assert contract.supplier == bloated.supplier
    commitment = contract.commitments.get()
    years = {y.contract_year: (y.quantity, y.offered_quantity) for y in commitment.years.all()}
    assert years == {1: (Decimal(5), Decimal(100)), 2: (Decimal(0), Decimal(100))}
    assert commitment.committed_value_pence == 15_000_000
    assert REASON in commitment.evaluation_note
    page = client_for(council_officer).get(reverse("contracts:detail", args=[contract.pk]))
    assert "offered 100" in page.content.decode() and REASON in page.content.decode()


def test_only_evaluators_with_no_conflict_moderate_lines_and_outsiders_get_404(
    inflated, client_for, viewer, contract_manager, other_council_officer, supplier_user
):
    tender, _, bloated = inflated
    url = reverse("tenders:line-moderate", args=[tender.pk, bloated.pk, "LE1", 1])
    confirm = reverse("tenders:confirm-value", args=[tender.pk, bloated.pk])
    for person in (viewer, contract_manager):
        assert client_for(person).get(url).status_code == 403
        assert client_for(person).post(confirm, {"reason": "x"}).status_code == 403
    for person in (other_council_officer, supplier_user):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).post(confirm, {"reason": "x"}).status_code == 404
