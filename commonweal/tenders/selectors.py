"""Reads shared by tender pages, the API and reports: engine inputs built from stored records."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from commonweal.accounts.models import Organisation
from commonweal.commissioning.selectors import chosen_measures
from commonweal.frameworks.engine_inputs import deflator_series_for, measure_specs_for
from commonweal.tenders.evaluation import (
    BidderInput,
    BidderResult,
    Consensus,
    EvaluationSettings,
    IndependentScore,
    QuestionInfo,
    evaluate,
    value_offer,
)
from commonweal.tenders.models import (
    AnswerScore,
    ModeratedScore,
    Offer,
    OfferSubmission,
    Tender,
)
from commonweal.valuation import CommitmentLine, DescriptorScale, MeasureSpec, ValuationResult


def tenders_for_council(council: Organisation) -> QuerySet[Tender]:
    return Tender.objects.filter(council=council).select_related("procurement")


def tenders_for_supplier(supplier_ids: list[int]) -> QuerySet[Tender]:
    return (
        Tender.objects.filter(offers__supplier_id__in=supplier_ids)
        .select_related("procurement", "council")
        .distinct()
    )


def measure_specs(tender: Tender) -> dict[str, MeasureSpec]:
    """The specs of the tender's measures, as in the measure set version in force at issue."""
    return measure_specs_for(chosen_measures(tender.procurement))


def descriptor_scale(code: str) -> DescriptorScale:
    return (
        DescriptorScale.zero_to_five() if code == "zero_to_five" else DescriptorScale.percentages()
    )


def evaluation_settings(tender: Tender) -> EvaluationSettings:
    procurement = tender.procurement
    deflator = tender.measure_set_version.deflator
    return EvaluationSettings(
        price_year=tender.price_year,
        deflator=deflator_series_for(deflator) if deflator else None,
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


def commitment_lines(rows: list[tuple[str, int, Decimal]]) -> tuple[CommitmentLine, ...]:
    return tuple(
        CommitmentLine(
            line_ref=f"{code}-Y{year}", measure_code=code, contract_year=year, quantity=qty
        )
        for code, year, qty in rows
        if qty != 0
    )


def draft_lines(offer: Offer) -> tuple[CommitmentLine, ...]:
    return commitment_lines(
        [
            (line.measure.code, line.contract_year, line.quantity)
            for line in offer.lines.select_related("measure")
        ]
    )


def submission_lines(submission: OfferSubmission) -> tuple[CommitmentLine, ...]:
    return commitment_lines(
        [
            (row["measure_code"], int(row["contract_year"]), Decimal(row["quantity"]))
            for row in submission.lines
        ]
    )


def value_draft(offer: Offer) -> ValuationResult:
    """The live valuation a bidder sees of their own draft."""
    tender = offer.tender
    return value_offer(draft_lines(offer), measure_specs(tender), evaluation_settings(tender))


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
    independent: dict[tuple[int, int], list[IndependentScore]] = {}
    for score in AnswerScore.objects.filter(offer__tender=tender).select_related(
        "assignment__evaluator"
    ):
        independent.setdefault((score.offer_id, score.question_id), []).append(
            IndependentScore(score.assignment.evaluator.full_name, score.level, score.rationale)
        )
    moderated = {
        (m.offer_id, m.question_id): m for m in ModeratedScore.objects.filter(offer__tender=tender)
    }
    question_ids = list(tender.procurement.questions.values_list("pk", flat=True))
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
                consensus=consensus,
                price_marks=offer.price_marks,
                quality_marks=offer.quality_marks,
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
