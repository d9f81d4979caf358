"""The rules monitoring applies, each a named class an auditor can read, with its own tests
(tests/monitoring/test_rules.py). They take plain values and touch no database: services and
selectors read the inputs, ask the rule, and store or show what it says.

Where each fires:
- ``DeliveryPlanBand``: the delivery plan page and the contract page (full plan or milestones).
- ``ProcurementActKpis``: the contract's KPI page and the demo.
- ``VerificationDecisionCheck``: ``services.return_verify``, for each line decided.
- ``ReturnStatusFromLines``: ``services.return_verify`` and ``services.query_answer``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from commonweal.monitoring.models import LineOutcome, ReturnStatus
from commonweal.valuation.money import plain_number


@dataclass(frozen=True)
class DeliveryPlanBand:
    """A contract worth at least the council's delivery-plan band (Rotherham: £250,000) gets a
    full delivery plan, with a target for every commitment in every reporting period; a smaller
    contract gets a milestone tracker instead."""

    band_pence: int

    def needs_full_plan(self, contract_value_pence: int) -> bool:
        return contract_value_pence >= self.band_pence


@dataclass(frozen=True)
class ProcurementActKpis:
    """A contract worth at least the council's KPI threshold (the Procurement Act 2023 sets
    £5m) must have at least three key performance indicators, assessed and published in a
    Contract Performance Notice at least once a year (Procurement Act 2023 s.52)."""

    threshold_pence: int
    minimum: int = 3

    def required(self, contract_value_pence: int) -> bool:
        return contract_value_pence >= self.threshold_pence


@dataclass(frozen=True)
class VerificationDecisionCheck:
    """What a verifier must say about a claimed line: one of verify, verify in part, query or
    reject; a part verification names a quantity from 0 up to (not including) the quantity
    claimed; and anything short of full verification gives its reason (or, for a query, the
    question). Each problem names the measure's code."""

    def problems(
        self, *, code: str, outcome: str, claimed: Decimal, verified: Decimal | None, reason: str
    ) -> list[str]:
        found = []
        if outcome not in LineOutcome.values:
            found.append(f"{code}: choose verify, verify in part, query or reject")
        if outcome == LineOutcome.PART_VERIFIED:
            if verified is None:
                found.append(f"{code}: enter the quantity you verified")
            elif not Decimal(0) <= verified < claimed:
                found.append(
                    f"{code}: the verified quantity must be at least 0 and less than the "
                    f"{plain_number(claimed)} claimed; choose verify if all of it is verified"
                )
        if (
            outcome in (LineOutcome.PART_VERIFIED, LineOutcome.QUERIED, LineOutcome.REJECTED)
            and not reason.strip()
        ):
            what = "your question" if outcome == LineOutcome.QUERIED else "the reason"
            found.append(f"{code}: enter {what}")
        return found


@dataclass(frozen=True)
class ReturnStatusFromLines:
    """A submitted return's status follows its lines: queried while any line is queried;
    submitted while any line still awaits verification; verified when every line is verified;
    rejected when every line is rejected; otherwise verified in part."""

    def status(self, outcomes: Iterable[str]) -> str:
        outcomes = list(outcomes)
        if LineOutcome.QUERIED in outcomes:
            return ReturnStatus.QUERIED
        if LineOutcome.PENDING in outcomes:
            return ReturnStatus.SUBMITTED
        if all(outcome == LineOutcome.VERIFIED for outcome in outcomes):
            return ReturnStatus.VERIFIED
        if all(outcome == LineOutcome.REJECTED for outcome in outcomes):
            return ReturnStatus.REJECTED
        return ReturnStatus.PART_VERIFIED
