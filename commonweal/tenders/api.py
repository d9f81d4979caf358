"""JSON API for tenders: a bidder's own offer (update and submit), every council-side step of
the evaluation (issue, open, assign, declare, score, moderate, enter marks, confirm, sign off,
award) so a council can script and test its process, the evaluation and the signed-off results.

The same access helpers, services and seal as the pages, so the API and the pages say the
same thing: a council never receives anything about offers before opening (not even how many
there are); whoever declares a conflict of interest gets 404 for the tender's offers, exactly
as before opening; a supplier only ever sees its own offer; results for the whole council only
after sign-off.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from commonweal.accounts.access import request_user, require_council_admin
from commonweal.accounts.models import Membership, User
from commonweal.commissioning.access import procurement_for_user, require_planner
from commonweal.commissioning.models import WrittenQuestion
from commonweal.commissioning.selectors import issue_problems
from commonweal.core.api import validation_errors_as_422
from commonweal.tenders import services
from commonweal.tenders.access import (
    assignment_of,
    own_offer,
    require_manager,
    signed_off_tender,
    submitted_offer_for_council,
    supplier_membership,
    tender_by_share_token,
    tender_for_council_member,
    tender_for_declaring,
    tender_with_offers,
)
from commonweal.tenders.evaluation import BidderResult, method_summary
from commonweal.tenders.models import EvaluatorAssignment, Offer, Tender
from commonweal.tenders.selectors import (
    bidders,
    evaluation_record,
    evaluation_settings,
    tender_evaluation,
    tenders_for_supplier,
    value_draft,
)

T = TypeVar("T")

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


class OfferLineOut(Schema):
    measure_code: str
    contract_year: int
    quantity: Decimal
    people: str
    activity: str


class OfferFindingOut(Schema):
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
    lines: list[OfferLineOut]
    answers: dict[int, str]
    workforce_fte: Decimal | None
    social_value_total: Decimal | None
    findings: list[OfferFindingOut]
    rules_not_applied: dict[str, str]
    """Rules that could not run, with why (for example, no workforce given)."""
    submissions: list[SubmissionOut]


class ModerationOut(Schema):
    set_aside: bool
    reason: str
    by: str
    at: datetime


class ResultLineOut(Schema):
    measure_code: str
    contract_year: int
    unit: str
    offered_quantity: Decimal
    offered_value: Decimal | None
    """None for record-only and qualitative measures, which are never valued in pounds."""
    evaluated_quantity: Decimal
    evaluated_value: Decimal | None
    moderation: ModerationOut | None
    """Why the evaluated quantity differs from the offered one; None when it does not."""
    working: str


class ResultFindingOut(Schema):
    rule_code: str
    severity: str
    """error, warning or implausible."""
    message: str
    """Names the figures that triggered it."""
    applies_to: str
    """"offered" (the offer as made) or "evaluated" (after moderation)."""


class ConfirmationOut(Schema):
    reason: str
    by: str
    at: datetime


class ScoreOut(Schema):
    marks: Decimal
    out_of: Decimal
    working: str


class ResultOut(Schema):
    rank: int | None
    bidder: str
    submission_reference: str
    social_value_total: Decimal
    """As evaluated: the value that was scored (the same as social_value_evaluated)."""
    social_value_offered: Decimal
    social_value_evaluated: Decimal
    offered_value_per_pound: Decimal | None
    evaluated_value_per_pound: Decimal | None
    offered_percent_of_contract: Decimal | None
    evaluated_percent_of_contract: Decimal | None
    implausible_as_offered: bool
    implausible_as_evaluated: bool
    value_confirmed: ConfirmationOut | None
    lines: list[ResultLineOut]
    findings: list[ResultFindingOut]
    rules_applied: list[str]
    rules_fired: list[str]
    rules_not_applied: dict[str, str]
    social_value_offer_marks: Decimal | None
    social_value_answers_marks: Decimal | None
    price_marks: Decimal | None
    quality_marks: Decimal | None
    overall: Decimal | None
    scores: dict[str, ScoreOut]
    """Each component's marks with its working: social value offer, social value answers,
    price, quality."""
    overall_working: str
    missing: list[str]
    """What the bidder still needs before it can be ranked."""
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
            OfferLineOut(
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
            OfferFindingOut(rule_code=f.rule_code, severity=f.severity.value, message=f.message)
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
    with validation_errors_as_422():
        services.offer_save_draft(
            offer=offer,
            by=request_user(request),
            quantities=quantities,
            answers=payload.answers,
            workforce_fte=payload.workforce_fte,
            people={m.measure_code: m.people for m in payload.measures},
            activities={m.measure_code: m.activity for m in payload.measures},
        )
    return _offer_out(request, tender_id)


@router.post("/{tender_id}/offer/submit", response=SubmissionOut, summary="Submit your draft")
def submit_offer(request: HttpRequest, tender_id: int) -> SubmissionOut:
    _, offer = own_offer(request_user(request), tender_id)
    with validation_errors_as_422():
        submission = services.offer_submit(offer=offer, by=request_user(request))
    return SubmissionOut(
        number=submission.number,
        reference=submission.reference,
        submitted_at=submission.submitted_at,
    )


def _result_out(r: BidderResult) -> ResultOut:
    findings = [
        ResultFindingOut(
            rule_code=f.rule_code, severity=f.severity.value, message=f.message, applies_to=on
        )
        for on, result in (("offered", r.offered), ("evaluated", r.evaluated))
        if on == "offered" or r.is_moderated
        for f in result.findings
    ]
    scores = {
        name: ScoreOut(marks=score.marks, out_of=score.out_of, working=score.working)
        for name, score in (
            ("social value offer", r.quantitative),
            ("social value answers", r.qualitative),
            ("price", r.price),
            ("quality", r.quality),
        )
        if score is not None
    }
    confirmation = r.bidder.confirmation
    return ResultOut(
        rank=r.rank,
        bidder=r.bidder.name,
        submission_reference=r.bidder.reference,
        social_value_total=r.evaluated.total_value,
        social_value_offered=r.offered.total_value,
        social_value_evaluated=r.evaluated.total_value,
        offered_value_per_pound=r.offered.value_per_pound,
        evaluated_value_per_pound=r.evaluated.value_per_pound,
        offered_percent_of_contract=r.offered.percent_of_contract_value,
        evaluated_percent_of_contract=r.evaluated.percent_of_contract_value,
        implausible_as_offered=bool(r.offered_implausible),
        implausible_as_evaluated=bool(r.implausible),
        value_confirmed=(
            ConfirmationOut(reason=confirmation.reason, by=confirmation.by, at=confirmation.at)
            if confirmation
            else None
        ),
        lines=[
            ResultLineOut(
                measure_code=c.offered.measure_code,
                contract_year=c.offered.contract_year,
                unit=c.offered.unit,
                offered_quantity=c.offered.quantity,
                offered_value=c.offered.value,
                evaluated_quantity=c.evaluated.quantity,
                evaluated_value=c.evaluated.value,
                moderation=(
                    ModerationOut(
                        set_aside=c.moderation.set_aside,
                        reason=c.moderation.reason,
                        by=c.moderation.by,
                        at=c.moderation.at,
                    )
                    if c.moderation
                    else None
                ),
                working=c.evaluated.explanation_text,
            )
            for c in r.comparisons
        ],
        findings=findings,
        rules_applied=list(r.offered.rules_applied),
        rules_fired=list(r.offered.rules_fired),
        rules_not_applied={s.rule_code: s.reason for s in r.offered.rules_skipped},
        social_value_offer_marks=r.quantitative.marks if r.quantitative else None,
        social_value_answers_marks=r.qualitative.marks if r.qualitative else None,
        price_marks=r.price.marks if r.price else None,
        quality_marks=r.quality.marks if r.quality else None,
        overall=r.overall.total if r.overall else None,
        scores=scores,
        overall_working=r.overall.working if r.overall else "",
        missing=list(r.missing),
        tie_note=r.tie_note,
    )


@router.get(
    "/{tender_id}/results",
    response=list[ResultOut],
    summary="Evaluation results, once signed off: offered and evaluated values, findings, "
    "rules and marks with their working",
)
def results(request: HttpRequest, tender_id: int) -> list[ResultOut]:
    tender, _ = signed_off_tender(request_user(request), tender_id)
    return [_result_out(r) for r in tender_evaluation(tender)]


# --- The council's side of the tender, step by step ----------------------------------------


class IssueIn(Schema):
    procurement_id: int
    deadline: datetime


class EvaluatorOut(Schema):
    id: int
    """The assignment's id."""
    person_id: int
    name: str
    active: bool
    replaced_by: int | None


class EvaluatorIn(Schema):
    person_id: int


class ReassignIn(Schema):
    replacement_id: int
    reason: str


class BidderOut(Schema):
    offer_id: int
    bidder: str
    submission_reference: str


class DeclarationIn(Schema):
    conflicted_with: list[int] = []
    """Offer ids of the bidders you have a conflict of interest with; none declares no conflict
    with any of them (allowed only as your first declaration)."""
    details: str = ""


class DeclarationOut(Schema):
    person: str
    bidder: str
    has_conflict: bool
    details: str
    declared_at: datetime


class ScoreIn(Schema):
    question_id: int
    level: str
    rationale: str


class IndependentScoreOut(Schema):
    question_id: int
    level: str
    rationale: str


class ConsensusIn(Schema):
    question_id: int
    level: str
    notes: str


class MarksIn(Schema):
    price_marks: Decimal | None = None
    quality_marks: Decimal | None = None


class LineModerationIn(Schema):
    decision: str
    """reduce, set_aside or restore."""
    evaluated_quantity: Decimal | None = None
    """For reduce: the quantity to evaluate, below the quantity offered."""
    reason: str


class ConfirmIn(Schema):
    reason: str


class SignatureOut(Schema):
    person: str
    signed_at: datetime
    counts: bool


class ReassignmentOut(Schema):
    stood_down: str
    replacement: str
    by: str
    reason: str
    at: datetime


class EvaluationOut(Schema):
    tender_id: int
    signed_off_at: datetime | None
    signatures_needed: int
    signatures_counted: int
    method: list[str]
    results: list[ResultOut]
    declarations: list[DeclarationOut]
    reassignments: list[ReassignmentOut]
    signatures: list[SignatureOut]


class AwardIn(Schema):
    start_date: date
    contract_manager_id: int | None = None


class AwardOut(Schema):
    contract_id: int


def _refused(call: Callable[[], T]) -> T:
    """The services' refusals as HTTP errors: 403 for who may not, 422 for what cannot be."""
    try:
        return call()
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None
    except ValidationError as problem:
        raise HttpError(422, "; ".join(problem.messages)) from None


def _manager(request: HttpRequest, tender_id: int) -> Tender:
    tender, membership = tender_for_council_member(request_user(request), tender_id)
    _refused(lambda: require_manager(membership))
    return tender


def _evaluator_out(assignment: EvaluatorAssignment) -> EvaluatorOut:
    return EvaluatorOut(
        id=assignment.pk,
        person_id=assignment.evaluator_id,
        name=assignment.evaluator.full_name,
        active=assignment.is_active,
        replaced_by=assignment.replaced_by_id,
    )


def _council_member(tender: Tender, person_id: int) -> User:
    person = User.objects.filter(
        pk=person_id, memberships__organisation_id=tender.council_id
    ).first()
    if person is None:
        raise HttpError(422, f"Person {person_id} is not a member of {tender.council.name}")
    return person


@router.post("/", response=TenderOut, summary="Issue the tender of a fully planned procurement")
def issue_tender(request: HttpRequest, payload: IssueIn) -> TenderOut:
    user = request_user(request)
    procurement, membership = procurement_for_user(user, payload.procurement_id)
    _refused(lambda: require_planner(membership))
    problems = issue_problems(procurement)
    if problems:
        raise HttpError(422, "; ".join(str(p) for p in problems))
    tender = _refused(
        lambda: services.tender_issue(procurement=procurement, deadline=payload.deadline, by=user)
    )
    return _tender_out(tender, council_view=True)


@router.post("/{tender_id}/open", response=TenderOut, summary="Open the offers after the deadline")
def open_offers(request: HttpRequest, tender_id: int) -> TenderOut:
    tender = _manager(request, tender_id)
    _refused(lambda: services.tender_open(tender=tender, by=request_user(request)))
    return _tender_out(tender, council_view=True)


@router.get("/{tender_id}/evaluators", response=list[EvaluatorOut], summary="The evaluators")
def list_evaluators(request: HttpRequest, tender_id: int) -> list[EvaluatorOut]:
    tender, _ = tender_for_council_member(request_user(request), tender_id)
    return [_evaluator_out(a) for a in tender.evaluators.select_related("evaluator")]


@router.post("/{tender_id}/evaluators", response=EvaluatorOut, summary="Add an evaluator")
def add_evaluator(request: HttpRequest, tender_id: int, payload: EvaluatorIn) -> EvaluatorOut:
    tender = _manager(request, tender_id)
    person = _council_member(tender, payload.person_id)
    assignment = _refused(
        lambda: services.evaluator_assign(tender=tender, evaluator=person, by=request_user(request))
    )
    return _evaluator_out(assignment)


@router.post(
    "/{tender_id}/evaluators/{assignment_id}/reassign",
    response=EvaluatorOut,
    summary="Stand an evaluator down and give their work to someone else (council admin)",
)
def reassign_evaluator(
    request: HttpRequest, tender_id: int, assignment_id: int, payload: ReassignIn
) -> EvaluatorOut:
    user = request_user(request)
    tender, membership = tender_for_council_member(user, tender_id)
    _refused(lambda: require_council_admin(membership))
    assignment = get_object_or_404(tender.evaluators, pk=assignment_id)
    replacement = _council_member(tender, payload.replacement_id)
    new = _refused(
        lambda: services.evaluator_reassign(
            assignment=assignment, replacement=replacement, reason=payload.reason, by=user
        )
    )
    return _evaluator_out(new)


@router.get(
    "/{tender_id}/bidders",
    response=list[BidderOut],
    summary="Who bid, once the offers are opened: to declare conflicts of interest against",
)
def list_bidders(request: HttpRequest, tender_id: int) -> list[BidderOut]:
    tender, _, _ = _refused(lambda: tender_for_declaring(request_user(request), tender_id))
    return [
        BidderOut(
            offer_id=offer.pk,
            bidder=offer.supplier.name,
            submission_reference=offer.latest_submission().reference,  # type: ignore[union-attr]
        )
        for offer in bidders(tender)
    ]


@router.post(
    "/{tender_id}/declarations",
    response=list[DeclarationOut],
    summary="Declare, about each named bidder, whether you have a conflict of interest",
)
def declare(request: HttpRequest, tender_id: int, payload: DeclarationIn) -> list[DeclarationOut]:
    user = request_user(request)
    tender, _, _ = _refused(lambda: tender_for_declaring(user, tender_id))
    offers = {o.pk: o for o in bidders(tender)}
    unknown = sorted(set(payload.conflicted_with) - set(offers))
    if unknown:
        raise HttpError(422, f"Offers {unknown} are not offers on this tender")
    _refused(
        lambda: services.conflicts_declare(
            tender=tender,
            conflicted_with=[offers[pk] for pk in payload.conflicted_with],
            details=payload.details,
            by=user,
        )
    )
    return [
        DeclarationOut(
            person=d.person,
            bidder=d.bidder,
            has_conflict=d.has_conflict,
            details=d.details,
            declared_at=d.declared_at,
        )
        for d in evaluation_record(tender).declarations
        if d.person == user.full_name
    ]


def _offer(request: HttpRequest, tender_id: int, offer_id: int) -> tuple[Tender, Offer]:
    tender, offer, _, _ = _refused(
        lambda: submitted_offer_for_council(request_user(request), tender_id, offer_id)
    )
    return tender, offer


def _question(tender: Tender, question_id: int) -> WrittenQuestion:
    question = tender.procurement.questions.filter(pk=question_id).first()
    if question is None:
        raise HttpError(422, f"Question {question_id} is not a question of this tender")
    return question


@router.post(
    "/{tender_id}/offers/{offer_id}/scores",
    response=IndependentScoreOut,
    summary="Your independent score of a bidder's written answer (as an evaluator)",
)
def score_answer(
    request: HttpRequest, tender_id: int, offer_id: int, payload: ScoreIn
) -> IndependentScoreOut:
    user = request_user(request)
    tender, offer = _offer(request, tender_id, offer_id)
    assignment = assignment_of(user, tender)
    if assignment is None:
        raise HttpError(403, "Only the tender's evaluators score written answers")
    question = _question(tender, payload.question_id)
    score = _refused(
        lambda: services.answer_score_record(
            assignment=assignment,
            offer=offer,
            question=question,
            level=payload.level,
            rationale=payload.rationale,
            by=user,
        )
    )
    return IndependentScoreOut(
        question_id=question.pk, level=score.level, rationale=score.rationale
    )


@router.post(
    "/{tender_id}/offers/{offer_id}/consensus",
    response=list[ResultOut],
    summary="Record the moderated consensus for a written answer (commissioner or council admin)",
)
def record_consensus(
    request: HttpRequest, tender_id: int, offer_id: int, payload: ConsensusIn
) -> list[ResultOut]:
    tender = _manager(request, tender_id)
    _, offer = _offer(request, tender_id, offer_id)
    question = _question(tender, payload.question_id)
    _refused(
        lambda: services.moderation_record(
            offer=offer,
            question=question,
            level=payload.level,
            notes=payload.notes,
            by=request_user(request),
        )
    )
    return [_result_out(r) for r in tender_evaluation(tender)]


@router.put(
    "/{tender_id}/offers/{offer_id}/marks",
    response=list[ResultOut],
    summary="Enter price and quality marks from the council's tender system",
)
def enter_marks(
    request: HttpRequest, tender_id: int, offer_id: int, payload: MarksIn
) -> list[ResultOut]:
    tender = _manager(request, tender_id)
    _, offer = _offer(request, tender_id, offer_id)
    _refused(
        lambda: services.price_quality_record(
            offer=offer,
            price_marks=payload.price_marks,
            quality_marks=payload.quality_marks,
            by=request_user(request),
        )
    )
    return [_result_out(r) for r in tender_evaluation(tender)]


@router.post(
    "/{tender_id}/offers/{offer_id}/lines/{measure_code}/{contract_year}/moderation",
    response=list[ResultOut],
    summary="Moderate an offer line: evaluate fewer, set it aside, or restore it, with a reason",
)
def moderate_line(
    request: HttpRequest,
    tender_id: int,
    offer_id: int,
    measure_code: str,
    contract_year: int,
    payload: LineModerationIn,
) -> list[ResultOut]:
    user = request_user(request)
    tender, offer = _offer(request, tender_id, offer_id)
    if payload.decision == "restore":
        _refused(
            lambda: services.offer_line_restore(
                offer=offer,
                measure_code=measure_code,
                contract_year=contract_year,
                reason=payload.reason,
                by=user,
            )
        )
    elif payload.decision in ("reduce", "set_aside"):
        if payload.decision == "reduce" and payload.evaluated_quantity is None:
            raise HttpError(422, "Give the evaluated_quantity to reduce the line to")
        _refused(
            lambda: services.offer_line_moderate(
                offer=offer,
                measure_code=measure_code,
                contract_year=contract_year,
                evaluated_quantity=payload.evaluated_quantity or Decimal(0),
                set_aside=payload.decision == "set_aside",
                reason=payload.reason,
                by=user,
            )
        )
    else:
        raise HttpError(422, "decision must be reduce, set_aside or restore")
    return [_result_out(r) for r in tender_evaluation(tender)]


@router.post(
    "/{tender_id}/offers/{offer_id}/confirmation",
    response=list[ResultOut],
    summary="Confirm an implausible offer's value as it stands, with a reason",
)
def confirm_value(
    request: HttpRequest, tender_id: int, offer_id: int, payload: ConfirmIn
) -> list[ResultOut]:
    tender, offer = _offer(request, tender_id, offer_id)
    _refused(
        lambda: services.offer_plausibility_confirm(
            offer=offer, reason=payload.reason, by=request_user(request)
        )
    )
    return [_result_out(r) for r in tender_evaluation(tender)]


def _evaluation_out(tender: Tender) -> EvaluationOut:
    results_now = tender_evaluation(tender)
    record = evaluation_record(tender, results_now)
    return EvaluationOut(
        tender_id=tender.pk,
        signed_off_at=tender.signed_off_at,
        signatures_needed=record.signatures_needed,
        signatures_counted=record.signatures_counted,
        method=method_summary(evaluation_settings(tender)),
        results=[_result_out(r) for r in results_now],
        declarations=[
            DeclarationOut(
                person=d.person,
                bidder=d.bidder,
                has_conflict=d.has_conflict,
                details=d.details,
                declared_at=d.declared_at,
            )
            for d in record.declarations
        ],
        reassignments=[
            ReassignmentOut(
                stood_down=m.stood_down,
                replacement=m.replacement,
                by=m.by,
                reason=m.reason,
                at=m.at,
            )
            for m in record.reassignments
        ],
        signatures=[
            SignatureOut(person=s.person, signed_at=s.signed_at, counts=s.counts)
            for s in record.signatures
        ],
    )


@router.get(
    "/{tender_id}/evaluation",
    response=EvaluationOut,
    summary="The evaluation as it stands, with declarations and signatures (people evaluating)",
)
def evaluation(request: HttpRequest, tender_id: int) -> EvaluationOut:
    tender, _, _ = _refused(lambda: tender_with_offers(request_user(request), tender_id))
    return _evaluation_out(tender)


@router.post(
    "/{tender_id}/sign-off",
    response=EvaluationOut,
    summary="Sign the results; they lock when the council's number of people with no conflict "
    "have signed the same results",
)
def sign_off(request: HttpRequest, tender_id: int) -> EvaluationOut:
    user = request_user(request)
    tender, _, _ = _refused(lambda: tender_with_offers(user, tender_id))
    _refused(lambda: services.evaluation_sign_off(tender=tender, by=user))
    tender.refresh_from_db()
    return _evaluation_out(tender)


@router.post(
    "/{tender_id}/award",
    response=AwardOut,
    summary="Award to the first-ranked offer: its evaluated commitments become the contract's",
)
def award(request: HttpRequest, tender_id: int, payload: AwardIn) -> AwardOut:
    user = request_user(request)
    tender, membership = signed_off_tender(user, tender_id)
    _refused(lambda: require_manager(membership))
    manager = (
        _council_member(tender, payload.contract_manager_id)
        if payload.contract_manager_id is not None
        else None
    )
    contract = _refused(
        lambda: services.tender_award(
            tender=tender, start_date=payload.start_date, contract_manager=manager, by=user
        )
    )
    return AwardOut(contract_id=contract.pk)
