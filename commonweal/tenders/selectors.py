"""Reads shared by tender pages, the API and reports: engine inputs built from stored records."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.commissioning.models import PolicyVersion
from commonweal.commissioning.selectors import chosen_measures
from commonweal.frameworks.engine_inputs import (
    carbon_for_tender,
    deflator_for_version,
    measure_specs_for,
)
from commonweal.tenders.evaluation import (
    BidderInput,
    BidderResult,
    Confirmation,
    Consensus,
    DeclarationLine,
    EvaluationRecord,
    EvaluationSettings,
    IndependentScore,
    Moderation,
    QuestionInfo,
    ReassignmentLine,
    SignatureLine,
    evaluate,
    results_digest,
    value_offer,
)
from commonweal.tenders.models import (
    AnswerScore,
    ConflictDeclaration,
    EvaluationSignature,
    EvaluatorAssignment,
    LineModeration,
    ModeratedScore,
    Offer,
    OfferSubmission,
    PlausibilityConfirmation,
    Tender,
)
from commonweal.valuation import (
    CommitmentLine,
    CountingRule,
    DescriptorScale,
    MeasureSpec,
    ValuationResult,
    offer_rules,
    person_references,
)


def tenders_for_council(council: Organisation) -> QuerySet[Tender]:
    return Tender.objects.filter(council=council).select_related("procurement")


def tenders_for_supplier(supplier_ids: list[int]) -> QuerySet[Tender]:
    return (
        Tender.objects.filter(offers__supplier_id__in=supplier_ids)
        .select_related("procurement", "council")
        .distinct()
    )


MANAGER_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.COMMISSIONER})


def bidders(tender: Tender) -> list[Offer]:
    """The offers with at least one submission. Callers must have passed the seal."""
    return list(
        Offer.objects.filter(tender=tender, submissions__isnull=False)
        .select_related("supplier")
        .distinct()
        .order_by("supplier__name", "pk")
    )


def conflicted_people(tender: Tender) -> set[int]:
    """The ids of everyone who has declared a conflict of interest on the tender."""
    return set(
        ConflictDeclaration.objects.filter(tender=tender, has_conflict=True).values_list(
            "person_id", flat=True
        )
    )


@dataclass(frozen=True)
class Standing:
    """Where one council person stands on one tender's evaluation.

    Managers (commissioners and council admins) and the tender's active evaluators take part.
    Each must declare, about every bidder, whether they have a conflict of interest before they
    read an offer; anyone who declares a conflict is shut out of every offer of the tender.
    """

    is_manager: bool
    assignment: EvaluatorAssignment | None
    """The person's active evaluator assignment, if any."""
    conflicted_with: tuple[str, ...]
    """Bidders the person declared a conflict with ("the tender as a whole" for old rows)."""
    undeclared: tuple[str, ...]
    """Bidders the person has not yet made a declaration about."""

    @property
    def takes_part(self) -> bool:
        return self.is_manager or self.assignment is not None

    @property
    def is_conflicted(self) -> bool:
        return bool(self.conflicted_with)

    @property
    def has_declared(self) -> bool:
        return not self.undeclared

    @property
    def may_evaluate(self) -> bool:
        """May read offers, score, moderate and sign: declared about every bidder, no conflict."""
        return self.takes_part and self.has_declared and not self.is_conflicted


def standing(user: User, tender: Tender, membership: Membership | None = None) -> Standing:
    if membership is None:
        membership = Membership.objects.filter(user=user, organisation_id=tender.council_id).first()
    declarations = list(
        ConflictDeclaration.objects.filter(tender=tender, person=user).select_related(
            "offer__supplier"
        )
    )
    conflicted = tuple(
        d.offer.supplier.name if d.offer else "the tender as a whole"
        for d in declarations
        if d.has_conflict
    )
    declared = {d.offer_id for d in declarations if d.offer_id is not None}
    return Standing(
        is_manager=membership is not None and membership.role in MANAGER_ROLES,
        assignment=EvaluatorAssignment.objects.filter(
            tender=tender, evaluator=user, stood_down_at__isnull=True
        ).first(),
        conflicted_with=conflicted,
        undeclared=tuple(o.supplier.name for o in bidders(tender) if o.pk not in declared)
        if tender.opened_at
        else (),
    )


def measure_specs(tender: Tender) -> dict[str, MeasureSpec]:
    """The specs of the tender's measures, as in the measure set version in force at issue."""
    return measure_specs_for(chosen_measures(tender.procurement))


def descriptor_scale(code: str) -> DescriptorScale:
    return (
        DescriptorScale.zero_to_five() if code == "zero_to_five" else DescriptorScale.percentages()
    )


def offer_rules_for(policy: PolicyVersion) -> tuple[CountingRule, ...]:
    """Every counting and plausibility rule, with the council's settings in the policy version
    the procurement was planned under."""
    cost = policy.annual_cost_per_fte_pence
    return offer_rules(
        implausible_percent=policy.implausible_offer_percent,
        warning_percent=policy.offer_warning_percent,
        measure_percent=policy.measure_share_percent,
        annual_cost_per_fte=Decimal(cost) / 100 if cost else None,
    )


def evaluation_settings(tender: Tender) -> EvaluationSettings:
    procurement = tender.procurement
    carbon = carbon_for_tender(tender.measure_set_version, tender.price_year)
    try:
        values_carbon = any(carbon.applies_to(spec) for spec in measure_specs(tender).values())
    except ValueError:  # a measure the engine cannot use: valuing says so, line by line
        values_carbon = True
    return EvaluationSettings(
        rules=offer_rules_for(procurement.policy_version),
        price_year=tender.price_year,
        deflator=deflator_for_version(tender.measure_set_version),
        carbon=carbon if values_carbon else None,
        contract_value=Decimal(procurement.estimated_value_pence) / 100,
        contract_years=procurement.contract_years,
        quantitative_percent=procurement.social_value_quantitative_percent or Decimal(0),
        qualitative_percent=procurement.social_value_qualitative_percent or Decimal(0),
        price_percent=procurement.price_percent or Decimal(0),
        quality_percent=procurement.quality_percent or Decimal(0),
        scoring_method=procurement.scoring_method,
        target_pence_per_pound=procurement.target_pence_per_pound,
        full_marks_at_percent=procurement.full_marks_at_percent,
        scale=descriptor_scale(procurement.descriptor_scale),
        questions=tuple(
            QuestionInfo(q.pk, number, q.text)
            for number, q in enumerate(procurement.questions.all(), start=1)
        ),
    )


@dataclass(frozen=True)
class OfferRow:
    """One offered quantity as stored, before it becomes an engine line."""

    measure_code: str
    contract_year: int
    quantity: Decimal
    people: str = ""
    activity: str = ""

    @property
    def line_ref(self) -> str:
        return f"{self.measure_code}-Y{self.contract_year}"


def commitment_lines(rows: list[OfferRow]) -> tuple[CommitmentLine, ...]:
    return tuple(
        CommitmentLine(
            line_ref=row.line_ref,
            measure_code=row.measure_code,
            contract_year=row.contract_year,
            quantity=row.quantity,
            person_refs=person_references(row.people),
            activity_ref=row.activity or None,
        )
        for row in rows
        if row.quantity != 0
    )


def draft_rows(offer: Offer) -> list[OfferRow]:
    return [
        OfferRow(line.measure.code, line.contract_year, line.quantity, line.people, line.activity)
        for line in offer.lines.select_related("measure")
    ]


def submission_rows(submission: OfferSubmission) -> list[OfferRow]:
    return [
        OfferRow(
            row["measure_code"],
            int(row["contract_year"]),
            Decimal(row["quantity"]),
            row.get("people", ""),
            row.get("activity", ""),
        )
        for row in submission.lines
    ]


def draft_lines(offer: Offer) -> tuple[CommitmentLine, ...]:
    return commitment_lines(draft_rows(offer))


def submission_lines(submission: OfferSubmission) -> tuple[CommitmentLine, ...]:
    return commitment_lines(submission_rows(submission))


def value_draft(offer: Offer) -> ValuationResult:
    """The live valuation a bidder sees of their own draft."""
    tender = offer.tender
    return value_offer(
        draft_lines(offer),
        measure_specs(tender),
        evaluation_settings(tender),
        workforce_fte=offer.workforce_fte,
    )


def latest_submissions(tender: Tender) -> list[OfferSubmission]:
    """The submission that counts for each offer: the latest. Callers must have passed the seal."""
    latest = []
    for offer in tender.offers.select_related("supplier").prefetch_related("submissions"):
        submissions = sorted(offer.submissions.all(), key=lambda s: s.number)
        if submissions:
            latest.append(submissions[-1])
    return latest


def _unique_names(submissions: list[OfferSubmission]) -> dict[int, str]:
    counts: dict[str, int] = {}
    for s in submissions:
        counts[s.offer.supplier.name] = counts.get(s.offer.supplier.name, 0) + 1
    return {
        s.pk: s.offer.supplier.name
        if counts[s.offer.supplier.name] == 1
        else f"{s.offer.supplier.name} ({s.reference})"
        for s in submissions
    }


def bidder_inputs(tender: Tender) -> list[BidderInput]:
    submissions = latest_submissions(tender)
    names = _unique_names(submissions)
    # Scores and consensus by anyone who has declared a conflict of interest do not count.
    conflicted = conflicted_people(tender)
    independent: dict[tuple[int, int], list[IndependentScore]] = {}
    for score in (
        AnswerScore.objects.filter(offer__tender=tender)
        .exclude(assignment__evaluator_id__in=conflicted)
        .select_related("assignment__evaluator")
    ):
        independent.setdefault((score.offer_id, score.question_id), []).append(
            IndependentScore(score.assignment.evaluator.full_name, score.level, score.rationale)
        )
    moderated = {
        (m.offer_id, m.question_id): m
        for m in ModeratedScore.objects.filter(offer__tender=tender).exclude(
            moderated_by_id__in=conflicted
        )
    }
    question_ids = list(tender.procurement.questions.values_list("pk", flat=True))
    moderations: dict[int, dict[str, Moderation]] = {}
    for m in LineModeration.objects.filter(offer__tender=tender).select_related("moderated_by"):
        moderations.setdefault(m.offer_id, {})[m.line_ref] = Moderation(
            line_ref=m.line_ref,
            evaluated_quantity=m.evaluated_quantity,
            set_aside=m.set_aside,
            reason=m.reason,
            by=m.moderated_by.full_name if m.moderated_by else "",
            at=m.moderated_at,
        )
    confirmations = {
        c.offer_id: Confirmation(
            c.reason, c.confirmed_by.full_name if c.confirmed_by else "", c.confirmed_at
        )
        for c in PlausibilityConfirmation.objects.filter(offer__tender=tender).select_related(
            "confirmed_by"
        )
    }
    inputs = []
    for submission in submissions:
        offer = submission.offer
        consensus = {}
        for question_id in question_ids:
            agreed = moderated.get((offer.pk, question_id))
            consensus[question_id] = Consensus(
                agreed.level if agreed else None,
                agreed.notes if agreed else "",
                tuple(independent.get((offer.pk, question_id), [])),
            )
        inputs.append(
            BidderInput(
                name=names[submission.pk],
                reference=submission.reference,
                submitted_at=submission.submitted_at,
                lines=submission_lines(submission),
                workforce_fte=submission.workforce_fte,
                consensus=consensus,
                price_marks=offer.price_marks,
                quality_marks=offer.quality_marks,
                moderations=moderations.get(offer.pk, {}),
                confirmation=confirmations.get(offer.pk),
            )
        )
    return inputs


def tender_evaluation(tender: Tender) -> list[BidderResult]:
    """Every submitted offer valued, scored and ranked. Callers must have passed the seal."""
    return evaluate(bidder_inputs(tender), measure_specs(tender), evaluation_settings(tender))


def result_for_offer(results: list[BidderResult], offer: Offer) -> BidderResult | None:
    latest = offer.latest_submission()
    for result in results:
        if latest is not None and result.bidder.reference == latest.reference:
            return result
    return None


def evaluation_record(
    tender: Tender, results: list[BidderResult] | None = None
) -> EvaluationRecord:
    """Declarations, reassignments and signatures, for the evaluation pages and the report.

    A signature counts when it is on the results as they stand (locked, once signed off) and
    its signatory had no conflict of interest: at sign-off once locked, or now while open.
    Callers must have passed the seal; `results`, when given, are the tender's evaluation.
    """
    signatures = list(EvaluationSignature.objects.filter(tender=tender).select_related("person"))
    digest = results_digest(results or tender_evaluation(tender)) if signatures else ""
    at_sign_off = set(
        ConflictDeclaration.objects.filter(
            tender=tender, has_conflict=True, declared_at__lte=tender.signed_off_at
        ).values_list("person_id", flat=True)
        if tender.signed_off_at
        else ()
    )
    signed = [
        SignatureLine(
            s.person.full_name,
            s.signed_at,
            s.results_digest == digest
            and (
                s.person_id not in at_sign_off
                if tender.signed_off_at
                else standing(s.person, tender).may_evaluate
            ),
        )
        for s in signatures
    ]
    return EvaluationRecord(
        declarations=tuple(
            DeclarationLine(
                person=d.person.full_name,
                bidder=d.offer.supplier.name if d.offer else "the tender as a whole",
                has_conflict=d.has_conflict,
                details=d.details,
                declared_at=d.declared_at,
            )
            for d in ConflictDeclaration.objects.filter(tender=tender)
            .select_related("person", "offer__supplier")
            .order_by("person__full_name", "offer__supplier__name", "pk")
        ),
        reassignments=tuple(
            ReassignmentLine(
                stood_down=a.evaluator.full_name,
                replacement=a.replaced_by.evaluator.full_name if a.replaced_by else "",
                by=a.stood_down_by.full_name if a.stood_down_by else "",
                reason=a.stood_down_reason,
                at=a.stood_down_at,
            )
            for a in tender.evaluators.filter(stood_down_at__isnull=False)
            .select_related("evaluator", "stood_down_by", "replaced_by__evaluator")
            .order_by("stood_down_at")
            if a.stood_down_at is not None
        ),
        signatures=tuple(signed),
        signatures_needed=tender.procurement.policy_version.sign_off_people,
    )


@dataclass(frozen=True)
class PanelMember:
    name: str
    status: str
    conflicted: bool


def evaluation_panel(tender: Tender) -> list[PanelMember]:
    """Everyone on the tender's evaluation, with what they declared, for the tender page."""
    declarations: dict[int, list[ConflictDeclaration]] = {}
    for d in ConflictDeclaration.objects.filter(tender=tender).select_related("offer__supplier"):
        declarations.setdefault(d.person_id, []).append(d)
    offers = bidders(tender) if tender.opened_at else []
    members = []
    seen: set[int] = set()
    for a in tender.evaluators.select_related("evaluator", "replaced_by__evaluator"):
        seen.add(a.evaluator_id)
        members.append(_member(a.evaluator, declarations.get(a.evaluator_id, []), offers, a))
    for person in User.objects.filter(pk__in=set(declarations) - seen).order_by("full_name"):
        members.append(_member(person, declarations[person.pk], offers, None))
    return members


def _member(
    person: User,
    declared: list[ConflictDeclaration],
    offers: list[Offer],
    assignment: EvaluatorAssignment | None,
) -> PanelMember:
    conflicts = [
        d.offer.supplier.name if d.offer else "the tender" for d in declared if d.has_conflict
    ]
    about = {d.offer_id for d in declared if d.offer_id}
    if conflicts:
        status = (
            f"declared a conflict of interest with {', '.join(conflicts)}; excluded from the "
            "offers and takes no part"
        )
    elif not offers:
        status = "declares about each bidder once the offers are opened"
    elif all(o.pk in about for o in offers):
        status = "declared no conflict with any bidder"
    else:
        status = "has not yet declared"
    if assignment is not None and assignment.stood_down_at is not None:
        replacement = assignment.replaced_by.evaluator.full_name if assignment.replaced_by else ""
        status += f"; stood down, {replacement} evaluates instead"
    role = "evaluator" if assignment is not None else "commissioner"
    return PanelMember(f"{person.full_name} ({role})", status, bool(conflicts))
