"""The three defects of issue 17, reproduced as a new user met them.

1. A declared conflict of interest was not enforced.
2. The plausibility rules never fired in use (offers and returns).
3. One implausible offer rewrote every other bidder's relative marks, with no way to moderate it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.tenders import services
from tests.tenders.conftest import declare_no_conflict, pass_deadline, submitted_offer

pytestmark = pytest.mark.django_db


def test_a_declared_conflict_keeps_the_evaluator_from_the_bidders_offer_and_from_sign_off(
    tender, world, supplier_user, second_supplier, council_officer, evaluator, client_for
):
    supplier, user = second_supplier
    first = submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 2})
    second = submitted_offer(tender, supplier, user, {("AP1", 1): 120})
    services.evaluator_assign(tender=tender, evaluator=council_officer, by=council_officer)
    services.evaluator_assign(tender=tender, evaluator=evaluator, by=council_officer)
    client = client_for(council_officer)
    # Declarations could be made before the bidders' names were visible.
    before = client.get(reverse("tenders:declaration", args=[tender.pk]))
    assert before.status_code == 404
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    services.conflicts_declare(
        tender=tender,
        conflicted_with=[first],
        details="My brother runs Don Valley Catering",
        by=council_officer,
    )
    # Shown as "does not evaluate", yet could read the conflicted bidder's offer...
    page = client.get(reverse("tenders:offer-detail", args=[tender.pk, first.pk]))
    assert page.status_code == 404
    # ...record a consensus against the other evaluator, enter marks, and sign off alone.
    declare_no_conflict(tender, evaluator)
    question = tender.procurement.questions.get()
    services.answer_score_record(
        assignment=tender.evaluators.get(evaluator=evaluator),
        offer=second,
        question=question,
        level="50",
        rationale="Some named partners",
        by=evaluator,
    )
    with pytest.raises(Exception, match="conflict"):
        services.moderation_record(
            offer=second, question=question, level="100", notes="Overruled", by=council_officer
        )
    with pytest.raises(Exception, match="conflict"):
        services.price_quality_record(
            offer=first, price_marks=Decimal(30), quality_marks=Decimal(30), by=council_officer
        )
    with pytest.raises(Exception, match="conflict"):
        services.evaluation_sign_off(tender=tender, by=council_officer)


def test_an_offer_above_the_contract_value_is_flagged_as_implausible(
    world, council_officer, supplier_user, client_for, evaluator
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.commissioning.builders import planned_procurement

    procurement = planned_procurement(world.council, council_officer, value_pence=38_000_000)
    tender = services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=7), by=council_officer
    )
    # 20,000 volunteering hours × £16.93 = £338,600 and 1.5 FTE × £30,000 = £45,000:
    # £383,600 is 100.95% of the £380,000 contract.
    offer = submitted_offer(
        tender,
        world.supplier,
        supplier_user,
        {("VO1", 1): 10_000, ("VO1", 2): 10_000, ("LE1", 1): "1.5"},
    )
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    declare_no_conflict(tender, council_officer)
    page = (
        client_for(council_officer)
        .get(reverse("tenders:offer-detail", args=[tender.pk, offer.pk]))
        .content.decode()
    )
    assert "No counting or plausibility rule findings" not in page
    assert "100.95%" in page and "implausible" in page.lower()


def test_a_return_claiming_far_above_its_commitment_is_flagged(world, supplier_user):
    from commonweal.monitoring.figures import return_check
    from tests.contracts.builders import build_contract, build_measures
    from tests.monitoring.helpers import file_return

    contract = build_contract(world.council, world.supplier, build_measures(world.council))
    # 400 volunteering hours a year: 100 due in the first quarter; 2,000 claimed.
    supplier_return = file_return(
        contract, "2025-26 Q1", {"RM2": "2000"}, by=supplier_user, submit=False
    )
    findings = [finding.message for finding, _ in return_check(supplier_return.pk).findings]
    assert any("2,000" in message and "100" in message for message in findings), findings


def test_moderating_an_implausible_offer_restores_the_honest_bidders_marks(
    world, council_officer, supplier_user, second_supplier
):
    from datetime import timedelta

    from django.utils import timezone

    from commonweal.tenders.selectors import tender_evaluation
    from tests.commissioning.builders import planned_procurement

    # A £2m contract, 20% of the marks for the social value offer, relative to the best.
    procurement = planned_procurement(
        world.council,
        council_officer,
        value_pence=200_000_000,
        social_value_quantitative_percent=Decimal(20),
        social_value_qualitative_percent=Decimal(0),
        price_percent=Decimal(40),
        quality_percent=Decimal(40),
        scoring_method="relative_to_best",
    )
    tender = services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=7), by=council_officer
    )
    supplier, user = second_supplier
    honest = submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 10})
    inflated = submitted_offer(tender, supplier, user, {("LE1", 1): 100, ("LE1", 2): 100})
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    declare_no_conflict(tender, council_officer)
    marks = {r.bidder.name: r.quantitative.marks for r in tender_evaluation(tender)}
    # £300,000 against the inflated £6,000,000: the honest bidder's 20 marks collapse to 1.
    assert marks[honest.supplier.name] == Decimal("1.00")
    for year, evaluated in ((1, Decimal(5)), (2, Decimal(0))):
        services.offer_line_moderate(
            offer=inflated,
            measure_code="LE1",
            contract_year=year,
            evaluated_quantity=evaluated,
            reason="The bidder's answer to our clarification: 5 local staff, in year 1 only",
            by=council_officer,
        )
    marks = {r.bidder.name: r.quantitative.marks for r in tender_evaluation(tender)}
    # Evaluated, the inflated offer is £150,000: the honest £300,000 is the best again.
    assert marks[honest.supplier.name] == Decimal("20.00")
    assert marks[inflated.supplier.name] == Decimal("10.00")
