"""The council's portfolio dashboard and the supplier's own dashboard."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.contracts.builders import build_contract, build_measures
from tests.downloads import csv_text
from tests.monitoring.helpers import decide, file_return

pytestmark = pytest.mark.django_db


def add_contracts(world, measures, count, *, supplier_user, contract_manager, start=0):
    for number in range(start, start + count):
        contract = build_contract(
            world.council,
            world.supplier,
            measures,
            reference=f"RMBC-{number:03d}",
            directorate="Adult Care" if number % 2 else "Place",
            contract_manager=contract_manager,
        )
        q1 = file_return(
            contract, "2025-26 Q1", {"RM1": "0.5", "RM2": "50", "RM3": "2"}, by=supplier_user
        )
        decide(
            q1,
            {
                "RM1": ("verified", None, ""),
                "RM2": ("part_verified", "40", "Part"),
                "RM3": ("queried", None, "Where?"),
            },
            by=contract_manager,
        )
        file_return(contract, "2025-26 Q2", {"RM1": "0.5"}, by=supplier_user)


@pytest.fixture
def measures(world):
    return build_measures(world.council)


def test_headline_figures_are_committed_claimed_and_verified_never_added_together(
    world, measures, client_for, viewer, supplier_user, contract_manager
):
    add_contracts(
        world, measures, 2, supplier_user=supplier_user, contract_manager=contract_manager
    )
    page = client_for(viewer).get(reverse("monitoring:dashboard")).content.decode()
    # Per contract: committed £40,000 + £13,544 = £53,544; two contracts: £107,088.
    assert "£107,088.00" in page
    # Claimed per contract: RM1 0.5 + 0.5 = 1 FTE → £10,000; RM2 50 h → £846.50. Two: £21,693.00.
    assert "£21,693.00" in page
    # Verified per contract: RM1 0.5 → £5,000; RM2 40 h → £677.20. Two: £11,354.40.
    assert "£11,354.40" in page
    assert "Show the data" in page
    assert "By theme" in page and "By directorate" in page and "By supplier" in page
    chart_url = reverse("monitoring:dashboard-chart", args=["theme"])
    src = re.search(f'src="({re.escape(chart_url)}[^"]*)"', page).group(1)
    chart = client_for(viewer).get(src.replace("&amp;", "&"))
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.startswith(b"<svg")
    # The address names these figures, so the browser may keep the chart; an old address
    # still gets today's chart, but not to keep.
    assert chart["Cache-Control"] == "private, max-age=3600"
    assert client_for(viewer).get(chart_url + "?v=old")["Cache-Control"] == "private, no-cache"


def test_filters_narrow_the_figures_and_the_csv_follows_them(
    world, measures, client_for, viewer, supplier_user, contract_manager
):
    add_contracts(
        world, measures, 2, supplier_user=supplier_user, contract_manager=contract_manager
    )
    client = client_for(viewer)
    page = client.get(reverse("monitoring:dashboard"), {"directorate": "Place"}).content.decode()
    assert "£53,544.00" in page
    response = client.get(
        reverse("monitoring:dashboard"), {"directorate": "Place", "format": "csv"}
    )
    assert response["Content-Disposition"].startswith("attachment;")
    lines = csv_text(response).strip().splitlines()
    assert lines[0].startswith("contract_reference,contract_title,supplier")
    assert len(lines) == 1 + 3  # three commitments of the one Place contract
    assert "RMBC-000" in lines[1]


def test_two_clicks_from_a_figure_reach_the_lines_then_the_working_and_evidence(
    world, measures, client_for, viewer, supplier_user, contract_manager
):
    add_contracts(
        world, measures, 1, supplier_user=supplier_user, contract_manager=contract_manager
    )
    client = client_for(viewer)
    dashboard = client.get(reverse("monitoring:dashboard")).content.decode()
    lines_url = reverse("monitoring:dashboard-lines") + "?theme=Jobs"
    assert lines_url in dashboard
    lines = client.get(lines_url).content.decode()
    assert "RM1" in lines and "RM3" not in lines
    contract_id = world.council.contracts.get().pk
    assert f"/contracts/{contract_id}/#commitment-" in lines
    contract_page = client.get(reverse("contracts:detail", args=[contract_id])).content.decode()
    assert "How RM1's figures were worked out" in contract_page
    assert 'id="evidence"' in contract_page


def test_red_commitments_and_overdue_returns_are_counted(
    world, measures, client_for, viewer, supplier_user, contract_manager
):
    add_contracts(
        world, measures, 1, supplier_user=supplier_user, contract_manager=contract_manager
    )
    page = client_for(viewer).get(reverse("monitoring:dashboard")).content.decode()
    assert "Overdue returns" in page
    assert "return overdue" in page or "returns overdue" in page
    assert "Largest shortfalls" in page


def forget_cached_pages():
    for store in caches.all():
        store.clear()


def test_the_number_of_queries_does_not_grow_with_the_data(
    world, measures, client_for, viewer, supplier_user, contract_manager
):
    client = client_for(viewer)
    add_contracts(
        world, measures, 2, supplier_user=supplier_user, contract_manager=contract_manager
    )
    client.get(reverse("monitoring:dashboard"))  # warm caches (content types, sessions)
    forget_cached_pages()  # measure the figures being worked out, not read from the cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("monitoring:dashboard")).status_code == 200
    add_contracts(
        world, measures, 6, supplier_user=supplier_user, contract_manager=contract_manager, start=10
    )
    forget_cached_pages()
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "£428,352.00" in page  # 8 contracts × £53,544 committed: the larger data was read
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_dashboard_is_the_councils_own(
    world,
    measures,
    client_for,
    other_council_officer,
    partner_user,
    supplier_user,
    contract_manager,
):
    add_contracts(
        world, measures, 1, supplier_user=supplier_user, contract_manager=contract_manager
    )
    page = client_for(other_council_officer).get(reverse("monitoring:dashboard")).content.decode()
    assert "There are no social value commitments to report" in page
    assert (
        client_for(other_council_officer)
        .get(reverse("monitoring:dashboard-lines"))
        .content.decode()
        .count("RMBC-")
        == 0
    )
    assert client_for(partner_user).get(reverse("monitoring:dashboard")).status_code == 404
    chart = reverse("monitoring:dashboard-chart", args=["supplier"])
    assert world.supplier.name.encode() not in client_for(other_council_officer).get(chart).content
    assert client_for(supplier_user).get(chart).status_code == 404
    assert client_for(partner_user).get(chart).status_code == 404
    nonsense = reverse("monitoring:dashboard-chart", args=["colour"])
    assert client_for(other_council_officer).get(nonsense).status_code == 404
    assert client_for(supplier_user).get(reverse("monitoring:dashboard-lines")).status_code == 404


def test_the_supplier_dashboard_shows_its_contracts_returns_due_and_queries(
    world, measures, client_for, supplier_user, contract_manager
):
    add_contracts(
        world, measures, 1, supplier_user=supplier_user, contract_manager=contract_manager
    )
    page = client_for(supplier_user).get(reverse("monitoring:dashboard")).content.decode()
    assert "Your social value" in page
    assert "RMBC-000 School meals" in page
    assert "quer" in page and "RM3" in page  # the open query on RM3
    assert "2025-26 Q3" in page  # a return still to send


def test_cached_figures_are_worked_out_again_as_soon_as_a_return_is_verified(
    world, measures, client_for, viewer, supplier_user, contract_manager
):
    add_contracts(
        world, measures, 1, supplier_user=supplier_user, contract_manager=contract_manager
    )
    client = client_for(viewer)
    # Verified: RM1 0.5 FTE → £5,000 and RM2 40 h → £677.20 = £5,677.20.
    assert "£5,677.20" in client.get(reverse("monitoring:dashboard")).content.decode()
    q2 = world.council.contracts.get().returns.get(period__label="2025-26 Q2")
    decide(q2, {"RM1": ("verified", None, "")}, by=contract_manager)
    # Another 0.5 FTE verified: £10,677.20, straight away.
    assert "£10,677.20" in client.get(reverse("monitoring:dashboard")).content.decode()
