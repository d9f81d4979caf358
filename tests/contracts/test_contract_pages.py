"""Persona tests for the contracts register, the contract page, adding and varying contracts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.contracts.models import Contract, Variation
from tests.contracts.builders import build_contract, build_measures

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world):
    return build_measures(world.council)


@pytest.fixture
def contract(world, measures, contract_manager):
    return build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )


def test_council_staff_see_the_register_with_the_contract(
    contract, client_for, council_admin, council_officer, evaluator, contract_manager, viewer
):
    for person in (council_admin, council_officer, evaluator, contract_manager, viewer):
        page = client_for(person).get(reverse("contracts:list")).content.decode()
        assert "School meals" in page
        assert "£500,000.00" in page


def test_the_supplier_sees_only_its_own_contracts(
    world, measures, contract, client_for, supplier_user
):
    from commonweal.accounts.models import Organisation

    rival = Organisation.objects.create(kind="supplier", name="Rival Ltd")
    build_contract(world.council, rival, measures, reference="RMBC-2", title="Grounds care")
    page = client_for(supplier_user).get(reverse("contracts:list")).content.decode()
    assert "School meals" in page
    assert "Grounds care" not in page
    other = Contract.objects.get(reference="RMBC-2")
    assert (
        client_for(supplier_user).get(reverse("contracts:detail", args=[other.pk])).status_code
        == 404
    )


def test_another_councils_officer_gets_404_for_our_contracts(
    contract, client_for, other_council_officer, partner_user
):
    jobs = contract.commitments.first()
    for person in (other_council_officer, partner_user):
        client = client_for(person)
        assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 404
        assert (
            client.get(
                reverse("contracts:commitment-vary", args=[contract.pk, jobs.pk])
            ).status_code
            == 404
        )
    page = client_for(other_council_officer).get(reverse("contracts:list")).content.decode()
    assert "School meals" not in page


def test_the_register_searches_filters_sorts_and_shows_an_empty_state(
    world, measures, contract, client_for, council_officer
):
    build_contract(
        world.council,
        world.supplier,
        measures,
        reference="RMBC-9",
        title="Grounds care",
        directorate="Regeneration and Environment",
        value_pence=10_000_000,
    )
    client = client_for(council_officer)
    page = client.get(reverse("contracts:list"), {"q": "grounds"}).content.decode()
    assert "Grounds care" in page and "School meals" not in page
    page = client.get(
        reverse("contracts:list"), {"directorate": "Regeneration and Environment"}
    ).content.decode()
    assert "Grounds care" in page and "School meals" not in page
    page = client.get(reverse("contracts:list"), {"sort": "value", "order": "asc"}).content.decode()
    assert page.index("Grounds care") < page.index("School meals")
    page = client.get(reverse("contracts:list"), {"q": "nothing like this"}).content.decode()
    assert "No contracts match these filters" in page


def test_a_council_with_no_contracts_is_told_what_to_do_first(world, client_for, council_officer):
    page = client_for(council_officer).get(reverse("contracts:list")).content.decode()
    assert "There are no contracts yet" in page


def test_the_contract_page_shows_details_commitments_and_tabs(
    contract, client_for, supplier_user, viewer
):
    for person in (supplier_user, viewer):
        page = (
            client_for(person).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        )
        assert "govuk-summary-list" in page
        for tab in ("#commitments", "#returns", "#evidence", "#variations"):
            assert tab in page
        assert "RM1 Local people employed" in page
        assert "£40,000.00" in page
    assert (
        "#history"
        not in client_for(supplier_user)
        .get(reverse("contracts:detail", args=[contract.pk]))
        .content.decode()
    )


def test_an_officer_adds_a_contract_in_two_steps(
    world, measures, client_for, council_officer, contract_manager
):
    client = client_for(council_officer)
    response = client.post(
        reverse("contracts:create"),
        {
            "title": "Home care",
            "reference": "RMBC-HC-1",
            "supplier": world.supplier.pk,
            "value": "300000",
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": "2025",
            "end_date_day": "31",
            "end_date_month": "3",
            "end_date_year": "2026",
            "directorate": "Adult Care",
            "price_year": "2025",
            "reporting_frequency": "quarterly",
            "contract_manager": contract_manager.pk,
            "measure_set_version": measures.version.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("contracts:create-commitments")).content.decode()
    assert "RM2 Volunteering hours" in page
    response = client.post(
        reverse("contracts:create-commitments"),
        {f"m{measures.jobs.pk}_y1": "3", f"m{measures.carbon.pk}_y1": "5"},
    )
    contract = Contract.objects.get(reference="RMBC-HC-1")
    assert response.status_code == 302
    assert contract.commitments.count() == 2
    assert contract.commitments.get(measure=measures.jobs).committed_value_pence == 3_000_000
    assert contract.source == "manual"


def test_the_details_form_says_how_to_fix_a_mistake(world, measures, client_for, council_officer):
    response = client_for(council_officer).post(reverse("contracts:create"), {"value": "lots"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the contract value as a number, like 250000" in page


def test_read_only_roles_and_suppliers_cannot_add_or_vary(
    contract, client_for, viewer, evaluator, supplier_user
):
    jobs = contract.commitments.first()
    for person in (viewer, evaluator):
        client = client_for(person)
        assert client.get(reverse("contracts:create")).status_code == 403
        assert client.get(reverse("contracts:import")).status_code == 403
        assert (
            client.post(
                reverse("contracts:commitment-vary", args=[contract.pk, jobs.pk]), {}
            ).status_code
            == 403
        )
    client = client_for(supplier_user)
    assert client.get(reverse("contracts:create")).status_code == 404
    assert (
        client.post(
            reverse("contracts:commitment-vary", args=[contract.pk, jobs.pk]), {}
        ).status_code
        == 403
    )
    assert not Variation.objects.exists()


def test_a_contract_manager_varies_a_commitment_and_the_history_shows_it(
    contract, client_for, contract_manager
):
    jobs = contract.commitments.get(measure__code="RM1")
    client = client_for(contract_manager)
    response = client.post(
        reverse("contracts:commitment-vary", args=[contract.pk, jobs.pk]),
        {
            "year_1": "2",
            "year_2": "3",
            "reason": "Second kitchen opened",
            "agreed_on_day": "1",
            "agreed_on_month": "6",
            "agreed_on_year": "2026",
        },
    )
    assert response.status_code == 302
    jobs.refresh_from_db()
    assert jobs.committed_value_pence == 5_000_000
    assert [y.quantity for y in jobs.years.all()] == [Decimal("2"), Decimal("3")]
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Second kitchen opened" in page
    assert "£50,000.00" in page and "£40,000.00" in page
