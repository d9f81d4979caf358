"""JSON API for tenders, a bidder's own offer (update and submit), and signed-off results.

The same access rules and the same seal as the pages: a council never receives anything about
offers before opening (not even how many there are); a supplier only ever sees its own offer;
evaluation results are returned only after sign-off.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from commonweal.accounts.access import request_user
from commonweal.accounts.models import Membership
from commonweal.tenders import services
from commonweal.tenders.access import (
    own_offer,
    signed_off_tender,
    supplier_membership,
    tender_by_share_token,
    tender_for_council_member,
)
from commonweal.tenders.models import Tender
from commonweal.tenders.selectors import tender_evaluation, tenders_for_supplier, value_draft

router = Router()


class TenderOut(Schema):
    id: int
    reference: str
    title: str
    council: str
    deadline: datetime
    status: str
    offers_submitted: int | None
    """None while the offers are sealed."""


class LineIn(Schema):
    measure_code: str
    contract_year: int
    quantity: Decimal


class MeasureDetailIn(Schema):
    measure_code: str
    people: str = ""
    """Your references for the people a job measure's lines are about, comma separated, never
    names."""
    activity: str = ""
    """The activity or programme behind the measure's lines."""


class OfferIn(Schema):
    lines: list[LineIn]
    answers: dict[int, str] = {}
    workforce_fte: Decimal | None = None
    """The workforce delivering the contract in full-time equivalents; needed to submit when
    the offer has volunteering or training hours."""
    measures: list[MeasureDetailIn] = []


class LineOut(Schema):
    measure_code: str
    contract_year: int
    quantity: Decimal
    people: str
    activity: str


class FindingOut(Schema):
    rule_code: str
    severity: str
    message: str


class SubmissionOut(Schema):
    number: int
    reference: str
    submitted_at: datetime


class OfferOut(Schema):
    tender_id: int
    supplier: str
    lines: list[LineOut]
    answers: dict[int, str]
    workforce_fte: Decimal | None
    social_value_total: Decimal | None
    findings: list[FindingOut]
    rules_not_applied: dict[str, str]
    """Rules that could not run, with why (for example, no workforce given)."""
    submissions: list[SubmissionOut]


class ResultOut(Schema):
    rank: int | None
    bidder: str
    submission_reference: str
    social_value_total: Decimal
    social_value_offer_marks: Decimal | None
    social_value_answers_marks: Decimal | None
    price_marks: Decimal | None
    quality_marks: Decimal | None
    overall: Decimal | None
    tie_note: str


def _tender_out(tender: Tender, *, council_view: bool) -> TenderOut:
    count = None
    if council_view and tender.opened_at is not None:
        count = tender.offers.filter(submissions__isnull=False).distinct().count()
    return TenderOut(
        id=tender.pk,
        reference=tender.reference,
        title=tender.title,
        council=tender.council.name,
        deadline=tender.deadline,
        status=tender.status,
        offers_submitted=count,
    )


@router.get(
    "/", response=list[TenderOut], summary="Tenders of your councils, and those you bid for"
)
def list_tenders(request: HttpRequest) -> list[TenderOut]:
    user = request_user(request)
    councils = Membership.objects.filter(
        user=user, organisation__kind__in=["council", "combined_authority"]
    )
    tenders = [
        _tender_out(t, council_view=True)
        for t in Tender.objects.filter(
            council_id__in=councils.values("organisation_id")
        ).select_related("procurement", "council")
    ]
    tenders += [
        _tender_out(t, council_view=False) for t in tenders_for_supplier(supplier_membership(user))
    ]
    return tenders


@router.get("/{tender_id}", response=TenderOut, summary="One tender")
def get_tender(request: HttpRequest, tender_id: int) -> TenderOut:
    user = request_user(request)
    if supplier_membership(user):
        tender, _ = own_offer(user, tender_id)
        return _tender_out(tender, council_view=False)
    tender, _ = tender_for_council_member(user, tender_id)
    return _tender_out(tender, council_view=True)


def _offer_out(request: HttpRequest, tender_id: int) -> OfferOut:
    tender, offer = own_offer(request_user(request), tender_id)
    try:
        valuation = value_draft(offer)
    except ValueError:
        valuation = None
    return OfferOut(
        tender_id=tender.pk,
        supplier=offer.supplier.name,
        lines=[
            LineOut(
                measure_code=line.measure.code,
                contract_year=line.contract_year,
                quantity=line.quantity,
                people=line.people,
                activity=line.activity,
            )
            for line in offer.lines.select_related("measure")
        ],
        answers={a.question_id: a.text for a in offer.answers.all()},
        workforce_fte=offer.workforce_fte,
        social_value_total=valuation.total_value if valuation else None,
        findings=[
            FindingOut(rule_code=f.rule_code, severity=f.severity.value, message=f.message)
            for f in (valuation.findings if valuation else ())
        ],
        rules_not_applied={
            s.rule_code: s.reason for s in (valuation.rules_skipped if valuation else ())
        },
        submissions=[
            SubmissionOut(number=s.number, reference=s.reference, submitted_at=s.submitted_at)
            for s in offer.submissions.order_by("number")
        ],
    )


@router.get("/{tender_id}/offer", response=OfferOut, summary="Your own offer on a tender")
def get_offer(request: HttpRequest, tender_id: int) -> OfferOut:
    return _offer_out(request, tender_id)


@router.post(
    "/join/{token}", response=OfferOut, summary="Start your offer on a tender from its share link"
)
def start_offer(request: HttpRequest, token: str) -> OfferOut:

    user = request_user(request)
    tender = tender_by_share_token(token)
    suppliers = Membership.objects.filter(user=user, organisation__kind="supplier").select_related(
        "organisation"
    )
    membership = suppliers.first()
    if membership is None:
        raise HttpError(403, "Only a supplier can make an offer")
    try:
        services.offer_start(tender=tender, supplier=membership.organisation, by=user)
    except ValidationError as problem:
        raise HttpError(409, "; ".join(problem.messages)) from None
    return _offer_out(request, tender.pk)


@router.put(
    "/{tender_id}/offer", response=OfferOut, summary="Replace your draft's quantities and answers"
)
def update_offer(request: HttpRequest, tender_id: int, payload: OfferIn) -> OfferOut:
    _, offer = own_offer(request_user(request), tender_id)
    quantities: dict[tuple[str, int], Decimal | None] = {}
    for line in payload.lines:
        quantities[(line.measure_code, line.contract_year)] = line.quantity
    try:
        services.offer_save_draft(
            offer=offer,
            by=request_user(request),
            quantities=quantities,
            answers=payload.answers,
            workforce_fte=payload.workforce_fte,
            people={m.measure_code: m.people for m in payload.measures},
            activities={m.measure_code: m.activity for m in payload.measures},
        )
    except ValidationError as problem:
        raise HttpError(422, "; ".join(problem.messages)) from None
    return _offer_out(request, tender_id)


@router.post("/{tender_id}/offer/submit", response=SubmissionOut, summary="Submit your draft")
def submit_offer(request: HttpRequest, tender_id: int) -> SubmissionOut:
    _, offer = own_offer(request_user(request), tender_id)
    try:
        submission = services.offer_submit(offer=offer, by=request_user(request))
    except ValidationError as problem:
        raise HttpError(422, "; ".join(problem.messages)) from None
    return SubmissionOut(
        number=submission.number,
        reference=submission.reference,
        submitted_at=submission.submitted_at,
    )


@router.get(
    "/{tender_id}/results", response=list[ResultOut], summary="Evaluation results, once signed off"
)
def results(request: HttpRequest, tender_id: int) -> list[ResultOut]:
    tender, _ = signed_off_tender(request_user(request), tender_id)
    return [
        ResultOut(
            rank=r.rank,
            bidder=r.bidder.name,
            submission_reference=r.bidder.reference,
            social_value_total=r.evaluated.total_value,
            social_value_offer_marks=r.quantitative.marks if r.quantitative else None,
            social_value_answers_marks=r.qualitative.marks if r.qualitative else None,
            price_marks=r.price.marks if r.price else None,
            quality_marks=r.quality.marks if r.quality else None,
            overall=r.overall.total if r.overall else None,
            tie_note=r.tie_note,
        )
        for r in tender_evaluation(tender)
    ]
