"""Delivery plans, the milestone tracker and the council's monitoring settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.monitoring.models import Milestone, MonitoringSettings, PeriodTarget
from commonweal.monitoring.selectors import settings_for
from tests.contracts.builders import build_contract, build_measures

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world):
    return build_measures(world.council)


@pytest.fixture
def big(world, measures):
    # £500,000 is above Rotherham's £250,000 band: a full delivery plan.
    return build_contract(world.council, world.supplier, measures)


@pytest.fixture
def small(world, measures):
    return build_contract(
        world.council, world.supplier, measures, reference="RMBC-S", value_pence=10_000_000
    )


def test_a_new_contract_gets_quarterly_periods_and_default_targets(big):
    assert [p.label for p in big.periods.all()][:2] == ["2025-26 Q1", "2025-26 Q2"]
    assert big.periods.count() == 8
    jobs = big.commitments.get(measure__code="RM1")
    # 2 FTE in year 1 over four quarters: 0.5 a quarter.
    assert [t.target for t in jobs.targets.all()][:4] == [Decimal("0.5")] * 4
    first = big.periods.first()
    assert first.due_on.isoformat() == "2025-07-30"  # 30 June + 30 days


def test_the_plan_page_is_a_full_plan_above_the_band_and_a_tracker_below(
    big, small, client_for, viewer
):
    client = client_for(viewer)
    assert "Delivery plan" in client.get(reverse("monitoring:plan", args=[big.pk])).content.decode()
    assert (
        "Milestone tracker"
        in client.get(reverse("monitoring:plan", args=[small.pk])).content.decode()
    )


def test_targets_must_add_up_to_the_commitment_for_each_year(big, client_for, contract_manager):
    jobs = big.commitments.get(measure__code="RM1")
    data = {
        f"t_{t.commitment_id}_{t.period_id}": str(t.target)
        for t in PeriodTarget.objects.filter(period__contract=big)
    }
    first, second = list(big.periods.all())[:2]
    data[f"t_{jobs.pk}_{first.pk}"] = "1"
    client = client_for(contract_manager)
    page = client.post(reverse("monitoring:plan", args=[big.pk]), data).content.decode()
    assert "RM1 year 1: the targets add up to 2.5 but 2 FTE was committed" in page
    data[f"t_{jobs.pk}_{second.pk}"] = "0"
    assert client.post(reverse("monitoring:plan", args=[big.pk]), data).status_code == 302
    assert PeriodTarget.objects.get(commitment=jobs, period=first).target == Decimal("1")


def test_read_only_people_cannot_change_the_plan_and_outsiders_get_404(
    big, small, client_for, viewer, supplier_user, other_council_officer, partner_user
):
    assert client_for(viewer).post(reverse("monitoring:plan", args=[big.pk]), {}).status_code == 403
    assert (
        client_for(supplier_user)
        .post(reverse("monitoring:plan", args=[small.pk]), {"description": "x"})
        .status_code
        == 403
    )
    assert (
        client_for(supplier_user).get(reverse("monitoring:plan", args=[big.pk])).status_code == 200
    )
    for person in (other_council_officer, partner_user):
        assert client_for(person).get(reverse("monitoring:plan", args=[big.pk])).status_code == 404
    assert not Milestone.objects.exists()


def test_an_officer_adds_a_milestone_and_marks_it_done(small, client_for, council_officer):
    client = client_for(council_officer)
    response = client.post(
        reverse("monitoring:plan", args=[small.pk]),
        {
            "description": "Two apprentices start",
            "due_on_day": "30",
            "due_on_month": "9",
            "due_on_year": "2025",
            "commitment": "",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    response = client.post(
        reverse("monitoring:milestone-status", args=[small.pk, milestone.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done"
    assert (
        "Two apprentices start"
        in client.get(reverse("monitoring:plan", args=[small.pk])).content.decode()
    )


def test_only_the_council_admin_changes_settings_and_each_change_is_a_version(
    world, client_for, council_admin, contract_manager, supplier_user, other_council_officer
):
    data = {
        "delivery_plan_band": "100000",
        "rag_green_at": "95",
        "rag_amber_at": "75",
        "kpi_threshold": "5000000",
        "return_due_days": "20",
        "reminder_days_before": "5",
        "claim_margin_percent": "10",
    }
    assert client_for(contract_manager).get(reverse("monitoring:settings")).status_code == 200
    assert (
        client_for(contract_manager).post(reverse("monitoring:settings"), data).status_code == 403
    )
    assert client_for(supplier_user).get(reverse("monitoring:settings")).status_code == 404
    client = client_for(council_admin)
    assert client.post(reverse("monitoring:settings"), data).status_code == 302
    data["rag_green_at"] = "90"
    assert client.post(reverse("monitoring:settings"), data).status_code == 302
    current = settings_for(world.council)
    assert current.version == 2
    assert current.delivery_plan_band_pence == 10_000_000
    assert current.rag_amber_at == Decimal("0.75")
    assert current.claim_margin_percent == Decimal(10)
    assert MonitoringSettings.objects.filter(council=world.council).count() == 2
    # Sheffield's settings are its own.
    assert settings_for(world.other_council).version == 0
    client_for(other_council_officer).post(reverse("monitoring:settings"), data)
    assert settings_for(world.council).version == 2


def test_amber_above_green_is_refused_with_a_clear_message(client_for, council_admin):
    data = {
        "delivery_plan_band": "250000",
        "rag_green_at": "70",
        "rag_amber_at": "90",
        "kpi_threshold": "5000000",
        "return_due_days": "30",
        "reminder_days_before": "7",
    }
    page = client_for(council_admin).post(reverse("monitoring:settings"), data).content.decode()
    assert "Amber must be the same as or lower than green" in page


def test_a_monthly_contract_reports_each_month(world, measures):
    from datetime import date

    from commonweal.contracts.services import CommitmentInput, contract_create

    contract = contract_create(
        council=world.council,
        supplier=world.supplier,
        title="Cleaning",
        reference="M-1",
        value_pence=50_000_000,
        start_date=date(2025, 4, 1),
        end_date=date(2026, 3, 31),
        directorate="",
        contract_manager=None,
        measure_set_version=measures.version,
        price_year=2025,
        reporting_frequency="monthly",
        commitments=[CommitmentInput(measures.volunteering, {1: Decimal("120")})],
        source="manual",
        by=None,
    )
    labels = [p.label for p in contract.periods.all()]
    assert len(labels) == 12
    assert labels[0] == "2025-26 Apr" and labels[-1] == "2025-26 Mar"
    volunteering = contract.commitments.get()
    assert [t.target for t in volunteering.targets.all()] == [Decimal("10")] * 12
