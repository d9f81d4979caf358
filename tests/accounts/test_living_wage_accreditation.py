"""An employer's Real Living Wage accreditation, as each organisation sees it, wherever a
supplier is shown: self-declared by the employer, or recorded and verified by a council."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.accounts.models import AccreditationBasis, LivingWageAccreditation
from commonweal.accounts.selectors import living_wage_index
from tests.contracts.builders import build_contract, build_measures

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)


def _declared(employer, since=date(2024, 5, 1), **fields):
    return LivingWageAccreditation.objects.create(
        employer=employer, basis=AccreditationBasis.SELF_DECLARED, accredited_since=since, **fields
    )


def _verified(employer, council, since=date(2024, 5, 1), **fields):
    return LivingWageAccreditation.objects.create(
        employer=employer,
        council=council,
        basis=AccreditationBasis.VERIFIED,
        accredited_since=since,
        evidence_url="https://www.livingwage.org.uk/",
        checked_on=date(2025, 6, 2),
        **fields,
    )


def test_the_employers_own_declaration_is_seen_by_everyone(world):
    _declared(world.supplier)
    status = living_wage_index(world.council, TODAY).for_employer(world.supplier.pk)
    assert status.accredited and not status.verified
    assert status.label == "Real Living Wage employer: self-declared"


def test_a_councils_verified_record_decides_for_that_council_only(world):
    _declared(world.supplier)
    _verified(world.supplier, world.council)
    ours = living_wage_index(world.council, TODAY).for_employer(world.supplier.pk)
    theirs = living_wage_index(world.other_council, TODAY).for_employer(world.supplier.pk)
    assert ours.verified and ours.recorded_by_viewer
    assert not theirs.verified


def test_a_councils_record_that_has_ended_overrides_the_employers_declaration(world):
    _declared(world.supplier)
    _verified(world.supplier, world.council, ended_on=date(2025, 12, 1))
    status = living_wage_index(world.council, TODAY).for_employer(world.supplier.pk)
    assert not status.accredited
    assert (
        world.supplier.pk not in living_wage_index(world.council, TODAY).accredited_employer_ids()
    )


def test_an_accreditation_from_a_later_date_is_not_current_yet(world):
    _declared(world.supplier, since=date(2026, 3, 1))
    assert not living_wage_index(world.council, TODAY).for_employer(world.supplier.pk).accredited


def test_a_supplier_paid_under_its_name_is_found_by_number_or_name(world):
    world.supplier.company_number = "01234567"
    world.supplier.save()
    _declared(world.supplier)
    index = living_wage_index(world.council, TODAY)
    assert index.for_identity(name="Anything", company_number="01234567")
    assert index.for_identity(name="DON VALLEY CATERING LIMITED")
    assert index.for_identity(name="Don Valley Catering Group plc") is None


def test_a_verified_record_needs_evidence_and_the_date_checked(world):
    record = LivingWageAccreditation(
        employer=world.supplier,
        council=world.council,
        basis=AccreditationBasis.VERIFIED,
        accredited_since=date(2024, 5, 1),
    )
    with pytest.raises(ValidationError, match="needs its evidence and the date it was checked"):
        record.full_clean()


def test_only_a_council_verifies(world):
    record = LivingWageAccreditation(
        employer=world.supplier,
        basis=AccreditationBasis.VERIFIED,
        accredited_since=date(2024, 5, 1),
        evidence_url="https://www.livingwage.org.uk/",
        checked_on=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError, match="Only a council can verify"):
        record.full_clean()


def test_the_contract_register_and_page_show_the_suppliers_accreditation(
    world, client_for, council_officer
):
    _verified(world.supplier, world.council)
    contract = build_contract(world.council, world.supplier, build_measures(world.council))
    client = client_for(council_officer)
    assert "Real Living Wage: verified" in client.get(reverse("contracts:list")).content.decode()
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Real Living Wage: verified" in page
