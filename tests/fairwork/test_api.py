"""The fair work API's list of findings: a page at a time, each naming its figures."""

from __future__ import annotations

from datetime import date

import pytest

from commonweal.fairwork import services
from tests.fairwork.builders import care_contract, wage_return

pytestmark = pytest.mark.django_db


def test_findings_come_a_page_at_a_time_naming_the_figures(
    world, contract_manager, supplier_user, client_for, viewer
):
    contract = care_contract(world, contract_manager)
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    wage_return(contract, "2025-26 Q2", by=supplier_user, outside="12.10", london="13.00")
    services.wage_checks_run(council=world.council, today=date(2026, 5, 15))
    client = client_for(viewer)

    everything = client.get("/api/v1/fair-work/findings").json()
    first = client.get("/api/v1/fair-work/findings?limit=1").json()
    second = client.get("/api/v1/fair-work/findings?limit=1&offset=1").json()
    third = client.get("/api/v1/fair-work/findings?limit=1&offset=2").json()

    assert everything["count"] == 3  # Q1 outside London; Q2 outside London and in London
    assert [f["id"] for f in first["items"] + second["items"] + third["items"]] == [
        f["id"] for f in everything["items"]
    ]
    by_place = {(f["period"], f["area"]): f for f in everything["items"]}
    q1 = by_place[("2025-26 Q1", "uk")]
    assert (q1["paid"], q1["required"], q1["rate_label"]) == ("12.00", "12.60", "2024-25")
    assert q1["contract_reference"] == contract.reference
    assert q1["supplier"] == contract.supplier.name
    assert q1["rule"] == "below-real-living-wage"
    assert q1["checked_on"] == "2025-06-30" and q1["due_from"] == "2025-05-01"
    assert "£0.60 below the 2024-25 Real Living Wage of £12.60" in q1["message"]
    assert by_place[("2025-26 Q2", "london")]["required"] == "13.85"
    assert client.get("/api/v1/fair-work/findings?status=resolved").json()["count"] == 0
