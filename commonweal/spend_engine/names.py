"""Supplier name normalisation for linking the same supplier across spend files.

Spend files carry the supplier's name as the council's finance system printed it:
upper case, truncated, with or without "LTD", with payment tags and abbreviations.
This module turns a raw name into comparison keys:

* ``normalise_supplier_name``: the *normalised name*. Two raw names with the same
  normalised name are treated as the same supplier without further evidence.
* ``core_supplier_name``: the normalised name without its legal form (LTD, PLC, ...),
  used by the probabilistic layer ("ACME" and "ACME LTD" agree on their core).
* ``token_sorted_key``: the core with its words sorted, for word-order variants.
* ``compact_key``: the core with the spaces removed ("BIRCHENALL HOWDEN" and
  "BIRCHENALLHOWDEN").

Every rule here is a plain table or a short regular expression so that an auditor can
see exactly why two names were treated as one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

# Payment and system tags that councils append to a creditor name. They describe how the
# council pays, not who the supplier is, so they are dropped before comparing names.
PAYMENT_TAG_PATTERNS: Final[tuple[str, ...]] = (
    r"\(\s*SP\s+PMTS?\s+ONLY\s*\)",  # "(SP PMTS ONLY)": Supporting People payments
    r"\(\s*SP\s*\)",  # "(SP)": Supporting People
    r"\(\s*SCC\s+USE\s*\)",  # "(SCC USE)": Sheffield City Council internal use
    r"\(\s*GROUP\s+A/C\s*\)",  # "(GROUP A/C)": group account
    r"-\s*USE\s+\d+\s*$",  # "SHEFFIELD MIND - USE 556296": pointer to another creditor
    r"\bPMTS?\s+ONLY\b",
)
_PAYMENT_TAG_RE: Final = re.compile("|".join(PAYMENT_TAG_PATTERNS))

# Spellings of "trading as". All become the single token TA.
_TRADING_AS_RE: Final = re.compile(r"\bT\s*/\s*AS?\b|\bTRADING\s+AS\b|\bT\.A\.")

# Words that councils' systems shorten. Each abbreviation maps to the full word so that
# the short and the long spelling compare equal. Kept small on purpose: only
# abbreviations seen in published spend files whose expansion is unambiguous.
ABBREVIATIONS: Final[dict[str, str]] = {
    "ASSOC": "ASSOCIATION",
    "ASSN": "ASSOCIATION",
    "ASSC": "ASSOCIATION",
    "BROS": "BROTHERS",
    "CNTR": "CENTRE",
    "CTR": "CENTRE",
    "COMM": "COMMUNITY",
    "DEPT": "DEPARTMENT",
    "DIST": "DISTRICT",
    "GRP": "GROUP",
    "HSE": "HOUSE",
    "INTL": "INTERNATIONAL",
    "MGMT": "MANAGEMENT",
    "SCH": "SCHOOL",
    "SERV": "SERVICES",
    "SERVS": "SERVICES",
    "SVCS": "SERVICES",
    "SVS": "SERVICES",
    "SOC": "SOCIETY",
    "TRST": "TRUST",
    "UTD": "UNITED",
}

# Legal forms, each spelling mapped to one canonical token. Only recognised as a legal
# form at the end of a name (or before a "TA" trading name), so that "CO" inside
# "CO OPERATIVE" or "COMPANY" in "THEATRE COMPANY X" is left alone.
LEGAL_FORMS: Final[dict[str, str]] = {
    "LIMITED": "LTD",
    "LTD": "LTD",
    "PLC": "PLC",
    "LLP": "LLP",
    "CIC": "CIC",
    "CIO": "CIO",
    "CO": "CO",
    "COMPANY": "CO",
}

# Two-word legal forms that are written as phrases.
_PHRASE_REPLACEMENTS: Final[tuple[tuple[str, str], ...]] = (
    (r"\bPUBLIC LIMITED COMPANY\b", "PLC"),
    (r"\bLIMITED LIABILITY PARTNERSHIP\b", "LLP"),
    (r"\bCOMMUNITY INTEREST COMPANY\b", "CIC"),
    (r"\bCHARITABLE INCORPORATED ORGANISATION\b", "CIO"),
)

# "&" and "+" mean AND; AND then goes, because one file writes "B & Q" and another "B AND Q".
_CONNECTIVES: Final[frozenset[str]] = frozenset({"AND"})
_LEADING_ARTICLE: Final = "THE"


@dataclass(frozen=True, slots=True)
class NameKeys:
    """All comparison keys for one raw supplier name."""

    normalised: str
    core: str
    token_sorted: str
    compact: str
    legal_form: str


def _fold_to_ascii_upper(raw_name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", raw_name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


def _tokens(raw_name: str) -> list[str]:
    text = _fold_to_ascii_upper(raw_name)
    text = _PAYMENT_TAG_RE.sub(" ", text)
    text = _TRADING_AS_RE.sub(" TA ", text)
    for pattern, replacement in _PHRASE_REPLACEMENTS:
        text = re.sub(pattern, replacement, text)
    text = text.replace("&", " AND ").replace("+", " AND ")
    # Apostrophes join ("BARNARDO'S" is "BARNARDOS"); full stops between initials join
    # ("E.ON", "P.T"); every other punctuation mark separates words.
    text = re.sub(r"['`\u2019]", "", text)
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)
    text = re.sub(r"[^A-Z0-9]+", " ", text)
    words = [ABBREVIATIONS.get(word, word) for word in text.split()]
    return [word for word in words if word not in _CONNECTIVES]


def _unify_legal_forms(words: list[str]) -> list[str]:
    unified = list(words)
    for index, word in enumerate(unified):
        at_end = index == len(unified) - 1
        before_trading_as = index + 1 < len(unified) and unified[index + 1] == "TA"
        if word in LEGAL_FORMS and (at_end or before_trading_as) and index > 0:
            unified[index] = LEGAL_FORMS[word]
    return unified


def normalise_supplier_name(raw_name: str) -> str:
    """Return the normalised name: upper case, no punctuation, tags and "THE" removed,
    abbreviations expanded, legal forms unified (LIMITED -> LTD, COMPANY -> CO).

    >>> normalise_supplier_name("The Great Torrington & Dist. C D Trst Limited")
    'GREAT TORRINGTON DISTRICT C D TRUST LTD'
    """
    words = _unify_legal_forms(_tokens(raw_name))
    if len(words) > 1 and words[0] == _LEADING_ARTICLE:
        words = words[1:]
    return " ".join(words)


def _split_legal_form(normalised: str) -> tuple[str, str]:
    words = normalised.split()
    forms: list[str] = []
    # "ACME UK LTD" and "ACME LTD" and "ACME (UK) LIMITED" are the same company more
    # often than not; UK directly before a legal form is part of the form.
    while len(words) > 1 and words[-1] in LEGAL_FORMS.values():
        forms.insert(0, words.pop())
        if len(words) > 1 and words[-1] == "UK":
            words.pop()
    return " ".join(words), " ".join(forms)


def core_supplier_name(raw_name: str) -> str:
    """Return the normalised name without trailing legal forms ("ACME UK LTD" -> "ACME")."""
    core, _ = _split_legal_form(normalise_supplier_name(raw_name))
    return core


def token_sorted_key(raw_name: str) -> str:
    """Return the core name with its words in alphabetical order, for word-order variants."""
    return " ".join(sorted(core_supplier_name(raw_name).split()))


def name_keys(raw_name: str) -> NameKeys:
    """Compute every comparison key for a raw name in one pass."""
    normalised = normalise_supplier_name(raw_name)
    core, legal_form = _split_legal_form(normalised)
    return NameKeys(
        normalised=normalised,
        core=core,
        token_sorted=" ".join(sorted(core.split())),
        compact=core.replace(" ", ""),
        legal_form=legal_form,
    )
