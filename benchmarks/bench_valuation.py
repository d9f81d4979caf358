"""Benchmark: value every bidder's offer and score the tender.

Generates a framework of N invented monetised measures (proxies in 2021 prices, re-based to
2025), B bidders each offering every measure in every one of Y contract years, then values each
offer (with the default counting rules), scores it relative to the best offer or against a
target, adds a qualitative score, combines with price and quality and ranks the bidders.

    .venv/bin/python benchmarks/bench_valuation.py --bidders 50 --measures 100 --years 5
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from commonweal.valuation import (
    CommitmentLine,
    DeflatorSeries,
    DescriptorScale,
    MeasureSpec,
    ProxyValue,
    RankingEntry,
    Score,
    SocialValueWeighting,
    ValueType,
    WeightedComponent,
    overall_score,
    rank_bidders,
    score_against_target,
    score_relative_to_best,
    value_commitments,
)

CONTRACT_VALUE = Decimal("2500000")
DEFLATOR = DeflatorSeries(
    {2021: Decimal("100.0"), 2025: Decimal("118.4")},
    "Benchmark deflators (invented)",
    "",
    "CC0-1.0",
)


def make_measures(count: int, rng: random.Random) -> dict[str, MeasureSpec]:
    measures = {}
    for index in range(count):
        code = f"M{index:03d}"
        measures[code] = MeasureSpec(
            code=code,
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
    return measures


def make_offer(measure_codes: list[str], years: int, rng: random.Random) -> list[CommitmentLine]:
    return [
        CommitmentLine(
            line_ref=f"{code}-Y{year}",
            measure_code=code,
            contract_year=year,
            quantity=Decimal(rng.randint(0, 5000)) / 10,
            deadweight=Decimal(rng.randint(0, 30)) / 100,
            attribution=Decimal(rng.randint(50, 100)) / 100,
        )
        for code in measure_codes
        for year in range(1, years + 1)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bidders", type=int, default=50)
    parser.add_argument("--measures", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--method",
        choices=["relative", "target"],
        default="relative",
        help="quantitative scoring: relative to best offer, or against a 50p per £1 target",
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    measures = make_measures(args.measures, rng)
    codes = list(measures)
    offers = {f"Bidder {n:02d}": make_offer(codes, args.years, rng) for n in range(args.bidders)}
    line_count = sum(len(lines) for lines in offers.values())

    started = time.perf_counter()
    results = {
        bidder: value_commitments(
            lines,
            measures,
            price_year=2025,
            deflator=DEFLATOR,
            contract_value=CONTRACT_VALUE,
            contract_years=args.years,
        )
        for bidder, lines in offers.items()
    }
    valued = time.perf_counter()

    weighting = SocialValueWeighting(Decimal("20"), Decimal("0.5"))
    relative = score_relative_to_best(
        {bidder: result.total_value for bidder, result in results.items()},
        available_marks=Decimal("10"),
    )
    scale = DescriptorScale.percentages()
    deadline = datetime(2025, 6, 30, 12, tzinfo=UTC)
    entries = []
    for position, (bidder, result) in enumerate(results.items()):
        quantitative = (
            relative[bidder]
            if args.method == "relative"
            else score_against_target(
                social_value=result.total_value,
                contract_value=CONTRACT_VALUE,
                target_pence_per_pound=Decimal("50"),
                available_marks=Decimal("10"),
            )
        )
        overall = overall_score(
            [
                WeightedComponent(
                    "price",
                    Score(Decimal(rng.randint(50, 100)), Decimal("100"), "price", ""),
                    Decimal("60"),
                ),
                WeightedComponent(
                    "quality",
                    Score(Decimal(rng.randint(5, 20)), Decimal("20"), "quality", ""),
                    Decimal("20"),
                ),
                WeightedComponent(
                    "social value (quantitative)",
                    quantitative,
                    weighting.quantitative_percent,
                ),
                WeightedComponent(
                    "social value (qualitative)",
                    scale.score(
                        rng.choice(["0", "25", "50", "75", "100"]), available_marks=Decimal("10")
                    ),
                    weighting.qualitative_percent,
                ),
            ]
        )
        entries.append(
            RankingEntry(
                bidder, overall.total, result.total_value, deadline - timedelta(minutes=position)
            )
        )
    ranking = rank_bidders(entries)
    finished = time.perf_counter()

    valuing_s = valued - started
    total_ms = (finished - started) * 1000
    print(f"bidders={args.bidders} measures={args.measures} years={args.years} lines={line_count}")
    print(f"valuation: {valuing_s * 1000:.1f} ms, {line_count / valuing_s:,.0f} lines/s")
    print(f"scoring and ranking: {(finished - valued) * 1000:.1f} ms")
    print(f"total: {total_ms:.1f} ms")
    winner = ranking[0]
    print(f"winner: {winner.entry.bidder} with {winner.entry.overall} of 100")


if __name__ == "__main__":
    main()
