"""Verification: decisions per line, query threads, sampling and concurrent saves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.accounts.roles import Role
from commonweal.monitoring.models import LineOutcome, QueryMessage, ReturnStatus
from commonweal.monitoring.sampling import risk_based_sample
from tests.contracts.builders import build_contract, build_measures
from tests.factories import MembershipFactory, UserFactory
from tests.monitoring.helpers import file_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world, supplier_user, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    return file_return(
        contract, "2025-26 Q1", {"RM1": "0.5", "RM2": "100", "RM3": "2"}, by=supplier_user
    )


def lines_of(supplier_return):
    return {line.commitment.measure.code: line for line in supplier_return.lines.all()}


def post_decisions(client, supplier_return, version, decisions):
    data = {"version": str(version)}
    for line, (outcome, verified, reason) in decisions.items():
        data[f"outcome_{line.pk}"] = outcome
        data[f"verified_{line.pk}"] = verified
        data[f"reason_{line.pk}"] = reason
    return client.post(reverse("monitoring:return-verify", args=[supplier_return.pk]), data)


def test_the_contract_manager_sees_the_return_in_their_queue(
    submitted, client_for, contract_manager
):
    page = client_for(contract_manager).get(reverse("monitoring:verification")).content.decode()
    assert submitted.reference in page


def test_the_returns_page_leads_verifiers_to_the_returns_waiting_for_them(
    submitted, client_for, contract_manager, council_officer
):
    client = client_for(contract_manager)
    page = client.get(reverse("monitoring:returns")).content.decode()
    assert "1 submitted return of your contracts is waiting for you to verify." in page
    assert f'href="{reverse("monitoring:verification")}"' in page
    queue = client.get(reverse("monitoring:verification")).content.decode()
    returns_entry = f'href="{reverse("monitoring:returns")}" aria-current="page"'
    assert returns_entry in queue, "the Returns entry stays highlighted"
    assert ">Verify returns</a></li>" not in queue, "not a header entry of its own"
    commissioner = client_for(council_officer).get(reverse("monitoring:returns")).content.decode()
    assert "waiting for you to verify" not in commissioner


def test_each_line_is_verified_part_verified_queried_or_rejected_with_reasons(
    submitted, client_for, contract_manager
):
    lines = lines_of(submitted)
    response = post_decisions(
        client_for(contract_manager),
        submitted,
        submitted.version,
        {
            lines["RM1"]: ("verified", "", ""),
            lines["RM2"]: ("part_verified", "80", "20 hours were before the period"),
            lines["RM3"]: ("queried", "", "Which sites does this cover?"),
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReturnStatus.QUERIED
    fresh = lines_of(submitted)
    assert fresh["RM1"].verified == Decimal("0.5")
    assert fresh["RM2"].verified == Decimal("80")
    assert fresh["RM2"].outcome_reason == "20 hours were before the period"
    assert fresh["RM3"].outcome == LineOutcome.QUERIED


def test_verify_in_part_needs_a_quantity_below_the_claim_and_a_reason(
    submitted, client_for, contract_manager
):
    lines = lines_of(submitted)
    page = post_decisions(
        client_for(contract_manager),
        submitted,
        submitted.version,
        {
            lines["RM2"]: ("part_verified", "150", ""),
            lines["RM1"]: ("rejected", "", ""),
        },
    ).content.decode()
    assert "RM2: the verified quantity must be at least 0 and less than the 100 claimed" in page
    assert "RM2: enter the reason" in page
    assert "RM1: enter the reason" in page
    assert lines_of(submitted)["RM2"].outcome == LineOutcome.PENDING


def test_the_supplier_answers_a_query_and_the_thread_is_kept_as_a_timeline(
    submitted, client_for, contract_manager, supplier_user
):
    lines = lines_of(submitted)
    post_decisions(
        client_for(contract_manager),
        submitted,
        submitted.version,
        {lines["RM3"]: ("queried", "", "Which sites does this cover?")},
    )
    response = client_for(supplier_user).post(
        reverse("monitoring:query-answer", args=[submitted.pk, lines["RM3"].pk]),
        {"body": "The Rawmarsh and Maltby kitchens"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    post_decisions(
        client_for(contract_manager),
        submitted,
        submitted.version,
        {lines["RM3"]: ("verified", "", "")},
    )
    assert [m.kind for m in QueryMessage.objects.filter(line=lines["RM3"])] == ["query", "answer"]
    page = (
        client_for(supplier_user)
        .get(reverse("monitoring:return-detail", args=[submitted.pk]))
        .content.decode()
    )
    assert page.index("Which sites does this cover?") < page.index(
        "The Rawmarsh and Maltby kitchens"
    )
    assert "app-timeline" in page


def test_two_people_verifying_at_once_cannot_overwrite_each_other(
    world, submitted, client_for, contract_manager
):
    # Both open the form at the same version.
    colleague = UserFactory(email="second@rotherham.test", full_name="Fay Green")
    MembershipFactory(user=colleague, organisation=world.council, role=Role.CONTRACT_MANAGER)
    opened_at = submitted.version
    lines = lines_of(submitted)
    first = post_decisions(
        client_for(contract_manager), submitted, opened_at, {lines["RM1"]: ("verified", "", "")}
    )
    assert first.status_code == 302
    # The second save, made against the version both opened, is refused with a clear message.
    second = post_decisions(
        client_for(colleague),
        submitted,
        opened_at,
        {lines["RM1"]: ("rejected", "", "No payroll extract")},
    )
    page = second.content.decode()
    assert second.status_code == 200
    assert "Someone else saved decisions on this return after you opened it" in page
    # Nothing is lost: the first person's decision stands, and the second person's choice and
    # reason are still in the form for them to check and save again.
    assert lines_of(submitted)["RM1"].outcome == LineOutcome.VERIFIED
    assert "No payroll extract" in page
    assert f'value="{opened_at + 1}"' in page
    again = post_decisions(
        client_for(colleague),
        submitted,
        opened_at + 1,
        {lines["RM1"]: ("rejected", "", "No payroll extract")},
    )
    assert again.status_code == 302
    assert lines_of(submitted)["RM1"].outcome == LineOutcome.REJECTED


def test_who_may_verify(
    submitted,
    client_for,
    viewer,
    council_officer,
    supplier_user,
    other_council_officer,
    partner_user,
):
    url = reverse("monitoring:return-verify", args=[submitted.pk])
    for person in (viewer, council_officer, supplier_user):
        assert client_for(person).get(url).status_code == 403
        assert client_for(person).get(reverse("monitoring:verification")).status_code in (403, 404)
    for person in (other_council_officer, partner_user):
        assert client_for(person).get(url).status_code == 404
    assert (
        client_for(other_council_officer).get(reverse("monitoring:verification")).status_code == 200
    )
    assert (
        submitted.reference
        not in client_for(other_council_officer)
        .get(reverse("monitoring:verification") + "?show=all")
        .content.decode()
    )


def test_risk_based_sampling_takes_every_large_line_and_a_repeatable_share_of_the_rest():
    lines = [(1, 500_000), (2, 10_000), (3, 20_000), (4, None), (5, 900_000), (6, 100)]
    first = risk_based_sample(lines, above_pence=400_000, share=Decimal("0.5"), seed=7)
    assert {1, 5} <= first
    assert len(first) == 4  # 2 large + half of the other 4
    assert first == risk_based_sample(lines, above_pence=400_000, share=Decimal("0.5"), seed=7)
    assert risk_based_sample(lines, above_pence=0, share=Decimal(0), seed=1) == {1, 2, 3, 5, 6}


def test_the_sample_is_marked_on_the_verification_page(submitted, client_for, contract_manager):
    page = (
        client_for(contract_manager)
        .get(
            reverse("monitoring:return-verify", args=[submitted.pk]),
            {"above": "2000", "share": "0", "seed": "3"},
        )
        .content.decode()
    )
    # Only RM1 (0.5 FTE = £5,000) is at or above £2,000; RM2 is 100 × £16.93 = £1,693.
    assert page.count("In the sample") == 1
