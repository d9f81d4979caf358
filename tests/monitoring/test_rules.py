"""Monitoring's named rules, on plain values (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commonweal.monitoring.models import LineOutcome, ReturnStatus
from commonweal.monitoring.rules import (
    DeliveryPlanBand,
    ProcurementActKpis,
    ReturnStatusFromLines,
    VerificationDecisionCheck,
)

ROTHERHAM_BAND = DeliveryPlanBand(band_pence=250_000_00)
ACT_KPIS = ProcurementActKpis(threshold_pence=5_000_000_00)


def test_a_contract_at_the_band_gets_a_full_delivery_plan():
    assert ROTHERHAM_BAND.needs_full_plan(250_000_00)
    assert ROTHERHAM_BAND.needs_full_plan(1_000_000_00)


def test_a_contract_below_the_band_gets_a_milestone_tracker():
    assert not ROTHERHAM_BAND.needs_full_plan(249_999_99)


def test_a_contract_of_five_million_pounds_needs_at_least_three_kpis():
    assert ACT_KPIS.required(5_000_000_00)
    assert ACT_KPIS.minimum == 3


def test_a_contract_below_the_act_threshold_needs_no_kpis():
    assert not ACT_KPIS.required(4_999_999_99)


def check(outcome: str, *, claimed: str = "10", verified: str | None = None, reason: str = ""):
    return VerificationDecisionCheck().problems(
        code="NT1",
        outcome=outcome,
        claimed=Decimal(claimed),
        verified=None if verified is None else Decimal(verified),
        reason=reason,
    )


def test_a_full_verification_needs_no_reason():
    assert check(LineOutcome.VERIFIED) == []


def test_an_unknown_decision_is_refused_naming_the_measure():
    assert check("maybe") == ["NT1: choose verify, verify in part, query or reject"]


def test_a_part_verification_names_a_quantity_and_a_reason():
    assert check(LineOutcome.PART_VERIFIED) == [
        "NT1: enter the quantity you verified",
        "NT1: enter the reason",
    ]


@pytest.mark.parametrize("verified", ["10", "12.5", "-1"])
def test_a_part_verification_is_at_least_nothing_and_less_than_the_claim(verified):
    assert check(LineOutcome.PART_VERIFIED, verified=verified, reason="Two were not hired") == [
        "NT1: the verified quantity must be at least 0 and less than the 10 claimed; "
        "choose verify if all of it is verified"
    ]


def test_a_query_asks_a_question_and_a_rejection_gives_a_reason():
    assert check(LineOutcome.QUERIED, reason="  ") == ["NT1: enter your question"]
    assert check(LineOutcome.REJECTED) == ["NT1: enter the reason"]
    assert check(LineOutcome.REJECTED, reason="No evidence") == []


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        ([LineOutcome.VERIFIED, LineOutcome.QUERIED, LineOutcome.PENDING], ReturnStatus.QUERIED),
        ([LineOutcome.VERIFIED, LineOutcome.PENDING], ReturnStatus.SUBMITTED),
        ([LineOutcome.VERIFIED, LineOutcome.VERIFIED], ReturnStatus.VERIFIED),
        ([LineOutcome.REJECTED, LineOutcome.REJECTED], ReturnStatus.REJECTED),
        ([LineOutcome.VERIFIED, LineOutcome.REJECTED], ReturnStatus.PART_VERIFIED),
        ([LineOutcome.PART_VERIFIED], ReturnStatus.PART_VERIFIED),
    ],
)
def test_a_returns_status_follows_its_lines(outcomes, status):
    assert ReturnStatusFromLines().status(outcomes) == status
