"""Supplier linkage: decide which supplier records are the same supplier.

Layers, applied in this order (domain brief section 7):

1. **Identifiers.** Same anchor and same council supplier ID; same Companies House
   number; same charity number; same VAT number. Certain.
2. **Exact normalised name** (see ``names.normalise_supplier_name``). Certain.
3. **Probabilistic** (Splink 5 on DuckDB) over the distinct normalised names. Pairs at or
   above ``LinkThresholds.accept`` are linked; pairs between ``review`` and ``accept`` go
   to a review list for a person; lower pairs are ignored.
4. **Human decisions** from earlier reviews override the model: a rejected pair is never
   linked by the model, an accepted pair is always linked. Decisions are keyed by
   normalised names, so they apply again to the next period's file.

Clusters are the connected components of all links. A cluster's id is its smallest
record id, so the same input always gives the same ids.

The probabilistic model's parameters are documented defaults (``NAME_MODEL``), not
estimated: with names as the only field, Splink's EM has nothing independent to learn
from and its random-sampling u estimates are dominated by the very variants we look for.
The one data-driven part is the term-frequency adjustment: sharing a rare word
("BIRCHENALL") counts for more than sharing a common one ("SHEFFIELD").
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Final

import duckdb
import pyarrow as pa

from commonweal.spend_engine.names import NameKeys, name_keys, normalise_supplier_name


class LinkMethod(StrEnum):
    """How a record reached its cluster (the weakest layer it depends on)."""

    IDENTIFIER = "identifier"
    EXACT_NAME = "exact_name"
    PROBABILISTIC = "probabilistic"
    HUMAN = "human"
    UNLINKED = "unlinked"


class ReviewDecision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    """One supplier as one anchor's file names it (usually one per distinct raw name)."""

    record_id: str
    anchor: str
    source_supplier_id: str | None
    raw_name: str
    company_number: str | None = None
    charity_number: str | None = None
    vat_number: str | None = None
    spend_pence: int = 0
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class LinkThresholds:
    """Match probabilities at which the model links automatically or asks a person."""

    accept: float = 0.99
    review: float = 0.80

    def __post_init__(self) -> None:
        if not 0.0 < self.review <= self.accept <= 1.0:
            raise ValueError(
                f"LinkThresholds need 0 < review <= accept <= 1; got review={self.review}, "
                f"accept={self.accept}"
            )


@dataclass(frozen=True, slots=True)
class PriorDecision:
    """A person's earlier verdict on whether two supplier names are the same supplier."""

    name_a: str
    name_b: str
    decision: ReviewDecision
    reviewer: str
    decided_on: date

    def key(self) -> frozenset[str]:
        return frozenset(
            {normalise_supplier_name(self.name_a), normalise_supplier_name(self.name_b)}
        )


@dataclass(frozen=True, slots=True)
class RecordLink:
    record_id: str
    cluster_id: str
    method: LinkMethod
    probability: float


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A pair the model is unsure about, for a person to accept or reject."""

    name_a: str
    name_b: str
    probability: float
    spend_at_stake_pence: int
    record_ids_a: tuple[str, ...]
    record_ids_b: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LinkageResult:
    links: tuple[RecordLink, ...]
    review: tuple[ReviewItem, ...]
    decisions_applied: tuple[PriorDecision, ...]
    total_spend_pence: int
    spend_in_multi_name_clusters_pence: int

    @property
    def share_of_spend_in_multi_name_clusters(self) -> float:
        """Share of spend value whose supplier was linked to at least one other name."""
        if self.total_spend_pence == 0:
            return 0.0
        return self.spend_in_multi_name_clusters_pence / self.total_spend_pence

    def cluster_of(self) -> dict[str, str]:
        return {link.record_id: link.cluster_id for link in self.links}


# --- Probabilistic model parameters -------------------------------------------------
#
# Comparison "name" looks at the whole core name (legal form removed). Its u values are
# the chance that two *different* suppliers whose names already share their rarest word
# (the "distinctive word" comparison accounts for that) also agree at this level.
# m values: how true variants of one supplier's name are spread over the levels, from
# the kinds of variation listed in the domain brief (legal form, punctuation, word
# order, truncation, typing errors, renames).


@dataclass(frozen=True, slots=True)
class NameLevel:
    label: str
    sql_condition: str
    m_probability: float
    u_probability: float


_TOKENS_L: Final = "string_split(name_core_l, ' ')"
_TOKENS_R: Final = "string_split(name_core_r, ' ')"
_SHORTER_CONTAINED: Final = (
    f"((list_has_all({_TOKENS_L}, {_TOKENS_R}) and len({_TOKENS_R}) >= 2)"
    f" or (list_has_all({_TOKENS_R}, {_TOKENS_L}) and len({_TOKENS_L}) >= 2))"
)
_TRUNCATED: Final = (
    "(least(length(name_compact_l), length(name_compact_r)) >= 12 and "
    "(starts_with(name_compact_l, name_compact_r) or starts_with(name_compact_r, name_compact_l)))"
)

NAME_MODEL: Final[tuple[NameLevel, ...]] = (
    NameLevel(
        "Core names equal (differ only in legal form or tags)",
        "name_core_l = name_core_r",
        0.30,
        1e-4,
    ),
    NameLevel(
        "Same words in another order, or same letters spaced differently",
        "name_sorted_l = name_sorted_r or name_compact_l = name_compact_r",
        0.05,
        2e-4,
    ),
    NameLevel("One name is the other cut short (12+ letters)", _TRUNCATED, 0.08, 2e-3),
    NameLevel(
        "Jaro-Winkler >= 0.97 (typing error)",
        "jaro_winkler_similarity(name_core_l, name_core_r) >= 0.97",
        0.10,
        5e-3,
    ),
    NameLevel("All words of the shorter name in the longer", _SHORTER_CONTAINED, 0.12, 0.02),
    NameLevel(
        "Levenshtein <= 2 on 10+ letters",
        "least(length(name_core_l), length(name_core_r)) >= 10 and levenshtein(name_core_l, name_core_r) <= 2",
        0.03,
        5e-3,
    ),
    NameLevel(
        "Jaro-Winkler >= 0.92",
        "jaro_winkler_similarity(name_core_l, name_core_r) >= 0.92",
        0.10,
        0.08,
    ),
    NameLevel(
        "Jaro-Winkler >= 0.85",
        "jaro_winkler_similarity(name_core_l, name_core_r) >= 0.85",
        0.08,
        0.25,
    ),
)
NAME_ELSE_M: Final = 0.14
NAME_ELSE_U: Final = 0.60

# "Distinctive word": do the two names share their rarest word? u comes from the term
# frequency of that word among all names in the run (minus the pair itself), so a word
# found in one other name only is strong evidence and "SHEFFIELD" is weak evidence.
DISTINCTIVE_WORD_M: Final = 0.85
DISTINCTIVE_WORD_ELSE_M: Final = 0.15

# Postcode, when the caller has one (creditor file or register). u values are the usual
# chance that two different organisations share a unit, sector, district or area.
POSTCODE_LEVELS: Final[tuple[tuple[str, str, float, float], ...]] = (
    ("Same postcode", "postcode_l = postcode_r", 0.70, 2e-4),
    ("Same sector", "postcode_sector_l = postcode_sector_r", 0.12, 2e-3),
    ("Same district", "postcode_district_l = postcode_district_r", 0.08, 0.02),
)
POSTCODE_ELSE: Final = (0.10, 0.98)

# Prior: the share of distinct names expected to be a variant of another name in the run.
EXPECTED_VARIANT_SHARE: Final = 0.25

_POSTCODE_RE: Final = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9])([A-Z]{2})$")


def normalise_postcode(raw: str | None) -> str | None:
    """'s1 2hh' -> 'S1 2HH'; anything that is not a full UK postcode -> None."""
    if raw is None:
        return None
    squashed = re.sub(r"\s+", "", raw.upper())
    match = _POSTCODE_RE.match(f"{squashed[:-3]} {squashed[-3:]}")
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}{match.group(3)}"


def normalise_company_number(raw: str | None) -> str | None:
    """Companies House numbers are 8 characters; spend files drop leading zeros."""
    if raw is None:
        return None
    cleaned = re.sub(r"[^A-Z0-9]", "", raw.upper())
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    if cleaned.isdigit():
        return cleaned.zfill(8)
    return cleaned


def normalise_charity_number(raw: str | None) -> str | None:
    if raw is None:
        return None
    cleaned = re.sub(r"[^0-9-]", "", raw.upper().replace("GB-CHC-", ""))
    return cleaned.split("-")[0].lstrip("0") or None


def normalise_vat_number(raw: str | None) -> str | None:
    if raw is None:
        return None
    cleaned = re.sub(r"[^0-9]", "", raw)
    return cleaned if len(cleaned) in (9, 12) else None


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, index: int) -> int:
        root = index
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[index] != root:
            self.parent[index], index = root, self.parent[index]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)

    def roots(self) -> list[int]:
        return [self.find(index) for index in range(len(self.parent))]


@dataclass
class _NameGroup:
    """All records sharing one normalised name: the unit the probabilistic layer compares."""

    normalised: str
    keys: NameKeys
    record_indexes: list[int] = field(default_factory=list)
    spend_pence: int = 0
    postcodes: Counter[str] = field(default_factory=Counter)
    display_name: str = ""


def _validate(records: Sequence[SupplierRecord]) -> None:
    seen: set[str] = set()
    for position, record in enumerate(records):
        if record.record_id in seen:
            raise ValueError(f"record {position}: record_id {record.record_id!r} is repeated")
        seen.add(record.record_id)
        if not isinstance(record.spend_pence, int):
            raise TypeError(
                f"record {record.record_id!r}: spend_pence must be integer pence, "
                f"got {record.spend_pence!r}"
            )


def _identifier_pairs(records: Sequence[SupplierRecord]) -> Iterable[tuple[int, int]]:
    keyed: dict[tuple[str, ...], int] = {}
    for index, record in enumerate(records):
        keys: list[tuple[str, ...]] = []
        if record.source_supplier_id and record.source_supplier_id.strip():
            keys.append(("source", record.anchor, record.source_supplier_id.strip()))
        if company := normalise_company_number(record.company_number):
            keys.append(("company", company))
        if charity := normalise_charity_number(record.charity_number):
            keys.append(("charity", charity))
        if vat := normalise_vat_number(record.vat_number):
            keys.append(("vat", vat))
        for key in keys:
            first = keyed.setdefault(key, index)
            if first != index:
                yield first, index


def _group_by_name(records: Sequence[SupplierRecord]) -> list[_NameGroup]:
    groups: dict[str, _NameGroup] = {}
    raw_name_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for index, record in enumerate(records):
        keys = name_keys(record.raw_name)
        if not keys.normalised:
            continue
        group = groups.get(keys.normalised)
        if group is None:
            group = groups[keys.normalised] = _NameGroup(keys.normalised, keys)
        group.record_indexes.append(index)
        group.spend_pence += record.spend_pence
        raw_name_counts[keys.normalised][record.raw_name] += record.spend_pence + 1
        if postcode := normalise_postcode(record.postcode):
            group.postcodes[postcode] += 1
    ordered = [groups[name] for name in sorted(groups)]
    for group in ordered:
        counts = raw_name_counts[group.normalised]
        group.display_name = min(counts, key=lambda raw: (-counts[raw], raw))
    return ordered


def _rarest_words(groups: Sequence[_NameGroup]) -> tuple[list[str], dict[str, int]]:
    document_frequency: Counter[str] = Counter()
    for group in groups:
        document_frequency.update(set(group.keys.core.split()))
    rarest = [
        min(group.keys.core.split(), key=lambda word: (document_frequency[word], -len(word), word))
        if group.keys.core
        else ""
        for group in groups
    ]
    return rarest, dict(document_frequency)


def _splink_settings(unit_count: int) -> dict[str, Any]:
    name_levels: list[dict[str, Any]] = [
        {"sql_condition": "name_core_l IS NULL OR name_core_r IS NULL", "is_null_level": True}
    ]
    for level in NAME_MODEL:
        name_levels.append(
            {
                "sql_condition": level.sql_condition,
                "label_for_charts": level.label,
                "m_probability": level.m_probability,
                "u_probability": level.u_probability,
            }
        )
    name_levels.append(
        {
            "sql_condition": "ELSE",
            "label_for_charts": "Anything else",
            "m_probability": NAME_ELSE_M,
            "u_probability": NAME_ELSE_U,
        }
    )
    postcode_levels: list[dict[str, Any]] = [
        {"sql_condition": "postcode_l IS NULL OR postcode_r IS NULL", "is_null_level": True}
    ]
    for label, condition, m, u in POSTCODE_LEVELS:
        postcode_levels.append(
            {
                "sql_condition": condition,
                "label_for_charts": label,
                "m_probability": m,
                "u_probability": u,
            }
        )
    postcode_levels.append(
        {
            "sql_condition": "ELSE",
            "label_for_charts": "Different",
            "m_probability": POSTCODE_ELSE[0],
            "u_probability": POSTCODE_ELSE[1],
        }
    )
    minimum_frequency = 0.5 / max(unit_count, 1)
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": min(
            0.5, EXPECTED_VARIANT_SHARE / max(unit_count - 1, 1)
        ),
        "blocking_rules_to_generate_predictions": [
            "l.rare_word = r.rare_word",
            "substr(l.name_compact, 1, 6) = substr(r.name_compact, 1, 6)",
            "l.name_sorted_first = r.name_sorted_first AND l.name_sorted_last = r.name_sorted_last",
            "l.postcode = r.postcode",
        ],
        "comparisons": [
            {"output_column_name": "name", "comparison_levels": name_levels},
            {
                "output_column_name": "distinctive_word",
                "comparison_levels": [
                    {
                        "sql_condition": "rare_word_l = '' OR rare_word_r = ''",
                        "is_null_level": True,
                    },
                    {
                        "sql_condition": "rare_word_l = rare_word_r",
                        "label_for_charts": "Same rarest word",
                        "m_probability": DISTINCTIVE_WORD_M,
                        "u_probability": 0.01,
                        "tf_adjustment_column": "rare_word",
                        "tf_adjustment_weight": 1.0,
                        "tf_minimum_u_value": minimum_frequency,
                    },
                    {
                        "sql_condition": "ELSE",
                        "label_for_charts": "Different rarest word",
                        "m_probability": DISTINCTIVE_WORD_ELSE_M,
                        "u_probability": 0.99,
                    },
                ],
            },
            {"output_column_name": "postcode", "comparison_levels": postcode_levels},
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }


def _postcode_parts(postcode: str | None) -> tuple[str | None, str | None]:
    if postcode is None:
        return None, None
    outward, inward = postcode.split(" ")
    return f"{outward} {inward[0]}", outward


def _score_pairs(
    groups: Sequence[_NameGroup], review_threshold: float
) -> list[tuple[int, int, float]]:
    """Run Splink over the name groups; return (group_a, group_b, probability) pairs."""
    if len(groups) < 2:
        return []
    from splink import DuckDBAPI, Linker

    rarest, document_frequency = _rarest_words(groups)
    unit_count = len(groups)
    postcodes = [
        min(group.postcodes, key=lambda pc: (-group.postcodes[pc], pc)) if group.postcodes else None
        for group in groups
    ]
    parts = [_postcode_parts(postcode) for postcode in postcodes]
    sorted_words = [group.keys.token_sorted.split() or [""] for group in groups]
    table = pa.table(
        {
            "unique_id": pa.array(range(unit_count), type=pa.int64()),
            "name_core": [group.keys.core or None for group in groups],
            "name_sorted": [group.keys.token_sorted for group in groups],
            "name_compact": [group.keys.compact for group in groups],
            "name_sorted_first": [words[0] for words in sorted_words],
            "name_sorted_last": [words[-1] for words in sorted_words],
            "rare_word": rarest,
            "postcode": pa.array(postcodes, type=pa.string()),
            "postcode_sector": pa.array([p[0] for p in parts], type=pa.string()),
            "postcode_district": pa.array([p[1] for p in parts], type=pa.string()),
        }
    )
    # Frequency of the word among the *other* names: the pair being compared accounts for
    # two of the names holding it, so a word held by just these two is as rare as can be.
    words = sorted({word for word in rarest if word})
    term_frequencies = pa.table(
        {
            "rare_word": words,
            "tf_rare_word": [max(document_frequency[word] - 2, 0) / unit_count for word in words],
        }
    )
    connection = duckdb.connect(":memory:")
    try:
        db_api = DuckDBAPI(connection)
        input_table = db_api.register(table, table_name="supplier_names")
        linker = Linker(input_table, _splink_settings(unit_count), log_level=logging.WARNING)
        tf_table = db_api.register(term_frequencies, table_name="supplier_name_tf")
        linker.table_management.register_term_frequency_lookup(tf_table, "rare_word")
        predictions = linker.inference.predict(
            threshold_match_probability=review_threshold, warning_mode="never"
        )
        scored = (
            predictions.as_duckdbpyrelation()
            .select("unique_id_l, unique_id_r, match_probability")
            .fetchall()
        )
    finally:
        connection.close()
    return sorted((min(a, b), max(a, b), float(p)) for a, b, p in scored)


def link_suppliers(
    records: Sequence[SupplierRecord],
    *,
    prior_decisions: Sequence[PriorDecision] = (),
    thresholds: LinkThresholds = LinkThresholds(),
) -> LinkageResult:
    """Cluster supplier records into suppliers, layer by layer (see module docstring)."""
    _validate(records)
    record_count = len(records)
    groups = _group_by_name(records)
    group_of_record: dict[int, int] = {}
    for group_index, group in enumerate(groups):
        for record_index in group.record_indexes:
            group_of_record[record_index] = group_index
    group_index_by_name = {group.normalised: index for index, group in enumerate(groups)}

    decisions: dict[frozenset[str], PriorDecision] = {}
    for decision in sorted(prior_decisions, key=lambda d: (d.decided_on, d.reviewer)):
        decisions[decision.key()] = decision  # the latest decision on a pair wins
    applied: list[PriorDecision] = []

    union_find = _UnionFind(record_count)
    method_roots: list[tuple[LinkMethod, list[int]]] = []

    for a, b in _identifier_pairs(records):
        union_find.union(a, b)
    method_roots.append((LinkMethod.IDENTIFIER, union_find.roots()))

    for group in groups:
        first = group.record_indexes[0]
        for other in group.record_indexes[1:]:
            union_find.union(first, other)
    method_roots.append((LinkMethod.EXACT_NAME, union_find.roots()))

    review: list[ReviewItem] = []
    accepted_probabilities: dict[int, float] = {}
    for group_a, group_b, probability in _score_pairs(groups, thresholds.review):
        pair_key = frozenset({groups[group_a].normalised, groups[group_b].normalised})
        if pair_key in decisions:
            continue  # a person has already decided this pair
        if probability >= thresholds.accept:
            union_find.union(groups[group_a].record_indexes[0], groups[group_b].record_indexes[0])
            for group_index in (group_a, group_b):
                accepted_probabilities[group_index] = min(
                    accepted_probabilities.get(group_index, 1.0), probability
                )
        else:
            review.append(_review_item(records, groups[group_a], groups[group_b], probability))
    method_roots.append((LinkMethod.PROBABILISTIC, union_find.roots()))

    for pair_key, decision in sorted(decisions.items(), key=lambda item: sorted(item[0])):
        names = sorted(pair_key)
        present = [group_index_by_name.get(name) for name in names]
        if len(names) != 2 or present[0] is None or present[1] is None:
            continue
        applied.append(decision)
        if decision.decision is ReviewDecision.ACCEPT:
            union_find.union(
                groups[present[0]].record_indexes[0], groups[present[1]].record_indexes[0]
            )
    method_roots.append((LinkMethod.HUMAN, union_find.roots()))

    final_roots = union_find.roots()
    members: dict[int, list[int]] = defaultdict(list)
    for index, root in enumerate(final_roots):
        members[root].append(index)
    cluster_id_of_root = {
        root: min(records[i].record_id for i in indexes) for root, indexes in members.items()
    }
    layer_sizes = [(method, Counter(roots), roots) for method, roots in method_roots]

    links: list[RecordLink] = []
    for index, record in enumerate(records):
        final_size = len(members[final_roots[index]])
        method = LinkMethod.UNLINKED
        if final_size > 1:
            for layer_method, sizes, roots in layer_sizes:
                if sizes[roots[index]] == final_size:
                    method = layer_method
                    break
        probability = 1.0
        if method is LinkMethod.PROBABILISTIC:
            cluster_groups = {
                group_of_record[i] for i in members[final_roots[index]] if i in group_of_record
            }
            probability = min(accepted_probabilities.get(g, 1.0) for g in cluster_groups)
        links.append(
            RecordLink(
                record.record_id, cluster_id_of_root[final_roots[index]], method, probability
            )
        )

    multi_name_roots = {
        root
        for root, indexes in members.items()
        if len({group_of_record.get(i, -1 - i) for i in indexes}) > 1
    }
    total_spend = sum(record.spend_pence for record in records)
    multi_spend = sum(
        records[i].spend_pence for i in range(record_count) if final_roots[i] in multi_name_roots
    )
    review.sort(
        key=lambda item: (-item.spend_at_stake_pence, -item.probability, item.name_a, item.name_b)
    )
    return LinkageResult(
        links=tuple(links),
        review=tuple(review),
        decisions_applied=tuple(applied),
        total_spend_pence=total_spend,
        spend_in_multi_name_clusters_pence=multi_spend,
    )


def _review_item(
    records: Sequence[SupplierRecord], group_a: _NameGroup, group_b: _NameGroup, probability: float
) -> ReviewItem:
    return ReviewItem(
        name_a=group_a.display_name,
        name_b=group_b.display_name,
        probability=probability,
        spend_at_stake_pence=group_a.spend_pence + group_b.spend_pence,
        record_ids_a=tuple(records[i].record_id for i in group_a.record_indexes),
        record_ids_b=tuple(records[i].record_id for i in group_b.record_indexes),
    )


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One organisation on a register (Companies House or the Charity Commission)."""

    identifier: str
    name: str
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class RegisterMatch:
    cluster_id: str
    register: str
    identifier: str
    method: str  # "identifier" or "name_and_postcode"


@dataclass(frozen=True, slots=True)
class RegisterLinkage:
    matches: tuple[RegisterMatch, ...]
    total_spend_pence: int
    spend_linked_pence: int

    @property
    def share_of_spend_linked(self) -> float:
        """Share of spend value whose supplier cluster was found on a register."""
        if self.total_spend_pence == 0:
            return 0.0
        return self.spend_linked_pence / self.total_spend_pence


def link_to_registers(
    clusters: LinkageResult,
    records: Sequence[SupplierRecord],
    *,
    companies: Sequence[RegisterEntry] = (),
    charities: Sequence[RegisterEntry] = (),
) -> RegisterLinkage:
    """Find each supplier cluster on Companies House and the charity register.

    A cluster matches an entry when one of its records carries the entry's number, or
    when one of its records has the entry's normalised name *and* postcode (a name alone
    is not enough: many unrelated bodies share a name). The first match per register, in
    that order, is kept; identifiers are compared after normalisation.
    """
    cluster_of = clusters.cluster_of()
    members: dict[str, list[SupplierRecord]] = defaultdict(list)
    for record in records:
        if record.record_id not in cluster_of:
            raise ValueError(f"record {record.record_id!r} is not in the linkage result")
        members[cluster_of[record.record_id]].append(record)

    registers = (
        ("companies_house", companies, normalise_company_number, "company_number"),
        ("charity", charities, normalise_charity_number, "charity_number"),
    )
    matches: list[RegisterMatch] = []
    for register_name, entries, normalise_number, attribute in registers:
        by_number: dict[str, RegisterEntry] = {}
        by_name_postcode: dict[tuple[str, str], RegisterEntry] = {}
        for entry in entries:
            if number := normalise_number(entry.identifier):
                by_number.setdefault(number, entry)
            postcode = normalise_postcode(entry.postcode)
            if postcode:
                by_name_postcode.setdefault((normalise_supplier_name(entry.name), postcode), entry)
        for cluster_id in sorted(members):
            match = _register_match(
                members[cluster_id], by_number, by_name_postcode, normalise_number, attribute
            )
            if match is not None:
                entry, method = match
                matches.append(RegisterMatch(cluster_id, register_name, entry.identifier, method))

    linked_clusters = {match.cluster_id for match in matches}
    return RegisterLinkage(
        matches=tuple(matches),
        total_spend_pence=sum(record.spend_pence for record in records),
        spend_linked_pence=sum(
            record.spend_pence
            for record in records
            if cluster_of[record.record_id] in linked_clusters
        ),
    )


def _register_match(
    cluster_records: Sequence[SupplierRecord],
    by_number: dict[str, RegisterEntry],
    by_name_postcode: dict[tuple[str, str], RegisterEntry],
    normalise_number: Callable[[str | None], str | None],
    attribute: str,
) -> tuple[RegisterEntry, str] | None:
    ordered = sorted(cluster_records, key=lambda record: record.record_id)
    for record in ordered:
        number = normalise_number(getattr(record, attribute))
        if number and number in by_number:
            return by_number[number], "identifier"
    for record in ordered:
        postcode = normalise_postcode(record.postcode)
        if postcode:
            entry = by_name_postcode.get((normalise_supplier_name(record.raw_name), postcode))
            if entry is not None:
                return entry, "name_and_postcode"
    return None
