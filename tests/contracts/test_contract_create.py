"""contract_create: the service the tender award step and the officer's form both call."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commonweal.contracts.models import Contract, Variation, contract_years_between
from commonweal.contracts.services import CommitmentInput, commitment_vary, contract_create
from tests.contracts.builders import build_contract, build_measures

pytestmark = pytest.mark.django_db


def test_a_contract_from_april_to_the_end_of_march_two_years_later_has_two_contract_years():
    assert contract_years_between(date(2025, 4, 1), date(2027, 3, 31)) == 2
    assert contract_years_between(date(2025, 4, 1), date(2025, 4, 1)) == 1
    assert contract_years_between(date(2025, 4, 1), date(2027, 4, 1)) == 3


def test_it_values_each_commitment_at_award_with_the_valuation_engine(world, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    jobs, volunteering, carbon = contract.commitments.order_by("position")
    # 2 FTE × £10,000 = £20,000 a year; two years = £40,000.
    assert [y.value_pence for y in jobs.years.all()] == [2_000_000, 2_000_000]
    assert jobs.committed_value_pence == 4_000_000
    # 400 hours × £16.93 = £6,772 a year; two years = £13,544.
    assert volunteering.committed_value_pence == 1_354_400
    # Record-only measures are counted in their unit and never turned into pounds.
    assert carbon.committed_value_pence is None
    assert [y.quantity for y in carbon.years.all()] == [Decimal("10"), Decimal("12")]
    assert contract.contract_years == 2


def test_it_refuses_a_quantity_for_a_year_after_the_contract_ends_and_writes_nothing(world):
    measures = build_measures(world.council)
    with pytest.raises(ValidationError) as error:
        contract_create(
            council=world.council,
            supplier=world.supplier,
            title="Cleaning",
            reference="RMBC-1",
            value_pence=10_000_000,
            start_date=date(2025, 4, 1),
            end_date=date(2026, 3, 31),
            directorate="Place",
            contract_manager=None,
            measure_set_version=measures.version,
            price_year=2025,
            commitments=[CommitmentInput(measures.jobs, {1: Decimal(1), 2: Decimal(1)})],
            source="award",
            by=None,
        )
    assert "contract year 2" in str(error.value)
    assert not Contract.objects.exists()


def test_it_refuses_a_supplier_that_is_not_a_supplier_and_a_manager_from_elsewhere(
    world, other_council_officer
):
    measures = build_measures(world.council)
    with pytest.raises(ValidationError) as error:
        contract_create(
            council=world.council,
            supplier=world.partner,
            title="Cleaning",
            reference="RMBC-1",
            value_pence=10_000_000,
            start_date=date(2025, 4, 1),
            end_date=date(2026, 3, 31),
            directorate="Place",
            contract_manager=other_council_officer,
            measure_set_version=measures.version,
            price_year=2025,
            commitments=[],
            source="manual",
            by=None,
        )
    assert set(error.value.message_dict) == {"supplier", "contract_manager"}


def test_a_variation_records_the_figures_before_and_after_and_revalues(world, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(world.council, world.supplier, measures)
    jobs = contract.commitments.get(measure=measures.jobs)
    variation = commitment_vary(
        commitment=jobs,
        quantities_by_year={1: Decimal("2"), 2: Decimal("1")},
        reason="Site closed in year 2",
        agreed_on=date(2026, 5, 1),
        by=contract_manager,
    )
    jobs.refresh_from_db()
    assert jobs.committed_value_pence == 3_000_000
    assert variation.before["quantities_by_year"] == {"1": "2.0000", "2": "2.0000"}
    assert variation.after["quantities_by_year"] == {"1": "2.0000", "2": "1.0000"}
    assert variation.before["value_pence"] == 4_000_000
    assert variation.made_by == contract_manager
    assert Variation.objects.count() == 1


def test_a_variation_needs_a_reason(world, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(world.council, world.supplier, measures)
    jobs = contract.commitments.get(measure=measures.jobs)
    with pytest.raises(ValidationError):
        commitment_vary(
            commitment=jobs,
            quantities_by_year={1: Decimal(1)},
            reason=" ",
            agreed_on=date(2026, 5, 1),
            by=contract_manager,
        )
    assert not Variation.objects.exists()
