"""Procurement Act 2023: at least three KPIs above £5m, and Contract Performance Notice data."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from commonweal.monitoring.models import Kpi, KpiAssessment
from tests.contracts.builders import build_contract, build_measures
from tests.downloads import csv_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(world):
    measures = build_measures(world.council)
    return build_contract(world.council, world.supplier, measures, value_pence=600_000_000)


def test_a_contract_above_five_million_is_told_it_needs_three_kpis(
    large, client_for, council_officer
):
    client = client_for(council_officer)
    page = client.get(reverse("monitoring:kpis", args=[large.pk])).content.decode()
    assert "This contract has 0 KPIs; it needs at least 3." in page
    for name in ("Local jobs", "On-time delivery", "Complaints resolved"):
        client.post(reverse("monitoring:kpis", args=[large.pk]), {"name": name})
    page = client.get(reverse("monitoring:kpis", args=[large.pk])).content.decode()
    assert "it needs at least 3" not in page


def test_each_kpi_is_rated_and_exported_as_csv_and_json(large, client_for, contract_manager):
    client = client_for(contract_manager)
    client.post(reverse("monitoring:kpis", args=[large.pk]), {"name": "Local jobs"})
    kpi = Kpi.objects.get()
    response = client.post(
        reverse("monitoring:kpi-assess", args=[large.pk, kpi.pk]),
        {
            "period_start_day": "1",
            "period_start_month": "4",
            "period_start_year": "2025",
            "period_end_day": "31",
            "period_end_month": "3",
            "period_end_year": "2026",
            "rating": "approaching_target",
            "explanation": "11 of 12 jobs filled",
        },
    )
    assert response.status_code == 302
    assert KpiAssessment.objects.get().rating == "approaching_target"
    csv_response = client.get(reverse("monitoring:performance-notice", args=[large.pk, "csv"]))
    assert csv_response["Content-Disposition"].startswith("attachment;")
    lines = csv_text(csv_response).strip().splitlines()
    assert "Approaching target" in lines[1]
    assert "2025-04-01,2026-03-31" in lines[1]
    data = json.loads(
        client.get(reverse("monitoring:performance-notice", args=[large.pk, "json"])).content
    )
    assert data["kpis"][0]["rating"] == "Approaching target"
    assert data["contract_value_gbp"] == "6000000.00"


def test_only_council_editors_add_kpis_and_outsiders_get_404(
    large, client_for, viewer, supplier_user, other_council_officer
):
    assert (
        client_for(viewer)
        .post(reverse("monitoring:kpis", args=[large.pk]), {"name": "x"})
        .status_code
        == 403
    )
    assert (
        client_for(supplier_user)
        .post(reverse("monitoring:kpis", args=[large.pk]), {"name": "x"})
        .status_code
        == 403
    )
    assert (
        client_for(supplier_user)
        .get(reverse("monitoring:performance-notice", args=[large.pk, "csv"]))
        .status_code
        == 403
    )
    for url in (
        reverse("monitoring:kpis", args=[large.pk]),
        reverse("monitoring:performance-notice", args=[large.pk, "json"]),
    ):
        assert client_for(other_council_officer).get(url).status_code == 404
    assert not Kpi.objects.exists()
