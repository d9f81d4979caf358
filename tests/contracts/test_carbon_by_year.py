"""A contract's carbon commitments are valued at the carbon value of the calendar year each
contract year falls in, counting from the year the contract starts; a year the DESNZ series
does not cover is a clear problem with the line, never a guess."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.contracts.services import CommitmentInput, commitment_vary, contract_create
from commonweal.valuation.official_series import carbon_values
from tests.contracts.builders import desnz_carbon_measures

pytestmark = pytest.mark.django_db


def carbon_contract(world, start: date, years: int, by=None):
    version, carbon = desnz_carbon_measures(world.council)
    return contract_create(
        council=world.council,
        supplier=world.supplier,
        title="Fleet electrification",
        reference=f"RMBC-C-{start.year}",
        value_pence=50_000_000,
        start_date=start,
        end_date=date(start.year + years, start.month, start.day) - timedelta(days=1),
        directorate="Place",
        contract_manager=None,
        measure_set_version=version,
        price_year=2022,
        commitments=[CommitmentInput(carbon, {year: Decimal(10) for year in range(1, years + 1)})],
        source="manual",
        by=by,
    )


def test_a_contract_starting_later_values_each_year_at_its_own_later_value(world):
    # Starts 1 April 2027, so years 1–3 count as 2027, 2028 and 2029. DESNZ central values in
    # 2022 prices (the contract's price year, so nothing is re-based): £281.44, £285.73, £290.08.
    #   10 × 281.44 = 2,814.40; 10 × 285.73 = 2,857.30; 10 × 290.08 = 2,900.80; total 8,572.50
    # The same offer at tender (year 1 = the tender's price year, 2022) was 7,948.60.
    contract = carbon_contract(world, date(2027, 4, 1), 3)
    commitment = contract.commitments.get()
    assert [y.value_pence for y in commitment.years.order_by("contract_year")] == [
        281_440,
        285_730,
        290_080,
    ]
    assert commitment.committed_value_pence == 857_250


def test_a_variation_values_the_new_quantities_by_the_same_years(world, council_officer):
    contract = carbon_contract(world, date(2027, 4, 1), 3)
    commitment = contract.commitments.get()
    commitment_vary(
        commitment=commitment,
        quantities_by_year={1: Decimal(10), 2: Decimal(10), 3: Decimal(20)},
        reason="Second depot electrified",
        agreed_on=date(2027, 9, 1),
        by=council_officer,
    )
    commitment.refresh_from_db()
    # Year 3 (2029): 20 × 290.08 = 5,801.60; total 2,814.40 + 2,857.30 + 5,801.60 = 11,473.30
    assert commitment.committed_value_pence == 1_147_330


def test_a_year_beyond_the_series_is_a_problem_with_the_line(world):
    # The series ends in 2050: a contract from 2049 has no value for its third year, 2051.
    with pytest.raises(ValidationError) as refused:
        carbon_contract(world, date(2049, 4, 1), 3)
    message = " ".join(refused.value.message_dict["commitments"])
    assert "line CW-ENV-01 year 3" in message
    assert "no carbon value for 2051; it covers 2020–2050" in message


def test_the_contract_page_shows_each_year_s_carbon_value_and_its_source(
    world, client_for, council_officer
):
    contract = carbon_contract(world, date(2027, 4, 1), 3)
    page = client_for(council_officer).get(reverse("contracts:detail", args=[contract.pk]))
    text = page.content.decode()
    assert "year 1 as 2027, £2,814.40; year 2 as 2028, £2,857.30; year 3 as 2029" in text
    assert "contract year 1 counts as 2027 (the contract starts in 2027)" in text
    assert carbon_values().source_url in text
