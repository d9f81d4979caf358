"""A contract whose measure set version chose the council's own carbon values is valued with
them at award and at a variation, and its page names them (issue 21, point 7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.contracts.services import commitment_vary
from commonweal.frameworks.models import CarbonPoint, CarbonSeries, LocalMeasureSetVersion
from tests.contracts import builders
from tests.contracts.test_carbon_by_year import carbon_contract

pytestmark = pytest.mark.django_db

SOURCE = "Rotherham MBC Climate Emergency Action Plan, annex B"


@pytest.fixture
def with_council_series(world, monkeypatch):
    """The carbon measure set of these tests, its version valuing carbon with the council's
    series (£300, £310, £320 for 2027–2029, in 2022 prices)."""
    series = CarbonSeries.objects.create(
        owner=world.council,
        slug="rotherham-carbon",
        name="Rotherham carbon values 2026",
        price_year=2022,
        source_title=SOURCE,
        licence="Open Government Licence v3.0",
    )
    for year, value in ((2027, "300.00"), (2028, "310.00"), (2029, "320.00")):
        CarbonPoint.objects.create(series=series, year=year, value=Decimal(value))
    build = builders.desnz_carbon_measures

    def with_series(council):
        version, measure = build(council)
        LocalMeasureSetVersion.objects.filter(pk=version.pk).update(carbon_series=series)
        version.refresh_from_db()
        return version, measure

    monkeypatch.setattr("tests.contracts.test_carbon_by_year.desnz_carbon_measures", with_series)
    return series


def test_the_award_and_a_variation_value_carbon_with_the_council_series(
    world, with_council_series, council_officer
):
    contract = carbon_contract(world, date(2027, 4, 1), 3)
    commitment = contract.commitments.get()
    # 10 × 300 + 10 × 310 + 10 × 320 = 9,300.00 (DESNZ central: 8,572.50)
    assert [y.value_pence for y in commitment.years.order_by("contract_year")] == [
        300_000,
        310_000,
        320_000,
    ]
    commitment_vary(
        commitment=commitment,
        quantities_by_year={1: Decimal(10), 2: Decimal(10), 3: Decimal(20)},
        reason="Second depot electrified",
        agreed_on=date(2027, 9, 1),
        by=council_officer,
    )
    commitment.refresh_from_db()
    # Year 3 (2029): 20 × 320 = 6,400.00; total 3,000 + 3,100 + 6,400 = 12,500.00
    assert commitment.committed_value_pence == 1_250_000


def test_the_contract_page_names_the_council_series_and_its_price_base(
    world, with_council_series, client_for, council_officer
):
    contract = carbon_contract(world, date(2027, 4, 1), 3)
    text = client_for(council_officer).get(reverse("contracts:detail", args=[contract.pk]))
    page = text.content.decode()
    assert "year 1 as 2027, £3,000.00; year 2 as 2028, £3,100.00; year 3 as 2029" in page
    assert f"the values in Rotherham carbon values 2026 ({SOURCE}, 2022 prices)" in page
    assert f"Source: {SOURCE}, 2022 prices" in page
