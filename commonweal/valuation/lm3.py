"""Local Multiplier 3 (LM3), after the New Economics Foundation's "The Money Trail" (2002).

Round 1 (R1) is what the organisation spends in the period. Round 2 (R2) is the part of it
received locally: spend with local suppliers and, when payroll is included, the wages of staff
who live locally. Round 3 (R3) is what those local recipients re-spend locally, each recipient's
share taken from its survey response and weighted by the value it received; a recipient without
a response is given a stated assumption ratio, reported as such. LM3 = (R1 + R2 + R3) ÷ R1,
which lies between 1 and 3 because R2 cannot exceed R1, nor R3 exceed R2.

R2 and R3 are rounded half up to the penny; LM3 is worked from those rounded rounds and rounded
half up to 2 decimal places, so a reader can check it from the published figures.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from commonweal.valuation.money import format_pounds, to_pence

LM3_PLACES = Decimal("0.01")
COVERAGE_PLACES = Decimal("0.0001")
"""Survey coverage is a share of R2 value, rounded half up to 4 decimal places."""
ZERO = Decimal(0)
ONE = Decimal(1)


class RecipientKind(StrEnum):
    SUPPLIER = "supplier"
    """A supplier based in, or with a branch in, the boundary."""
    STAFF = "staff"
    """The wages paid to staff who live inside the boundary, taken together."""


@dataclass(frozen=True)
class LocalRecipient:
    """One local recipient of the organisation's spend and, if it answered the survey, the share
    of that money it re-spends inside the boundary."""

    ref: str
    kind: RecipientKind
    amount_received: Decimal
    surveyed_local_respend_share: Decimal | None = None


@dataclass(frozen=True)
class Lm3Assumptions:
    """Re-spend shares used for recipients with no survey response, and where they come from."""

    supplier_local_respend_share: Decimal
    staff_local_respend_share: Decimal
    basis: str

    def __post_init__(self) -> None:
        for name in ("supplier_local_respend_share", "staff_local_respend_share"):
            share = getattr(self, name)
            if not ZERO <= share <= ONE:
                raise ValueError(f"Assumption {name} must lie between 0 and 1, got {share}")
        if not self.basis.strip():
            raise ValueError("Assumptions must state their basis (a source or a reason)")

    def share_for(self, kind: RecipientKind) -> Decimal:
        if kind is RecipientKind.SUPPLIER:
            return self.supplier_local_respend_share
        return self.staff_local_respend_share


@dataclass(frozen=True)
class AssumptionUsed:
    """An assumption ratio that stood in for survey responses, and the value it was applied to."""

    kind: RecipientKind
    local_respend_share: Decimal
    applied_to_value: Decimal
    recipient_refs: tuple[str, ...]
    basis: str

    @property
    def description(self) -> str:
        return (
            f"Assumed {self.local_respend_share} of {format_pounds(self.applied_to_value)} "
            f"received by {len(self.recipient_refs)} {self.kind.value} recipient(s) without a "
            f"survey response is re-spent locally ({self.basis})"
        )


@dataclass(frozen=True)
class Lm3Result:
    boundary_name: str
    period: str
    payroll_included: bool
    round_1: Decimal
    round_2: Decimal
    round_3: Decimal
    lm3: Decimal
    survey_coverage: Decimal | None
    """Share of R2 value received by recipients who answered the survey; None when R2 is £0."""
    assumptions_used: tuple[AssumptionUsed, ...]
    working: tuple[str, ...]


def local_multiplier_3(
    *,
    boundary_name: str,
    period: str,
    total_spend: Decimal,
    local_recipients: Sequence[LocalRecipient],
    include_payroll: bool,
    assumptions: Lm3Assumptions,
) -> Lm3Result:
    """Work out LM3 for one boundary and period.

    `total_spend` is R1. When payroll is included it must include the whole payroll, and when it
    is not it must leave payroll out; staff recipients are ignored unless `include_payroll`.
    """
    if not boundary_name.strip() or not period.strip():
        raise ValueError("LM3 needs a boundary name and a period to be reported with")
    if not total_spend > 0:
        raise ValueError(f"Total spend (R1) must be above £0, got {total_spend}")
    refs = [recipient.ref for recipient in local_recipients]
    repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
    if repeated:
        raise ValueError(f"Local recipients must appear once each; repeated: {repeated}")
    for recipient in local_recipients:
        if recipient.amount_received < 0:
            raise ValueError(
                f"Recipient {recipient.ref}: amount received must not be negative, got "
                f"{recipient.amount_received}"
            )
        share = recipient.surveyed_local_respend_share
        if share is not None and not ZERO <= share <= ONE:
            raise ValueError(
                f"Recipient {recipient.ref}: surveyed local re-spend share must lie between 0 "
                f"and 1, got {share}"
            )

    counted = [
        recipient
        for recipient in local_recipients
        if include_payroll or recipient.kind is not RecipientKind.STAFF
    ]
    round_2 = to_pence(sum((r.amount_received for r in counted), ZERO))
    if round_2 > total_spend:
        raise ValueError(
            f"Local spend (R2) of {format_pounds(round_2)} exceeds total spend (R1) of "
            f"{format_pounds(total_spend)}; R2 is part of R1"
        )

    surveyed_value = ZERO
    surveyed_respend = ZERO
    assumed_value = {kind: ZERO for kind in RecipientKind}
    assumed_refs: dict[RecipientKind, list[str]] = {kind: [] for kind in RecipientKind}
    for recipient in counted:
        share = recipient.surveyed_local_respend_share
        if share is None:
            assumed_value[recipient.kind] += recipient.amount_received
            assumed_refs[recipient.kind].append(recipient.ref)
        else:
            surveyed_value += recipient.amount_received
            surveyed_respend += recipient.amount_received * share
    assumed_respend = sum(
        (assumed_value[kind] * assumptions.share_for(kind) for kind in RecipientKind), ZERO
    )
    round_3 = to_pence(surveyed_respend + assumed_respend)
    lm3 = ((total_spend + round_2 + round_3) / total_spend).quantize(
        LM3_PLACES, rounding=ROUND_HALF_UP
    )
    coverage = (
        (surveyed_value / round_2).quantize(COVERAGE_PLACES, rounding=ROUND_HALF_UP)
        if round_2 > 0
        else None
    )
    used = tuple(
        AssumptionUsed(
            kind,
            assumptions.share_for(kind),
            assumed_value[kind],
            tuple(assumed_refs[kind]),
            assumptions.basis,
        )
        for kind in RecipientKind
        if assumed_refs[kind]
    )
    working = (
        f"R1 (total spend, {boundary_name}, {period}) = {format_pounds(total_spend)}",
        f"R2 (local suppliers{' and local staff wages' if include_payroll else ''}) = "
        f"{format_pounds(round_2)}",
        f"R3 = {format_pounds(surveyed_respend)} re-spent locally by surveyed recipients + "
        f"{format_pounds(assumed_respend)} by assumption = {format_pounds(round_3)}",
        f"LM3 = ({format_pounds(total_spend)} + {format_pounds(round_2)} + "
        f"{format_pounds(round_3)}) ÷ {format_pounds(total_spend)} = {lm3} "
        "(rounded half up to 2 places)",
    )
    return Lm3Result(
        boundary_name=boundary_name,
        period=period,
        payroll_included=include_payroll,
        round_1=total_spend,
        round_2=round_2,
        round_3=round_3,
        lm3=lm3,
        survey_coverage=coverage,
        assumptions_used=used,
        working=working,
    )
