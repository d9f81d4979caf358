"""Supplier returns: who sees what, drafts, check your answers, submission and late flags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.monitoring import services
from commonweal.monitoring.models import ReturnStatus, SupplierReturn
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import file_return, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world):
    return build_measures(world.council)


@pytest.fixture
def contract(world, measures, contract_manager):
    return build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )


def test_the_supplier_sees_returns_due_for_its_own_contracts_only(
    world, measures, contract, client_for, supplier_user
):
    rival = Organisation.objects.create(kind="supplier", name="Rival Ltd")
    build_contract(world.council, rival, measures, reference="RMBC-R", title="Grounds care")
    page = client_for(supplier_user).get(reverse("monitoring:returns")).content.decode()
    assert "School meals" in page
    assert "Grounds care" not in page
    assert "2025-26 Q1" in page
    assert "Overdue" in page  # Q1 2025-26 was due on 30 July 2025


def test_a_supplier_fills_in_saves_a_draft_checks_and_submits_with_a_reference(
    contract, client_for, supplier_user
):
    client = client_for(supplier_user)
    q1 = period(contract, "2025-26 Q1")
    response = client.post(reverse("monitoring:return-start", args=[q1.pk]))
    supplier_return = SupplierReturn.objects.get()
    assert response["Location"] == reverse("monitoring:return-edit", args=[supplier_return.pk])
    lines = {line.commitment.measure.code: line for line in supplier_return.lines.all()}
    data = {
        f"claimed_{lines['RM1'].pk}": "0.5",
        f"note_{lines['RM1'].pk}": "One cook",
        f"claimed_{lines['RM2'].pk}": "100",
        f"claimed_{lines['RM3'].pk}": "2",
        "narrative": "A good quarter",
    }
    client.post(
        reverse("monitoring:return-edit", args=[supplier_return.pk]), {**data, "draft": "1"}
    )
    supplier_return.refresh_from_db()
    assert supplier_return.status == ReturnStatus.DRAFT
    assert supplier_return.narrative == "A good quarter"
    response = client.post(
        reverse("monitoring:return-edit", args=[supplier_return.pk]), {**data, "continue": "1"}
    )
    assert response["Location"] == reverse("monitoring:return-check", args=[supplier_return.pk])
    page = client.get(
        reverse("monitoring:return-check", args=[supplier_return.pk])
    ).content.decode()
    assert "Check your answers before submitting your return" in page
    assert "£5,000.00" in page  # 0.5 FTE × £10,000
    # Without the attestations the return is not submitted.
    page = client.post(
        reverse("monitoring:return-check", args=[supplier_return.pk])
    ).content.decode()
    assert "Confirm that the return relates only to this contract and period" in page
    client.post(
        reverse("monitoring:return-edit", args=[supplier_return.pk]),
        {**data, "continue": "1", "attests_contract_and_period": "on", "attests_commitment": "on"},
    )
    response = client.post(reverse("monitoring:return-check", args=[supplier_return.pk]))
    assert response["Location"] == reverse(
        "monitoring:return-confirmation", args=[supplier_return.pk]
    )
    supplier_return.refresh_from_db()
    assert supplier_return.status == ReturnStatus.SUBMITTED
    assert supplier_return.reference == f"SVR-{supplier_return.pk:06d}"
    assert supplier_return.submitted_late  # due 30 July 2025, submitted later
    page = client.get(response["Location"]).content.decode()
    assert supplier_return.reference in page
    assert "marked as late" in page


def test_counting_rule_findings_are_shown_before_submission(world, client_for, supplier_user):
    measures = build_measures(world.council)
    measures.jobs.tags = ["local-employment", "local-supply-chain-spend"]
    measures.jobs.save()
    contract = build_contract(world.council, world.supplier, measures, value_pence=100_000)
    supplier_return = file_return(
        contract, "2025-26 Q1", {"RM1": "5000"}, by=supplier_user, submit=False
    )
    page = (
        client_for(supplier_user)
        .get(reverse("monitoring:return-check", args=[supplier_return.pk]))
        .content.decode()
    )
    # The counting rule on local spend, and the claim rules: 5,000 claimed against the 2 a
    # year committed (0.5 due by the end of the first quarter).
    assert "The counting rules found 3 things to check" in page
    assert "exceeds the contract value" in page
    assert "more than the 4 committed for the whole contract" in page


def test_a_period_that_has_not_ended_cannot_be_reported_yet(world, client_for, supplier_user):
    measures = build_measures(world.council)
    from commonweal.contracts.services import contract_create

    today = timezone.localdate()
    contract = contract_create(
        council=world.council,
        supplier=world.supplier,
        title="Future",
        reference="F-1",
        value_pence=100_000,
        start_date=date(today.year + 1, 4, 1),
        end_date=date(today.year + 2, 3, 31),
        directorate="",
        contract_manager=None,
        measure_set_version=measures.version,
        price_year=2025,
        commitments=[],
        source="manual",
        by=None,
    )
    first = contract.periods.first()
    client_for(supplier_user).post(reverse("monitoring:return-start", args=[first.pk]))
    assert not SupplierReturn.objects.exists()


def test_council_staff_read_submitted_returns_never_drafts_and_cannot_write_them(
    contract, client_for, supplier_user, viewer, contract_manager
):
    supplier_return = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, submit=False
    )
    detail = reverse("monitoring:return-detail", args=[supplier_return.pk])
    for person in (viewer, contract_manager):
        client = client_for(person)
        # A draft is the supplier's own working copy until it is submitted.
        assert client.get(detail).status_code == 404
        assert (
            client.get(reverse("monitoring:return-edit", args=[supplier_return.pk])).status_code
            == 404
        )
        assert (
            client.post(
                reverse("monitoring:return-start", args=[period(contract, "2025-26 Q2").pk])
            ).status_code
            == 403
        )
    contract_page = client_for(viewer).get(reverse("contracts:detail", args=[contract.pk]))
    assert detail not in contract_page.content.decode()
    services.return_submit(
        supplier_return=supplier_return, by=supplier_user, today=date(2026, 1, 15)
    )
    for person in (viewer, contract_manager):
        client = client_for(person)
        assert client.get(detail).status_code == 200
        assert (
            client.get(reverse("monitoring:return-edit", args=[supplier_return.pk])).status_code
            == 403
        )
        assert (
            client.post(reverse("monitoring:return-check", args=[supplier_return.pk])).status_code
            == 403
        )
    contract_page = client_for(viewer).get(reverse("contracts:detail", args=[contract.pk]))
    assert detail in contract_page.content.decode()
    assert (
        "School meals"
        in client_for(viewer).get(reverse("monitoring:returns") + "?show=all").content.decode()
    )


def test_outsiders_get_404_for_every_return_page(
    contract, client_for, supplier_user, other_council_officer, partner_user
):
    supplier_return = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    line = supplier_return.lines.first()
    q2 = period(contract, "2025-26 Q2")
    for person in (other_council_officer, partner_user):
        client = client_for(person)
        for url in (
            reverse("monitoring:return-detail", args=[supplier_return.pk]),
            reverse("monitoring:return-edit", args=[supplier_return.pk]),
            reverse("monitoring:return-check", args=[supplier_return.pk]),
            reverse("monitoring:return-confirmation", args=[supplier_return.pk]),
            reverse("monitoring:evidence-upload", args=[supplier_return.pk]),
            reverse("monitoring:case-study-add", args=[supplier_return.pk]),
            reverse("monitoring:return-verify", args=[supplier_return.pk]),
            reverse("monitoring:plan", args=[contract.pk]),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("monitoring:return-start", args=[q2.pk])).status_code == 404
        assert (
            client.post(
                reverse("monitoring:query-answer", args=[supplier_return.pk, line.pk]),
                {"body": "x"},
            ).status_code
            == 404
        )
    assert client_for(other_council_officer).get(reverse("monitoring:returns")).status_code == 200
    assert (
        "School meals"
        not in client_for(other_council_officer)
        .get(reverse("monitoring:returns") + "?show=all")
        .content.decode()
    )


def test_a_supplier_adds_a_case_study_with_consent(contract, client_for, supplier_user):
    supplier_return = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, submit=False
    )
    response = client_for(supplier_user).post(
        reverse("monitoring:case-study-add", args=[supplier_return.pk]),
        {
            "title": "Sam's first job",
            "story": "Sam joined the kitchen team.",
            "consent_to_publish": "on",
        },
    )
    assert response.status_code == 302
    case_study = supplier_return.case_studies.get()
    assert case_study.consent_to_publish


def test_a_submitted_return_cannot_be_changed(contract, client_for, supplier_user):
    supplier_return = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    line = supplier_return.lines.get(commitment__measure__code="RM1")
    response = client_for(supplier_user).post(
        reverse("monitoring:return-edit", args=[supplier_return.pk]), {f"claimed_{line.pk}": "9"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.claimed == Decimal("0.5")
