"""Contract pages kept in the shared cache: laid out once per change, never shown stale."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonweal.contracts.models import Contract
from commonweal.contracts.pages import page_facts
from commonweal.monitoring import services
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world):
    return build_measures(world.council)


@pytest.fixture
def two_contracts(world, measures, contract_manager):
    return [
        build_contract(
            world.council,
            world.supplier,
            measures,
            reference=f"RMBC-{n}",
            title=f"Contract {n}",
            contract_manager=contract_manager,
        )
        for n in (1, 2)
    ]


def page_queries(client, contract) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200
    return len(captured.captured_queries)


def test_a_change_to_one_contract_lays_out_its_page_again_and_no_other(
    two_contracts, client_for, viewer, supplier_user, contract_manager
):
    first, second = two_contracts
    for contract in two_contracts:
        contract.refresh_from_db()
    client = client_for(viewer)
    page_queries(client, first)
    cold = page_queries(client, second)
    warm = page_queries(client, second)
    assert warm < cold  # the second visit reads the page from the cache

    q1 = file_return(first, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    decide(q1, {"RM1": ("verified", None, "")}, by=contract_manager)

    assert Contract.objects.get(pk=first.pk).page_changes > first.page_changes
    assert Contract.objects.get(pk=second.pk).page_changes == second.page_changes
    assert page_queries(client, first) == cold  # laid out again, with the verified line
    page = client.get(reverse("contracts:detail", args=[first.pk])).content.decode()
    assert "2025-26 Q1" in page and "Verified" in page
    assert page_queries(client, second) == warm  # untouched, still from the cache


def test_new_settings_lay_out_every_contract_page_again(
    world, two_contracts, client_for, viewer, council_admin
):
    client = client_for(viewer)
    for contract in two_contracts:
        page_queries(client, contract)
    warm = page_queries(client, two_contracts[1])
    services.settings_update(council=world.council, by=council_admin, rag_green_at=Decimal("0.95"))
    assert page_queries(client, two_contracts[1]) > warm


def test_the_page_moves_on_when_a_reporting_period_ends_not_every_day(two_contracts):
    contract = two_contracts[0]
    period = contract.periods.order_by("position").first()
    day_before = period.ends_on - timedelta(days=1)
    before = page_facts(contract.pk, day_before)
    assert page_facts(contract.pk, day_before - timedelta(days=20)) == before
    on_the_day = page_facts(contract.pk, period.ends_on)
    assert on_the_day.periods_ended == before.periods_ended + 1
    assert on_the_day.page_changes == before.page_changes


def test_each_viewpoint_has_its_own_page(two_contracts, client_for, viewer, contract_manager):
    contract = two_contracts[0]
    vary = reverse("contracts:commitment-vary", args=[contract.pk, contract.commitments.first().pk])
    page = reverse("contracts:detail", args=[contract.pk])
    assert vary not in client_for(viewer).get(page).content.decode()
    assert vary in client_for(contract_manager).get(page).content.decode()


def test_prepare_pages_lays_out_running_contracts_ahead_of_their_visitors(
    two_contracts, client_for, viewer, capsys
):
    client = client_for(viewer)
    client.get(reverse("home:home"))  # the session and the person's memberships, read once
    call_command("monitoring", "prepare-pages")
    assert "Pages of 2 contract(s) ready" in capsys.readouterr().out
    first = page_queries(client, two_contracts[0])
    assert first == page_queries(client, two_contracts[0])  # already laid out


def test_a_contract_that_ended_over_a_year_ago_is_not_prepared(two_contracts, capsys):
    Contract.objects.filter(pk=two_contracts[0].pk).update(
        start_date=date(2020, 4, 1), end_date=date(2022, 3, 31)
    )
    call_command("monitoring", "prepare-pages")
    assert "Pages of 1 contract(s) ready" in capsys.readouterr().out


def test_a_contract_page_makes_as_many_queries_however_much_it_holds(
    two_contracts, client_for, viewer, supplier_user, contract_manager
):
    small, large = two_contracts
    client = client_for(viewer)
    for label in ("2025-26 Q1", "2025-26 Q2", "2025-26 Q3"):
        filed = file_return(large, label, {"RM1": "0.5", "RM2": "10", "RM3": "1"}, by=supplier_user)
        decide(
            filed,
            {"RM1": ("verified", None, ""), "RM2": ("queried", None, "Where?")},
            by=contract_manager,
        )
    file_return(small, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    client.get(reverse("home:home"))  # the session and the person's memberships, read once
    assert page_queries(client, small) == page_queries(client, large)  # both laid out now
