"""Supplier-linkage quality on Sheffield City Council's published spend files.

Truth: Sheffield's "Address Book No." (its creditor number). One record per distinct
published supplier name; names that share a creditor number are one supplier, and so are
creditor numbers that share a name (the council's creditor file holds duplicate
accounts). The creditor number is the truth, so the linkage runs WITHOUT it.

The 2015-07 quarter publishes no creditor numbers: its names take part in the linkage
(as they would in real use) but not in the scoring.

Prints pairwise precision and recall of automatically accepted links, top-1 accuracy
(each name variant in the same cluster as its supplier's canonical name, the one with
the most spend), the share of spend value linked, the review-band size and the runtime.

Run: .venv/bin/python benchmarks/bench_linkage_quality.py [--sample N]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter, defaultdict
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from commonweal.spend_engine.linkage import SupplierRecord, link_suppliers
from commonweal.spend_engine.names import core_supplier_name, normalise_supplier_name

DATA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "spend" / "sheffield" / "clean"
)
REDACTED = "REDACTED PERSONAL DATA"
# file -> (supplier column, amount column, creditor number column or None)
FILES = {
    "2012-10.csv": ("Supplier Name", "Invoiced Value", "Address Book No."),
    "2015-07.csv": ("Supplier", "Value", None),
    "2016-07.csv": ("Supplier Name", "Invoiced Value", "Address Book No."),
}


def _pence(text: str) -> int:
    return int((Decimal(text.strip() or "0") * 100).to_integral_value())


def load_sheffield(data_dir: Path = DATA) -> tuple[list[SupplierRecord], dict[str, str]]:
    """Return one record per distinct supplier name, and the truth cluster of each name
    that has a creditor number."""
    spend: Counter[str] = Counter()
    creditor_numbers: dict[str, set[str]] = defaultdict(set)
    for file_name, (name_column, amount_column, number_column) in FILES.items():
        with (data_dir / file_name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = (row.get(name_column) or "").strip()
                if not name or name == REDACTED:
                    continue
                amount = row.get(amount_column) or "0"
                spend[name] += _pence(amount)
                number = (row.get(number_column) or "").strip() if number_column else ""
                if number:
                    creditor_numbers[name].add(number)
    names = sorted(spend)
    records = [
        SupplierRecord(
            record_id=f"N{index:06d}",
            anchor="sheffield",
            source_supplier_id=None,  # the creditor number is the truth: withheld
            raw_name=name,
            spend_pence=spend[name],
        )
        for index, name in enumerate(names)
    ]
    # Truth clusters: connected components of the name <-> creditor number graph.
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for name, numbers in creditor_numbers.items():
        for number in numbers:
            a, b = find("name:" + name), find("number:" + number)
            if a != b:
                parent[max(a, b)] = min(a, b)
    truth = {
        record.record_id: find("name:" + record.raw_name)
        for record in records
        if record.raw_name in creditor_numbers
    }
    return records, truth


def evaluate(sample: int | None, seed: int) -> None:
    records, truth = load_sheffield()
    if sample is not None and sample < len(records):
        records = sorted(random.Random(seed).sample(records, sample), key=lambda r: r.record_id)
    started = time.perf_counter()
    result = link_suppliers(records)
    runtime = time.perf_counter() - started

    predicted = result.cluster_of()
    methods = {link.record_id: link.method for link in result.links}
    labelled = [r for r in records if r.record_id in truth]
    by_predicted: dict[str, list[str]] = defaultdict(list)
    by_truth: dict[str, list[str]] = defaultdict(list)
    for record in labelled:
        by_predicted[predicted[record.record_id]].append(record.record_id)
        by_truth[truth[record.record_id]].append(record.record_id)
    predicted_pairs = {
        frozenset(pair) for ids in by_predicted.values() for pair in combinations(ids, 2)
    }
    true_pairs = {frozenset(pair) for ids in by_truth.values() for pair in combinations(ids, 2)}
    correct = predicted_pairs & true_pairs
    precision = len(correct) / len(predicted_pairs) if predicted_pairs else 1.0
    recall = len(correct) / len(true_pairs) if true_pairs else 1.0

    spend_of = {r.record_id: r.spend_pence for r in records}
    name_of = {r.record_id: r.raw_name for r in records}
    variants = hits = 0
    for ids in by_truth.values():
        if len(ids) < 2:
            continue
        canonical = max(ids, key=lambda rid: (spend_of[rid], rid))
        for rid in ids:
            if rid == canonical:
                continue
            variants += 1
            hits += predicted[rid] == predicted[canonical]

    normalised_of = {r.record_id: normalise_supplier_name(r.raw_name) for r in records}
    same_name = {pair for pair in predicted_pairs if len({normalised_of[i] for i in pair}) == 1}
    model_pairs = predicted_pairs - same_name
    # Sheffield's creditor file holds duplicate accounts ("CARLTON FUELS" and "CARLTON
    # FUELS LTD" under two numbers). Pairs whose core names are identical are counted as
    # such duplicates in the adjusted figure, and shown separately.
    core_of = {r.record_id: core_supplier_name(r.raw_name) for r in records}
    duplicate_accounts = {
        pair for pair in predicted_pairs - true_pairs if len({core_of[i] for i in pair}) == 1
    }
    adjusted_precision = (len(correct) + len(duplicate_accounts)) / max(len(predicted_pairs), 1)
    wrong = sorted(model_pairs - true_pairs - duplicate_accounts, key=lambda pair: sorted(pair))
    print(f"records (distinct names): {len(records)}  labelled: {len(labelled)}")
    print(f"truth clusters with 2+ names: {sum(len(v) > 1 for v in by_truth.values())}")
    print(f"runtime: {runtime:.1f} s")
    print(f"methods: {dict(Counter(m.value for m in methods.values()))}")
    print(f"auto-accepted pairs among labelled names: {len(predicted_pairs)}")
    print(f"pairwise precision: {precision:.4f}")
    print(
        f"precision, core-name duplicates counted as duplicate accounts: {adjusted_precision:.4f}"
    )
    for label, pairs in (
        ("exact normalised name", same_name),
        ("probabilistic / chained", model_pairs),
    ):
        share = len(pairs & true_pairs) / len(pairs) if pairs else 1.0
        print(f"  precision of {label} pairs: {share:.4f} ({len(pairs)} pairs)")
    print(f"pairwise recall:    {recall:.4f}")
    print(
        f"top-1 accuracy (variant -> canonical): {hits}/{variants} = {hits / max(variants, 1):.4f}"
    )
    print(
        f"share of spend in multi-name clusters: {result.share_of_spend_in_multi_name_clusters:.4f}"
    )
    print(f"review band pairs: {len(result.review)}")
    for pair in wrong[:15]:
        a, b = sorted(pair)
        print(f"  false link: {name_of[a]!r} ~ {name_of[b]!r}")
    for item in result.review[:10]:
        print(f"  review: {item.name_a!r} ~ {item.name_b!r} p={item.probability:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="link a random sample of names")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"Sheffield clean files not found at {DATA}")
    evaluate(arguments.sample, arguments.seed)


if __name__ == "__main__":
    main()
