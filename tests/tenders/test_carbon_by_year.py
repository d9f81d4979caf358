"""Carbon offered at tender is valued at the carbon value of the year it would be saved in
(valuation.CarbonValuedByDeliveryYear): year 1 counts as the tender's price year, because no
start date is known at tender; the evaluation states the rule and its source."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.commissioning.models import Procurement
from commonweal.contracts.models import Contract
from commonweal.frameworks.models import LocalMeasureSetVersion
from commonweal.tenders import selectors, services
from commonweal.tenders.evaluation import method_summary
from commonweal.valuation.official_series import carbon_values
from tests.commissioning.builders import planned_procurement
from tests.factories import (
    MeasureFactory,
    OutcomeFactory,
    ProxyValueFactory,
    desnz_carbon_measure,
    published_set,
)
from tests.tenders.conftest import declare_no_conflict, pass_deadline, sign_off, submitted_offer

pytestmark = pytest.mark.django_db
SERIES = carbon_values()


def carbon_measure_set(council) -> LocalMeasureSetVersion:
    """A measure set with the open measures' carbon measure: valued with the DESNZ series'
    central 2025 value (£273.06 per tCO2e, 2022 prices), like the shipped framework."""
    outcome = OutcomeFactory(
        theme__version__framework__owner=council,
        theme__version__year=2025,
        theme__version__in_force_from=date(2025, 1, 1),
        theme__name="Environment",
        name="Lower greenhouse gas emissions",
    )
    measure = desnz_carbon_measure(outcome)
    # The council's policy asks for an employment and skills measure in every procurement.
    apprenticeships = MeasureFactory(
        outcome=outcome,
        code="AP1",
        unit="weeks",
        value_type="monetised",
        tags=["apprenticeships", "employment-and-skills"],
    )
    ProxyValueFactory(measure=apprenticeships, amount_per_unit=Decimal("250"), price_year=2022)
    return published_set(council, [measure, apprenticeships], in_force_from=date(2025, 1, 1))


@pytest.fixture
def carbon_tender(world, council_officer):
    procurement = planned_procurement(
        world.council,
        council_officer,
        codes=("CW-ENV-01", "AP1"),
        set_version=carbon_measure_set(world.council),
    )
    Procurement.objects.filter(pk=procurement.pk).update(duration_months=36)
    procurement.refresh_from_db()
    return services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=14), by=council_officer
    )


def test_a_three_year_carbon_offer_is_valued_at_three_years_values(
    carbon_tender, world, supplier_user
):
    # Every £ value per unit is in 2022 prices, so the tender's price year is 2022 and nothing
    # is re-based. Year 1 counts as 2022, year 2 as 2023, year 3 as 2024; DESNZ central values
    # (valuation/reference/carbon_values.csv): 2022 £260.96, 2023 £264.93, 2024 £268.97.
    #   10 × 260.96 = 2,609.60; 10 × 264.93 = 2,649.30; 10 × 268.97 = 2,689.70; total 7,948.60
    # (at the single 2025 figure it was 30 × 273.06 = 8,191.80).
    assert carbon_tender.price_year == 2022
    offer = submitted_offer(
        carbon_tender,
        world.supplier,
        supplier_user,
        {("CW-ENV-01", 1): 10, ("CW-ENV-01", 2): 10, ("CW-ENV-01", 3): 10},
        workforce_fte=None,
    )
    result = selectors.value_draft(offer)
    assert [line.value for line in result.lines] == [
        Decimal("2609.60"),
        Decimal("2649.30"),
        Decimal("2689.70"),
    ]
    assert result.total_value == Decimal("7948.60")
    third = result.line("CW-ENV-01-Y3")
    assert "central value for 2024" in third.proxy.source_title
    assert "contract year 3 counts as 2024" in third.explanation_text
    assert result.carbon_rule is not None
    assert "the tender's price year, 2022" in result.carbon_rule


def test_the_evaluation_method_states_the_rule_and_its_source(carbon_tender):
    method = " ".join(method_summary(selectors.evaluation_settings(carbon_tender)))
    assert "Carbon savings are valued at the central DESNZ carbon value" in method
    assert SERIES.source_url in method


def test_a_tender_without_a_carbon_measure_says_nothing_about_carbon(tender):
    settings = selectors.evaluation_settings(tender)
    assert settings.carbon is None
    assert "carbon" not in " ".join(method_summary(settings)).lower()


def test_the_bidder_sees_the_rule_beside_their_offer_s_value(
    carbon_tender, world, supplier_user, client_for
):
    offer = services.offer_start(tender=carbon_tender, supplier=world.supplier, by=supplier_user)
    services.offer_save_draft(
        offer=offer,
        by=supplier_user,
        quantities={("CW-ENV-01", 1): Decimal(10)},
        answers={},
        workforce_fte=None,
    )
    page = client_for(supplier_user).get(reverse("tenders:offer", args=[carbon_tender.pk]))
    assert page.status_code == 200
    assert "contract year 1 counts as 2022" in page.content.decode()


@pytest.fixture
def signed_off(carbon_tender, world, supplier_user, evaluator, council_officer):
    offer = submitted_offer(
        carbon_tender,
        world.supplier,
        supplier_user,
        {("CW-ENV-01", 1): 10, ("CW-ENV-01", 2): 10, ("CW-ENV-01", 3): 10, ("AP1", 1): 4},
    )
    assignment = services.evaluator_assign(
        tender=carbon_tender, evaluator=evaluator, by=council_officer
    )
    pass_deadline(carbon_tender)
    services.tender_open(tender=carbon_tender, by=council_officer)
    declare_no_conflict(carbon_tender, evaluator, council_officer)
    question = carbon_tender.procurement.questions.get()
    services.answer_score_record(
        assignment=assignment,
        offer=offer,
        question=question,
        level="75",
        rationale="Clear plan",
        by=evaluator,
    )
    services.moderation_record(
        offer=offer, question=question, level="75", notes="Agreed", by=council_officer
    )
    services.price_quality_record(
        offer=offer, price_marks=Decimal(30), quality_marks=Decimal(30), by=council_officer
    )
    return sign_off(carbon_tender, council_officer, evaluator)


def award(client, tender, year: int, manager):
    return client.post(
        reverse("tenders:award", args=[tender.pk]),
        {
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": str(year),
            "contract_manager": manager.pk,
        },
    )


def test_the_award_values_the_commitments_from_the_year_the_contract_starts(
    signed_off, client_for, council_officer, contract_manager
):
    award(client_for(council_officer), signed_off, 2027, contract_manager)
    carbon = Contract.objects.get().commitments.get(measure__code="CW-ENV-01")
    # Offered at 2022–2024 values (7,948.60); the contract starts in 2027, so its years count as
    # 2027, 2028, 2029: 10 × 281.44 + 10 × 285.73 + 10 × 290.08 = 8,572.50.
    assert [y.value_pence for y in carbon.years.order_by("contract_year")] == [
        281_440,
        285_730,
        290_080,
    ]


def test_an_award_into_years_the_series_does_not_cover_says_so(
    signed_off, client_for, council_officer, contract_manager
):
    response = award(client_for(council_officer), signed_off, 2049, contract_manager)
    assert response.status_code == 200
    assert "no carbon value for 2051; it covers 2020–2050" in response.content.decode()
    assert not Contract.objects.exists()
