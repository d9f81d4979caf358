"""Every page and route, for the people who must not see it: another council's officer and an
anchor partner get a 404 everywhere, including evidence downloads; anonymous visitors are sent
to sign in."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commonweal.monitoring import services
from commonweal.monitoring.models import Kpi, Milestone, RecoveryAction
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import file_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(world, supplier_user, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    small = build_contract(
        world.council, world.supplier, measures, reference="S-1", value_pence=100_000
    )
    supplier_return = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, submit=False
    )
    evidence = services.evidence_add(
        supplier_return=supplier_return,
        upload=SimpleUploadedFile("payroll.pdf", b"%PDF-1.4\n%%EOF\n"),
        evidence_type="payroll_extract",
        line=None,
        by=supplier_user,
    )
    services.return_submit(
        supplier_return=supplier_return, by=supplier_user, today=supplier_return.period.due_on
    )
    commitment = contract.commitments.first()
    milestone = services.milestone_create(
        contract=small,
        description="Start",
        due_on=small.start_date,
        commitment=None,
        by=contract_manager,
    )
    action = services.recovery_action_create(
        commitment=commitment,
        action="Act",
        owner="Owner",
        due_on=contract.end_date,
        by=contract_manager,
    )
    kpi = services.kpi_create(contract=contract, name="KPI", description="", by=contract_manager)
    line = supplier_return.lines.first()
    return [
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:commitment-vary", args=[contract.pk, commitment.pk]),
        reverse("monitoring:plan", args=[contract.pk]),
        reverse("monitoring:plan", args=[small.pk]),
        reverse("monitoring:milestone-status", args=[small.pk, milestone.pk]),
        reverse("monitoring:return-detail", args=[supplier_return.pk]),
        reverse("monitoring:return-edit", args=[supplier_return.pk]),
        reverse("monitoring:evidence-upload", args=[supplier_return.pk]),
        reverse("monitoring:case-study-add", args=[supplier_return.pk]),
        reverse("monitoring:return-check", args=[supplier_return.pk]),
        reverse("monitoring:return-confirmation", args=[supplier_return.pk]),
        reverse("monitoring:return-verify", args=[supplier_return.pk]),
        reverse("monitoring:evidence-download", args=[evidence.pk]),
        reverse("monitoring:recovery-add", args=[contract.pk, commitment.pk]),
        reverse("monitoring:recovery-status", args=[contract.pk, action.pk]),
        reverse("monitoring:kpis", args=[contract.pk]),
        reverse("monitoring:kpi-assess", args=[contract.pk, kpi.pk]),
        reverse("monitoring:performance-notice", args=[contract.pk, "csv"]),
        reverse("monitoring:performance-notice", args=[contract.pk, "json"]),
        reverse("monitoring:query-answer", args=[supplier_return.pk, line.pk]),
        f"/api/v1/contracts/{contract.pk}",
        f"/api/v1/contracts/{contract.pk}/commitments",
        f"/api/v1/monitoring/contracts/{contract.pk}/returns",
        f"/api/v1/monitoring/returns/{supplier_return.pk}",
        f"/api/v1/monitoring/returns/{supplier_return.pk}/version",
    ]


def test_another_councils_officer_and_a_partner_get_404_everywhere(
    everything, client_for, other_council_officer, partner_user
):
    for person in (other_council_officer, partner_user):
        client = client_for(person)
        for url in everything:
            # The answer route takes only POST; every other page is a 404 to them.
            expected = 405 if url.endswith("/answer/") else 404
            assert client.get(url).status_code == expected, (person, url)
            assert client.post(url, {}).status_code in (404, 405), (person, url)
        answer = next(url for url in everything if url.endswith("/answer/"))
        assert client.post(answer, {"body": "x"}).status_code == 404
    assert not Milestone.objects.exclude(description="Start").exists()
    assert RecoveryAction.objects.count() == 1 and Kpi.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(everything):
    client = Client()
    for url in everything:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:sign-in")), url
    for url in (
        reverse("contracts:list"),
        reverse("monitoring:returns"),
        reverse("monitoring:dashboard"),
        reverse("monitoring:dashboard-chart", args=["theme"]),
        reverse("monitoring:verification"),
        reverse("monitoring:notifications"),
        reverse("monitoring:settings"),
        reverse("contracts:create"),
        reverse("contracts:import"),
    ):
        assert client.get(url).status_code == 302, url
