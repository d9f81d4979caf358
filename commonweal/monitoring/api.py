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
from commonweal.core.api import validation_errors_as_422
from commonweal.monitoring import figures, selectors, services
from commonweal.monitoring.access import period_for_user, return_for_user
from commonweal.monitoring.figures import return_check
from commonweal.monitoring.models import ReturnLine, ReturnStatus, SupplierReturn

router = Router()


class ReturnLineOut(Schema):
    id: int
    commitment_id: int
    measure_code: str
    unit: str
    claimed: Decimal
    people: str
    """The supplier's references for the people a job claim is about (never names)."""
    activity: str
    outcome: str
    verified: Decimal | None
    reason: str


class ReturnFindingOut(Schema):
    rule_code: str
    severity: str
    message: str
    measure_codes: list[str]


class ReturnOut(Schema):
    id: int
    contract_id: int
    period: str
    due_on: date
    status: str
    reference: str
    submitted_at: datetime | None
    late: bool
    workforce_fte: Decimal | None
    lowest_hourly_rate_outside_london: Decimal | None
    """On contracts that require the Real Living Wage: pounds per hour on the period's last day."""
    lowest_hourly_rate_in_london: Decimal | None
    lines: list[ReturnLineOut]
    findings: list[ReturnFindingOut]
    """What the counting and claim rules found about this return's claims, with the figures."""


class ClaimIn(Schema):
    commitment_id: int
    claimed: Decimal
    note: str = ""
    people: str = ""
    """Your references for the people a job claim is about, comma separated, never names."""
    activity: str = ""


class ReturnIn(Schema):
    claims: list[ClaimIn]
    workforce_fte: Decimal | None = None
    """The workforce delivering the contract this period, in full-time equivalents."""
    narrative: str = ""
    attests_contract_and_period: bool = False
    attests_commitment: bool = False
    lowest_hourly_rate_outside_london: Decimal | None = None
    """Required to submit on a contract that requires the Real Living Wage (or the London one)."""
    lowest_hourly_rate_in_london: Decimal | None = None
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
        workforce_fte=supplier_return.workforce_fte,
        findings=[
            ReturnFindingOut(
                rule_code=finding.rule_code,
                severity=finding.severity.value,
                message=finding.message,
                measure_codes=codes,
            )
            for finding, codes in return_check(supplier_return.pk).findings
        ],
        lowest_hourly_rate_outside_london=supplier_return.lowest_hourly_rate_outside_london,
        lowest_hourly_rate_in_london=supplier_return.lowest_hourly_rate_in_london,
        lines=[
            ReturnLineOut(
                id=line.pk,
                commitment_id=line.commitment_id,
                measure_code=line.commitment.measure.code,
                unit=line.commitment.measure.unit,
                claimed=line.claimed,
                people=line.people,
                activity=line.activity,
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
    with validation_errors_as_422():
        services.return_save(
            supplier_return=supplier_return,
            claims={lines[c.commitment_id]: (c.claimed, c.note) for c in payload.claims},
            narrative=payload.narrative,
            attests_contract_and_period=payload.attests_contract_and_period,
            attests_commitment=payload.attests_commitment,
            by=user,
            workforce_fte=payload.workforce_fte,
            details={lines[c.commitment_id]: (c.people, c.activity) for c in payload.claims},
        )
        if period.contract.requires_real_living_wage:
            services.return_wages_save(
                supplier_return=supplier_return,
                lowest_outside_london=payload.lowest_hourly_rate_outside_london,
                lowest_in_london=payload.lowest_hourly_rate_in_london,
                by=user,
            )
        if payload.submit:
            services.return_submit(
                supplier_return=supplier_return, by=user, today=timezone.localdate()
            )
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


class ReturnVersionOut(Schema):
    version: int


@router.get(
    "/returns/{return_id}/version",
    response=ReturnVersionOut,
    summary="The return's current version, to send with verification decisions",
)
def return_version(request: HttpRequest, return_id: int) -> ReturnVersionOut:
    supplier_return, _ = return_for_user(request_user(request), return_id)
    return ReturnVersionOut(version=supplier_return.version)


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


class ForecastOut(Schema):
    span: str
    """"contract year N", "financial year 2026-27" or "the whole contract"."""
    target: Decimal
    verified_so_far: Decimal
    periods_to_come: int
    forecast: Decimal
    forecast_pence: int | None
    target_pence: int | None
    method: str


class CommitmentDeliveryOut(Schema):
    commitment_id: int
    measure_code: str
    measure_title: str
    unit: str
    committed: Decimal
    committed_pence: int | None
    target_to_date: Decimal
    claimed_to_date: Decimal
    verified_to_date: Decimal
    target_to_date_pence: int | None
    claimed_pence: int | None
    verified_pence: int | None
    """Claimed and verified are kept apart, never added together."""
    rag: str
    percent_of_target: Decimal | None
    forecast_contract_year: ForecastOut | None
    forecast_financial_year: ForecastOut | None
    forecast_to_end: ForecastOut | None
    working: list[str]


class ContractDeliveryOut(Schema):
    contract_id: int
    as_of_period: str | None
    """Figures are as of the end of the last reporting period ended; None before any has."""
    rag: str
    committed_pence: int
    target_to_date_pence: int
    claimed_pence: int
    verified_pence: int
    current_contract_year: int
    current_financial_year: str
    forecast_method: str
    forecast_contract_year_pence: int | None
    forecast_financial_year_pence: int | None
    forecast_to_end_pence: int | None
    commitments: list[CommitmentDeliveryOut]


def _forecast_out(cell: figures.ForecastCell) -> ForecastOut | None:
    if cell.forecast is None:
        return None
    f = cell.forecast
    return ForecastOut(
        span=f.span,
        target=f.target,
        verified_so_far=f.verified_so_far,
        periods_to_come=f.periods_to_come,
        forecast=f.forecast,
        forecast_pence=cell.forecast_pence,
        target_pence=cell.target_pence,
        method=f.method,
    )


@router.get(
    "/contracts/{contract_id}/delivery",
    response=ContractDeliveryOut,
    summary="Per-commitment delivery: target to date, claimed and verified (units and £), RAG "
    "and forecasts, as on the contract page",
)
def contract_delivery(request: HttpRequest, contract_id: int) -> ContractDeliveryOut:
    contract, _ = contract_for_user(request_user(request), contract_id)
    found = figures.contract_figures(
        contract,
        today=timezone.localdate(),
        thresholds=selectors.thresholds_of(selectors.settings_for(contract.council_id)),
    )
    totals = dict(
        zip(("contract_year", "financial_year", "to_end"), found.forecast_totals, strict=True)
    )
    commitments = []
    for row in found.commitments:
        cells = row.forecast_cells or [figures.ForecastCell(None, None, None)] * 3
        commitments.append(
            CommitmentDeliveryOut(
                commitment_id=row.commitment.pk,
                measure_code=row.measure.code,
                measure_title=row.measure.title,
                unit=row.measure.unit,
                committed=row.committed,
                committed_pence=row.committed_pence,
                target_to_date=row.target_to_date,
                claimed_to_date=row.claimed_to_date,
                verified_to_date=row.verified_to_date,
                target_to_date_pence=row.target_pence,
                claimed_pence=row.claimed_pence,
                verified_pence=row.verified_pence,
                rag=row.rag.value,
                percent_of_target=row.status.percent_of_target if row.status else None,
                forecast_contract_year=_forecast_out(cells[0]),
                forecast_financial_year=_forecast_out(cells[1]),
                forecast_to_end=_forecast_out(cells[2]),
                working=list(row.status.working) if row.status else [],
            )
        )
    return ContractDeliveryOut(
        contract_id=contract.pk,
        as_of_period=found.as_of.label if found.as_of else None,
        rag=found.rag.value,
        committed_pence=found.committed_pence,
        target_to_date_pence=found.target_pence,
        claimed_pence=found.claimed_pence,
        verified_pence=found.verified_pence,
        current_contract_year=found.current_contract_year,
        current_financial_year=found.current_financial_year,
        forecast_method=found.forecast_method,
        forecast_contract_year_pence=totals["contract_year"][0] if found.as_of else None,
        forecast_financial_year_pence=totals["financial_year"][0] if found.as_of else None,
        forecast_to_end_pence=totals["to_end"][0] if found.as_of else None,
        commitments=commitments,
    )
