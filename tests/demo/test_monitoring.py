"""The demo: Rotherham contracts with a year of returns in every state."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.contracts.models import Contract
from commonweal.demo.monitoring import seed_demo_data
from commonweal.monitoring.figures import contract_figures
from commonweal.monitoring.models import (
    EvidenceFile,
    Kpi,
    Milestone,
    ReturnLine,
    ReturnStatus,
    SupplierReturn,
)
from commonweal.valuation import RagThresholds
from commonweal.valuation.money import format_pounds
from tests.contracts.builders import build_measures
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(world, contract_manager):
    measures = build_measures(world.council)
    for measure, code in (
        (measures.volunteering, "RMBC-01"),
        (measures.jobs, "RMBC-02"),
        (measures.carbon, "RMBC-03"),
    ):
        measure.code = code
        measure.save()
    for number, name in enumerate(
        (
            "Don Valley Catering Ltd (demo)",
            "Wentworth Community Transport (demo)",
            "Northern Infrastructure Group plc (demo)",
        )
    ):
        supplier = Organisation.objects.create(kind="supplier", name=name)
        MembershipFactory(
            user=UserFactory(email=f"s{number}@demo.test"),
            organisation=supplier,
            role=Role.SUPPLIER_ADMIN,
        )
    return world


def test_the_demo_has_three_contracts_and_returns_in_every_state(demo_world, client_for, viewer):
    seed_demo_data(council=demo_world.council)
    assert Contract.objects.count() == 3
    states = set(SupplierReturn.objects.values_list("status", flat=True))
    assert {
        ReturnStatus.DRAFT,
        ReturnStatus.SUBMITTED,
        ReturnStatus.QUERIED,
        ReturnStatus.VERIFIED,
        ReturnStatus.PART_VERIFIED,
        ReturnStatus.REJECTED,
    } <= states
    assert Kpi.objects.count() == 3
    assert Milestone.objects.count() == 2
    page = client_for(viewer).get(reverse("monitoring:dashboard")).content.decode()
    assert "committed" in page and "claimed to date" in page and "verified to date" in page
    assert "returns overdue" in page
    # The dashboard's stored figures agree with each contract's own working, to the penny.
    today = timezone.localdate()
    own = [
        contract_figures(contract, today=today, thresholds=RagThresholds())
        for contract in Contract.objects.all()
    ]
    verified = sum(figures.verified_pence for figures in own)
    claimed = sum(figures.claimed_pence for figures in own)
    assert verified > 0 and claimed > verified
    assert format_pounds(Decimal(verified) / 100) in page
    assert format_pounds(Decimal(claimed) / 100) in page


def test_every_demo_claim_leads_to_its_evidence(demo_world, client_for, contract_manager):
    seed_demo_data(council=demo_world.council)
    claimed = ReturnLine.objects.exclude(claimed=0)
    assert claimed.exists()
    assert not claimed.filter(evidence__isnull=True).exists()
    contract = Contract.objects.get(reference="RMBC-DEMO-101")
    client = client_for(contract_manager)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    first = EvidenceFile.objects.filter(supplier_return__contract=contract).first()
    download = reverse("monitoring:evidence-download", args=[first.pk])
    assert download in page and first.original_name in page
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment")
    assert b"Demo person 1" in b"".join(response.streaming_content)


def test_the_demo_does_nothing_without_a_measure_set(world, contract_manager):
    seed_demo_data(council=world.council)
    assert not Contract.objects.exists()
