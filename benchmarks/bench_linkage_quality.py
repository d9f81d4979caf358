"""Supplier-linkage quality and speed: this tree's linker beside a baseline tree's, in one sitting.

Every published spend file in ``../shared/data/spend`` that carries a supplier identifier is a
dataset, scored on its own, and so is a council's own set of files given with ``--file`` (the
held-out check: columns are found by their headers, CSV or workbook). The linker never sees the
identifier that is the truth; it sees the names, the spend, and, in the "with numbers" run of a
file that publishes them, the VAT and company numbers (as a council links).

Datasets here (DATA.md section 1):

* Sheffield City Council clean quarters 2012-10 and 2016-07, each alone, and the three
  quarters 2012-10, 2015-07, 2016-07 together (2015-07 publishes no creditor numbers: its
  names take part, unscored). Truth: the creditor number ("Address Book No.").
* Wakefield MDC 2018-Q3. Its "Supplier ID" is redacted on every row, so the truth is the
  company number it publishes ("Company Registraation Number", sic); withheld from the linker.
* Sheffield's processed 2021 files (about 160,000 payments, no identifiers): runtime and the
  share of spend in multi-name clusters only.

One record per distinct published name (per name and numbers in a "with numbers" run); names
that share a supplier ID are one supplier, and so are IDs that share a name (connected
components). Redactions take no part.

Figures, pairwise over the names that have a supplier ID:

* **precision against organisations**: supplier IDs that share a VAT number count as one
  organisation (none of the shared files publishes VAT numbers, so there it equals precision
  against supplier IDs). Also printed with "same name" joins: IDs whose names are the same name
  under Companies House's rule for refusing a name already registered (SI 2015/17, Schedule 3:
  case, punctuation, "&" for AND, a leading THE and the legal form at the end do not count),
  because a council's creditor file often holds two accounts for one body ("SHEFFIELD LEP LTD"
  471227 and "SHEFFIELD LEP LIMITED" 482230). That rule is written out here, apart from the
  linker's own normalisation, so the linker does not mark its own homework.
* **precision and recall against supplier IDs** (the strict truth).
* **top-1**: each variant name of a supplier with several names in the same cluster as that
  supplier's main name (the one with the most spend); also counting, for a variant the linker
  left apart, the review queue's first suggestion for it (what a reviewer would be offered).
* **share of spend linked**: the spend of those variants that top-1 got right, over all
  variants' spend; and the share of all spend in multi-name clusters.
* **runtime** of the linkage call alone (imports and file reading excluded), each linker in a
  fresh process, the fastest of ``--repeat`` runs (on a shared machine the other runs measure
  the neighbours' work too); and the processor time it used, all threads together, which
  a busy machine disturbs less.

Run (the baseline is main at the start of the session, in a detached worktree):

    git worktree add --detach /work/wt/base23link c4aabd6
    .venv/bin/python benchmarks/bench_linkage_quality.py --baseline /work/wt/base23link
    .venv/bin/python benchmarks/bench_linkage_quality.py --baseline /work/wt/base23link \\
        --file council/2024-*.csv --skip-shared          # a council's held-out files
    .venv/bin/python benchmarks/bench_linkage_quality.py --show 20 --skip-scale   # this tree only
    .venv/bin/python benchmarks/bench_linkage_quality.py --estimate-u --skip-scale  # u check

Columns of ``--file`` are found by header (supplier name, supplier ID, VAT number, company
number, amount); ``--name-column`` and the like name them when the headers are unusual.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEND = ROOT.parent / "shared" / "data" / "spend"
SHEFFIELD = SPEND / "sheffield" / "clean"
WAKEFIELD = SPEND / "wakefield" / "clean" / "2018-Q3.csv"
SHEFFIELD_2021 = sorted((SPEND / "sheffield" / "processed").glob("2021-*.csv"))

# Headers (lower case, letters and digits only) of each column the benchmark reads.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "suppliername",
        "supplier",
        "beneficiaryname",
        "beneficiary",
        "payeename",
        "payee",
        "vendorname",
        "creditorname",
    ),
    "supplier_id": (
        "supplierid",
        "suppliernumber",
        "supplierno",
        "suppliercode",
        "supplierref",
        "addressbookno",
        "creditornumber",
        "creditorno",
        "creditorid",
        "vendorid",
        "vendornumber",
        "vendorno",
    ),
    "vat": (
        "vatnumber",
        "vatregistrationnumber",
        "vatregno",
        "vatno",
        "vatreg",
        "suppliervatnumber",
        "vatregistration",
    ),
    "company": (
        "companyregistrationnumber",
        "companyregistraationnumber",
        "companyregistration",
        "companynumber",
        "companyregno",
        "compregno",
    ),
    "amount": (
        "amount",
        "netamount",
        "invoicedvalue",
        "value",
        "totalamount",
        "amountexvat",
        "netvalue",
        "paymentamount",
        "amountgbp",
        "total",
    ),
}
# What files write in an identifier column when there is no identifier.
PLACEHOLDERS = {"", "n/a", "na", "nil", "none", "-", "redacted", "not yet available", "exempt"}


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _redaction_pattern() -> re.Pattern[str]:
    from commonweal.spend_engine.ingest import REDACTION_MARKERS, REDACTION_NAMES

    def words(values: Iterable[str]) -> str:
        return "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in values)

    return re.compile(
        rf"(?i)\b({words(REDACTION_MARKERS)})\b|^\W*({words(REDACTION_NAMES)})\W*$"
        r"|^\s*[*#xX]{3,}\s*$"
    )


def _pence(text: str) -> int | None:
    cleaned = text.strip().replace("£", "").replace(",", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    if cleaned.endswith("-"):
        negative, cleaned = True, cleaned[:-1]
    try:
        value = Decimal(cleaned or "0")
    except InvalidOperation:
        return None
    pence = int((value * 100).to_integral_value())
    return -pence if negative else pence


def _identifier(text: str) -> str | None:
    value = text.strip()
    return None if value.lower() in PLACEHOLDERS else value.upper()


@dataclass
class NameRow:
    """One distinct published name (with its numbers, in a "with numbers" run)."""

    name: str
    vat: str | None
    company: str | None
    spend_pence: int = 0
    supplier_ids: set[str] = field(default_factory=set)
    vat_numbers: set[str] = field(default_factory=set)


@dataclass
class Dataset:
    label: str
    rows: int
    names: list[NameRow]
    unparsed_amounts: int = 0
    scored: bool = True
    gives_numbers: bool = False

    def records(self) -> list[dict[str, Any]]:
        return [
            {
                "record_id": f"N{index:06d}",
                "anchor": "council",
                "source_supplier_id": None,  # the truth: withheld
                "raw_name": row.name,
                "vat_number": row.vat,
                "company_number": row.company,
                "spend_pence": row.spend_pence,
            }
            for index, row in enumerate(self.names)
        ]


def load_files(
    label: str,
    paths: Sequence[Path],
    *,
    truth: str = "supplier_id",
    give_numbers: bool = False,
    unscored: Sequence[Path] = (),
    columns: dict[str, str] | None = None,
) -> Dataset:
    """Read spend files into one record per distinct name (and numbers, when ``give_numbers``).
    ``truth`` is the column whose values say which names are one supplier."""
    from commonweal.tabular.limits import Limits
    from commonweal.tabular.tables import find_header_row, read_table

    redacted = _redaction_pattern()
    overrides = {field: _header_key(header) for field, header in (columns or {}).items() if header}
    rows: dict[tuple[str, str | None, str | None], NameRow] = {}
    count = unparsed = 0
    name_keys = {overrides.get("name"), *COLUMN_ALIASES["name"]} - {None}
    for path in [*paths, *unscored]:
        table = read_table(path, path.name, Limits(max_bytes=2**40, max_rows=10**8)).rows
        header_at = find_header_row(
            table[:50], lambda row: int(bool(name_keys & {_header_key(c) for c in row}))
        )
        if header_at is None:
            raise SystemExit(f"{path}: no supplier name column in the first 50 rows")
        header = [_header_key(cell) for cell in table[header_at]]
        where: dict[str, int | None] = {}
        for column, aliases in COLUMN_ALIASES.items():
            wanted = [overrides[column]] if column in overrides else list(aliases)
            where[column] = next((header.index(a) for a in wanted if a in header), None)
        if where["amount"] is None:
            raise SystemExit(f"{path}: no amount column; name it with --amount-column")
        for row in table[header_at + 1 :]:

            def cell(
                column: str, row: list[str] = row, where: dict[str, int | None] = where
            ) -> str:
                index = where[column]
                return row[index] if index is not None and index < len(row) else ""

            name = cell("name").strip()
            if not name or redacted.search(name):
                continue
            count += 1
            vat = _identifier(cell("vat"))
            company = _identifier(cell("company"))
            if company is not None and not any(ch.isdigit() for ch in company):
                company = None
            if company is not None and company.isdigit():
                company = company.zfill(8)
            given_vat = vat if give_numbers and truth != "vat" else None
            given_company = company if give_numbers and truth != "company" else None
            key = (name, given_vat, given_company)
            named = rows.get(key)
            if named is None:
                named = rows[key] = NameRow(name, given_vat, given_company)
            pence = _pence(cell("amount"))
            if pence is None:
                unparsed += 1
            named.spend_pence += pence or 0
            if path in unscored:
                continue
            truth_value = {"supplier_id": _identifier(cell("supplier_id")), "company": company}
            if truth_value[truth]:
                named.supplier_ids.add(truth_value[truth])
            if vat:
                named.vat_numbers.add(re.sub(r"[^0-9]", "", vat))
    names = [rows[key] for key in sorted(rows, key=lambda k: (k[0], k[1] or "", k[2] or ""))]
    gives = give_numbers and any(row.vat or row.company for row in names)
    return Dataset(label, count, names, unparsed, gives_numbers=gives)


# --- truth and scores -------------------------------------------------------------------------

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


def _components(keys_of: dict[str, set[str]]) -> dict[str, str]:
    """Truth clusters: connected components of the record <-> key graph, for records with keys."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for record_id, keys in keys_of.items():
        for key in keys:
            a, b = find("record:" + record_id), find(key)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {record_id: find("record:" + record_id) for record_id, keys in keys_of.items() if keys}


def truths(dataset: Dataset) -> dict[str, dict[str, str]]:
    """The three truths, each record id -> truth cluster (records with a supplier ID only)."""
    ids = {
        f"N{i:06d}": {"id:" + s for s in row.supplier_ids} for i, row in enumerate(dataset.names)
    }
    with_vat = {
        record_id: keys | {"vat:" + v for v in dataset.names[int(record_id[1:])].vat_numbers}
        for record_id, keys in ids.items()
        if keys
    }
    same_name = {
        record_id: keys | {"same name:" + same_name_key(dataset.names[int(record_id[1:])].name)}
        for record_id, keys in with_vat.items()
    }
    return {
        "ids": _components(ids),
        "organisations": _components(with_vat),
        "organisations + same name": _components(same_name),
    }


def _pairs(clusters: dict[str, list[str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for ids in clusters.values() for pair in combinations(sorted(ids), 2)}


@dataclass(frozen=True)
class Figures:
    linked_pairs: int
    true_pairs: int
    precision_organisations: float
    precision_same_name: float
    precision_ids: float
    recall_ids: float
    top1: float
    top1_with_review: float
    variants: int
    spend_linked: float
    spend_in_multi_name: float
    review: int
    runtime: float
    cpu_time: float
    false_links: list[tuple[str, str]]
    missed: list[tuple[str, str]]


def score(dataset: Dataset, run: dict[str, Any]) -> Figures:
    cluster_of: dict[str, str] = run["clusters"]
    truth = truths(dataset)
    labelled = sorted(truth["ids"])
    by_predicted: dict[str, list[str]] = defaultdict(list)
    for record_id in labelled:
        by_predicted[cluster_of[record_id]].append(record_id)
    predicted = _pairs(by_predicted)

    def true_pairs(kind: str) -> set[frozenset[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for record_id, cluster in truth[kind].items():
            grouped[cluster].append(record_id)
        return _pairs(grouped)

    true_ids, true_orgs, true_same = (true_pairs(k) for k in truth)

    def precision(true: set[frozenset[str]]) -> float:
        return len(predicted & true) / len(predicted) if predicted else 1.0

    spend = {f"N{i:06d}": row.spend_pence for i, row in enumerate(dataset.names)}
    name = {f"N{i:06d}": row.name for i, row in enumerate(dataset.names)}
    by_truth: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster in truth["ids"].items():
        by_truth[cluster].append(record_id)
    # The review queue's first suggestion for each name: its most probable review pair.
    suggestion: dict[str, tuple[float, str]] = {}
    for ids_a, ids_b, probability in run.get("review_pairs", []):
        for mine, theirs in ((ids_a, ids_b), (ids_b, ids_a)):
            for record_id in mine:
                if probability > suggestion.get(record_id, (-1.0, ""))[0]:
                    suggestion[record_id] = (probability, theirs[0])
    variants = hits = hits_with_review = 0
    variant_spend = hit_spend = 0
    for members in by_truth.values():
        if len(members) < 2:
            continue
        main = max(members, key=lambda rid: (spend[rid], rid))
        for record_id in members:
            if record_id == main:
                continue
            hit = cluster_of[record_id] == cluster_of[main]
            variants += 1
            hits += hit
            suggested = suggestion.get(record_id)
            hits_with_review += hit or (
                suggested is not None and cluster_of[suggested[1]] == cluster_of[main]
            )
            variant_spend += abs(spend[record_id])
            hit_spend += abs(spend[record_id]) if hit else 0
    names_in_cluster: dict[str, set[str]] = defaultdict(set)
    for record_id, cluster in cluster_of.items():
        names_in_cluster[cluster].add(name[record_id])
    total = sum(abs(p) for p in spend.values())
    multi = sum(abs(spend[r]) for r, c in cluster_of.items() if len(names_in_cluster[c]) > 1)

    def named(pairs: Iterable[frozenset[str]]) -> list[tuple[str, str]]:
        shown = {tuple(sorted(name[r] for r in pair)) for pair in pairs}
        return sorted((a, b) for a, b in shown)

    return Figures(
        linked_pairs=len(predicted),
        true_pairs=len(true_ids),
        precision_organisations=precision(true_orgs),
        precision_same_name=precision(true_same),
        precision_ids=precision(true_ids),
        recall_ids=len(predicted & true_ids) / len(true_ids) if true_ids else 1.0,
        top1=hits / variants if variants else 1.0,
        top1_with_review=hits_with_review / variants if variants else 1.0,
        variants=variants,
        spend_linked=hit_spend / variant_spend if variant_spend else 1.0,
        spend_in_multi_name=multi / total if total else 0.0,
        review=int(run["review"]),
        runtime=float(run["runtime"]),
        cpu_time=float(run.get("cpu_time", 0.0)),
        false_links=named(predicted - true_same),
        missed=named(true_ids - predicted),
    )


# --- running a linker in a fresh process ------------------------------------------------------


def worker(records_path: Path, output_path: Path, repeat: int) -> None:
    """Link the records with the linker of the tree on PYTHONPATH; write clusters and timing."""
    from commonweal.spend_engine.linkage import SupplierRecord, link_suppliers

    records = [SupplierRecord(**fields) for fields in json.loads(records_path.read_text())]
    runtimes, cpu_times = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = link_suppliers(records)
        runtimes.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    output_path.write_text(
        json.dumps(
            {
                "clusters": result.cluster_of(),
                "review": len(result.review),
                "review_pairs": [
                    [list(item.record_ids_a), list(item.record_ids_b), item.probability]
                    for item in result.review
                ],
                "runtime": min(runtimes),
                "cpu_time": min(cpu_times),
            }
        )
    )


def run_linker(tree: Path, records: list[dict[str, Any]], repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        records_path, output_path = Path(folder) / "records.json", Path(folder) / "out.json"
        records_path.write_text(json.dumps(records))
        environment = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                str(records_path),
                str(output_path),
                "--repeat",
                str(repeat),
            ],
            env=environment,
            check=True,
        )
        result: dict[str, Any] = json.loads(output_path.read_text())
        return result


def estimate_u(label: str, records: list[dict[str, Any]]) -> None:
    """Compare the name comparison's u constants with Splink's random-sampling estimate.

    The constants are read as "given the two names share a word", so the estimate is
    divided by the share of random pairs that share a word before comparing. Estimates
    for the strongest levels are upper bounds: true variants among the sampled pairs
    count as non-matches there."""
    import duckdb
    from splink import DuckDBAPI, Linker

    from commonweal.spend_engine import linkage

    groups = linkage._group_by_name([linkage.SupplierRecord(**r) for r in records], {})
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


# --- printing ---------------------------------------------------------------------------------

ROWS: tuple[tuple[str, str, str], ...] = (
    ("pairs linked (names with a supplier ID)", "linked_pairs", "{:d}"),
    ("pairs under one supplier ID (truth)", "true_pairs", "{:d}"),
    ("precision against organisations", "precision_organisations", "{:.4f}"),
    ("  with same-name joins", "precision_same_name", "{:.4f}"),
    ("precision against supplier IDs", "precision_ids", "{:.4f}"),
    ("recall against supplier IDs", "recall_ids", "{:.4f}"),
    ("top-1 (variant with its main name)", "top1", "{:.4f}"),
    ("  with the review queue's first suggestion", "top1_with_review", "{:.4f}"),
    ("share of variants' spend linked", "spend_linked", "{:.4f}"),
    ("share of all spend in multi-name clusters", "spend_in_multi_name", "{:.4f}"),
    ("pairs for review", "review", "{:d}"),
    ("runtime of the linkage (s)", "runtime", "{:.2f}"),
    ("  processor time, all threads (s)", "cpu_time", "{:.2f}"),
)


def report(dataset: Dataset, figures: dict[str, Figures], show: int) -> None:
    any_figures = next(iter(figures.values()))
    print(f"=== {dataset.label} ===")
    labelled = sum(bool(row.supplier_ids) for row in dataset.names)
    print(
        f"payments: {dataset.rows:,}  distinct names: {len(dataset.names):,}  "
        f"with a supplier ID: {labelled:,}  variants: {any_figures.variants:,}"
        + (f"  amounts not read: {dataset.unparsed_amounts}" if dataset.unparsed_amounts else "")
    )
    print(f"{'':44}" + "".join(f"{label:>12}" for label in figures))
    for text, attribute, form in ROWS:
        if not dataset.scored and attribute not in (
            "spend_in_multi_name",
            "review",
            "runtime",
            "cpu_time",
        ):
            continue
        values = "".join(f"{form.format(getattr(f, attribute)):>12}" for f in figures.values())
        print(f"{text:44}{values}")
    new = figures.get("new")
    if new is not None and dataset.scored and show:
        for a, b in new.false_links[:show]:
            print(f"  false link (new): {a!r} ~ {b!r}")
        for a, b in new.missed[:show]:
            print(f"  missed (new): {a!r} ~ {b!r}")
    print()


def shared_datasets(skip_scale: bool) -> list[Dataset]:
    datasets = [
        load_files("Sheffield 2012-10 (truth: creditor numbers)", [SHEFFIELD / "2012-10.csv"]),
        load_files("Sheffield 2016-07 (truth: creditor numbers)", [SHEFFIELD / "2016-07.csv"]),
        load_files(
            "Sheffield 2012-10, 2015-07, 2016-07 together (2015-07 unscored)",
            [SHEFFIELD / "2012-10.csv", SHEFFIELD / "2016-07.csv"],
            unscored=[SHEFFIELD / "2015-07.csv"],
        ),
        load_files("Wakefield 2018-Q3 (truth: company numbers)", [WAKEFIELD], truth="company"),
    ]
    if not skip_scale and SHEFFIELD_2021:
        scale = load_files("Sheffield 2021-01..06 processed (no truth: time)", SHEFFIELD_2021)
        scale.scored = False
        datasets.append(scale)
    return datasets


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a worktree of the baseline commit")
    parser.add_argument("--file", type=Path, action="append", default=[], help="held-out file")
    parser.add_argument("--label", default="Held-out files", help="what to call --file's data")
    parser.add_argument("--skip-shared", action="store_true", help="only the --file data")
    parser.add_argument("--skip-scale", action="store_true", help="skip the 2021 timing run")
    parser.add_argument("--only", default="", help="datasets whose label contains this")
    parser.add_argument("--repeat", type=int, default=1, help="runs per linker (median time)")
    parser.add_argument("--show", type=int, default=0, help="false links and misses to list")
    for column in ("name", "supplier-id", "vat", "company", "amount"):
        parser.add_argument(f"--{column}-column", default="", help=f"header of the {column}")
    parser.add_argument(
        "--estimate-u", action="store_true", help="compare u constants with random sampling"
    )
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(*arguments.worker, arguments.repeat)
        return

    datasets = [] if arguments.skip_shared else shared_datasets(arguments.skip_scale)
    if arguments.file:
        columns = {
            "name": arguments.name_column,
            "supplier_id": arguments.supplier_id_column,
            "vat": arguments.vat_column,
            "company": arguments.company_column,
            "amount": arguments.amount_column,
        }
        datasets.append(load_files(arguments.label, arguments.file, columns=columns))
        with_numbers = load_files(
            f"{arguments.label}, with their VAT and company numbers given",
            arguments.file,
            columns=columns,
            give_numbers=True,
        )
        if with_numbers.gives_numbers:
            datasets.append(with_numbers)
    trees = {"new": ROOT}
    if arguments.baseline:
        trees = {"baseline": arguments.baseline.resolve(), "new": ROOT}
    summary: list[tuple[str, str, Figures]] = []
    unscored = {dataset.label for dataset in datasets if not dataset.scored}
    for dataset in datasets:
        if arguments.only and arguments.only.lower() not in dataset.label.lower():
            continue
        records = dataset.records()
        if arguments.estimate_u:
            estimate_u(dataset.label, records)
            continue
        figures = {
            label: score(dataset, run_linker(tree, records, arguments.repeat))
            for label, tree in trees.items()
        }
        report(dataset, figures, arguments.show)
        summary.extend((dataset.label, label, f) for label, f in figures.items())
    if not summary:
        return
    print("=== Summary (P org = precision against organisations; R = recall against IDs) ===")
    print(
        f"{'dataset':62}{'linker':>9}{'P org':>8}{'P IDs':>8}{'R':>8}{'top-1':>8}"
        f"{'spend':>8}{'time s':>8}{'cpu s':>8}"
    )
    for label, linker, f in summary:
        if label in unscored:
            blank = f"{'':>8}" * 5
            print(f"{label[:62]:62}{linker:>9}{blank}{f.runtime:8.2f}{f.cpu_time:8.2f}")
            continue
        print(
            f"{label[:62]:62}{linker:>9}{f.precision_organisations:8.4f}{f.precision_ids:8.4f}"
            f"{f.recall_ids:8.4f}{f.top1:8.4f}{f.spend_linked:8.4f}{f.runtime:8.2f}"
            f"{f.cpu_time:8.2f}"
        )


if __name__ == "__main__":
    main()
