"""Evaluate a tender's offers: value, score, weight, rank; and write the evaluation report.

Plain dataclasses in, plain dataclasses out, so that the same code serves the pages, the
report downloads and the benchmark. The arithmetic itself is the valuation engine's.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from docx import Document

from commonweal import valuation
from commonweal.core import exports
from commonweal.valuation import (
    CommitmentLine,
    CountingRule,
    DeflatorSeries,
    DescriptorScale,
    Finding,
    LineValuation,
    MeasureSpec,
    OverallScore,
    Score,
    Severity,
    ValuationResult,
    WeightedComponent,
)

RELATIVE_TO_BEST = "relative_to_best"
TARGET = "target"
PERCENT_OF_CONTRACT = "percent_of_contract"
ZERO = Decimal(0)


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    number: int
    text: str


@dataclass(frozen=True)
class IndependentScore:
    evaluator: str
    level: str
    rationale: str


@dataclass(frozen=True)
class Consensus:
    level: str | None
    notes: str
    independent: tuple[IndependentScore, ...] = ()


@dataclass(frozen=True)
class EvaluationSettings:
    price_year: int
    deflator: DeflatorSeries | None
    contract_value: Decimal
    contract_years: int
    quantitative_percent: Decimal
    qualitative_percent: Decimal
    price_percent: Decimal
    quality_percent: Decimal
    scoring_method: str
    target_pence_per_pound: Decimal | None
    full_marks_at_percent: Decimal | None
    scale: DescriptorScale
    questions: tuple[QuestionInfo, ...]
    rules: tuple[CountingRule, ...] = valuation.DEFAULT_RULES
    """The counting and plausibility rules, with the council's settings."""
    carbon: valuation.CarbonValuedByDeliveryYear | None = None
    """Values carbon savings by the year they are saved in; None values them at the measure's
    single proxy."""


@dataclass(frozen=True)
class Moderation:
    """An offered line's evaluated quantity, decided by the evaluators with a reason."""

    line_ref: str
    evaluated_quantity: Decimal
    set_aside: bool
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Confirmation:
    """The evaluators' confirmation of an implausible offer's value, with their reason."""

    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class BidderInput:
    name: str
    reference: str
    submitted_at: datetime
    lines: tuple[CommitmentLine, ...]
    workforce_fte: Decimal | None = None
    consensus: Mapping[int, Consensus] = field(default_factory=dict)
    price_marks: Decimal | None = None
    quality_marks: Decimal | None = None
    moderations: Mapping[str, Moderation] = field(default_factory=dict)
    """By line reference."""
    confirmation: Confirmation | None = None

    @property
    def evaluated_lines(self) -> tuple[CommitmentLine, ...]:
        """The offered lines with each moderation's evaluated quantity in place."""
        return tuple(
            replace(line, quantity=self.moderations[line.line_ref].evaluated_quantity)
            if line.line_ref in self.moderations
            else line
            for line in self.lines
        )


UK_TIME = ZoneInfo("Europe/London")


def uk_time(moment: datetime) -> str:
    """Like 7 June 2026 14:05, in UK time (BST in summer), as GOV.UK writes dates: the
    database keeps UTC, and a report that says when someone declared must not be an hour out."""
    local = moment.astimezone(UK_TIME) if moment.tzinfo is not None else moment
    return f"{local.day} {local:%B %Y %H:%M}"


@dataclass(frozen=True)
class DeclarationLine:
    person: str
    bidder: str
    """The bidder named, or "the tender as a whole" for a declaration made before naming."""
    has_conflict: bool
    details: str
    declared_at: datetime


@dataclass(frozen=True)
class ReassignmentLine:
    stood_down: str
    replacement: str
    by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class SignatureLine:
    person: str
    signed_at: datetime
    counts: bool
    """False when the results changed after signing, or the person has since declared a
    conflict: the signature no longer counts towards sign-off."""


@dataclass(frozen=True)
class EvaluationRecord:
    """Who took part in the evaluation, what they declared, who was reassigned and who signed."""

    declarations: tuple[DeclarationLine, ...] = ()
    reassignments: tuple[ReassignmentLine, ...] = ()
    signatures: tuple[SignatureLine, ...] = ()
    signatures_needed: int = 0

    @property
    def conflicts(self) -> tuple[DeclarationLine, ...]:
        return tuple(d for d in self.declarations if d.has_conflict)

    @property
    def signatures_counted(self) -> int:
        return sum(1 for s in self.signatures if s.counts)

    def summary(self) -> list[str]:
        """Plain sentences for the report: declarations, exclusions, reassignments, signatures."""
        lines = []
        people: dict[str, list[DeclarationLine]] = {}
        for declaration in self.declarations:
            people.setdefault(declaration.person, []).append(declaration)
        for person, declared in people.items():
            conflicts = [d for d in declared if d.has_conflict]
            if conflicts:
                for d in conflicts:
                    lines.append(
                        f"{person} declared a conflict of interest with {d.bidder} on "
                        f"{uk_time(d.declared_at)}: {d.details.rstrip('.')}. They were "
                        "excluded from the offers and took no part in scoring, moderation or "
                        "sign-off from then on; any score or consensus they recorded does not "
                        "count."
                    )
            else:
                lines.append(
                    f"{person} declared no conflict of interest with "
                    f"{', '.join(d.bidder for d in declared)}."
                )
        for r in self.reassignments:
            lines.append(
                f"{r.by} stood {r.stood_down} down on {uk_time(r.at)} and assigned "
                f"{r.replacement} instead: {r.reason}"
            )
        for s in self.signatures:
            lines.append(
                f"Signed by {s.person} on {uk_time(s.signed_at)}"
                + (
                    "."
                    if s.counts
                    else " (no longer counts: the results changed since, or "
                    "the signatory has declared a conflict)."
                )
            )
        if self.signatures_needed:
            lines.append(
                f"Sign-off needs {self.signatures_needed} people with no conflict of interest "
                f"signing the same results; {self.signatures_counted} have."
            )
        return lines


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionInfo
    consensus: Consensus
    score: Score | None


@dataclass(frozen=True)
class LineComparison:
    """One line as offered and as evaluated, and why they differ."""

    offered: LineValuation
    evaluated: LineValuation
    moderation: Moderation | None


@dataclass(frozen=True)
class BidderResult:
    bidder: BidderInput
    offered: ValuationResult
    """The offer as the bidder made it, with the rules' findings on it."""
    evaluated: ValuationResult
    """The offer after the evaluators' moderation: what is scored and awarded."""
    quantitative: Score | None
    questions: tuple[QuestionResult, ...]
    qualitative: Score | None
    price: Score | None
    quality: Score | None
    overall: OverallScore | None
    missing: tuple[str, ...]
    rank: int | None = None
    shares_rank: bool = False
    tie_note: str = ""

    @property
    def comparisons(self) -> tuple[LineComparison, ...]:
        evaluated = {line.line_ref: line for line in self.evaluated.lines}
        return tuple(
            LineComparison(
                line, evaluated[line.line_ref], self.bidder.moderations.get(line.line_ref)
            )
            for line in self.offered.lines
        )

    @property
    def is_moderated(self) -> bool:
        return bool(self.bidder.moderations)

    @property
    def implausible(self) -> tuple[Finding, ...]:
        """Findings that make the evaluated offer implausible."""
        return tuple(f for f in self.evaluated.findings if f.severity is Severity.IMPLAUSIBLE)

    @property
    def offered_implausible(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.offered.findings if f.severity is Severity.IMPLAUSIBLE)

    @property
    def plausibility_unresolved(self) -> bool:
        """Implausible as evaluated, and not confirmed: sign-off waits for a decision."""
        return bool(self.implausible) and self.bidder.confirmation is None


def value_offer(
    lines: Sequence[CommitmentLine],
    measures: Mapping[str, MeasureSpec],
    settings: EvaluationSettings,
    *,
    workforce_fte: Decimal | None = None,
) -> ValuationResult:
    return valuation.value_commitments(
        lines,
        measures,
        price_year=settings.price_year,
        deflator=settings.deflator,
        contract_value=settings.contract_value,
        contract_years=settings.contract_years,
        workforce_fte=workforce_fte,
        rules=settings.rules,
        carbon=settings.carbon,
    )


def _quantitative_scores(
    values: Mapping[str, Decimal], settings: EvaluationSettings
) -> dict[str, Score]:
    marks = settings.quantitative_percent
    if settings.scoring_method == RELATIVE_TO_BEST:
        return valuation.score_relative_to_best(values, available_marks=marks)
    if settings.scoring_method == TARGET:
        assert settings.target_pence_per_pound is not None
        return {
            reference: valuation.score_against_target(
                social_value=value,
                contract_value=settings.contract_value,
                target_pence_per_pound=settings.target_pence_per_pound,
                available_marks=marks,
            )
            for reference, value in values.items()
        }
    if settings.scoring_method == PERCENT_OF_CONTRACT:
        assert settings.full_marks_at_percent is not None
        return {
            reference: valuation.score_as_percent_of_contract_value(
                social_value=value,
                contract_value=settings.contract_value,
                full_marks_at_percent=settings.full_marks_at_percent,
                available_marks=marks,
            )
            for reference, value in values.items()
        }
    raise ValueError(f"Unknown scoring method {settings.scoring_method!r}")


def _qualitative(
    bidder: BidderInput, settings: EvaluationSettings
) -> tuple[tuple[QuestionResult, ...], Score | None, list[str]]:
    questions = settings.questions
    if not questions or settings.qualitative_percent <= 0:
        return (), None, []
    share = settings.qualitative_percent / len(questions)
    results, missing = [], []
    for question in questions:
        consensus = bidder.consensus.get(question.id, Consensus(None, ""))
        score = (
            settings.scale.score(consensus.level, available_marks=share)
            if consensus.level is not None
            else None
        )
        if score is None:
            missing.append(f"an agreed score for question {question.number}")
        results.append(QuestionResult(question, consensus, score))
    if missing:
        return tuple(results), None, missing
    marks = sum((r.score.marks for r in results if r.score), ZERO)
    working = "; ".join(
        f"question {r.question.number}: {r.score.working}" for r in results if r.score
    )
    total = Score(
        marks,
        settings.qualitative_percent,
        f"descriptor scale {settings.scale.name}",
        f"{working}; total {marks} of {settings.qualitative_percent} marks",
    )
    return tuple(results), total, []


def _entered(name: str, marks: Decimal | None, out_of: Decimal) -> Score | None:
    if marks is None:
        return None
    return Score(
        marks, out_of, "entered from the council's tender system", f"{name} {marks} of {out_of}"
    )


def evaluate(
    bidders: Sequence[BidderInput],
    measures: Mapping[str, MeasureSpec],
    settings: EvaluationSettings,
) -> list[BidderResult]:
    """Value, score and (when every score is in) rank every bidder."""
    offered = {
        b.reference: value_offer(b.lines, measures, settings, workforce_fte=b.workforce_fte)
        for b in bidders
    }
    # Scores use the evaluated values: one implausible offer, once moderated, no longer sets
    # the best value that every other bidder is scored against.
    evaluated = {
        b.reference: (
            value_offer(b.evaluated_lines, measures, settings, workforce_fte=b.workforce_fte)
            if b.moderations
            else offered[b.reference]
        )
        for b in bidders
    }
    quantitative: dict[str, Score] = {}
    if settings.quantitative_percent > 0 and bidders:
        quantitative = _quantitative_scores(
            {ref: result.total_value for ref, result in evaluated.items()}, settings
        )
    results: list[BidderResult] = []
    for bidder in bidders:
        question_results, qualitative, missing = _qualitative(bidder, settings)
        price = _entered("price", bidder.price_marks, settings.price_percent)
        quality = _entered("quality", bidder.quality_marks, settings.quality_percent)
        if settings.price_percent > 0 and price is None:
            missing.append("a price score")
        if settings.quality_percent > 0 and quality is None:
            missing.append("a quality score")
        overall = None
        if not missing:
            components = [
                WeightedComponent(name, score, weight)
                for name, score, weight in (
                    (
                        "social value offer",
                        quantitative.get(bidder.reference),
                        settings.quantitative_percent,
                    ),
                    ("social value answers", qualitative, settings.qualitative_percent),
                    ("price", price, settings.price_percent),
                    ("quality", quality, settings.quality_percent),
                )
                if weight > 0 and score is not None
            ]
            overall = valuation.overall_score(components)
        results.append(
            BidderResult(
                bidder=bidder,
                offered=offered[bidder.reference],
                evaluated=evaluated[bidder.reference],
                quantitative=quantitative.get(bidder.reference),
                questions=question_results,
                qualitative=qualitative,
                price=price,
                quality=quality,
                overall=overall,
                missing=tuple(missing),
            )
        )
    if results and all(r.overall is not None for r in results):
        results = _ranked(results)
    return results


def _ranked(results: list[BidderResult]) -> list[BidderResult]:
    by_name = {r.bidder.name: r for r in results}
    ranking = valuation.rank_bidders(
        [
            valuation.RankingEntry(
                r.bidder.name,
                r.overall.total if r.overall else ZERO,
                r.evaluated.total_value,
                r.bidder.submitted_at,
            )
            for r in results
        ]
    )
    return [
        BidderResult(
            **{
                **by_name[ranked.entry.bidder].__dict__,
                "rank": ranked.rank,
                "shares_rank": ranked.shares_rank,
                "tie_note": ranked.tie_note,
            }
        )
        for ranked in ranking
    ]


def carbon_method(carbon: valuation.CarbonValuedByDeliveryYear) -> str:
    """The carbon rule in words with the series it reads, for a page or report that shows a
    carbon value."""
    return f"{carbon.rule_text} Source: {carbon.citation}."


def method_summary(settings: EvaluationSettings) -> list[str]:
    weighting = (
        f"Social value offer {settings.quantitative_percent}%, social value written answers "
        f"{settings.qualitative_percent}%, price {settings.price_percent}%, quality "
        f"{settings.quality_percent}%."
    )
    method = {
        RELATIVE_TO_BEST: "The offer's value ÷ the best offer's value × the marks available.",
        TARGET: f"min(1, pence of social value per £1 ÷ the target of "
        f"{settings.target_pence_per_pound}p) × the marks available.",
        PERCENT_OF_CONTRACT: f"min(1, social value as % of contract value ÷ "
        f"{settings.full_marks_at_percent}%) × the marks available.",
    }[settings.scoring_method]
    return [
        weighting,
        f"Social value offer scored: {method}",
        f"Offers valued in {settings.price_year} prices against a contract value of "
        f"{valuation.format_pounds(settings.contract_value)} over {settings.contract_years} "
        "contract year(s), with the measure set version in force when the tender was issued.",
        *([carbon_method(settings.carbon)] if settings.carbon is not None else []),
        f"Written answers scored independently by each evaluator on the {settings.scale.name} "
        "scale, then moderated to a consensus; each question carries an equal share.",
        valuation.TIE_RULE,
    ]


CSV_HEADER = [
    "Rank",
    "Bidder",
    "Submission reference",
    "Submitted at",
    "Row type",
    "Item",
    "Quantity or level",
    "Unit",
    "Value or marks",
    "Working or notes",
]


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def moderation_text(moderation: Moderation) -> str:
    verdict = "set aside" if moderation.set_aside else "reduced"
    return f"{verdict} by {moderation.by} on {moderation.at:%d %B %Y}: {moderation.reason}"


def _ratio_text(result: ValuationResult) -> str:
    if result.value_per_pound is None:
        return ""
    return (
        f"£{result.value_per_pound} per £1 of contract value; {result.percent_of_contract_value}%"
    )


def _value_rows(r: BidderResult) -> list[list[object]]:
    """The rows that say what was offered, what was evaluated and why, and what the rules
    found: the same in the CSV, the Word report, the pages and the API."""
    rows: list[list[object]] = []
    for c in r.comparisons:
        item = f"{c.offered.measure_code} year {c.offered.contract_year}"
        working = c.offered.explanation_text
        if c.moderation is None:
            working += " Evaluated as offered."
        rows.append(
            [
                "offered line",
                item,
                c.offered.quantity,
                c.offered.unit,
                _money(c.offered.value),
                working,
            ]
        )
        if c.moderation is not None:
            rows.append(
                [
                    "evaluated line",
                    item,
                    c.evaluated.quantity,
                    c.evaluated.unit,
                    _money(c.evaluated.value),
                    f"{moderation_text(c.moderation)}. {c.evaluated.explanation_text}",
                ]
            )
    for code, total in r.evaluated.by_measure.items():
        rows.append(["measure total", code, "", "£", _money(total), "as evaluated"])
    rows.append(
        [
            "offered total",
            "social value",
            "",
            "£",
            _money(r.offered.total_value),
            _ratio_text(r.offered),
        ]
    )
    rows.append(
        [
            "evaluated total",
            "social value",
            "",
            "£",
            _money(r.evaluated.total_value),
            _ratio_text(r.evaluated),
        ]
    )
    for label, result in (("finding", r.offered), ("finding as evaluated", r.evaluated)):
        if label == "finding as evaluated" and not r.is_moderated:
            break
        for finding in result.findings:
            rows.append([label, finding.rule_code, finding.severity.value, "", "", finding.message])
    rows.append(["rules applied", "", "", "", "", ", ".join(r.offered.rules_applied)])
    rows.append(["rules fired", "", "", "", "", ", ".join(r.offered.rules_fired)])
    for skipped in r.offered.rules_skipped:
        rows.append(["rule not applied", skipped.rule_code, "", "", "", skipped.reason])
    if r.bidder.confirmation is not None:
        confirmation = r.bidder.confirmation
        rows.append(
            [
                "confirmation",
                "value confirmed as implausible but accepted",
                "",
                "",
                "",
                f"by {confirmation.by} on {confirmation.at:%d %B %Y}: {confirmation.reason}",
            ]
        )
    return rows


def report_csv(results: Sequence[BidderResult], record: EvaluationRecord | None = None) -> str:
    """One row per line, score and finding, so a challenge can be answered from the file alone;
    cells are made safe to open in a spreadsheet (``core.exports``)."""
    return exports.csv_text(_report_rows(results, record))


def _report_rows(
    results: Sequence[BidderResult], record: EvaluationRecord | None = None
) -> list[list[Any]]:
    """The report's rows. Without `record` they hold the results only: what a signature signs."""
    rows: list[list[Any]] = []
    rows.append(CSV_HEADER)
    if record is not None:
        for d in record.declarations:
            rows.append(
                [
                    "",
                    d.bidder,
                    "",
                    d.declared_at.isoformat(),
                    "declaration",
                    d.person,
                    "conflict of interest" if d.has_conflict else "no conflict",
                    "",
                    "",
                    d.details,
                ]
            )
        for moved in record.reassignments:
            rows.append(
                [
                    "",
                    "",
                    "",
                    moved.at.isoformat(),
                    "reassignment",
                    moved.stood_down,
                    moved.replacement,
                    "",
                    "",
                    f"by {moved.by}: {moved.reason}",
                ]
            )
        for sig in record.signatures:
            rows.append(
                [
                    "",
                    "",
                    "",
                    sig.signed_at.isoformat(),
                    "signature",
                    sig.person,
                    "counts" if sig.counts else "does not count",
                    "",
                    "",
                    "",
                ]
            )
    for r in results:
        head = [
            r.rank or "",
            r.bidder.name,
            r.bidder.reference,
            r.bidder.submitted_at.isoformat(),
        ]
        for row in _value_rows(r):
            rows.append([*head, *row])
        for q in r.questions:
            for independent in q.consensus.independent:
                rows.append(
                    [
                        *head,
                        "independent score",
                        f"question {q.question.number} by {independent.evaluator}",
                        independent.level,
                        "",
                        "",
                        independent.rationale,
                    ]
                )
            rows.append(
                [
                    *head,
                    "moderated score",
                    f"question {q.question.number}",
                    q.consensus.level or "",
                    "",
                    q.score.marks if q.score else "",
                    q.consensus.notes,
                ]
            )
        for name, score in (
            ("social value offer", r.quantitative),
            ("social value answers", r.qualitative),
            ("price", r.price),
            ("quality", r.quality),
        ):
            if score is not None:
                rows.append(
                    [*head, "score", name, "", f"of {score.out_of}", score.marks, score.working]
                )
        if r.overall is not None:
            rows.append(
                [
                    *head,
                    "overall",
                    "overall score",
                    "",
                    "of 100",
                    r.overall.total,
                    r.overall.working,
                ]
            )
        if r.tie_note:
            rows.append([*head, "tie", "tie break", "", "", "", r.tie_note])
    return rows


def results_digest(results: Sequence[BidderResult]) -> str:
    """What a signature signs: a digest of the results as the evaluation report states them
    (as CSV, cells exactly as they are: a signature does not depend on how a download is
    made safe for spreadsheets)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_report_rows(results))
    return hashlib.sha256(buffer.getvalue().encode("utf-8")).hexdigest()


def report_docx(
    *,
    title: str,
    council: str,
    reference: str,
    results: Sequence[BidderResult],
    method: Sequence[str],
    record: EvaluationRecord | None = None,
) -> bytes:
    document = Document()
    document.add_heading(f"Evaluation report: {title}", level=0)
    document.add_paragraph(f"{council}. Tender {reference}.")
    document.add_heading("Method", level=1)
    for line in method:
        document.add_paragraph(line)
    if record is not None:
        document.add_heading("Conflicts of interest, reassignments and sign-off", level=1)
        for line in record.summary():
            document.add_paragraph(line)
    document.add_heading("Ranking", level=1)
    table = document.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        (
            "Rank",
            "Bidder",
            "Social value offered",
            "Social value evaluated",
            "Social value marks",
            "Overall of 100",
            "Tie note",
        ),
        strict=True,
    ):
        cell.text = text
    for r in results:
        row = table.add_row().cells
        row[0].text = str(r.rank or "")
        # The same flags as the page's table, so the Word report says why the figures differ.
        flags = [
            label
            for label, shown in (
                ("implausible as offered", r.offered_implausible),
                ("moderated", r.is_moderated),
                ("value confirmed", r.bidder.confirmation is not None),
            )
            if shown
        ]
        row[1].text = r.bidder.name + (f" ({'; '.join(flags)})" if flags else "")
        row[2].text = valuation.format_pounds(r.offered.total_value)
        row[3].text = valuation.format_pounds(r.evaluated.total_value)
        sv = (r.quantitative.marks if r.quantitative else ZERO) + (
            r.qualitative.marks if r.qualitative else ZERO
        )
        row[4].text = str(sv)
        row[5].text = str(r.overall.total) if r.overall else "not complete"
        row[6].text = r.tie_note
    for r in results:
        document.add_heading(f"{r.bidder.name} ({r.bidder.reference})", level=1)
        document.add_paragraph(f"Submitted {uk_time(r.bidder.submitted_at)}.")
        # One paragraph, not a table: python-docx adds table rows slowly, and a tender of 50
        # bidders × 100 measures would take seconds. The CSV has every line in full.
        document.add_paragraph(
            "Value by measure, as evaluated: "
            + "; ".join(f"{code} £{total:,.2f}" for code, total in r.evaluated.by_measure.items())
        )
        document.add_paragraph(
            f"Offered {valuation.format_pounds(r.offered.total_value)} "
            f"({_ratio_text(r.offered) or 'no contract value'}); evaluated "
            f"{valuation.format_pounds(r.evaluated.total_value)} "
            f"({_ratio_text(r.evaluated) or 'no contract value'})."
        )
        for c in r.comparisons:
            if c.moderation is not None:
                document.add_paragraph(
                    f"• {c.offered.measure_code} year {c.offered.contract_year}: offered "
                    f"{c.offered.quantity} {c.offered.unit}, evaluated {c.evaluated.quantity} "
                    f"({moderation_text(c.moderation)})"
                )
        if r.offered.findings:
            document.add_paragraph("Counting and plausibility rule findings on the offer:")
            # Plain "•" lines rather than a list style: setting a paragraph's style in
            # python-docx costs about a millisecond each, too slow for large tenders.
            for finding in r.offered.findings:
                document.add_paragraph(f"• {finding.severity.value}: {finding.message}")
        if r.is_moderated:
            document.add_paragraph(
                "As evaluated: "
                + ("; ".join(f.message for f in r.evaluated.findings) or "no findings")
            )
        if r.offered.rules_skipped:
            document.add_paragraph(
                "Rules not applied: "
                + "; ".join(f"{s.rule_code} ({s.reason})" for s in r.offered.rules_skipped)
            )
        if r.bidder.confirmation is not None:
            c_ = r.bidder.confirmation
            document.add_paragraph(f"Value confirmed by {c_.by} on {c_.at:%d %B %Y}: {c_.reason}")
        for q in r.questions:
            document.add_paragraph(
                f"Question {q.question.number}: agreed level {q.consensus.level or 'not agreed'}"
                f"{f' ({q.score.marks} marks)' if q.score else ''}. Moderation notes: "
                f"{q.consensus.notes or '—'}"
            )
            for independent in q.consensus.independent:
                document.add_paragraph(
                    f"• {independent.evaluator}: {independent.level}. {independent.rationale}",
                )
        for name, score in (
            ("Social value offer", r.quantitative),
            ("Social value answers", r.qualitative),
            ("Price", r.price),
            ("Quality", r.quality),
        ):
            if score is not None:
                document.add_paragraph(f"{name}: {score.marks} of {score.out_of}. {score.working}")
        if r.overall is not None:
            document.add_paragraph(f"Overall: {r.overall.working}")
        if r.tie_note:
            document.add_paragraph(r.tie_note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
