"""Supplier-linkage quality on two councils' published spend files, and speed at scale.

1. Sheffield City Council, clean quarters 2012-10, 2015-07 and 2016-07.
2. Wakefield MDC, 2018-Q3: truth is the "Company Registraation Number" (sic) published
   against each payment (its "Supplier ID" is redacted on every row); names that carry
   the same company number are one supplier. Withheld from the linker. Nothing in the
   linker was tuned on it: it is the held-out check.
3. Sheffield's clean files as a council links them, with the creditor numbers given:
   whether any supplier chains many creditors together (``evaluate_with_numbers``).
4. Sheffield's processed 2021 files (no identifiers, so no truth): share of spend linked
   and runtime on about 160,000 payments.

Sheffield truth: its "Address Book No." (its creditor number). One record per distinct
published supplier name; names that share a creditor number are one supplier, and so are
creditor numbers that share a name. The creditor number is the truth, so the linkage runs
WITHOUT it.

Two truths are scored, and every figure is printed for both:

* **strict**: exactly the above. Its flaw: Sheffield's creditor file holds several
  accounts for one organisation. "SHEFFIELD LEP LTD" (471227) and "SHEFFIELD LEP
  LIMITED" (482230), "H F TRUST LIMITED" and "H F TRUST LTD", "MANOR & CASTLE
  DEVELOPMENT TRUST" and "MANOR AND CASTLE DEVELOPMENT TRUST" are each two creditor
  numbers, so strict truth calls a link between them false.
* **corrected**: strict, plus creditor numbers whose published names are *the same name*
  under the rule Companies House uses to refuse a name that is the same as one already
  registered (SI 2015/17, Schedule 3): case, punctuation, "&" for AND, a leading THE and
  the legal form at the end (LIMITED, LTD, PLC, LLP, CIC, COMPANY, CO) do not count. Two
  bodies cannot be registered under names that are the same by that rule, so names that
  are the same by it are one organisation, whatever the account numbers say. The rule is
  written out here (``same_name_key``), apart from the linker's own normalisation, so the
  linker does not mark its own homework. Nothing else is corrected: "SHELTER" and
  "SHELTER (SP)", or "HEATHCOTES LTD" and "HEATHCOTES LTD (BRIDLINGTON)", are separate
  accounts (very likely of one organisation) and a link between them still counts as
  false in both truths.

The 2015-07 quarter publishes no creditor numbers: its names take part in the linkage
(as they would in real use) but not in the scoring.

Prints pairwise precision and recall of automatically accepted links (the review band
is not a link), per layer too; top-1 accuracy (each name variant in the same cluster as
its supplier's canonical name, the one with the most spend), also weighted by spend and
also counting the review queue's first suggestion for a variant the linker did not
join; the share of spend value in multi-name clusters; the review-band size and how
many of its pairs are true; the runtime.

Some true variants cannot be found from names at all (renames such as "AGE CONCERN" /
"AGE UK", a care home listed under its operator). A variant counts as *reachable* when
its core name shares a word of three or more letters with its canonical name's, or one
name without spaces contains the other; top-1 is printed over all variants and over
reachable ones, and so is the share of variants reachable: no linker that links by names
can score a higher top-1 than that (a generous ceiling, as a shared word can be a common
one). Sharing only a common word ("CHILDCARE AT ST GEORGES" / "CHILDCARE AT SUNBEAM") is
weak evidence, so a stricter count is printed too: variants whose shared word at most five
other suppliers' names use.

Run: .venv/bin/python benchmarks/bench_linkage_quality.py [--sample N] [--show N]
     [--skip-scale] [--estimate-u]
"""

from __future__ import annotations

import argparse
import csv
import logging
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from commonweal.spend_engine.linkage import LinkageResult, SupplierRecord, link_suppliers
from commonweal.spend_engine.names import name_keys, normalise_supplier_name

SPEND = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "spend"
DATA = SPEND / "sheffield" / "clean"
WAKEFIELD = SPEND / "wakefield" / "clean" / "2018-Q3.csv"
SHEFFIELD_2021 = sorted((SPEND / "sheffield" / "processed").glob("2021-*.csv"))
WAKEFIELD_REDACTED = {"DETAILS REDACTED", "REDACTED"}
REDACTED = "REDACTED PERSONAL DATA"
# file -> (supplier column, amount column, creditor number column or None)
FILES = {
    "2012-10.csv": ("Supplier Name", "Invoiced Value", "Address Book No."),
    "2015-07.csv": ("Supplier", "Value", None),
    "2016-07.csv": ("Supplier Name", "Invoiced Value", "Address Book No."),
}


def _pence(text: str) -> int:
    return int((Decimal(text.strip() or "0") * 100).to_integral_value())


# Companies House's "same as" rule (SI 2015/17, Schedule 3), the parts that apply to
# published creditor names. Written out here, apart from the linker's normalisation.
_LEGAL_FORM_AT_END = re.compile(
    r"(?:\s+(?:AND\s+)?(?:PUBLIC LIMITED COMPANY|COMMUNITY INTEREST COMPANY"
    r"|LIMITED LIABILITY PARTNERSHIP|LIMITED|UNLIMITED|LTD|PLC|LLP|CIC|COMPANY|CO))+$"
)


def same_name_key(raw_name: str) -> str:
    """Two names with the same key are the same name to Companies House: case,
    punctuation, "&" for AND, a leading THE and the legal form at the end do not count."""
    text = raw_name.upper().replace("&", " AND ")
    text = re.sub(r"['`\u2019.]", "", text)  # "WOMEN'S" is "WOMENS", "LTD." is "LTD"
    text = re.sub(r"[^A-Z0-9]+", " ", text).strip()
    text = re.sub(r"^THE\s+", "", text)
    return _LEGAL_FORM_AT_END.sub("", text) or text


_TRAILING_BRACKETS = re.compile(r"\s*\([^()]*\)?\s*$")
_COMPANY_NAMED = re.compile(r"^(.*?\b(?:LIMITED|LTD|PLC|LLP))\b")


def kind_of_disagreement(name_a: str, name_b: str) -> str:
    """Why a linked pair the truth calls two suppliers may still be one organisation
    (printed for a reader to judge; the figures above do not use it)."""
    without_tag = {same_name_key(_TRAILING_BRACKETS.sub("", name)) for name in (name_a, name_b)}
    if len(without_tag) == 1:
        return "same name but for a bracketed tag (an account or a branch)"
    companies = {
        match.group(1) if (match := _COMPANY_NAMED.match(name.upper())) else name
        for name in (name_a, name_b)
    }
    if len({same_name_key(company) for company in companies}) == 1:
        return "both name one company with its legal form, then more (a branch or account)"
    return "other"


def corrected_truth(records: list[SupplierRecord], truth: dict[str, str]) -> dict[str, str]:
    """Truth with the truth clusters of names that are the same name joined (see the
    module docstring: duplicate creditor accounts of one organisation)."""
    name_of = {record.record_id: record.raw_name for record in records}
    identifiers: dict[str, set[str]] = defaultdict(set)
    for record_id, cluster in truth.items():
        identifiers[name_of[record_id]].update(
            {"truth:" + cluster, "same name:" + same_name_key(name_of[record_id])}
        )
    return _truth_components(records, identifiers)


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
    return records, _truth_components(records, creditor_numbers)


def _truth_components(
    records: list[SupplierRecord], identifiers: dict[str, set[str]]
) -> dict[str, str]:
    """Truth clusters: connected components of the name <-> identifier graph."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for name, numbers in identifiers.items():
        for number in numbers:
            a, b = find("name:" + name), find("number:" + number)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {
        record.record_id: find("name:" + record.raw_name)
        for record in records
        if record.raw_name in identifiers
    }


def load_wakefield(path: Path = WAKEFIELD) -> tuple[list[SupplierRecord], dict[str, str]]:
    """One record per distinct supplier name; truth from published company numbers."""
    spend: Counter[str] = Counter()
    company_numbers: dict[str, set[str]] = defaultdict(set)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        name_at, amount_at = header.index("Supplier Name"), header.index("Amount")
        company_at = header.index("Company Registraation Number")
        for row in rows:
            name = row[name_at].strip()
            if not name or name.upper() in WAKEFIELD_REDACTED:
                continue
            spend[name] += _pence(row[amount_at])
            number = row[company_at].strip().upper()
            if number and any(ch.isdigit() for ch in number):
                company_numbers[name].add(number.zfill(8))
    records = [
        SupplierRecord(
            record_id=f"W{index:06d}",
            anchor="wakefield",
            source_supplier_id=None,
            raw_name=name,
            spend_pence=spend[name],  # company number withheld: it is the truth
        )
        for index, name in enumerate(sorted(spend))
    ]
    return records, _truth_components(records, company_numbers)


def load_sheffield_2021() -> tuple[list[SupplierRecord], int]:
    """One record per distinct name over Sheffield's six 2021 files, and the row count."""
    spend: Counter[str] = Counter()
    rows = 0
    for path in SHEFFIELD_2021:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = (row["Beneficiary Name"] or "").strip()
                if not name or name == REDACTED:
                    continue
                rows += 1
                spend[name] += _pence(row["Amount"])
    records = [
        SupplierRecord(f"P{index:06d}", "sheffield", None, name, spend_pence=spend[name])
        for index, name in enumerate(sorted(spend))
    ]
    return records, rows


def _reachable(name_a: str, name_b: str, word_counts: Counter[str], most_names: int) -> bool:
    """Could any name-based method find this pair? (See the module docstring.)
    ``word_counts`` counts the names outside the pair's own supplier that use each word."""
    a, b = name_keys(name_a), name_keys(name_b)
    words_a = {w for w in a.core.split() if len(w) >= 3 and word_counts[w] <= most_names}
    words_b = {w for w in b.core.split() if len(w) >= 3}
    contained = bool(a.compact and b.compact) and (a.compact in b.compact or b.compact in a.compact)
    return bool(words_a & words_b) or contained


@dataclass(frozen=True)
class Scores:
    """Figures of one linkage result against one truth."""

    predicted_pairs: int
    precision: float
    recall: float
    layer_precision: dict[str, tuple[float, int]]
    variants: int
    hits: int
    reachable: int
    reachable_hits: int
    distinctive: int
    distinctive_hits: int
    hits_with_review: int
    variant_spend: int
    variant_spend_hit: int
    review_labelled: int
    review_true: int
    wrong: list[tuple[str, str]]


def score(records: list[SupplierRecord], truth: dict[str, str], result: LinkageResult) -> Scores:
    """Pairwise precision and recall, top-1 and the review band's truth, on the labelled
    names (see the module docstring)."""
    predicted = result.cluster_of()
    methods = {link.record_id: link.method.value for link in result.links}
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

    # A cluster's records share the layer that completed it (see LinkMethod).
    normalised_of = {r.record_id: normalise_supplier_name(r.raw_name) for r in records}
    same_name = {pair for pair in predicted_pairs if len({normalised_of[i] for i in pair}) == 1}
    rule_pairs = {
        pair for pair in predicted_pairs - same_name if methods[next(iter(pair))] == "name_rule"
    }
    layers = {
        "exact normalised name": same_name,
        "name rule": rule_pairs,
        "probabilistic": predicted_pairs - same_name - rule_pairs,
    }
    layer_precision = {
        label: (len(pairs & true_pairs) / len(pairs) if pairs else 1.0, len(pairs))
        for label, pairs in layers.items()
    }

    # The review queue's first suggestion for each name: its most probable review pair.
    first_suggestion: dict[str, tuple[float, str]] = {}
    review_labelled = review_true = 0
    for item in result.review:
        for mine, theirs in (
            (item.record_ids_a, item.record_ids_b),
            (item.record_ids_b, item.record_ids_a),
        ):
            for record_id in mine:
                if item.probability > first_suggestion.get(record_id, (-1.0, ""))[0]:
                    first_suggestion[record_id] = (item.probability, theirs[0])
        truths_a = {truth[i] for i in item.record_ids_a if i in truth}
        truths_b = {truth[i] for i in item.record_ids_b if i in truth}
        if truths_a and truths_b:
            review_labelled += 1
            review_true += bool(truths_a & truths_b)

    spend_of = {r.record_id: r.spend_pence for r in records}
    name_of = {r.record_id: r.raw_name for r in records}
    word_counts: Counter[str] = Counter()
    for record in records:
        word_counts.update(set(name_keys(record.raw_name).core.split()))
    strict_limit = 5
    variants = hits = reachable = reachable_hits = distinctive = distinctive_hits = 0
    hits_with_review = variant_spend = variant_spend_hit = 0
    for ids in by_truth.values():
        if len(ids) < 2:
            continue
        canonical = max(ids, key=lambda rid: (spend_of[rid], rid))
        outside = word_counts.copy()
        for rid in ids:
            outside.subtract(set(name_keys(name_of[rid]).core.split()))
        for rid in ids:
            if rid == canonical:
                continue
            variants += 1
            hit = predicted[rid] == predicted[canonical]
            hits += hit
            suggested = first_suggestion.get(rid)
            hits_with_review += hit or (
                suggested is not None and predicted[suggested[1]] == predicted[canonical]
            )
            variant_spend += abs(spend_of[rid])
            variant_spend_hit += abs(spend_of[rid]) if hit else 0
            if _reachable(name_of[rid], name_of[canonical], outside, len(records)):
                reachable += 1
                reachable_hits += hit
            if _reachable(name_of[rid], name_of[canonical], outside, strict_limit):
                distinctive += 1
                distinctive_hits += hit
    wrong = sorted(
        tuple(sorted((name_of[a], name_of[b])))  # type: ignore[misc]
        for a, b in (sorted(pair) for pair in predicted_pairs - true_pairs)
    )
    return Scores(
        predicted_pairs=len(predicted_pairs),
        precision=len(correct) / len(predicted_pairs) if predicted_pairs else 1.0,
        recall=len(correct) / len(true_pairs) if true_pairs else 1.0,
        layer_precision=layer_precision,
        variants=variants,
        hits=hits,
        reachable=reachable,
        reachable_hits=reachable_hits,
        distinctive=distinctive,
        distinctive_hits=distinctive_hits,
        hits_with_review=hits_with_review,
        variant_spend=variant_spend,
        variant_spend_hit=variant_spend_hit,
        review_labelled=review_labelled,
        review_true=review_true,
        wrong=wrong,
    )


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / max(whole, 1):.4f}"


def evaluate(
    label: str,
    records: list[SupplierRecord],
    truth: dict[str, str],
    sample: int | None,
    seed: int,
    shown: int,
) -> None:
    print(f"=== {label} ===")
    if sample is not None and sample < len(records):
        records = sorted(random.Random(seed).sample(records, sample), key=lambda r: r.record_id)
        truth = {
            rid: cluster for rid, cluster in truth.items() if rid in {r.record_id for r in records}
        }
    started = time.perf_counter()
    result = link_suppliers(records)
    runtime = time.perf_counter() - started

    methods = Counter(link.method.value for link in result.links)
    print(
        f"records (distinct names): {len(records)}  labelled: {len(truth)}  runtime: {runtime:.1f} s"
    )
    print(f"methods: {dict(methods)}")
    print(
        f"share of spend in multi-name clusters: {result.share_of_spend_in_multi_name_clusters:.4f}"
    )
    print(f"review band pairs: {len(result.review)}")
    corrected = corrected_truth(records, truth)
    for truth_label, scored_truth in (("strict", truth), ("corrected", corrected)):
        scores = score(records, scored_truth, result)
        clusters = Counter(scored_truth.values())
        print(
            f"--- {truth_label} truth: {sum(n > 1 for n in clusters.values())} suppliers "
            f"with 2+ names, {scores.variants} variants ---"
        )
        print(f"auto-accepted pairs among labelled names: {scores.predicted_pairs}")
        print(f"pairwise precision: {scores.precision:.4f}")
        for layer, (precision, pairs) in scores.layer_precision.items():
            print(f"  precision of {layer} pairs: {precision:.4f} ({pairs} pairs)")
        print(f"pairwise recall:    {scores.recall:.4f}")
        print(f"top-1 accuracy (variant -> canonical): {_ratio(scores.hits, scores.variants)}")
        print(
            f"  over reachable variants (shared 3+ letter word or contained): "
            f"{_ratio(scores.reachable_hits, scores.reachable)}"
        )
        print(
            "  ceiling: the top-1 of a linker that joined every reachable variant and nothing "
            f"else: {_ratio(scores.reachable, scores.variants)}"
        )
        print(
            "  over strictly reachable (shared word in <= 5 other names, or contained): "
            f"{_ratio(scores.distinctive_hits, scores.distinctive)}"
        )
        print(
            "  weighted by the variant's spend: "
            f"{scores.variant_spend_hit / max(scores.variant_spend, 1):.4f}"
        )
        print(
            "  counting the review queue's first suggestion too: "
            f"{_ratio(scores.hits_with_review, scores.variants)}"
        )
        print(
            f"review pairs with both names labelled: {scores.review_labelled}, true: "
            f"{_ratio(scores.review_true, scores.review_labelled)}"
        )
        if truth_label == "corrected":
            kinds = Counter(kind_of_disagreement(a, b) for a, b in scores.wrong)
            for kind, count in kinds.most_common():
                print(f"  false links that are {kind}: {count}")
            for name_a, name_b in scores.wrong[:shown]:
                print(f"  false link: {name_a!r} ~ {name_b!r}")
    for item in result.review[:shown]:
        print(f"  review: {item.name_a!r} ~ {item.name_b!r} p={item.probability:.3f}")


def evaluate_scale() -> None:
    """No truth here: the share of spend linked and the runtime on large inputs."""
    records, rows = load_sheffield_2021()
    older, _ = load_sheffield()
    wakefield, _ = load_wakefield()
    # Every name from every file at once, as a council with many years loaded would have.
    names = sorted({r.raw_name for r in (*records, *older, *wakefield)})
    everything = [  # names only: this run measures time
        SupplierRecord(f"A{i:06d}", "all", None, name) for i, name in enumerate(names)
    ]
    for label, batch, payments in (
        ("Sheffield 2021-01..06 processed (no truth)", records, f"payments: {rows}  "),
        ("All names of both councils at once (no truth)", everything, ""),
    ):
        started = time.perf_counter()
        result = link_suppliers(batch)
        runtime = time.perf_counter() - started
        methods = Counter(link.method.value for link in result.links)
        print(f"=== {label} ===")
        print(f"{payments}distinct names: {len(batch)}  runtime: {runtime:.1f} s")
        print(f"methods: {dict(methods)}")
        if result.total_spend_pence:
            share = result.share_of_spend_in_multi_name_clusters
            print(f"share of spend in multi-name clusters: {share:.4f}")
        print(f"review band pairs: {len(result.review)}")


def evaluate_with_numbers(data_dir: Path = DATA) -> None:
    """Sheffield linked as a council links its own files: every published name with its
    creditor number given to the linker, "REDACTED PERSONAL DATA" under many numbers. Prints
    how many creditor numbers the largest supplier joins, and of the pairs of records in one
    supplier under different numbers, how many are the identical published name."""
    spend: Counter[tuple[str, str]] = Counter()
    for file_name, (name_column, amount_column, number_column) in FILES.items():
        if number_column is None:
            continue
        with (data_dir / file_name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = (row.get(name_column) or "").strip()
                if name:
                    number = (row.get(number_column) or "").strip()
                    spend[(name, number)] += _pence(row.get(amount_column) or "0")
    records = [
        SupplierRecord(
            record_id=f"C{index:06d}",
            anchor="sheffield",
            source_supplier_id=number or None,
            raw_name=name,
            spend_pence=pence,
            is_redacted=name == REDACTED,
        )
        for index, ((name, number), pence) in enumerate(sorted(spend.items()))
    ]
    started = time.perf_counter()
    cluster = link_suppliers(records).cluster_of()
    runtime = time.perf_counter() - started
    members: dict[str, list[SupplierRecord]] = defaultdict(list)
    for record in records:
        members[cluster[record.record_id]].append(record)
    numbers = [
        {r.source_supplier_id for r in group if r.source_supplier_id} for group in members.values()
    ]
    same_number = other_number = identical_name = 0
    for group in members.values():
        for a, b in combinations(
            [r for r in group if r.source_supplier_id and not r.is_redacted], 2
        ):
            if a.source_supplier_id == b.source_supplier_id:
                same_number += 1
            else:
                other_number += 1
                identical_name += a.raw_name == b.raw_name
    print("=== Sheffield 2012-10 and 2016-07 with creditor numbers given (as a council links) ===")
    print(
        f"records (name, creditor number): {len(records)}  suppliers: {len(members)}  runtime: {runtime:.1f} s"
    )
    print(f"most creditor numbers in one supplier: {max(len(n) for n in numbers)}")
    print(
        f"pairs in one supplier: {same_number + other_number}; under one number: {same_number}; "
        f"under two numbers: {other_number}, of which the identical published name: {identical_name}"
    )


def estimate_u(label: str, records: list[SupplierRecord]) -> None:
    """Compare the name comparison's u constants with Splink's random-sampling estimate.

    The constants are read as "given the two names share a word", so the estimate is
    divided by the share of random pairs that share a word before comparing. Estimates
    for the strongest levels are upper bounds: true variants among the sampled pairs
    count as non-matches there."""
    import duckdb
    from splink import DuckDBAPI, Linker

    from commonweal.spend_engine import linkage

    groups = linkage._group_by_name(records, {})
    vocabulary = linkage.NameVocabulary.of([group.keys for group in groups])
    settings = linkage._splink_settings(vocabulary)
    connection = duckdb.connect()
    db_api = DuckDBAPI(connection)
    table = db_api.register(linkage._splink_input(groups, vocabulary), table_name="names")
    linker = Linker(table, settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=1)
    trained = linker.misc.save_model_to_json()
    shared_word_u = linkage._shared_word_u(vocabulary)
    share_sharing_a_word = sum(shared_word_u)
    print(f"=== u check: {label} ({len(groups)} names) ===")
    levels = trained["comparisons"][0]["comparison_levels"][1:]  # after the null level
    constants = [level.u_probability for level in linkage.NAME_MODEL] + [linkage.NAME_ELSE_U]
    for level, constant in zip(levels, constants, strict=True):
        estimate = float(level.get("u_probability") or 0.0)
        conditional = min(estimate / share_sharing_a_word, 1.0)
        print(
            f"  {level['label_for_charts'][:58]:58} constant {constant:.1e}  "
            f"sampled {estimate:.1e}  given a shared word {conditional:.1e}"
        )
    sampled = trained["comparisons"][1]["comparison_levels"][1:]
    for level, from_run in zip(sampled, [*shared_word_u, None], strict=True):
        run_text = "" if from_run is None else f"from the run {from_run:.1e}  "
        print(
            f"  {level['label_for_charts'][:58]:58} {run_text}"
            f"sampled {float(level.get('u_probability') or 0.0):.1e}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="link a random sample of names")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=10, help="false links and reviews to list")
    parser.add_argument("--skip-scale", action="store_true", help="skip the 2021 scale run")
    parser.add_argument(
        "--estimate-u", action="store_true", help="compare u constants with random sampling"
    )
    arguments = parser.parse_args()
    if not DATA.is_dir() or not WAKEFIELD.is_file():
        raise SystemExit(f"spend files not found under {SPEND}")
    for label, (records, truth) in (
        ("Sheffield clean 2012-10, 2015-07, 2016-07 (truth: creditor numbers)", load_sheffield()),
        ("Wakefield 2018-Q3 (truth: company numbers)", load_wakefield()),
    ):
        evaluate(label, records, truth, arguments.sample, arguments.seed, arguments.show)
        if arguments.estimate_u:
            estimate_u(label, records)
    evaluate_with_numbers()
    if not arguments.skip_scale and SHEFFIELD_2021:
        evaluate_scale()


if __name__ == "__main__":
    main()
