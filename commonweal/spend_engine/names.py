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
  "BIRCHENALLHOWDEN", "ROTHERHAM M B C" and "ROTHERHAM MBC").
* ``trading_entity`` and ``trading_owner``: the company a name says it is ("PRIORY
  HEALTHCARE LIMITED T/A CRAEGMOOR SHIELING" is "PRIORY HEALTHCARE").
* ``trading_name``: the name after "T/A" ("CRAEGMOOR SHIELING").
* ``alias_cores``: the cores of the names *inside* a name: each side of "T/A" and
  "C/O", the text outside and inside brackets, the part before a " - " branch suffix
  ("AGROVISTA UK LTD T/A SHERRIFF AMENITY" holds "AGROVISTA" and "SHERRIFF AMENITY").

Every rule here is a plain table or a short regular expression so that an auditor can
see exactly why two names were treated as one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

# Payment and system tags that councils append to a creditor name. They describe how the
# council pays, not who the supplier is, so they are dropped before comparing names.
PAYMENT_TAG_PATTERNS: Final[tuple[str, ...]] = (
    r"\(\s*SP\s+PMTS?\s+ONLY\s*\)",  # "(SP PMTS ONLY)": Supporting People payments
    r"\(\s*SP\s*\)",  # "(SP)": Supporting People
    r"\(\s*SCC\s+USE\s*\)",  # "(SCC USE)": Sheffield City Council internal use
    r"\(\s*GROUP\s+A/C\s*\)",  # "(GROUP A/C)": group account
    r"(?:-\s*)?\bUSE\s*\d{4,}\s*$",  # "SHEFFIELD MIND - USE 556296": see another creditor
    r"-?\s*\bDO\s+NOT\s+USE\b.*$",  # "CRB DOOR SYSTEMS LTD - DO NOT USE": closed account
    r"\bPMTS?\s+ONLY\b",
    r"\bDP\s+ONLY\b",  # "PENDERELS TRUST DP ONLY": direct payments only
    # How the council pays, in brackets anywhere: "ACME LTD (BACS)", "(CHQ)", "(DD)".
    r"\(\s*(?:BACS|CHAPS|CHQS?|CHEQUES?|D\s*/?\s*D|DIRECT\s+DEBIT|FASTER\s+PAYMENTS?|FPS?"
    r"|GPC|P\s*CARD|PURCHASE\s+CARD|PROCUREMENT\s+CARD|STANDING\s+ORDER|S\s*/\s*O)\s*\)",
)
_PAYMENT_TAG_RE: Final = re.compile("|".join(PAYMENT_TAG_PATTERNS))
# Tags that only ever end a name. Most names hold none of their words, so the (slower)
# patterns run only on a name that does.
END_OF_NAME_TAG_PATTERNS: Final[tuple[str, ...]] = (
    # How the council pays, at the end after a dash or a space: "ACME LTD - BACS", "... CHEQUE".
    r"(?:\s[-\u2013]\s*|\s)(?:BACS|CHAPS|CHQ|CHEQUE|DIRECT\s+DEBIT|FASTER\s+PAYMENTS?)\s*$",
    # A reference that holds a digit at the end: "ACME LTD REF 10234", "ACME LTD - A/C NO
    # 55012", "ACME LTD (INV 2231)". "RENT A/C" without a number is left: it names an account.
    r"[-(]?\s*\b(?:REF(?:ERENCE)?|A\s*/\s*C|ACC(?:OUN)?T|INV(?:OICE)?|CUST(?:OMER)?)\.?"
    r"\s*(?:NO\.?|NUMBER|#)?\s*:?\s*[A-Z0-9/-]*[0-9][A-Z0-9/-]*\s*\)?\s*$",
)
_END_OF_NAME_TAG_RE: Final = re.compile("|".join(END_OF_NAME_TAG_PATTERNS))
# The words one of those patterns needs, for a quick look before the patterns run.
_END_OF_NAME_TAG_HINT_RE: Final = re.compile(
    "BACS|CHAPS|CHQ|CHEQUE|DIRECT|FASTER|REF|/|ACC|INV|CUST"
)


def _without_payment_tags(text: str) -> str:
    """The upper-case name without payment and system tags (see PAYMENT_TAG_PATTERNS)."""
    text = _PAYMENT_TAG_RE.sub(" ", text)
    if _END_OF_NAME_TAG_HINT_RE.search(text):
        text = _END_OF_NAME_TAG_RE.sub(" ", text)
    return text


# Spellings of "trading as". All become the single token TA.
_TRADING_AS_RE: Final = re.compile(r"\bT\s*/\s*AS?\b|\bTRADING\s+AS\b|\bT\.A\.")

# Where a name holds two names: "X T/A Y" (legal entity, trading name), "X C/O Y" (a
# home run by an operator), "X - Y" (a branch or department of X).
_INNER_NAME_SEPARATOR_RE: Final = re.compile(
    r"\bT\s*/\s*AS?\b|\bTRADING\s+AS\b|\bT\.A\.|\bC\s*/\s*O\b|\s[-\u2013]\s"
)
# Bracketed text, including a bracket that truncation left open at the end of the name.
_BRACKETED_RE: Final = re.compile(r"\(([^)]*)(?:\)|$)")
# Brackets before a legal form belong to the registered name: "AGE CONCERN (SHEFFIELD)
# LTD" is a company of its own, not a branch of "AGE CONCERN".
_BRACKETS_IN_COMPANY_NAME_RE: Final = re.compile(
    r"\(([^)]*)\)(?=\s*(?:UK\s+)?(?:LTD|LIMITED|LIMTED|PLC|LLP)\b)"
)

# Text that went through a bad encoding round trip keeps literal escapes such as
# "CHILDREN\xB4S" (an acute accent used as an apostrophe) or "\x80\x93" (a dash).
_ESCAPED_APOSTROPHE_RE: Final = re.compile(r"\\X(?:B4|92)", re.IGNORECASE)
_ESCAPED_BYTE_RE: Final = re.compile(r"\\X[0-9A-F]{2}", re.IGNORECASE)

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
# "CO OPERATIVE" or "COMPANY" in "THEATRE COMPANY X" (written "CO", see
# ``_unify_legal_forms``) stays in the name.
LEGAL_FORMS: Final[dict[str, str]] = {
    "LIMITED": "LTD",
    "LIMTED": "LTD",  # a misspelling seen in published files
    "LTD": "LTD",
    "PLC": "PLC",
    "LLP": "LLP",
    "CIC": "CIC",
    "CIO": "CIO",
    "CO": "CO",
    "COMPANY": "CO",
}

# Two-word legal forms that are written as phrases.
_PHRASE_REPLACEMENTS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"\bPUBLIC LIMITED COMPANY\b"), "PLC"),
    (re.compile(r"\bLIMITED LIABILITY PARTNERSHIP\b"), "LLP"),
    (re.compile(r"\bCOMMUNITY INTEREST COMPANY\b"), "CIC"),
    (re.compile(r"\bCHARITABLE INCORPORATED ORGANISATION\b"), "CIO"),
)
_APOSTROPHE_RE: Final = re.compile(r"['`\u2019\u00b4]")
_FULL_STOP_AFTER_INITIAL_RE: Final = re.compile(r"(?<=\b\w)\.(?=\w)")
_SEPARATORS_RE: Final = re.compile(r"[^A-Z0-9]+")

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
    alias_cores: tuple[str, ...] = ()
    trading_entity: str = ""
    trading_owner: str = ""
    qualified_base: str = ""
    trading_name: str = ""


def _fold_to_ascii_upper(raw_name: str) -> str:
    if raw_name.isascii():
        text = raw_name.upper()
    else:
        decomposed = unicodedata.normalize("NFKD", raw_name)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
    text = _ESCAPED_APOSTROPHE_RE.sub("'", text)
    return _ESCAPED_BYTE_RE.sub(" ", text)


def _tokens(raw_name: str) -> list[str]:
    text = _without_payment_tags(_fold_to_ascii_upper(raw_name))
    text = _TRADING_AS_RE.sub(" TA ", text)
    for pattern, replacement in _PHRASE_REPLACEMENTS:
        text = pattern.sub(replacement, text)
    text = text.replace("&", " AND ").replace("+", " AND ")
    # "@" is read as AT: "KIDZ @ WORK" is "KIDZ AT WORK".
    text = text.replace("@", " AT ")
    # Apostrophes join ("BARNARDO'S" is "BARNARDOS"); a full stop after an initial joins
    # ("E.ON", "P.T"); every other punctuation mark separates words ("RES.HOME").
    text = _APOSTROPHE_RE.sub("", text)
    text = _FULL_STOP_AFTER_INITIAL_RE.sub("", text)
    text = _SEPARATORS_RE.sub(" ", text)
    words = [ABBREVIATIONS.get(word, word) for word in text.split()]
    return [word for word in words if word not in _CONNECTIVES]


# Legal forms that mean nothing else, so they are unified and dropped from the core
# wherever they stand ("VODAFONE LIMITED (CORPORATE)", "ACTION FOR CARE LTD THE LODGE").
_UNAMBIGUOUS_LEGAL_FORMS: Final[frozenset[str]] = frozenset({"LTD", "PLC", "LLP"})
_LIMITED_SPELLINGS: Final[frozenset[str]] = frozenset({"LIMITED", "LIMTED"})


class CutShortLegalFormRule:
    """A finance system prints a name into a field of fixed width (40 letters at Sheffield,
    22 on Wakefield's card statements), so a long name's legal form is cut short: "WYG
    ENVIRONMENT PLANNING TRANSPORT LIMIT", "ARRIVA YORKSHIRE LIMIT", "OFFICE WATERCOOLERS
    LT", "HAMPSONS PLANT WORLD L". Such a last word is read as LTD, so the name is the same
    name as the company's in full rather than one with a word added. Cut short to L or LI
    only after two or more words, the one before it not an initial ("SMITH J L" is a
    person's initials); cut short to LIM, LIMI, LIMIT, LIMITE or LT, after any word. LTD
    misspelt LIMITD is read the same way."""

    cut_anywhere: Final = frozenset({"LIM", "LIMI", "LIMIT", "LIMITE", "LIMITD", "LT"})
    cut_after_words: Final = frozenset({"L", "LI"})

    def applies(self, words: Sequence[str]) -> bool:
        if len(words) < 2:
            return False
        last = words[-1]
        if last in self.cut_anywhere:
            return True
        return last in self.cut_after_words and len(words) >= 3 and len(words[-2]) >= 2


_CUT_SHORT_LEGAL_FORM: Final = CutShortLegalFormRule()


def _unify_legal_forms(words: list[str]) -> list[str]:
    if _CUT_SHORT_LEGAL_FORM.applies(words):
        words = [*words[:-1], "LTD"]
    # COMPANY after the first word is written CO as well ("PELICAN ENGINEERING COMPANY
    # (SALES) LIMITED" and "PELICAN ENGINEERING CO SALES LTD"); only at the end is it a form.
    unified = [
        "LTD" if word in _LIMITED_SPELLINGS and index > 0 else word
        for index, word in enumerate(words)
    ]
    unified = [
        "CO" if word == "COMPANY" and index > 0 else word for index, word in enumerate(unified)
    ]
    # From the end, so that "COMPANY LIMITED" becomes "CO LTD" (a form before a form).
    for index in range(len(unified) - 1, 0, -1):
        word = unified[index]
        following = unified[index + 1] if index + 1 < len(unified) else None
        if word in LEGAL_FORMS and (
            following is None or following == "TA" or following in LEGAL_FORMS
        ):
            unified[index] = LEGAL_FORMS[word]
    return unified


# Names repeat within a run (each key below re-reads parts of the name), so remember them.
@functools.lru_cache(maxsize=65_536)
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
    if len(words) > 1:
        inner = [w for w in words[:-1] if w not in _UNAMBIGUOUS_LEGAL_FORMS] + words[-1:]
        words = inner if inner else words
    forms: list[str] = []
    # "ACME UK LTD" and "ACME LTD" and "ACME (UK) LIMITED" are the same company more
    # often than not; UK directly before a legal form, or last, is part of the form
    # (so "ACME UK", which a file shortened, is "ACME UK LTD" too).
    if len(words) > 1 and words[-1] == "UK":
        words.pop()
    while len(words) > 1 and words[-1] in LEGAL_FORMS.values():
        forms.insert(0, words.pop())
        if len(words) > 1 and words[-1] == "UK":
            words.pop()
    return " ".join(words), " ".join(forms)


def core_supplier_name(raw_name: str) -> str:
    """Return the normalised name without its legal forms ("ACME UK LTD" -> "ACME";
    LTD, PLC and LLP are dropped wherever they stand, other forms only at the end)."""
    core, _ = _split_legal_form(normalise_supplier_name(raw_name))
    return core


def token_sorted_key(raw_name: str) -> str:
    """Return the core name with its words in alphabetical order, for word-order variants."""
    return " ".join(sorted(core_supplier_name(raw_name).split()))


def alias_cores(raw_name: str) -> tuple[str, ...]:
    """Return the cores of the names held inside a name, other than its own core.

    "PSC MAILING T/A PSC SYSTEMS" holds "PSC MAILING" and "PSC SYSTEMS";
    "CASTELAYN (SHEFFCARE LTD)" holds "CASTELAYN" and "SHEFFCARE";
    "CHESTNUT GRANGE C/O VOYAGE LTD" holds "CHESTNUT GRANGE" and "VOYAGE";
    "TARGET HOUSING - ROTHERHAM" holds "TARGET HOUSING" and "ROTHERHAM";
    "AGE CONCERN (SHEFFIELD) LTD" holds nothing: brackets before a legal form are part
    of the company's registered name.
    """
    text = _without_payment_tags(_fold_to_ascii_upper(raw_name))
    text = _BRACKETS_IN_COMPANY_NAME_RE.sub(r" \1 ", text)
    pieces = [_BRACKETED_RE.sub(" ", text), *_BRACKETED_RE.findall(text)]
    parts = [part for piece in pieces for part in _INNER_NAME_SEPARATOR_RE.split(piece)]
    parts.insert(0, pieces[0])
    own_core = core_supplier_name(raw_name)
    found: list[str] = []
    for part in parts:
        core = core_supplier_name(part)
        if core and core != own_core and core not in found:
            found.append(core)
    return tuple(found)


# "X (Y)" or "X - Y" at the end of a name, where the brackets may have been cut short.
_QUALIFIED_NAME_RE: Final = re.compile(
    r"^(?P<base>.+?)\s*(?:\((?P<bracketed>[^()]*)\)?|\s[-\u2013]\s(?P<dashed>.+))$"
)
_TWO_NAMES_RE: Final = re.compile(r"\bT\s*/\s*AS?\b|\bTRADING\s+AS\b|\bT\.A\.|\bC\s*/\s*O\b")


def qualified_base(raw_name: str) -> str:
    """The core of the name a name qualifies with a place, a department or an account
    after it, in brackets or after a dash: "BRADFORD COUNCIL (HOUSING)" and "TARGET
    HOUSING - ROTHERHAM" qualify "BRADFORD COUNCIL" and "TARGET HOUSING". Such a name
    is often a separate body or account ("AGE CONCERN (SHEFFIELD)" is a charity of its
    own), so it is not the same supplier as its base without other evidence. A
    qualifier that is a company named with its legal form ("CASTELAYN (SHEFFCARE LTD)")
    names an operator, not a branch, and brackets before a legal form are part of a
    company's name ("AGE CONCERN (SHEFFIELD) LTD"): both give "", as does a name that
    holds two names ("X T/A Y", "X C/O Y")."""
    text = _without_payment_tags(_fold_to_ascii_upper(raw_name)).strip()
    if _TWO_NAMES_RE.search(text) or _BRACKETS_IN_COMPANY_NAME_RE.search(text):
        return ""
    match = _QUALIFIED_NAME_RE.match(text)
    if match is None:
        return ""
    qualifier = match.group("bracketed") or match.group("dashed") or ""
    _, qualifier_form = _split_legal_form(normalise_supplier_name(qualifier))
    base = core_supplier_name(match.group("base"))
    if not core_supplier_name(qualifier) or qualifier_form or not base:
        return ""
    if is_initialism_of(core_supplier_name(qualifier), base):
        return ""  # "KIER SERVICES MAINTENANCE EAST (KSME)" repeats its own name
    return base


#: Little words that say nothing about who a name is.
FUNCTION_WORDS: Final[frozenset[str]] = frozenset({"OF", "FOR", "THE", "IN", "ON", "TO", "AT"})


def is_initialism_of(short: str, name: str) -> bool:
    """Whether ``short`` is one word made of the initials of ``name``'s words, with or
    without its little words, or the first three or more of them: "KSME" of "KIER
    SERVICES MAINTENANCE EAST"; "YJBE" and "YJB" of "YOUTH JUSTICE BOARD FOR ENGLAND"."""
    if " " in short or len(short) < 2:
        return False
    words = name.split()
    every_word = "".join(word[0] for word in words)
    main_words = "".join(word[0] for word in words if word not in FUNCTION_WORDS)
    return short in (every_word, main_words) or (
        len(short) >= 3 and (every_word.startswith(short) or main_words.startswith(short))
    )


def trading_entity(raw_name: str) -> str:
    """The core of the company a name says it is, when the name gives the company's legal
    form and then goes on: "PRIORY HEALTHCARE LIMITED T/A CRAEGMOOR SHIELING",
    "WAKEFIELD DISTRICT HOUSING LIMITED RENT A/C" and "MITIE PFI LTD - KING ECGBERTS
    SCHOOL" name the companies "PRIORY HEALTHCARE", "WAKEFIELD DISTRICT HOUSING" and
    "MITIE PFI". A name that ends with its legal form, or has none, gives "" here."""
    words = normalise_supplier_name(raw_name).split()
    for index, word in enumerate(words[1:-1], start=1):
        company_form = word in _UNAMBIGUOUS_LEGAL_FORMS
        company_before_trading_as = word == "CO" and words[index + 1] == "TA"
        if company_form or company_before_trading_as:
            return core_supplier_name(" ".join(words[: index + 1]))
    return ""


def trading_owner(raw_name: str) -> str:
    """The core of whoever a "T/A" name says is trading, with or without a legal form:
    "WITHERSLACK GROUP T/A HALL CLIFFE SCHOOL" -> "WITHERSLACK GROUP"."""
    words = normalise_supplier_name(raw_name).split()
    if "TA" not in words[1:]:
        return ""
    return core_supplier_name(" ".join(words[: words.index("TA", 1)]))


def trading_name(raw_name: str) -> str:
    """The core of the name a "T/A" name says it trades under: "PRIORY HEALTHCARE LIMITED
    T/A CRAEGMOOR SHIELING" -> "CRAEGMOOR SHIELING"; "" for a name without "T/A"."""
    words = normalise_supplier_name(raw_name).split()
    if "TA" not in words[1:]:
        return ""
    return core_supplier_name(" ".join(words[words.index("TA", 1) + 1 :]))


# Cached: a name is published under several supplier IDs (and in several files), and linkage
# asks for its keys once per record.
@functools.lru_cache(maxsize=65_536)
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
        alias_cores=alias_cores(raw_name) if core else (),
        trading_entity=trading_entity(raw_name) if core else "",
        trading_owner=trading_owner(raw_name) if core else "",
        qualified_base=qualified_base(raw_name) if core else "",
        trading_name=trading_name(raw_name) if core else "",
    )
