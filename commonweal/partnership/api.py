"""JSON API for charters, signatories, pledges, progress returns, anchor networks and the
combined authority's region view.

The same access rules as the pages (``partnership.access``): a partnership for the people of
its owning council and of the organisations invited to sign it; a signatory's returns for its
own people and the owning council; a network's figures for its joined members; the region view
for the combined authority's people. Anyone else gets a 404; read-only roles a 403 on writes.
Self-reported and reviewed figures are separate fields, never added.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from commonweal.accounts.access import active_membership, request_user
from commonweal.core.api import validation_errors_as_422
from commonweal.partnership import exports, selectors, services
from commonweal.partnership.access import (
    PartnershipAccess,
    combined_authority_membership,
    is_coordinator,
    joined_network_for_user,
    partnership_for_user,
    pledge_for_user,
    progress_return_for_user,
    signatory_for_user,
)
from commonweal.partnership.models import (
    Pledge,
    PledgeKind,
    ProgressReturn,
    ReturnStatus,
    Signatory,
    SignatoryStatus,
)

router = Router()


class PrincipleOut(Schema):
    id: int
    number: int
    title: str
    text: str
    cwb_pillars: list[str]
    measures: list[str]


class PartnershipOut(Schema):
    id: int
    name: str
    owner: str
    is_public: bool
    you_coordinate: bool
    charter_title: str | None
    charter_version: int | None
    adopted_on: date | None
    principles: list[PrincipleOut]
    signatories: int
    pledges: int


class PledgeOut(Schema):
    id: int
    principle: int
    kind: str
    measure: str | None
    unit: str | None
    quantity: Decimal | None
    financial_year: str | None
    commitment: str
    withdrawn_on: date | None


class SignatoryOut(Schema):
    id: int
    organisation: str
    sector: str
    status: str
    signed_by: str
    role: str
    signed_on: date | None
    charter_version: int | None
    ended_on: date | None
    pledges: list[PledgeOut]


class ProgressReturnOut(Schema):
    id: int | None
    reference: str
    pledge_id: int
    financial_year: str
    due_on: date
    state: str
    progress: str
    self_reported: Decimal | None
    """What the signatory reported."""
    reviewed: Decimal | None
    """What a coordinator accepted; a separate figure, never added to the self-reported one."""
    narrative: str
    submitted_at: datetime | None
    late: bool


class ProgressReturnIn(Schema):
    progress: str = ""
    """achieved, on_track, behind or not_started."""
    reported_quantity: Decimal | None = None
    narrative: str = ""
    evidence_url: str = ""
    submit: bool = False
    answer: str = ""
    """Required when sending back a queried return."""


class ReviewIn(Schema):
    decision: str
    """accept or query."""
    reviewed_quantity: Decimal | None = None
    note: str = ""


def _forbidden(check: Any) -> None:
    try:
        check()
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None


def _partnership_out(partnership: Any, access: PartnershipAccess) -> PartnershipOut:
    version = selectors.adopted_charter(partnership)
    counts = selectors.charter_counts(partnership)
    return PartnershipOut(
        id=partnership.pk,
        name=partnership.name,
        owner=partnership.owner.name,
        is_public=partnership.is_public,
        you_coordinate=access.is_coordinator,
        charter_title=version.title if version else None,
        charter_version=version.number if version else None,
        adopted_on=version.adopted_on if version else None,
        principles=[
            PrincipleOut(
                id=p.pk,
                number=p.number,
                title=p.title,
                text=p.text,
                cwb_pillars=list(p.cwb_pillars),
                measures=[m.code for m in p.measures.all()],
            )
            for p in (selectors.principles_of(version) if version else [])
        ],
        signatories=counts.signatories,
        pledges=counts.pledges,
    )


def _pledge_out(pledge: Pledge) -> PledgeOut:
    return PledgeOut(
        id=pledge.pk,
        principle=pledge.principle.number,
        kind=pledge.kind,
        measure=pledge.measure.code if pledge.measure else None,
        unit=pledge.measure.unit if pledge.measure else None,
        quantity=pledge.quantity,
        financial_year=pledge.target_year_label or None,
        commitment=pledge.commitment,
        withdrawn_on=pledge.withdrawn_on,
    )


def _signatory_out(signatory: Signatory) -> SignatoryOut:
    return SignatoryOut(
        id=signatory.pk,
        organisation=signatory.organisation.name,
        sector=signatory.sector,
        status=signatory.status,
        signed_by=signatory.signed_by_name,
        role=signatory.signed_by_role,
        signed_on=signatory.signed_on,
        charter_version=signatory.charter_version.number if signatory.charter_version else None,
        ended_on=signatory.ended_on,
        pledges=[_pledge_out(p) for p in selectors.pledges_of(signatory)],
    )


def _return_out(row: selectors.OwedReturn) -> ProgressReturnOut:
    found = row.progress_return
    return ProgressReturnOut(
        id=found.pk if found else None,
        reference=found.reference if found else "",
        pledge_id=row.pledge.pk,
        financial_year=row.year_label,
        due_on=row.due_on,
        state=row.state,
        progress=found.progress if found else "",
        self_reported=found.reported_quantity if found else None,
        reviewed=found.reviewed_quantity if found else None,
        narrative=found.narrative if found else "",
        submitted_at=found.submitted_at if found else None,
        late=found.submitted_late if found else False,
    )


def _one_return_out(progress_return: ProgressReturn) -> ProgressReturnOut:
    partnership = progress_return.pledge.signatory.partnership
    due_on = selectors.due_rule(partnership).due_on(progress_return.financial_year)
    state = selectors.OwedReturn(
        progress_return.pledge,
        progress_return.financial_year,
        due_on,
        progress_return,
        *selectors.return_state(progress_return, due_on, timezone.localdate()),
    )
    return _return_out(state)


@router.get(
    "/partnerships",
    response=list[PartnershipOut],
    summary="Partnerships your organisation owns or was invited to sign, with their charters",
)
def partnership_list(request: HttpRequest) -> list[PartnershipOut]:
    membership = active_membership(request)
    return [
        _partnership_out(p, PartnershipAccess(membership, p, is_coordinator(membership, p)))
        for p in selectors.partnerships_for(membership.organisation)
    ]


@router.get(
    "/partnerships/{partnership_id}",
    response=PartnershipOut,
    summary="A partnership with its charter in force: principles, their CWB pillars and measures",
)
def partnership_detail(request: HttpRequest, partnership_id: int) -> PartnershipOut:
    partnership, access = partnership_for_user(request, partnership_id)
    return _partnership_out(partnership, access)


@router.get(
    "/partnerships/{partnership_id}/signatories",
    response=list[SignatoryOut],
    summary="The charter's signatories and their pledges (the owning council also sees "
    "invitations, declines and withdrawals)",
)
def signatory_list(request: HttpRequest, partnership_id: int) -> list[SignatoryOut]:
    partnership, access = partnership_for_user(request, partnership_id)
    statuses = None if access.is_owner else [SignatoryStatus.SIGNED]
    return [_signatory_out(s) for s in selectors.signatories_of(partnership, statuses=statuses)]


@router.get(
    "/signatories/{signatory_id}",
    response=SignatoryOut,
    summary="One signatory with its pledges (its own people and the owning council)",
)
def signatory_detail(request: HttpRequest, signatory_id: int) -> SignatoryOut:
    signatory, _ = signatory_for_user(request, signatory_id)
    return _signatory_out(signatory)


@router.get(
    "/signatories/{signatory_id}/returns",
    response=list[ProgressReturnOut],
    summary="Every progress return the signatory owes or made, with its self-reported and "
    "reviewed figures apart",
)
def signatory_returns(request: HttpRequest, signatory_id: int) -> list[ProgressReturnOut]:
    signatory, access = signatory_for_user(request, signatory_id)
    is_own = signatory.organisation_id == access.membership.organisation_id
    rows = selectors.returns_for_signatory(signatory, today=timezone.localdate())
    return [
        _return_out(row)
        for row in rows
        if is_own or row.progress_return is None or row.progress_return.status != "draft"
    ]


@router.post(
    "/pledges/{pledge_id}/returns/{financial_year}",
    response=ProgressReturnOut,
    summary="Save (and optionally send) the signatory's progress return on a pledge for a "
    "financial year (by its first year: 2025 is 2025-26)",
)
def return_save(
    request: HttpRequest, pledge_id: int, financial_year: int, payload: ProgressReturnIn
) -> ProgressReturnOut:
    user = request_user(request)
    pledge, access = pledge_for_user(request, pledge_id)
    _forbidden(lambda: access.require_write_for(pledge.signatory))
    with validation_errors_as_422():
        progress_return = services.progress_return_start(
            pledge=pledge, financial_year=financial_year, by=user
        )
        if progress_return.status not in (ReturnStatus.DRAFT, ReturnStatus.QUERIED):
            raise HttpError(409, "This return has been sent and can no longer be changed")
        services.progress_return_save(
            progress_return=progress_return,
            progress=payload.progress,
            reported_quantity=payload.reported_quantity,
            narrative=payload.narrative,
            evidence_url=payload.evidence_url,
            by=user,
        )
        if payload.submit:
            services.progress_return_submit(
                progress_return=progress_return, by=user, answer=payload.answer
            )
    progress_return.refresh_from_db()
    progress_return.pledge = pledge
    return _one_return_out(progress_return)


@router.get(
    "/returns/{return_id}",
    response=ProgressReturnOut,
    summary="One progress return (the owning council sees it once it is sent)",
)
def return_detail(request: HttpRequest, return_id: int) -> ProgressReturnOut:
    progress_return, _ = progress_return_for_user(request, return_id)
    return _one_return_out(progress_return)


@router.post(
    "/returns/{return_id}/review",
    response=ProgressReturnOut,
    summary="A coordinator accepts a sent return (with the figure accepted, up to the figure "
    "reported) or queries it",
)
def return_review(request: HttpRequest, return_id: int, payload: ReviewIn) -> ProgressReturnOut:
    progress_return, access = progress_return_for_user(request, return_id)
    _forbidden(access.require_coordinator)
    with validation_errors_as_422():
        services.progress_return_review(
            progress_return=progress_return,
            decision=payload.decision,
            reviewed_quantity=payload.reviewed_quantity
            if progress_return.pledge.kind == PledgeKind.TARGET
            else None,
            note=payload.note,
            by=request_user(request),
        )
    progress_return.refresh_from_db()
    return _one_return_out(progress_return)


@router.get(
    "/networks/{network_id}",
    response=dict[str, Any],
    summary="An anchor network's figures for a financial year ('2024-25'): each member's where "
    "it shares them by name, and combined where enough members contribute (members only)",
)
def network_figures(request: HttpRequest, network_id: int, year: str = "") -> dict[str, Any]:
    access = joined_network_for_user(request, network_id)
    view = selectors.network_view(access.network, year or None)
    return exports.network_data(view, named=True)


@router.get(
    "/region",
    response=dict[str, Any],
    summary="The combined authority's region: each council that shares with it, side by side "
    "and in total, from what it shares (combined authorities only)",
)
def region(request: HttpRequest, year: str = "") -> dict[str, Any]:
    membership = combined_authority_membership(request)
    view = selectors.region_view(membership.organisation, financial_year=year or None)
    return exports.region_data(view)
