"""Benchmark: evaluate a whole tender the way the tenders app does, and write its report.

Generates B bidders each offering every one of N invented monetised measures in every one of Y
contract years, with agreed scores for two written questions and price and quality scores,
then times, through commonweal.tenders.evaluation (the code behind the evaluation pages):
valuation of every offer with the counting rules, scoring (relative to best, target, or % of
contract value), weighting and ranking; then the evaluation report as CSV and as DOCX.
Target: under 1 s in all for 50 bidders × 100 measures × 5 years.

    .venv/bin/python benchmarks/bench_tender_evaluation.py            # 50 × 100 × 5
    .venv/bin/python benchmarks/bench_tender_evaluation.py --small    # CI smoke run
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from commonweal.tenders.evaluation import (
    BidderInput,
    Consensus,
    EvaluationSettings,
    IndependentScore,
    QuestionInfo,
    evaluate,
    method_summary,
    report_csv,
    report_docx,
)
from commonweal.valuation import (
    CommitmentLine,
    DeflatorSeries,
    DescriptorScale,
    MeasureSpec,
    ProxyValue,
    ValueType,
)

CONTRACT_VALUE = Decimal("2500000")
DEFLATOR = DeflatorSeries(
    {2021: Decimal("100.0"), 2026: Decimal("121.9")},
    "Benchmark deflators (invented)",
    "",
    "CC0-1.0",
)
QUESTIONS = (
    QuestionInfo(1, 1, "How will you deliver?"),
    QuestionInfo(2, 2, "How will you report?"),
)
LEVELS = ("0", "25", "50", "75", "100")


def make_measures(count: int, rng: random.Random) -> dict[str, MeasureSpec]:
    return {
        f"M{index:03d}": MeasureSpec(
            code=f"M{index:03d}",
            title=f"Invented measure {index}",
            unit="units",
            value_type=ValueType.MONETISED,
            theme=f"Theme {index % 5}",
            outcome=f"Outcome {index % 18}",
            proxy=ProxyValue(
                Decimal(rng.randint(100, 3_000_000)) / 100,
                2021,
                "Benchmark proxies (invented)",
                "",
                "CC0-1.0",
            ),
        )
        for index in range(count)
    }


def make_bidder(number: int, codes: list[str], years: int, rng: random.Random) -> BidderInput:
    lines = tuple(
        CommitmentLine(f"{code}-Y{year}", code, year, Decimal(rng.randint(0, 5000)) / 10)
        for code in codes
        for year in range(1, years + 1)
    )
    consensus = {
        q.id: Consensus(
            rng.choice(LEVELS),
            "Agreed at moderation",
            (
                IndependentScore("Evaluator A", rng.choice(LEVELS), "Rationale"),
                IndependentScore("Evaluator B", rng.choice(LEVELS), "Rationale"),
            ),
        )
        for q in QUESTIONS
    }
    return BidderInput(
        name=f"Bidder {number:02d}",
        reference=f"CW-BENCH-{number:04d}",
        submitted_at=datetime(2026, 11, 1, 12, tzinfo=UTC) - timedelta(minutes=number),
        lines=lines,
        consensus=consensus,
        price_marks=Decimal(rng.randint(0, 4000)) / 100,
        quality_marks=Decimal(rng.randint(0, 4000)) / 100,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bidders", type=int, default=50)
    parser.add_argument("--measures", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument(
        "--method",
        choices=["relative_to_best", "target", "percent_of_contract"],
        default="relative_to_best",
    )
    parser.add_argument(
        "--small", action="store_true", help="3 bidders × 6 measures × 2 years, for CI"
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.small:
        args.bidders, args.measures, args.years = 3, 6, 2

    rng = random.Random(args.seed)
    measures = make_measures(args.measures, rng)
    bidders = [make_bidder(n, list(measures), args.years, rng) for n in range(args.bidders)]
    settings = EvaluationSettings(
        price_year=2026,
        deflator=DEFLATOR,
        contract_value=CONTRACT_VALUE,
        contract_years=args.years,
        quantitative_percent=Decimal(10),
        qualitative_percent=Decimal(10),
        price_percent=Decimal(40),
        quality_percent=Decimal(40),
        scoring_method=args.method,
        target_pence_per_pound=Decimal(25),
        full_marks_at_percent=Decimal(20),
        scale=DescriptorScale.percentages(),
        questions=QUESTIONS,
    )
    lines = sum(len(b.lines) for b in bidders)

    started = time.perf_counter()
    results = evaluate(bidders, measures, settings)
    evaluated = time.perf_counter()
    csv_text = report_csv(results)
    csv_done = time.perf_counter()
    docx = report_docx(
        title="Benchmark tender",
        council="Benchmark council",
        reference="CW-BENCH",
        results=results,
        method=method_summary(settings),
    )
    finished = time.perf_counter()

    total = finished - started
    print(
        f"bidders={args.bidders} measures={args.measures} years={args.years} lines={lines} method={args.method}"
    )
    print(
        f"valuation + scoring + ranking: {(evaluated - started) * 1000:.1f} ms ({lines / (evaluated - started):,.0f} lines/s)"
    )
    print(f"report CSV: {(csv_done - evaluated) * 1000:.1f} ms ({len(csv_text) / 1024:,.0f} KiB)")
    print(f"report DOCX: {(finished - csv_done) * 1000:.1f} ms ({len(docx) / 1024:,.0f} KiB)")
    print(f"total: {total * 1000:.1f} ms (target < 1000 ms: {'met' if total < 1 else 'NOT met'})")
    winner = results[0]
    print(
        f"winner: {winner.bidder.name}, overall {winner.overall.total if winner.overall else '—'} of 100"
    )


if __name__ == "__main__":
    main()
