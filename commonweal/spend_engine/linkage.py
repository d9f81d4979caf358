"""Supplier linkage: decide which supplier records are the same supplier.

Layers, applied in this order (domain brief section 7):

1. **Identifiers.** Same anchor and same council supplier ID, unless the ID is a sundry
   account for many payees (``SundryAccountGuard``); same Companies House number; same
   charity number; same VAT number. Certain. Different VAT, company or charity numbers
   keep records apart in every later layer (``DifferentIdentifierGuard``).
2. **Exact normalised name** (see ``names.normalise_supplier_name``). Certain. A
   redacted name ("REDACTED PERSONAL DATA") is no name, so it takes no part in this
   layer or those after it: published with a supplier ID, it joins that supplier;
   without one, it stays alone. Otherwise one redaction published under many suppliers'
   IDs would join them all into one.
3. **Name rules**, each a class below with the reason in its docstring: same name but
   for legal form, spacing or word order (``SameCoreNameRule``), or a plural S
   (``PluralWordRule``); a name held inside another, "X T/A Y", "X (Y)", "X C/O Y", but
   not a name qualified by a place or department, "X (HOUSING)" (``InnerNameRule``); names of one company named with its
   legal form (``SameTradingCompanyRule``), also when one letter of a long word is
   mistyped (``MisspeltCompanyNameRule``); a site named with a company's brand and a word
   of its name (``BrandedSiteRule``); a care home's name with its kind added, "X CARE
   HOME", and the home's name alone or its operator's account for it, "OPERATOR LTD (X)"
   (``CareHomeNameRule``); a company's previous and current names on
   Companies House (``CompanyNameHistoryRule``). None of them links on a common word or a
   person's name (``DistinctiveNameGuard``). Probability 1.
4. **Probabilistic** (Splink 5 on DuckDB) over the distinct normalised names. Pairs at or
   above ``LinkThresholds.accept`` are linked, except a name with words added to the
   other (``AddedWordsGuard``) or the same service at another site, "X AT Y"
   (``ServiceAtSitesGuard``), which always go to a person; pairs between ``review``
   and ``accept`` go to a review list for a person; lower pairs are ignored. Pairs
   already joined by an earlier layer are not sent for review.
5. **Human decisions** from earlier reviews override the model and the name rules: a
   rejected pair is never linked by either, an accepted pair is always linked.
   Decisions are keyed by normalised names, so they apply again to the next period's
   file.

Clusters are the connected components of all links. A cluster's id is its smallest
record id, so the same input always gives the same ids; except that a cluster holding a
record whose id was a cluster id in the previous run (``earlier_clusters``) keeps that id
(the one that had the most spend, if it holds several). So a supplier keeps its id, and
what hangs on it, when a new year's names join it.

The probabilistic model's m values are documented constants (``NAME_MODEL``,
``SHARED_WORD_MODEL``), not EM estimates: with names as the only field EM has nothing
independent to learn from. The u values of the shared-word comparison are computed
from each run's own word frequencies (a term-frequency adjustment in levels: sharing
"BIRCHENALL" counts for more than sharing "SHEFFIELD"). The u values of the name
comparison are constants read as "given that the two names share a word" (the
shared-word comparison already counts that); they agree with Splink's random-sampling
estimate divided by the share of random pairs that share a word, on two councils'
creditor lists (``benchmarks/bench_linkage_quality.py --estimate-u`` prints both).
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import combinations
from typing import Any, Final

import duckdb
import pyarrow as pa

from commonweal.spend_engine.names import (
    FUNCTION_WORDS,
    NameKeys,
    core_supplier_name,
    name_keys,
    normalise_supplier_name,
)


class LinkMethod(StrEnum):
    """How a record reached its cluster (the weakest layer it depends on)."""

    IDENTIFIER = "identifier"
    EXACT_NAME = "exact_name"
    NAME_RULE = "name_rule"
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
    # A redaction ("REDACTED PERSONAL DATA") is not a name: it joins no other record by name.
    is_redacted: bool = False


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
    """Where one record ended up. ``rule`` names the name rules that joined its cluster
    ("inner name; same core name"), empty when no rule was needed."""

    record_id: str
    cluster_id: str
    method: LinkMethod
    probability: float
    rule: str = ""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A pair the model is unsure about, for a person to accept or reject."""

    name_a: str
    name_b: str
    probability: float
    spend_at_stake_pence: int
    record_ids_a: tuple[str, ...]
    record_ids_b: tuple[str, ...]
    #: Why a person is asked, in plain words (REVIEW_REASONS).
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LinkageResult:
    links: tuple[RecordLink, ...]
    review: tuple[ReviewItem, ...]
    decisions_applied: tuple[PriorDecision, ...]
    total_spend_pence: int
    spend_in_multi_name_clusters_pence: int
    #: Name links refused because the two sides publish different numbers.
    refused_by_identifiers: int = 0

    @property
    def share_of_spend_in_multi_name_clusters(self) -> float:
        """Share of spend value whose supplier was linked to at least one other name."""
        if self.total_spend_pence == 0:
            return 0.0
        return self.spend_in_multi_name_clusters_pence / self.total_spend_pence

    def cluster_of(self) -> dict[str, str]:
        return {link.record_id: link.cluster_id for link in self.links}


# --- Deterministic name rules ---------------------------------------------------------
#
# Some name pairs need no model: "YORKSHIRE WATER" and "YORKSHIRE WATER PLC" are one
# supplier unless the name is so common that two bodies could bear it. These rules link
# such pairs outright and say why; everything else goes to the probabilistic layer.

# A one-word core held by more than this many other names in the run is a common word
# ("SHEFFIELD", "CARE"), not a name: "SHEFFIELD LTD" and "SHEFFIELD" prove nothing.
COMMON_WORD_NAME_COUNT: Final = 5
#: Names are compared when their first six letters match, unless more names than this begin
#: with those letters ("SUPPLIER 1 LTD" ... "SUPPLIER 9999 LTD"): such a beginning says nothing
#: about which of them match, and comparing them all grows with the square of their number.
PREFIX_BLOCK_MAX_NAMES: Final = 200
PREFIX_LENGTH: Final = 6
#: A supplier ID under more different names than this is a sundry account (SundryAccountGuard).
#: Sheffield's creditor numbers carry at most three names each.
SUNDRY_ACCOUNT_NAME_COUNT: Final = 10

# Titles and initials: "MR J SMITH" is a person, and people share names.
_PERSON_TITLES: Final[frozenset[str]] = frozenset({"MR", "MRS", "MS", "MISS", "DR"})
# Words that separate two names inside one name ("X TA Y", "X C O Y"): not evidence.
_NON_WORDS: Final[frozenset[str]] = frozenset({"TA"})


@dataclass(frozen=True, slots=True)
class NameVocabulary:
    """How many of the run's names use each word, and which names hold each inner name.

    ``word_counts`` counts names (not payments) whose core contains the word.
    ``inner_name_holders`` counts names that hold a core inside them ("T/A", "C/O",
    brackets, a " - " branch), see ``names.alias_cores``.
    """

    word_counts: dict[str, int]
    inner_name_holders: dict[str, int]
    name_count: int

    @classmethod
    def of(cls, keys: Sequence[NameKeys]) -> NameVocabulary:
        word_counts: Counter[str] = Counter()
        holders: Counter[str] = Counter()
        for key in keys:
            word_counts.update(set(key.core.split()) | set(word_stems(key.core)))
            holders.update(set(key.alias_cores))
        return cls(dict(word_counts), dict(holders), len(keys))

    def has_uncommon_word(self, core: str, *, names_known_to_use: int) -> bool:
        """Whether a word of three or more letters of the core is used by at most
        COMMON_WORD_NAME_COUNT names besides the ``names_known_to_use`` names the caller
        is comparing: "MANOR HOUSE" has none, "CASTELAYN" has one."""
        return any(
            self.word_counts.get(word, 0) - names_known_to_use <= COMMON_WORD_NAME_COUNT
            for word in core.split()
            if len(word) >= 3 and word not in _PERSON_TITLES
        )

    def words_by_rarity(self, core: str) -> list[str]:
        """The core's words, rarest first (ties: longer first, then alphabetical)."""
        words = {word for word in core.split() if len(word) >= 2 and word not in _NON_WORDS}
        return sorted(words, key=lambda word: (self.word_counts.get(word, 0), -len(word), word))


def word_stems(core: str) -> list[str]:
    """The core's words without a plural S ("EVENTS SOLUTION" and "EVENT SOLUTIONS"
    share both words), for the shared-word comparison."""
    return list(_word_stems(core))


# Cached: the vocabulary, PluralWordRule and the model's input each ask for a name's stems.
@functools.lru_cache(maxsize=65_536)
def _word_stems(core: str) -> tuple[str, ...]:
    return tuple(
        word[:-1] if len(word) >= 4 and word.endswith("S") else word for word in core.split()
    )


class DistinctiveNameGuard:
    """A core name is distinctive enough to link on by itself when it has four or more
    letters; has a word of three or more letters; does not look like a person (one word
    with one or two initials or titles, as in "MR J SMITH" or "SMITH J"); and, when it
    is a single word, that word is not common: at most COMMON_WORD_NAME_COUNT other
    names in the run use it. "SHEFFIELD" and "SHEFFIELD LTD" may be two bodies;
    "BIRCHENALL HOWDEN" and "BIRCHENALLHOWDEN LTD" are one."""

    def __init__(self, vocabulary: NameVocabulary) -> None:
        self.vocabulary = vocabulary

    def allows(self, core: str) -> bool:
        words = core.split()
        if len(core.replace(" ", "")) < 4:
            return False
        long_words = [word for word in words if len(word) >= 3 and word not in _PERSON_TITLES]
        if not long_words:
            return False
        if len(long_words) == 1 and 1 < len(words) <= 3:
            return False  # one or two initials or titles and one word: "MR J SMITH"
        if len(words) == 1:
            same_core_names = 1  # the word's count includes the names with this very core
            return self.vocabulary.word_counts.get(words[0], 0) - same_core_names <= (
                COMMON_WORD_NAME_COUNT
            )
        return True


class SameCoreNameRule:
    """Two names are the same supplier when, after normalisation, they differ only in
    legal form ("LTD", "PLC", "(UK) LIMITED"), in spacing ("BIRCHENALLHOWDEN",
    "ROTHERHAM M B C") or in word order, and the name is distinctive (see
    DistinctiveNameGuard)."""

    label: Final = "same core name"

    def pairs(
        self, keys: Sequence[NameKeys], guard: DistinctiveNameGuard
    ) -> Iterable[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for attribute in ("core", "compact", "token_sorted"):
            first_with: dict[str, int] = {}
            for index, key in enumerate(keys):
                value: str = getattr(key, attribute)
                if not value or not guard.allows(key.core):
                    continue
                first = first_with.setdefault(value, index)
                if first != index:
                    found.add((first, index))
        yield from sorted(found)


class PluralWordRule:
    """Two names of two or more words are the same supplier when they differ only in a
    plural S on some of their words (and in legal form, spacing or word order, as for
    SameCoreNameRule): "EVENT SOLUTIONS LTD" and "EVENTS SOLUTION LTD", "CAPITA BUSINESS
    SERVICE" and "CAPITA BUSINESS SERVICES". The name must be distinctive (see
    DistinctiveNameGuard). A one-word name is left to the model and to people:
    "MILLFIELD" and "MILLFIELDS" may be two places."""

    label: Final = "plural word"

    def pairs(
        self, keys: Sequence[NameKeys], guard: DistinctiveNameGuard
    ) -> Iterable[tuple[int, int]]:
        by_stems: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            if " " in key.core:  # two or more words
                by_stems[" ".join(sorted(word_stems(key.core)))].append(index)
        for indexes in by_stems.values():
            if len(indexes) < 2:
                continue  # nearly every name: no other name has its words
            named = [index for index in indexes if guard.allows(keys[index].core)]
            for index in named[1:]:
                if keys[index].core != keys[named[0]].core:
                    yield named[0], index


class InnerNameRule:
    """A name that holds another name of the run links to it: "PSC MAILING T/A PSC
    SYSTEMS" and "PSC SYSTEMS", "CASTELAYN (SHEFFCARE LTD)" and "CASTELAYN". Only when
    the inner name is distinctive and has a word few other names use ("MANOR HOUSE"
    inside "PARK LANE HEALTHCARE (MANOR HOUSE)" has none), the numbers in both names
    agree ("AUTISM CARE UK (2) LIMITED" is not "AUTISM CARE (UK) LIMITED") and no other
    name holds it: when "X (SHEFFCARE LTD)" and "Y (SHEFFCARE LTD)" both hold
    "SHEFFCARE", the name "SHEFFCARE LTD" could be either home's operator account and a
    person decides. A name that holds two names of the run ("MITIE PFI - KING ECGBERTS
    SCHOOL") would join two suppliers, and a name qualified by a place or department
    ("TARGET HOUSING - ROTHERHAM", see ``names.qualified_base``) may be a body or account
    of its own, so both are left to the model and to people too."""

    label: Final = "inner name"

    def pairs(
        self,
        keys: Sequence[NameKeys],
        guard: DistinctiveNameGuard,
        vocabulary: NameVocabulary,
    ) -> Iterable[tuple[int, int]]:
        by_core: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            by_core[key.core].append(index)
        for index, key in enumerate(keys):
            matched = [
                inner
                for inner in key.alias_cores
                if inner in by_core
                and vocabulary.inner_name_holders.get(inner, 0) == 1
                and guard.allows(inner)
                and vocabulary.has_uncommon_word(inner, names_known_to_use=2)
            ]
            if len(matched) != 1:
                continue  # "MITIE PFI - KING ECGBERTS SCHOOL" names two suppliers: ask
            if matched[0] == key.qualified_base:
                continue  # "BRADFORD COUNCIL (HOUSING)" may be a body of its own: ask
            for other in by_core[matched[0]]:
                if _digits(keys[other].core) == _digits(key.core):  # "ACME (2) LTD"
                    yield min(index, other), max(index, other)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class SameTradingCompanyRule:
    """Names that say which company they are belong to that company. A company is
    named with its legal form: "PRIORY HEALTHCARE LIMITED", or "PRIORY HEALTHCARE
    LIMITED" followed by more ("... T/A CRAEGMOOR SHIELING", "... - QUEEN STREET",
    "... RENT A/C"). Every such name, and every "PRIORY HEALTHCARE T/A ..." name, joins
    the company. Two "THE MANSE T/A ..." names with no "THE MANSE LTD" anywhere stay
    apart: without a legal form "THE MANSE" may be a building, not a company. The
    company's name must be distinctive (see DistinctiveNameGuard)."""

    label: Final = "same trading company"

    def pairs(
        self, keys: Sequence[NameKeys], guard: DistinctiveNameGuard
    ) -> Iterable[tuple[int, int]]:
        first_with: dict[str, int] = {}
        for index, key in enumerate(keys):
            company = _company_of(key)
            if company and guard.allows(company):
                first_with.setdefault(company, index)
        for index, key in enumerate(keys):
            for claimed in {_company_of(key), key.trading_owner} - {""}:
                first = first_with.get(claimed)
                if first is not None and first != index:
                    yield min(first, index), max(first, index)


def _company_of(key: NameKeys) -> str:
    """The company a name names with its legal form (see SameTradingCompanyRule), or ""."""
    return key.trading_entity or (key.core if key.legal_form else "")


class MisspeltCompanyNameRule:
    """Two names that each name a company with its legal form (see SameTradingCompanyRule)
    are one company when the two company names differ only by one typing error (a letter
    added, dropped or changed, or two letters swapped) in one word of seven or more letters,
    every other word being the same: "EXEMPLAR HEALTH CARE LIMITED T/A DEARNEVALE BARNSLEY"
    and "EXEMPLER HEALTH CARE LIMITED T/A QUARRYFIELDS". The company names need two or more
    words and must be distinctive (see DistinctiveNameGuard); a shorter word is too often
    another name ("JONES" and "JONAS")."""

    label: Final = "misspelt company name"
    shortest_word: Final = 7

    def pairs(
        self, keys: Sequence[NameKeys], guard: DistinctiveNameGuard
    ) -> Iterable[tuple[int, int]]:
        first_with: dict[str, int] = {}
        for index, key in enumerate(keys):
            company = _company_of(key)
            if company and len(company.split()) >= 2 and guard.allows(company):
                first_with.setdefault(company, index)
        # Companies that agree on every word but one share that word's masked form.
        by_mask: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for company in sorted(first_with):
            words = company.split()
            for position, word in enumerate(words):
                if len(word) >= self.shortest_word and not any(ch.isdigit() for ch in word):
                    by_mask[(*words[:position], "*", *words[position + 1 :])].append(company)
        found: set[tuple[int, int]] = set()
        for mask, companies in by_mask.items():
            position = mask.index("*")
            for company_a, company_b in combinations(companies, 2):
                if one_typing_error_apart(company_a.split()[position], company_b.split()[position]):
                    a, b = first_with[company_a], first_with[company_b]
                    found.add((min(a, b), max(a, b)))
        yield from sorted(found)


class BrandedSiteRule:
    """A company that runs its sites under a brand names them "COMPANY LTD T/A BRAND SITE"
    ("HOLLYBANK CARE LIMITED T/A ELMSTONE ORCHARD HOUSE", "... T/A ELMSTONE THE BEECHES").
    A name with no legal form and no "T/A" that begins with that brand and also carries a
    word of the company's own name ("ELMSTONE MILL LANE HOLLYBANK") is one of its sites.
    The brand must begin two or more of the company's trading names and have four or more
    letters, and the company's name must be distinctive (see DistinctiveNameGuard). When
    the brand is also a word of another company's name or trading names, the site joins
    the one whose own name it shares the most words with, and none on a tie. A name that
    carries the brand but no word of the company's name ("ELMSTONE MILL LANE") is left to
    the model and to people: brands are sold, and another company may run that site."""

    label: Final = "branded site"
    shortest_brand: Final = 4

    def pairs(
        self, keys: Sequence[NameKeys], guard: DistinctiveNameGuard
    ) -> Iterable[tuple[int, int]]:
        trading_names_by_brand: dict[str, Counter[str]] = defaultdict(Counter)
        for key in keys:
            company = _company_of(key)
            if company and key.trading_name:
                brand = key.trading_name.split()[0]
                if len(brand) >= self.shortest_brand:
                    trading_names_by_brand[brand][company] += 1
        holders_of = {
            brand: {company for company, count in counts.items() if count > 1}
            for brand, counts in trading_names_by_brand.items()
        }
        holders_of = {brand: holders for brand, holders in holders_of.items() if holders}
        if not holders_of:
            return  # most runs: no company trades under a brand
        first_of_company: dict[str, int] = {}
        companies_using: dict[str, set[str]] = defaultdict(set)
        for index, key in enumerate(keys):
            company = _company_of(key)
            if company:
                first_of_company.setdefault(company, index)
            # Any claim on a brand, with or without a legal form, can make a site ambiguous.
            for claimant in {company, key.trading_owner} - {""}:
                for word in {*claimant.split(), *key.trading_name.split()} & holders_of.keys():
                    companies_using[word].add(claimant)
        for index, key in enumerate(keys):
            words = key.core.split()
            if key.legal_form or key.trading_owner or key.trading_entity or len(words) < 2:
                continue
            brand = words[0]
            holders = {c for c in holders_of.get(brand, ()) if guard.allows(c)}
            if not holders:
                continue
            site_words = {w for w in words[1:] if len(w) >= 3 and w not in FUNCTION_WORDS}
            shared = {c: len(site_words & set(c.split())) for c in companies_using[brand]}
            best = max(shared.values())
            named = [company for company, count in shared.items() if count == best]
            if best >= 1 and len(named) == 1 and named[0] in holders:
                first = first_of_company[named[0]]
                yield min(first, index), max(first, index)


# A care home's name followed by what kind of home it is: "... CARE HOME", "... RES HOME",
# "... EMI N HOME", "... N H" (nursing home), "... CARE CENTRE". One home, so not "HOMES".
_CARE_HOME_KIND_RE: Final = re.compile(
    r"^(?P<home>.+?)(?: (?:(?:EMI|RESIDENTIAL|RES|NURSING|N|CARE|REST) )+HOME| N H| CARE CENTRE)$"
)

_CARE_HOME_ENDINGS: Final = ("HOME", " N H", " CARE CENTRE")


def care_home_of(core: str) -> str:
    """The home's own name in a core that adds what kind of home it is ("SHIREBROOK FIELDS
    CARE HOME" -> "SHIREBROOK FIELDS"), or ""."""
    match = _CARE_HOME_KIND_RE.match(core)
    return match.group("home") if match else ""


class CareHomeNameRule:
    """A care home's name with what kind of home it is added ("SHIREBROOK FIELDS CARE
    HOME", "ABBEYFIELD GRANGE RES HOME LTD", "CALSA CARE LTD T/A VICARAGE COURT CARE
    HOME") is the same supplier as the home's name alone ("SHIREBROOK FIELDS") or as the
    one name that holds it: its operator's account for the home ("AKARI CARE LTD (SILVER
    LODGE)", "SUSASH GB LTD T/A EAGLE HOUSE", "HORIZON CARE HOMES LTD WOOD HILL GRANGE").
    "Care home" says what the place is, not who runs it, so, unlike other added words
    (see AddedWordsGuard), it does not make another body. Only when the home's name has
    two or more words, is distinctive (see DistinctiveNameGuard) and has a word few other
    names use ("WHITE HOUSE" alone is not enough when many names say WHITE), and only one
    other name holds it: when "THE WHITE HOUSE" and "HEATHCOTES LTD (THE WHITE HOUSE)" are
    both in the run, the home may have changed hands and a person decides; and only when
    the run names the home with one kind: Sheffield pays "CLIFF HOUSE RESIDENTIAL HOME"
    and "CLIFF HOUSE NURSING HOME" under two creditor numbers. A name that says HOMES
    names an operator of several homes ("COUNTRY COURT CARE HOMES LTD"), not a home, and
    is left to the model and to people."""

    label: Final = "care home name"

    def pairs(
        self,
        keys: Sequence[NameKeys],
        guard: DistinctiveNameGuard,
        vocabulary: NameVocabulary,
    ) -> Iterable[tuple[int, int]]:
        homes = {
            index: care_home_of(key.trading_name or key.core)
            for index, key in enumerate(keys)
            if key.core.endswith(_CARE_HOME_ENDINGS)  # most names: no look at the pattern
        }
        homes = {
            index: home
            for index, home in homes.items()
            if len(home.split()) >= 2
            and guard.allows(home)
            and vocabulary.has_uncommon_word(home, names_known_to_use=2)
        }
        if not homes:
            return  # most runs of a small file: no care home named with its kind
        kinds: dict[str, set[str]] = defaultdict(set)
        for index, home in homes.items():
            kinds[home].add(keys[index].trading_name or keys[index].core)
        wanted = {home for home, named in kinds.items() if len(named) == 1}
        holders: dict[str, set[int]] = defaultdict(set)
        for index, key in enumerate(keys):
            for held in (key.core, *key.alias_cores, key.trading_name):
                if held in wanted:
                    holders[held].add(index)
            if key.trading_entity and not key.trading_name:
                site = key.core.removeprefix(key.trading_entity + " ")  # "X LTD SITE"
                if site in wanted:
                    holders[site].add(index)
        for index, home in homes.items():
            if home not in wanted:
                continue  # "CLIFF HOUSE RESIDENTIAL HOME" and "... NURSING HOME": two homes
            others = holders.get(home, set()) - {index}
            if len(others) == 1:
                other = others.pop()
                yield min(index, other), max(index, other)


def one_typing_error_apart(word_a: str, word_b: str) -> bool:
    """Whether two different words are one letter added, dropped or changed, or two
    neighbouring letters swapped, apart ("EXEMPLAR" and "EXEMPLER")."""
    if word_a == word_b or abs(len(word_a) - len(word_b)) > 1:
        return False
    start = 0
    while start < min(len(word_a), len(word_b)) and word_a[start] == word_b[start]:
        start += 1
    rest_a, rest_b = word_a[start:], word_b[start:]
    if len(rest_a) == len(rest_b):
        swapped = len(rest_a) >= 2 and rest_a[:2] == rest_b[1::-1] and rest_a[2:] == rest_b[2:]
        return rest_a[1:] == rest_b[1:] or swapped
    longer, shorter = (rest_a, rest_b) if len(rest_a) > len(rest_b) else (rest_b, rest_a)
    return longer[1:] == shorter


@dataclass(frozen=True, slots=True)
class RegisteredCompany:
    """A company as Companies House lists it: its number, current name and previous names."""

    company_number: str
    name: str
    previous_names: tuple[str, ...] = ()


class CompanyNameHistoryRule:
    """A company that changed its name is one supplier under its old name and its new one.
    When Companies House lists a name of the run as a company's current or previous name
    (the same name but for legal form, as ``core_supplier_name`` reads it), or a record of
    the run carries the company's number, those names join: "CARLTON FUELS LIMITED" and
    "CERTAS ENERGY UK LTD" are one supplier when the register says the company was renamed.
    A name joins by its name only when it is distinctive (see DistinctiveNameGuard) and only
    one of the companies found has ever borne it (a name given up by one company and taken by
    another is left to the model and to people); a name whose records carry a company number
    joins that company only."""

    label: Final = "company name history"

    def pairs(
        self,
        keys: Sequence[NameKeys],
        company_numbers: Sequence[frozenset[str]],
        companies: Sequence[RegisteredCompany],
        guard: DistinctiveNameGuard,
    ) -> Iterable[tuple[int, int]]:
        bearers: dict[str, set[str]] = defaultdict(set)
        renamed: set[str] = set()
        for company in companies:
            number = normalise_company_number(company.company_number)
            if number is None:
                continue
            if company.previous_names:
                renamed.add(number)
            for name in (company.name, *company.previous_names):
                if core := core_supplier_name(name):
                    bearers[core].add(number)
        members: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            numbers = set(company_numbers[index])
            if not numbers and len(bearers.get(key.core, ())) == 1 and guard.allows(key.core):
                numbers = set(bearers[key.core])
            for number in sorted(numbers & renamed):
                members[number].append(index)
        for indexes in members.values():
            for other in indexes[1:]:
                yield min(indexes[0], other), max(indexes[0], other)


class AddedWordsGuard:
    """The model never links on its own a pair in which one name is the other with
    words added ("NETWORK RAIL" and "NETWORK RAIL INFRASTRUCTURE LTD", "SOUTH YORKSHIRE
    POLICE" and "SOUTH YORKSHIRE POLICE AUTHORITY", "VIRGIN MEDIA" and "VIRGIN MEDIA
    PAYMENTS LTD") or cut short ("LANGUAGELINE" and "LANGUAGE LINE SOLUTIONS"). Such
    names are as often another company of the same group, a branch or another account
    as the same supplier, however rare their words, so the pair goes to the review
    queue. Legal forms, plural S and spacing are not added words, and the name rules
    (a company named with its legal form, a name held inside another) are not affected.
    The same postcode on both names is the independent evidence that lets it through."""

    def needs_review(self, group_a: _NameGroup, group_b: _NameGroup) -> bool:
        postcode = _main_postcode(group_a)
        if postcode is not None and postcode == _main_postcode(group_b):
            return False
        return adds_words(group_a.keys.core, group_b.keys.core)


class ServiceAtSitesGuard:
    """The model never links on its own two names that are the same service at different
    sites, "SERVICE AT SITE" ("@" is read as AT): "KIDZCLUB AT HOLLY PARK" and "KIDZCLUB
    @ THE GREEN". They are often one provider's sites, so the model is told (see
    NAME_MODEL) and the pair is put to a person; but "NURSERY AT ST JOHNS" and "NURSERY
    AT ST MARYS" may be two schools' own nurseries, however alike the names."""

    def needs_review(self, group_a: _NameGroup, group_b: _NameGroup) -> bool:
        return same_service_at_other_sites(group_a.keys.core, group_b.keys.core)


def same_service_at_other_sites(core_a: str, core_b: str) -> bool:
    """Whether both cores read "SERVICE AT SITE" with the same service and different sites."""
    service = _service_at_a_site(core_a)
    return service is not None and service == _service_at_a_site(core_b) and core_a != core_b


def _service_at_a_site(core: str) -> str | None:
    """SERVICE of a core that reads "SERVICE AT SITE", else None."""
    service, at, site = core.partition(" AT ")
    return service if at and service and site else None


def adds_words(core_a: str, core_b: str) -> bool:
    """Whether one core is the other with words added or cut short: its words (plural S
    aside) include all of the other's and more, or, spaces ignored, it begins with the
    whole of the other and goes on."""
    stems_a, stems_b = set(word_stems(core_a)), set(word_stems(core_b))
    if stems_a < stems_b or stems_b < stems_a:
        return True
    compact_a, compact_b = core_a.replace(" ", ""), core_b.replace(" ", "")
    shorter, longer = sorted((compact_a, compact_b), key=len)
    return len(longer) > len(shorter) + 1 and longer.startswith(shorter)


# --- Probabilistic model parameters -------------------------------------------------
#
# Two comparisons, each a list of levels tried in order (the first that holds applies).
#
# "name" compares the whole names. m is the share of true variants of one supplier's
# name at each level, from the kinds of variation in the domain brief (legal form,
# spacing, inner names, typing errors, truncation, extra words, renames). u is the share
# of pairs of *different* suppliers at that level among pairs that share a word (the
# shared-word comparison counts the sharing itself). The constants agree with Splink's
# random-sampling estimate (estimate_u_using_random_sampling) divided by the share of
# random pairs that share a word, on Sheffield's and Wakefield's creditor lists; those
# estimates are upper bounds for the strongest levels, where the sampled pairs include
# true variants. `benchmarks/bench_linkage_quality.py --estimate-u` prints both.
#
# "shared word" asks how rare the rarest word the two names share is. Its u values
# come from the run itself (see _shared_word_u): a word that only these two names use
# is strong evidence, "SHEFFIELD" is weak evidence, no shared word is evidence against.


@dataclass(frozen=True, slots=True)
class NameLevel:
    label: str
    sql_condition: str
    m_probability: float
    u_probability: float


_TOKENS_L: Final = "string_split(name_core_l, ' ')"
_TOKENS_R: Final = "string_split(name_core_r, ' ')"
_SAME_KEY: Final = (
    "(name_core_l = name_core_r or name_compact_l = name_compact_r"
    " or name_sorted_l = name_sorted_r)"
)
_INNER_NAME: Final = (
    "(list_contains(inner_names_l, name_core_r) or list_contains(inner_names_r, name_core_l))"
)
# A typing error: one or two letters apart (two only in long names), same digits and
# same initials ("A B GRAPHICS" and "A T GRAPHICS" are two firms), and inside one word:
# plurals aside, one word at most differs, by two letters at most ("TWINKLE STAR
# NURSERY" and "TWINKLES DAY NURSERY" are two letters apart, but STAR is not DAY).
_ONLY_IN_L: Final = "list_filter(name_stems_l, lambda w: not list_contains(name_stems_r, w))"
_ONLY_IN_R: Final = "list_filter(name_stems_r, lambda w: not list_contains(name_stems_l, w))"
_TYPING_ERROR: Final = (
    "(case when name_digits_l = name_digits_r and name_initials_l = name_initials_r"
    " and abs(length(name_compact_l) - length(name_compact_r)) <= 2"
    " and least(length(name_compact_l), length(name_compact_r)) >= 8"
    f" and len({_ONLY_IN_L}) <= 1 and len({_ONLY_IN_R}) <= 1"
    " then damerau_levenshtein(name_compact_l, name_compact_r)"
    " <= case when least(length(name_compact_l), length(name_compact_r)) >= 14 then 2 else 1 end"
    f" and damerau_levenshtein(coalesce({_ONLY_IN_L}[1], ''), coalesce({_ONLY_IN_R}[1], ''))"
    " <= 2"
    " else false end)"
)
# Extra words or a truncated end: every word (two or more) of the shorter name is in the
# longer, or the shorter name (12+ letters, spaces ignored) is how the longer one begins
# ("LANGUAGELINE" / "LANGUAGE LINE SOLUTIONS"; shorter ones are often just a word:
# "INSPIRATION" / "INSPIRATIONS HAIR STUDIO").
_SHORTER_CONTAINED: Final = (
    "name_digits_l = name_digits_r and "
    f"((list_has_all({_TOKENS_L}, {_TOKENS_R}) and len({_TOKENS_R}) >= 2)"
    f" or (list_has_all({_TOKENS_R}, {_TOKENS_L}) and len({_TOKENS_L}) >= 2)"
    " or (least(length(name_compact_l), length(name_compact_r)) >= 12 and"
    " (starts_with(name_compact_l, name_compact_r) or starts_with(name_compact_r, name_compact_l))))"
)
# A one-word name inside a longer one ("RETHINK" and "RETHINK MHREC", but also "CRB" and
# "CRB DOOR SYSTEMS"): far weaker, because a single word is often someone else's too.
_ONE_WORD_CONTAINED: Final = (
    f"((list_has_all({_TOKENS_L}, {_TOKENS_R}) and len({_TOKENS_R}) = 1)"
    f" or (list_has_all({_TOKENS_R}, {_TOKENS_L}) and len({_TOKENS_L}) = 1))"
)
# The shorter name (two or more words) is how the longer one begins, and begins no other
# name of the run: "CARTER BROWN" / "CARTER BROWN ASSOCIATES LTD". When it begins
# several ("PHOENIX HOUSE (BEXHILL)", "PHOENIX HOUSE (SHEFFIELD)") it is not this level.
# Nor when both names end in a legal form: each is then a registered company name, and
# a registered name with more words is usually another company of the same group
# ("VEOLIA ES SHEFFIELD LIMITED" and "VEOLIA ES (UK) LIMITED").
_UNIQUE_BEGINNING: Final = (
    "name_digits_l = name_digits_r and (legal_form_l = '' or legal_form_r = '')"
    " and ((starts_with(name_core_l || ' ', name_core_r || ' ') and longer_names_r = 1"
    f" and len({_TOKENS_R}) >= 2)"
    " or (starts_with(name_core_r || ' ', name_core_l || ' ') and longer_names_l = 1"
    f" and len({_TOKENS_L}) >= 2))"
)

# The same service at different sites: "KIDZCLUB AT HOLLY PARK" / "KIDZCLUB AT THE GREEN"
# (see ServiceAtSitesGuard: such pairs always go to a person).
_SERVICE_AT_SITES: Final = "(name_service_l = name_service_r and name_core_l <> name_core_r)"

NAME_MODEL: Final[tuple[NameLevel, ...]] = (
    NameLevel(
        "Same name but for legal form, spacing or word order; distinctive",
        f"{_SAME_KEY} and distinctive_l and distinctive_r",
        0.40,
        1e-5,
    ),
    NameLevel(
        "Same name but for legal form, spacing or word order; common or person-like",
        _SAME_KEY,
        0.05,
        1e-4,
    ),
    NameLevel("One name holds the other (T/A, C/O, brackets, branch)", _INNER_NAME, 0.10, 2e-4),
    NameLevel("The same service at different sites", _SERVICE_AT_SITES, 0.02, 2e-5),
    NameLevel("Typing error (1-2 letters apart, same digits)", _TYPING_ERROR, 0.10, 1e-4),
    NameLevel("Shorter name begins the longer and no other name", _UNIQUE_BEGINNING, 0.15, 5e-5),
    NameLevel(
        "Shorter name's words all in the longer, or cut short", _SHORTER_CONTAINED, 0.10, 5e-4
    ),
    NameLevel("A one-word name is a word of the other", _ONE_WORD_CONTAINED, 0.05, 2e-3),
    NameLevel(
        "Jaro-Winkler >= 0.92 (spaces ignored)",
        "jaro_winkler_similarity(name_compact_l, name_compact_r) >= 0.92",
        0.07,
        2e-3,
    ),
    NameLevel(
        "Jaro-Winkler >= 0.85 (spaces ignored)",
        "jaro_winkler_similarity(name_compact_l, name_compact_r) >= 0.85",
        0.05,
        0.03,
    ),
)
NAME_ELSE_M: Final = 0.08
NAME_ELSE_U: Final = 0.97


@dataclass(frozen=True, slots=True)
class SharedWordLevel:
    label: str
    most_names_using_word: int
    m_probability: float


# Levels by how many names of the run use the rarest word the two names share. m: true
# variants mostly keep their distinctive word; renames and a typing error in the only
# distinctive word or in spacing ("LANGUAGELINE" / "LANGUAGE LINE") share none.
SHARED_WORD_MODEL: Final[tuple[SharedWordLevel, ...]] = (
    SharedWordLevel("Share a word no other name uses", 2, 0.55),
    SharedWordLevel("Share a word 3-5 names use", 5, 0.20),
    SharedWordLevel("Share a word 6-20 names use", 20, 0.10),
    SharedWordLevel("Share only common words", 10**9, 0.05),
)
SHARED_WORD_NONE_M: Final = 0.10

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
    """Companies House numbers are 8 characters; spend files drop leading zeros. A number of
    zeros only is a placeholder, not a company."""
    if raw is None:
        return None
    cleaned = re.sub(r"[^A-Z0-9]", "", raw.upper())
    if not any(ch in "123456789" for ch in cleaned):
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
    return cleaned if len(cleaned) in (9, 12) and cleaned.strip("0") else None


class _UnionFind:
    """Union-find over records that also keeps, per cluster, the VAT, company and charity
    numbers its records publish, so that a union can be refused (DifferentIdentifierGuard)."""

    def __init__(self, identifiers: Sequence[Mapping[str, frozenset[str]]]) -> None:
        self.parent = list(range(len(identifiers)))
        # By cluster root, only for clusters that publish a number (most publish none).
        self.identifiers: dict[int, dict[str, frozenset[str]]] = {
            index: dict(ids) for index, ids in enumerate(identifiers) if ids
        }
        self.refused = 0

    def find(self, index: int) -> int:
        root = index
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[index] != root:
            self.parent[index], index = root, self.parent[index]
        return root

    def union(self, a: int, b: int) -> None:
        """Join unconditionally (identifiers: the same number is the same supplier)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            kept, gone = min(root_a, root_b), max(root_a, root_b)
            self.parent[gone] = kept
            gone_ids = self.identifiers.pop(gone, None)
            if gone_ids:
                merged = self.identifiers.setdefault(kept, {})
                for kind, numbers in gone_ids.items():
                    merged[kind] = merged.get(kind, frozenset()) | numbers

    def numbers_of(self, index: int) -> dict[str, frozenset[str]]:
        """The numbers the cluster of a record publishes, by kind."""
        return self.identifiers.get(self.find(index), {}) if self.identifiers else {}

    def conflicts(self, a: int, b: int) -> bool:
        """Whether the clusters of a and b publish different numbers of one kind."""
        if not self.identifiers:
            return False
        ids_a, ids_b = self.numbers_of(a), self.numbers_of(b)
        return any(
            numbers and ids_b.get(kind) and numbers.isdisjoint(ids_b[kind])
            for kind, numbers in ids_a.items()
        )

    def union_by_name(self, a: int, b: int) -> bool:
        """Join on name evidence, unless DifferentIdentifierGuard forbids it."""
        if self.find(a) == self.find(b):
            return True
        if self.conflicts(a, b):
            self.refused += 1
            return False
        self.union(a, b)
        return True

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


def _main_postcode(group: _NameGroup) -> str | None:
    """The postcode most of the group's records give (ties: the first in order)."""
    if not group.postcodes:
        return None
    return min(group.postcodes, key=lambda pc: (-group.postcodes[pc], pc))


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


class SundryAccountGuard:
    """A council supplier ID published with more than SUNDRY_ACCOUNT_NAME_COUNT different
    names is a sundry account: one number a finance system uses for one-off payees (refunds,
    grants, residents, small clubs), not one supplier. It links nothing; each name is linked
    by its own evidence. Redactions do not count as names."""

    def __init__(self, records: Sequence[SupplierRecord]) -> None:
        names: dict[tuple[str, str], set[str]] = defaultdict(set)
        for record in records:
            if (source_id := _source_id(record)) and not record.is_redacted:
                names[(record.anchor, source_id)].add(normalise_supplier_name(record.raw_name))
        self.sundry = {key for key, held in names.items() if len(held) > SUNDRY_ACCOUNT_NAME_COUNT}

    def allows(self, record: SupplierRecord) -> bool:
        return (record.anchor, _source_id(record)) not in self.sundry


def _source_id(record: SupplierRecord) -> str:
    return (record.source_supplier_id or "").strip()


def _identifier_pairs(records: Sequence[SupplierRecord]) -> Iterable[tuple[int, int]]:
    keyed: dict[tuple[str, ...], int] = {}
    sundry_guard = SundryAccountGuard(records)
    for index, record in enumerate(records):
        keys: list[tuple[str, ...]] = []
        if (source_id := _source_id(record)) and sundry_guard.allows(record):
            keys.append(("source", record.anchor, source_id))
        keys.extend(
            (kind, number)
            for kind, numbers in DifferentIdentifierGuard.identifiers(record).items()
            for number in numbers
        )
        for key in keys:
            first = keyed.setdefault(key, index)
            if first != index:
                yield first, index


class DifferentIdentifierGuard:
    """Identifiers come before names. Records that publish different VAT numbers, different
    Companies House numbers or different charity numbers belong to different organisations,
    however alike their names ("ACME LTD" with VAT 123456789 and "ACME LTD" with VAT
    987654321 are two companies): no name layer, no model and no reviewer's decision joins
    them, and they are not offered for review. Different council supplier IDs are not such
    evidence, as councils often open a second account for one supplier. A name published
    without a number, when the same name is published under two different numbers, could
    be either organisation, so it is linked to neither by its name."""

    @staticmethod
    def identifiers(record: SupplierRecord) -> dict[str, frozenset[str]]:
        if not (record.vat_number or record.company_number or record.charity_number):
            return {}
        numbers = {
            "vat": normalise_vat_number(record.vat_number),
            "company": normalise_company_number(record.company_number),
            "charity": normalise_charity_number(record.charity_number),
        }
        return {kind: frozenset({number}) for kind, number in numbers.items() if number}

    @staticmethod
    def name_group_keys(
        records: Sequence[SupplierRecord], union_find: _UnionFind
    ) -> dict[int, str | None]:
        """For records whose normalised name is published under conflicting numbers: the
        identifier cluster to group them by, or None for a record with no number (it
        takes no part in the name layers). Records not listed group by name alone."""
        if not union_find.identifiers:
            return {}  # no record publishes a number: nothing can conflict
        by_name: dict[str, list[int]] = defaultdict(list)
        for index, record in enumerate(records):
            if not record.is_redacted:
                by_name[normalise_supplier_name(record.raw_name)].append(index)
        keys: dict[int, str | None] = {}
        for indexes in by_name.values():
            numbered_roots = sorted(
                {union_find.find(index) for index in indexes if union_find.numbers_of(index)}
            )
            if not any(
                union_find.conflicts(a, b)
                for position, a in enumerate(numbered_roots)
                for b in numbered_roots[position + 1 :]
            ):
                continue
            for index in indexes:
                root = union_find.find(index)
                keys[index] = f"{root:09d}" if root in numbered_roots else None
        return keys


def _group_by_name(
    records: Sequence[SupplierRecord], split: Mapping[int, str | None]
) -> list[_NameGroup]:
    """Records grouped by normalised name; a name published under conflicting numbers is
    one group per identifier cluster (see DifferentIdentifierGuard.name_group_keys)."""
    groups: dict[tuple[str, str], _NameGroup] = {}
    raw_name_counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for index, record in enumerate(records):
        keys = name_keys(record.raw_name)
        if not keys.normalised or record.is_redacted:
            continue
        part = split.get(index, "")
        if part is None:
            continue  # same name under two numbers and no number here: could be either
        group_key = (keys.normalised, part)
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = _NameGroup(keys.normalised, keys)
        group.record_indexes.append(index)
        group.spend_pence += record.spend_pence
        raw_name_counts[group_key][record.raw_name] += record.spend_pence + 1
        if postcode := normalise_postcode(record.postcode):
            group.postcodes[postcode] += 1
    ordered_keys = sorted(groups)
    for group_key in ordered_keys:
        counts = raw_name_counts[group_key]
        groups[group_key].display_name = min(counts, key=lambda raw: (-counts[raw], raw))
    return [groups[group_key] for group_key in ordered_keys]


def _ranked_words(vocabulary: NameVocabulary, core: str) -> list[str]:
    """Each word prefixed by how many names use it, so the smallest shared entry of two
    names is their rarest shared word (the prefix is the same for a word everywhere)."""
    # Initials ("A & B", "J SMITH") and the "T/A" marker say nothing about who it is.
    stems = sorted({stem for stem in word_stems(core) if len(stem) >= 2 and stem not in _NON_WORDS})
    return [f"{vocabulary.word_counts.get(stem, 0):09d}:{stem}" for stem in stems]


def _shared_word_u(vocabulary: NameVocabulary) -> list[float]:
    """u for each shared-word level: the share of all pairs of names that share a word
    used by that many names. Pairs sharing several words are counted once per word, so
    this overstates u a little, which errs against linking."""
    pair_count = max(vocabulary.name_count * (vocabulary.name_count - 1) // 2, 1)
    floor = 1 / pair_count
    pairs_per_level = [0] * len(SHARED_WORD_MODEL)
    for word, count in vocabulary.word_counts.items():
        if len(word) < 2 or word in _NON_WORDS or count < 2:
            continue
        for position, level in enumerate(SHARED_WORD_MODEL):
            if count <= level.most_names_using_word:
                pairs_per_level[position] += count * (count - 1) // 2
                break
    return [min(max(pairs / pair_count, floor), 0.5) for pairs in pairs_per_level]


def _splink_settings(vocabulary: NameVocabulary) -> dict[str, Any]:
    unit_count = vocabulary.name_count
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
    rarest_shared = "cast(split_part(list_min(list_intersect(ranked_words_l, ranked_words_r)), ':', 1) as bigint)"
    shared_u = _shared_word_u(vocabulary)
    shared_levels: list[dict[str, Any]] = [
        {"sql_condition": "name_core_l IS NULL OR name_core_r IS NULL", "is_null_level": True}
    ]
    for word_level, u in zip(SHARED_WORD_MODEL, shared_u, strict=True):
        shared_levels.append(
            {
                "sql_condition": f"{rarest_shared} <= {word_level.most_names_using_word}",
                "label_for_charts": word_level.label,
                "m_probability": word_level.m_probability,
                "u_probability": u,
            }
        )
    shared_levels.append(
        {
            "sql_condition": "ELSE",
            "label_for_charts": "No word in common",
            "m_probability": SHARED_WORD_NONE_M,
            "u_probability": max(1.0 - sum(shared_u), 0.5),
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
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": min(
            0.5, EXPECTED_VARIANT_SHARE / max(unit_count - 1, 1)
        ),
        "blocking_rules_to_generate_predictions": [
            "l.rare_word = r.rare_word",
            "l.rare_word = r.second_rare_word",
            "l.second_rare_word = r.rare_word",
            "l.name_prefix = r.name_prefix",
            "l.name_sorted_first = r.name_sorted_first AND l.name_sorted_last = r.name_sorted_last",
            "l.first_inner_name = r.name_core",
            "l.name_core = r.first_inner_name",
            "l.postcode = r.postcode",
        ],
        "comparisons": [
            {"output_column_name": "name", "comparison_levels": name_levels},
            {"output_column_name": "shared_word", "comparison_levels": shared_levels},
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


def _longer_name_counts(cores: Sequence[str]) -> list[int]:
    """For each core, how many other cores begin with it followed by more words."""
    ordered = sorted(cores)
    counts: list[int] = []
    for core in cores:
        prefix = core + " "
        start = bisect.bisect_left(ordered, prefix)
        end = bisect.bisect_left(ordered, prefix + "\uffff")
        counts.append(end - start)
    return counts


def _distinctive_prefixes(compact_names: Sequence[str]) -> list[str | None]:
    """Each name's first letters, or None where too many names begin with them to block on."""
    prefixes = [name[:PREFIX_LENGTH] or None for name in compact_names]
    counts = Counter(prefixes)
    return [p if p and counts[p] <= PREFIX_BLOCK_MAX_NAMES else None for p in prefixes]


def _splink_input(groups: Sequence[_NameGroup], vocabulary: NameVocabulary) -> pa.Table:
    guard = DistinctiveNameGuard(vocabulary)
    postcodes = [_main_postcode(group) for group in groups]
    parts = [_postcode_parts(postcode) for postcode in postcodes]
    sorted_words = [group.keys.token_sorted.split() or [""] for group in groups]
    rarity = [vocabulary.words_by_rarity(group.keys.core) + ["", ""] for group in groups]
    # Only inner names that one name alone holds: "C/O VOYAGE LTD" is on many care
    # homes' names, so it does not say which of them "VOYAGE LIMITED" is. And none from
    # a name that holds two names of the run ("MITIE PFI - KING ECGBERTS SCHOOL").
    cores = {group.keys.core for group in groups}
    inner_names: list[list[str]] = []
    for group in groups:
        unambiguous = [
            inner
            for inner in group.keys.alias_cores
            if vocabulary.inner_name_holders.get(inner, 0) == 1
        ]
        names_of_the_run = [inner for inner in unambiguous if inner in cores]
        inner_names.append(unambiguous if len(names_of_the_run) <= 1 else [])
    return pa.table(
        {
            "unique_id": pa.array(range(len(groups)), type=pa.int64()),
            "name_core": [group.keys.core or None for group in groups],
            "name_sorted": [group.keys.token_sorted for group in groups],
            "name_compact": [group.keys.compact for group in groups],
            "name_prefix": _distinctive_prefixes([group.keys.compact for group in groups]),
            "name_digits": [_digits(group.keys.compact) for group in groups],
            "name_service": [_service_at_a_site(group.keys.core) for group in groups],
            "name_stems": pa.array(
                [word_stems(group.keys.core) for group in groups], type=pa.list_(pa.string())
            ),
            "name_initials": [
                " ".join(word for word in g.keys.core.split() if len(word) == 1) for g in groups
            ],
            "name_sorted_first": [words[0] for words in sorted_words],
            "name_sorted_last": [words[-1] for words in sorted_words],
            "distinctive": [guard.allows(group.keys.core) for group in groups],
            "legal_form": [group.keys.legal_form for group in groups],
            "longer_names": _longer_name_counts([group.keys.core for group in groups]),
            "inner_names": pa.array(inner_names, type=pa.list_(pa.string())),
            "first_inner_name": [names[0] if names else None for names in inner_names],
            "ranked_words": pa.array(
                [_ranked_words(vocabulary, group.keys.core) for group in groups],
                type=pa.list_(pa.string()),
            ),
            "rare_word": [words[0] or None for words in rarity],
            "second_rare_word": [words[1] or None for words in rarity],
            "postcode": pa.array(postcodes, type=pa.string()),
            "postcode_sector": pa.array([p[0] for p in parts], type=pa.string()),
            "postcode_district": pa.array([p[1] for p in parts], type=pa.string()),
        }
    )


#: Runs Splink: (input table, settings with SQL in DuckDB's dialect, lowest probability
#: to keep) -> (unique_id_l, unique_id_r, match probability). ``spark.SparkPairScorer``
#: runs the same model on Spark.
PairScorer = Callable[[pa.Table, dict[str, Any], float], list[tuple[int, int, float]]]


def score_pairs_on_duckdb(
    names: pa.Table, settings: dict[str, Any], threshold: float
) -> list[tuple[int, int, float]]:
    """The default PairScorer: Splink on an in-memory DuckDB."""
    from splink import DuckDBAPI, Linker

    connection = duckdb.connect(":memory:")
    try:
        db_api = DuckDBAPI(connection)
        input_table = db_api.register(names, table_name="supplier_names")
        # Splink's settings check only logs columns the model names and the input lacks: the
        # model is fixed here and tested for that (test_linkage_settings), and the check took
        # a fifth of a second of every linkage run, profiled.
        linker = Linker(input_table, settings, log_level=logging.WARNING, validate_settings=False)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        scored = (
            predictions.as_duckdbpyrelation()
            .select("unique_id_l, unique_id_r, match_probability")
            .fetchall()
        )
    finally:
        connection.close()
    return [(int(a), int(b), float(p)) for a, b, p in scored]


def _score_pairs(
    groups: Sequence[_NameGroup],
    vocabulary: NameVocabulary,
    review_threshold: float,
    scorer: PairScorer,
) -> list[tuple[int, int, float]]:
    """Run Splink over the name groups; return (group_a, group_b, probability) pairs."""
    if len(groups) < 2:
        return []
    scored = scorer(
        _splink_input(groups, vocabulary), _splink_settings(vocabulary), review_threshold
    )
    return sorted((min(a, b), max(a, b), float(p)) for a, b, p in scored)


def link_suppliers(
    records: Sequence[SupplierRecord],
    *,
    prior_decisions: Sequence[PriorDecision] = (),
    thresholds: LinkThresholds = LinkThresholds(),
    scorer: PairScorer = score_pairs_on_duckdb,
    earlier_clusters: Mapping[str, int] | None = None,
    registered_companies: Sequence[RegisteredCompany] = (),
) -> LinkageResult:
    """Cluster supplier records into suppliers, layer by layer (see module docstring).

    ``scorer`` runs the probabilistic layer: Splink on DuckDB unless given another
    (``spark.SparkPairScorer`` for Spark). ``earlier_clusters`` maps the previous run's
    cluster ids to their spend, so that clusters keep their ids (see module docstring).
    ``registered_companies`` are Companies House entries with their previous names, for
    ``CompanyNameHistoryRule``.
    """
    _validate(records)
    record_count = len(records)
    union_find = _UnionFind([DifferentIdentifierGuard.identifiers(record) for record in records])
    method_roots: list[tuple[LinkMethod, list[int]]] = []
    for a, b in _identifier_pairs(records):
        union_find.union(a, b)
    method_roots.append((LinkMethod.IDENTIFIER, union_find.roots()))

    groups = _group_by_name(records, DifferentIdentifierGuard.name_group_keys(records, union_find))
    group_of_record: dict[int, int] = {}
    for group_index, group in enumerate(groups):
        for record_index in group.record_indexes:
            group_of_record[record_index] = group_index
    groups_by_name: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        groups_by_name[group.normalised].append(index)

    def join(group_a: int, group_b: int) -> bool:
        return union_find.union_by_name(
            groups[group_a].record_indexes[0], groups[group_b].record_indexes[0]
        )

    decisions: dict[frozenset[str], PriorDecision] = {}
    for decision in sorted(prior_decisions, key=lambda d: (d.decided_on, d.reviewer)):
        decisions[decision.key()] = decision  # the latest decision on a pair wins
    applied: list[PriorDecision] = []

    for group in groups:
        first = group.record_indexes[0]
        for other in group.record_indexes[1:]:
            union_find.union_by_name(first, other)
    method_roots.append((LinkMethod.EXACT_NAME, union_find.roots()))

    keys = [group.keys for group in groups]
    vocabulary = NameVocabulary.of(keys)
    guard = DistinctiveNameGuard(vocabulary)
    rule_pairs = [
        *((SameCoreNameRule.label, pair) for pair in SameCoreNameRule().pairs(keys, guard)),
        *((PluralWordRule.label, pair) for pair in PluralWordRule().pairs(keys, guard)),
        *((InnerNameRule.label, pair) for pair in InnerNameRule().pairs(keys, guard, vocabulary)),
        *(
            (SameTradingCompanyRule.label, pair)
            for pair in SameTradingCompanyRule().pairs(keys, guard)
        ),
        *(
            (MisspeltCompanyNameRule.label, pair)
            for pair in MisspeltCompanyNameRule().pairs(keys, guard)
        ),
        *((BrandedSiteRule.label, pair) for pair in BrandedSiteRule().pairs(keys, guard)),
        *(
            (CareHomeNameRule.label, pair)
            for pair in CareHomeNameRule().pairs(keys, guard, vocabulary)
        ),
        *(
            (CompanyNameHistoryRule.label, pair)
            for pair in CompanyNameHistoryRule().pairs(
                keys, _company_numbers_of(records, groups), registered_companies, guard
            )
        ),
    ]
    rules_of_group: dict[int, set[str]] = defaultdict(set)
    for label, (group_a, group_b) in rule_pairs:
        pair_key = frozenset({groups[group_a].normalised, groups[group_b].normalised})
        if pair_key not in decisions and join(group_a, group_b):
            rules_of_group[group_a].add(label)
            rules_of_group[group_b].add(label)
    method_roots.append((LinkMethod.NAME_RULE, union_find.roots()))

    scored = [
        (group_a, group_b, probability)
        for group_a, group_b, probability in _score_pairs(
            groups, vocabulary, thresholds.review, scorer
        )
        # a person has already decided this pair
        if frozenset({groups[group_a].normalised, groups[group_b].normalised}) not in decisions
    ]
    added_words = AddedWordsGuard()
    service_at_sites = ServiceAtSitesGuard()
    accepted_probabilities: dict[int, float] = {}
    auto_accepted: set[tuple[int, int]] = set()
    for group_a, group_b, probability in scored:
        if (
            probability >= thresholds.accept
            and not added_words.needs_review(groups[group_a], groups[group_b])
            and not service_at_sites.needs_review(groups[group_a], groups[group_b])
            and join(group_a, group_b)
        ):
            auto_accepted.add((group_a, group_b))
            for group_index in (group_a, group_b):
                accepted_probabilities[group_index] = min(
                    accepted_probabilities.get(group_index, 1.0), probability
                )
    review = [
        _review_item(records, groups[group_a], groups[group_b], probability)
        for group_a, group_b, probability in scored
        if (group_a, group_b) not in auto_accepted
        # already one supplier by an identifier, a name rule or the model: nothing to ask
        and union_find.find(groups[group_a].record_indexes[0])
        != union_find.find(groups[group_b].record_indexes[0])
        # different VAT, company or charity numbers: nothing to ask either
        and not union_find.conflicts(
            groups[group_a].record_indexes[0], groups[group_b].record_indexes[0]
        )
    ]
    method_roots.append((LinkMethod.PROBABILISTIC, union_find.roots()))

    for pair_key, decision in sorted(decisions.items(), key=lambda item: sorted(item[0])):
        names = sorted(pair_key)
        if len(names) != 2 or not (names[0] in groups_by_name and names[1] in groups_by_name):
            continue
        applied.append(decision)
        if decision.decision is ReviewDecision.ACCEPT:
            for group_a in groups_by_name[names[0]]:
                for group_b in groups_by_name[names[1]]:
                    join(group_a, group_b)
    method_roots.append((LinkMethod.HUMAN, union_find.roots()))

    final_roots = union_find.roots()
    members: dict[int, list[int]] = defaultdict(list)
    for index, root in enumerate(final_roots):
        members[root].append(index)
    cluster_id_of_root = {
        root: stable_cluster_id([records[i].record_id for i in indexes], earlier_clusters or {})
        for root, indexes in members.items()
    }
    layer_sizes = [(method, Counter(roots), roots) for method, roots in method_roots]
    # Once per cluster, not once per record of it (a cluster of k names cost k * k).
    groups_of_root = {
        root: {group_of_record[i] for i in indexes if i in group_of_record}
        for root, indexes in members.items()
    }

    links: list[RecordLink] = []
    for index, record in enumerate(records):
        final_size = len(members[final_roots[index]])
        method = LinkMethod.UNLINKED
        if final_size > 1:
            for layer_method, sizes, roots in layer_sizes:
                if sizes[roots[index]] == final_size:
                    method = layer_method
                    break
        cluster_groups = groups_of_root[final_roots[index]]
        probability = 1.0
        if method is LinkMethod.PROBABILISTIC:
            probability = min(accepted_probabilities.get(g, 1.0) for g in cluster_groups)
        rules = ""
        if method in (LinkMethod.NAME_RULE, LinkMethod.PROBABILISTIC, LinkMethod.HUMAN):
            rules = "; ".join(sorted(set().union(*(rules_of_group[g] for g in cluster_groups))))
        links.append(
            RecordLink(
                record.record_id,
                cluster_id_of_root[final_roots[index]],
                method,
                probability,
                rules,
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
        refused_by_identifiers=union_find.refused,
    )


def _company_numbers_of(
    records: Sequence[SupplierRecord], groups: Sequence[_NameGroup]
) -> list[frozenset[str]]:
    numbers = [normalise_company_number(record.company_number) for record in records]
    return [
        frozenset(number for i in group.record_indexes if (number := numbers[i]))
        for group in groups
    ]


def stable_cluster_id(record_ids: Sequence[str], earlier_clusters: Mapping[str, int]) -> str:
    """The id of a cluster of these records: the earlier cluster id among them with the most
    spend, else the smallest record id. Ids stay unique, as each record is in one cluster."""
    kept = [record_id for record_id in record_ids if record_id in earlier_clusters]
    if kept:
        return min(kept, key=lambda record_id: (-earlier_clusters[record_id], record_id))
    return min(record_ids)


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
        reason=(
            REVIEW_REASONS["added words"]
            if adds_words(group_a.keys.core, group_b.keys.core)
            else REVIEW_REASONS["sites"]
            if same_service_at_other_sites(group_a.keys.core, group_b.keys.core)
            else REVIEW_REASONS["similar"]
        ),
    )


#: Why a pair is in the review queue, as a reviewer reads it.
REVIEW_REASONS: Final[dict[str, str]] = {
    "added words": (
        "One name is the other with words added or cut short: as often another company of "
        "the same group, a branch or another account as the same supplier"
    ),
    "similar": "Similar names, but not similar enough for the model to link them by itself",
    "sites": ("The same service at two sites: one provider's sites, or each site's own provider"),
}


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
