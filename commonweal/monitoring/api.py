"""JSON API for returns (a supplier can submit one), verification outcomes and portfolio totals.

The same access rules as the pages: a supplier sees and writes only its own contracts' returns;
another council's people get a 404; read-only roles get a 403 on writes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from commonweal.accounts.access import active_membership, request_user
from commonweal.contracts.access import contract_for_user
from commonweal.monitoring import selectors, services
from commonweal.monitoring.access import period_for_user, return_for_user
from commonweal.monitoring.models import ReturnLine, ReturnStatus, SupplierReturn

router = Router()


class LineOut(Schema):
    id: int
    commitment_id: int
    measure_code: str
    unit: str
    claimed: Decimal
    outcome: str
    verified: Decimal | None
    reason: str


class ReturnOut(Schema):
    id: int
    contract_id: int
    period: str
    due_on: date
    status: str
    reference: str
    submitted_at: datetime | None
    late: bool
    lines: list[LineOut]


class ClaimIn(Schema):
    commitment_id: int
    claimed: Decimal
    note: str = ""


class ReturnIn(Schema):
    claims: list[ClaimIn]
    narrative: str = ""
    attests_contract_and_period: bool = False
    attests_commitment: bool = False
    submit: bool = False


class PortfolioOut(Schema):
    commitments: int
    committed_pence: int
    target_to_date_pence: int
    claimed_pence: int
    verified_pence: int
    red: int
    amber: int
    green: int
    not_yet_due: int


def _return_out(supplier_return: SupplierReturn) -> ReturnOut:
    lines = ReturnLine.objects.filter(supplier_return=supplier_return).select_related(
        "commitment__measure"
    )
    return ReturnOut(
        id=supplier_return.pk,
        contract_id=supplier_return.contract_id,
        period=supplier_return.period.label,
        due_on=supplier_return.period.due_on,
        status=supplier_return.status,
        reference=supplier_return.reference,
        submitted_at=supplier_return.submitted_at,
        late=supplier_return.submitted_late,
        lines=[
            LineOut(
                id=line.pk,
                commitment_id=line.commitment_id,
                measure_code=line.commitment.measure.code,
                unit=line.commitment.measure.unit,
                claimed=line.claimed,
                outcome=line.outcome,
                verified=line.verified,
                reason=line.outcome_reason,
            )
            for line in lines
        ],
    )


@router.get(
    "/contracts/{contract_id}/returns",
    response=list[ReturnOut],
    summary="A contract's returns with each line's claim and verification outcome",
)
def return_list(request: HttpRequest, contract_id: int) -> list[ReturnOut]:
    contract, _ = contract_for_user(request_user(request), contract_id)
    returns = SupplierReturn.objects.filter(contract=contract).select_related("period")
    return [_return_out(r) for r in returns.order_by("period__position")]


@router.get(
    "/returns/{return_id}",
    response=ReturnOut,
    summary="One return, with the verification outcome of each line",
)
def return_detail(request: HttpRequest, return_id: int) -> ReturnOut:
    supplier_return, _ = return_for_user(request_user(request), return_id)
    return _return_out(supplier_return)


@router.post(
    "/periods/{period_id}/return",
    response=ReturnOut,
    summary="Save (and optionally submit) the supplier's return for a reporting period",
)
def return_save(request: HttpRequest, period_id: int, payload: ReturnIn) -> ReturnOut:
    user = request_user(request)
    period, access = period_for_user(user, period_id)
    try:
        access.require_report()
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None
    if period.ends_on > timezone.localdate():
        raise HttpError(422, f"You can report on {period.label} once it has ended")
    supplier_return = services.return_start(period=period, by=user)
    if supplier_return.status != ReturnStatus.DRAFT:
        raise HttpError(409, "This return has been submitted and can no longer be changed")
    lines = {line.commitment_id: line.pk for line in supplier_return.lines.all()}
    unknown = [c.commitment_id for c in payload.claims if c.commitment_id not in lines]
    if unknown:
        raise HttpError(422, f"Commitments {unknown} are not part of this contract")
    try:
        services.return_save(
            supplier_return=supplier_return,
            claims={lines[c.commitment_id]: (c.claimed, c.note) for c in payload.claims},
            narrative=payload.narrative,
            attests_contract_and_period=payload.attests_contract_and_period,
            attests_commitment=payload.attests_commitment,
            by=user,
        )
        if payload.submit:
            services.return_submit(
                supplier_return=supplier_return, by=user, today=timezone.localdate()
            )
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    supplier_return.refresh_from_db()
    return _return_out(supplier_return)


@router.get(
    "/portfolio",
    response=PortfolioOut,
    summary="Committed, target to date, claimed and verified £ for your council's contracts",
)
def portfolio(request: HttpRequest) -> PortfolioOut:
    membership = active_membership(request)
    if not membership.organisation.is_council:
        raise Http404("Portfolio totals are for councils")
    summary = selectors.PortfolioScope(membership, {}).portfolio()
    counts = {value: count for value, _, _, count in summary.rag_counts}
    return PortfolioOut(
        commitments=summary.totals.commitments,
        committed_pence=summary.totals.committed_pence,
        target_to_date_pence=summary.totals.target_pence,
        claimed_pence=summary.totals.claimed_pence,
        verified_pence=summary.totals.verified_pence,
        red=counts["red"],
        amber=counts["amber"],
        green=counts["green"],
        not_yet_due=counts["not_yet_due"],
    )


class DecisionIn(Schema):
    line_id: int
    outcome: str
    """verified, part_verified, queried or rejected."""
    verified: Decimal | None = None
    reason: str = ""


class VerificationIn(Schema):
    version: int
    """The return's version when you read it; a newer one means someone else saved first."""
    decisions: list[DecisionIn]


class VersionOut(Schema):
    version: int


@router.get(
    "/returns/{return_id}/version",
    response=VersionOut,
    summary="The return's current version, to send with verification decisions",
)
def return_version(request: HttpRequest, return_id: int) -> VersionOut:
    supplier_return, _ = return_for_user(request_user(request), return_id)
    return VersionOut(version=supplier_return.version)


@router.post(
    "/returns/{return_id}/verification",
    response=ReturnOut,
    summary="Record verification outcomes; refused with 409 if someone else saved first",
)
def return_verification(request: HttpRequest, return_id: int, payload: VerificationIn) -> ReturnOut:
    user = request_user(request)
    supplier_return, access = return_for_user(user, return_id)
    try:
        access.require_verify()
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None
    try:
        services.return_verify(
            supplier_return=supplier_return,
            decisions=[
                services.Decision(d.line_id, d.outcome, d.verified, d.reason)
                for d in payload.decisions
            ],
            expected_version=payload.version,
            by=user,
        )
    except services.StaleReturn as stale:
        raise HttpError(409, " ".join(stale.messages)) from None
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    supplier_return.refresh_from_db()
    return _return_out(supplier_return)
