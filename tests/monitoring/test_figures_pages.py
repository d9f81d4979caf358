"""The contract page's delivery figures, RAG tags and recovery actions for red items."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.monitoring.models import RecoveryAction
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world, supplier_user, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    q1 = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5", "RM2": "10", "RM3": "2.5"}, by=supplier_user
    )
    decide(
        q1,
        {
            "RM1": ("verified", None, ""),
            "RM2": ("verified", None, ""),
            "RM3": ("verified", None, ""),
        },
        by=contract_manager,
    )
    return contract


def test_the_contract_page_shows_committed_claimed_and_verified_side_by_side_with_rag_words(
    contract, client_for, viewer, supplier_user
):
    for person in (viewer, supplier_user):
        page = (
            client_for(person).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        )
        assert "committed" in page and "claimed to date" in page and "verified to date" in page
        # RM2: 10 of the 100 hours due in 2025-26 Q1 were verified: 10%, red, in words.
        assert "RM2 is red: it needs a recovery action." in page
        assert ">Red<" in page or "Red</strong>" in page
        assert "How RM1's figures were worked out" in page


def test_a_contract_manager_adds_and_closes_a_recovery_action_for_a_red_item(
    contract, client_for, contract_manager
):
    volunteering = contract.commitments.get(measure__code="RM2")
    client = client_for(contract_manager)
    response = client.post(
        reverse("monitoring:recovery-add", args=[contract.pk, volunteering.pk]),
        {
            "action": "Volunteering days at two schools",
            "owner": "Supplier's HR manager",
            "due_on_day": "31",
            "due_on_month": "3",
            "due_on_year": "2026",
        },
    )
    assert response.status_code == 302
    action = RecoveryAction.objects.get()
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Volunteering days at two schools" in page
    assert "RM2 is red: it needs a recovery action." not in page
    response = client.post(
        reverse("monitoring:recovery-status", args=[contract.pk, action.pk]), {"status": "done"}
    )
    action.refresh_from_db()
    assert action.status == "done"


def test_recovery_actions_are_for_council_editors_only(
    contract, client_for, viewer, supplier_user, other_council_officer
):
    volunteering = contract.commitments.get(measure__code="RM2")
    url = reverse("monitoring:recovery-add", args=[contract.pk, volunteering.pk])
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(supplier_user).get(url).status_code == 403
    assert client_for(other_council_officer).get(url).status_code == 404
    assert not RecoveryAction.objects.exists()
