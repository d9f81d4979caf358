"""Claims checked against the commitment (the claim rules, at the council's margin), the inputs
the counting rules need asked for on the return, and forecasts by contract year, financial year
and to the end of the contract, each with its method on the page and in the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.monitoring import services
from commonweal.monitoring.figures import contract_figures, return_check
from commonweal.valuation import RagThresholds
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world, contract_manager):
    # Two years from 1 April 2025: 2 FTE (RM1) and 400 volunteering hours (RM2) a year,
    # so 100 hours are due each quarter.
    return build_contract(
        world.council,
        world.supplier,
        build_measures(world.council),
        contract_manager=contract_manager,
    )


def messages(supplier_return):
    return [finding.message for finding, _ in return_check(supplier_return.pk).findings]


def test_claims_to_date_far_above_the_commitment_are_flagged_at_the_councils_margin(
    contract, supplier_user, council_admin, world
):
    q1 = file_return(contract, "2025-26 Q1", {"RM2": "125"}, by=supplier_user)
    # 125 claimed against 100 due: exactly the 25% margin, so nothing is flagged.
    assert messages(q1) == []
    q2 = file_return(contract, "2025-26 Q2", {"RM2": "200"}, by=supplier_user, submit=False)
    # 325 claimed to the end of Q2 against 200 due: 62.50% above.
    assert messages(q2) == [
        "325 hours of RM2 claimed by the end of 2025-26 Q2 is 62.50% above the 200 committed "
        "by then, more than the 25% margin; check the evidence before verifying."
    ]
    services.settings_update(
        council=world.council, by=council_admin, claim_margin_percent=Decimal(100)
    )
    assert messages(q2) == []


def test_the_return_asks_for_the_workforce_and_people_so_every_counting_rule_runs(
    contract, supplier_user, client_for
):
    supplier_return = services.return_start(period=period(contract, "2025-26 Q1"), by=supplier_user)
    lines = {line.commitment.measure.code: line for line in supplier_return.lines.all()}
    client = client_for(supplier_user)
    url = reverse("monitoring:return-edit", args=[supplier_return.pk])
    page = client.get(url).content.decode()
    assert "Workforce delivering the contract this period" in page
    assert "your references for the people this claim is about" in page
    jobs, hours = lines["RM1"].pk, lines["RM2"].pk
    client.post(
        url,
        {
            f"claimed_{jobs}": "1.5",
            f"note_{jobs}": "",
            f"people_{jobs}": "H1",
            f"claimed_{hours}": "100",
            f"note_{hours}": "",
            f"claimed_{lines['RM3'].pk}": "0",
            f"note_{lines['RM3'].pk}": "",
            "workforce_fte": "2",
            "narrative": "Delivered",
        },
    )
    supplier_return.refresh_from_db()
    assert supplier_return.workforce_fte == Decimal(2)
    found = messages(supplier_return)
    # One person cannot be 1.5 FTE; 100 hours is more than 2% of 2 FTE × 1,650 hours.
    assert any("Person H1 counts as 1.5 FTE under RM1" in m for m in found)
    assert any("100 hours of volunteering in contract year 1" in m for m in found)


def test_forecasts_for_the_contract_year_the_financial_year_and_the_whole_contract(
    contract, supplier_user, contract_manager
):
    q1 = file_return(contract, "2025-26 Q1", {"RM2": "10"}, by=supplier_user)
    decide(q1, {"RM2": ("verified", None, "")}, by=contract_manager)
    # As of 15 November 2025: Q1 and Q2 have ended, 10 hours verified: 5 a quarter.
    figures = contract_figures(contract, today=date(2025, 11, 15), thresholds=RagThresholds())
    row = next(r for r in figures.commitments if r.measure.code == "RM2")
    year, fy, to_end = (cell.forecast for cell in row.forecast_cells)
    # Contract year 1 (and financial year 2025-26): 10 + 5 × 2 quarters to come = 20 of 400.
    assert (year.span, year.forecast, year.target) == ("contract year 1", Decimal("20.00"), 400)
    assert (fy.span, fy.forecast) == ("financial year 2025-26", Decimal("20.00"))
    # The whole contract: 10 + 5 × 6 = 40 of 800; at £16.93 an hour, £677.20 of £13,544.00.
    assert (to_end.forecast, to_end.target) == (Decimal("40.00"), 800)
    cells = row.forecast_cells
    assert (cells[2].forecast_pence, cells[2].target_pence) == (67_720, 1_354_400)
    assert year.method == (
        "10 verified so far in contract year 1 + run rate 5.00 a period (10 ÷ 2 period(s) "
        "ended) × 2 period(s) to come = 20.00, against a target of 400"
    )


def test_the_contract_page_states_each_forecasts_method(
    contract, client_for, viewer, supplier_user, contract_manager
):
    q1 = file_return(contract, "2025-26 Q1", {"RM2": "10"}, by=supplier_user)
    decide(q1, {"RM2": ("verified", None, "")}, by=contract_manager)
    page = client_for(viewer).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Forecasts" in page and "run rate of verified delivery" in page
    assert "How RM2's forecasts were worked out" in page
    assert "verified so far in contract year" in page


def test_the_monitoring_api_gives_the_same_delivery_figures_and_forecasts_as_the_page(
    contract, client_for, viewer, supplier_user, contract_manager, other_council_officer
):
    q1 = file_return(contract, "2025-26 Q1", {"RM2": "10"}, by=supplier_user)
    decide(q1, {"RM2": ("verified", None, "")}, by=contract_manager)
    url = f"/api/v1/monitoring/contracts/{contract.pk}/delivery"
    assert client_for(other_council_officer).get(url).status_code == 404
    for person in (viewer, supplier_user):
        body = client_for(person).get(url).json()
        rm2 = next(c for c in body["commitments"] if c["measure_code"] == "RM2")
        assert (rm2["claimed_to_date"], rm2["verified_to_date"]) == ("10.0000", "10.0000")
        assert rm2["verified_pence"] == 16_930 and rm2["rag"] == "red"
        to_end = rm2["forecast_to_end"]
        assert to_end["span"] == "the whole contract" and "run rate" in to_end["method"]
        assert body["forecast_method"].startswith("Each forecast is the delivery verified")
    page = client_for(viewer).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert to_end["method"] in page


def test_the_returns_api_takes_the_workforce_and_people_and_returns_the_findings(
    contract, client_for, supplier_user
):
    q1 = period(contract, "2025-26 Q1")
    commitments = {c.measure.code: c.pk for c in contract.commitments.select_related("measure")}
    response = client_for(supplier_user).post(
        f"/api/v1/monitoring/periods/{q1.pk}/return",
        {
            "claims": [
                {"commitment_id": commitments["RM1"], "claimed": "1.5", "people": "H1"},
                {"commitment_id": commitments["RM2"], "claimed": "2000", "activity": "Parks"},
            ],
            "workforce_fte": "40",
        },
        content_type="application/json",
    )
    body = response.json()
    assert body["workforce_fte"] == "40.00"
    assert {line["measure_code"]: line["people"] for line in body["lines"]}["RM1"] == "H1"
    codes = {(f["rule_code"], tuple(f["measure_codes"])) for f in body["findings"]}
    assert ("employment-fte-per-contract-year", ("RM1",)) in codes
    assert ("claimed-within-whole-commitment", ("RM2",)) in codes
