"""Canonical spend fields and automatic detection of a spend file's column layout.

The Local Government Transparency Code fixes *what* a spend file says (date, department,
beneficiary, purpose, amount, irrecoverable VAT, merchant category) but not the column names, so
every council and every year spells them differently. Detection compares headers after removing
case, spaces and punctuation, and prefers stronger aliases (``Directorate`` over ``Service``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping as AbcMapping
from collections.abc import Sequence
from collections.abc import Set as AbcSet
from dataclasses import dataclass, field

from commonweal.tabular import find_header_row

PAYMENT_DATE = "payment_date"
AMOUNT = "amount_pence"
SUPPLIER_NAME = "supplier_name"
SOURCE_SUPPLIER_ID = "source_supplier_id"
COMPANY_NUMBER = "company_number"
CHARITY_NUMBER = "charity_number"
VAT_NUMBER = "vat_number"
SERVICE_AREA = "service_area"
PURPOSE = "purpose"
SPEND_CATEGORY = "spend_category"
MERCHANT_CATEGORY = "merchant_category"
IRRECOVERABLE_VAT = "irrecoverable_vat_pence"
TRANSACTION_REF = "transaction_ref"

#: Fields read from a column of the published file, in output order.
MAPPABLE_FIELDS: tuple[str, ...] = (
    PAYMENT_DATE,
    AMOUNT,
    SUPPLIER_NAME,
    SOURCE_SUPPLIER_ID,
    COMPANY_NUMBER,
    CHARITY_NUMBER,
    VAT_NUMBER,
    SERVICE_AREA,
    PURPOSE,
    SPEND_CATEGORY,
    MERCHANT_CATEGORY,
    IRRECOVERABLE_VAT,
    TRANSACTION_REF,
)

#: Every column of the canonical spend Parquet, in order (the last three are derived).
CANONICAL_FIELDS: tuple[str, ...] = (*MAPPABLE_FIELDS, "is_redacted", "source_file", "source_row")

#: A file cannot be ingested without these.
REQUIRED_FIELDS: tuple[str, ...] = (PAYMENT_DATE, AMOUNT, SUPPLIER_NAME)

# Aliases per field, strongest first. Each inner tuple is one priority level; two different
# headers matching the same field at the same level make the field ambiguous.
HEADER_ALIASES: dict[str, tuple[tuple[str, ...], ...]] = {
    PAYMENT_DATE: (
        ("Payment Date", "Date Paid", "Paid Date", "Date of Payment", "Transaction Date"),
        ("GL Date", "Date", "Posting Date", "Payment Run Date"),
    ),
    AMOUNT: (
        (
            "Amount",
            "Net Amount",
            "Invoiced Value",
            "Amount (£)",
            "Amount GBP",
            "Amount Excluding VAT",
            "Amount ex VAT",
            "Net Value",
            "Payment Amount",
            "Transaction Amount",
            "Total Amount",
        ),
        ("Value", "Expenditure", "Spend", "Net", "Net Total"),
        # With net and gross both published, the net amount is the spend (VAT the council
        # recovers is not spend).
        ("Gross Amount", "Gross", "Gross Value", "Gross Total", "Total", "Total Payment"),
    ),
    SUPPLIER_NAME: (
        (
            "Supplier Name",
            "Beneficiary Name",
            "Payee Name",
            "Vendor Name",
            "Creditor Name",
            "Merchant Name",
            "Recipient Name",
        ),
        ("Supplier", "Beneficiary", "Payee", "Vendor", "Creditor", "Recipient", "Merchant"),
    ),
    SOURCE_SUPPLIER_ID: (
        (
            "Supplier ID",
            "Supplier No",
            "Supplier Number",
            "Supplier Code",
            "Supplier Reference",
            "Vendor ID",
            "Vendor Number",
            "Creditor Number",
            "Creditor No",
            "Creditor ID",
        ),
        ("Address Book No", "Address Book Number"),
    ),
    COMPANY_NUMBER: (
        (
            "Company Number",
            "Company Registration",
            "Company Registration Number",
            "Company Registraation Number",
            "Company Reg No",
            "Comp Reg No",
            "Companies House Number",
            "Company No",
            "Registered Company Number",
        ),
    ),
    CHARITY_NUMBER: (
        (
            "Charity Number",
            "Charity Registration",
            "Charity Registration Number",
            "Charity Reg No",
            "Registered Charity Number",
            "Charity No",
        ),
    ),
    VAT_NUMBER: (
        ("VAT Number", "VAT Registration Number", "VAT Reg No", "Supplier VAT Number", "VAT No"),
    ),
    SERVICE_AREA: (
        (
            "Directorate",
            "Department",
            "Portfolio",
            "Organisational Unit",
            "Service Area",
            # The Local Government Association's transparency code template.
            "Service Area Categorisation",
        ),
        (
            "Responsible Unit",
            "Service",
            "Service (Sercop)",
            "Business Unit Description",
            "Org Code Description",
            "Expense Area",
            "Cost Centre Description",
            "Service Division",
        ),
    ),
    PURPOSE: (
        (
            "Purpose of Spend",
            "Purpose",
            "Purpose of Expenditure",
            "Expense Description",
            "Expense Type",
        ),
        (
            "Expenses Type",
            "Expense Code Description",
            "Object Code Description",
            "Description",
            "Account Description",
        ),
    ),
    SPEND_CATEGORY: (
        (
            "Procurement Classification",
            "Proclass Details Level 1",
            "Procurement Category",
            "ProClass Description",
        ),
        ("ProClass",),
        ("Category Description", "Thomson Classification Description", "Thomson Classification"),
    ),
    MERCHANT_CATEGORY: (("Merchant Category", "Merchant Category Code", "MCC"),),
    IRRECOVERABLE_VAT: (("Irrecoverable VAT", "Irrecoverable VAT Amount", "VAT Irrecoverable"),),
    TRANSACTION_REF: (
        (
            "Transaction Number",
            "Transaction No",
            "TransNo",
            "Transaction ID",
            "Transaction Reference",
        ),
        ("Document No", "Document Number", "Payment Reference", "Reference"),
        ("Invoice No", "Invoice Number"),
    ),
}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class HeaderWordRule:
    """A weaker way to recognise a field's column when no alias names it: the header holds one
    of the ``cues`` (and, when ``qualifiers`` are given, one of those too) and none of the
    ``vetoes``. Words are compared whole, so "Payment Date (dd/mm/yyyy)" holds "payment" and
    "date", and "Update" holds neither."""

    cues: frozenset[str]
    vetoes: frozenset[str] = frozenset()
    qualifiers: frozenset[str] = frozenset()

    def matches(self, words: frozenset[str]) -> bool:
        return (
            bool(words & self.cues)
            and not words & self.vetoes
            and (not self.qualifiers or bool(words & self.qualifiers))
        )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_IDENTIFIER_WORDS = _words("id no num number code ref reference")
_PAYEE_WORDS = _words("supplier payee beneficiary vendor creditor merchant recipient")
# "Amount excluding VAT" is the amount; "VAT amount" is not.
_EXCLUDING_WORDS = _words("ex exc excl excluding exclusive before less")

#: Rules for headers that no alias names, such as "Payment Date (dd/mm/yyyy)", "Amount Paid",
#: "Name of Supplier" or "Creditor Account Number". They rank below every alias, and a field
#: two headers both fit by rule is left for the person importing to choose, as with aliases.
HEADER_WORD_RULES: dict[str, HeaderWordRule] = {
    PAYMENT_DATE: HeaderWordRule(
        cues=_words("date"),
        # Dates that are not when the council paid.
        vetoes=_words(
            "invoice due received receipt order start end created entered entry approved "
            "approval expiry birth contract"
        ),
    ),
    AMOUNT: HeaderWordRule(
        cues=_words("amount value paid spend expenditure gbp sterling"),
        vetoes=_words(
            "date to by irrecoverable recoverable type method description currency category "
            "contract budget status"
        )
        | _IDENTIFIER_WORDS,
    ),
    SUPPLIER_NAME: HeaderWordRule(
        cues=_PAYEE_WORDS,
        vetoes=_words(
            "account type category classification postcode post address town vat registration "
            "reg status size sector group"
        )
        | _IDENTIFIER_WORDS,
    ),
    SOURCE_SUPPLIER_ID: HeaderWordRule(
        cues=_PAYEE_WORDS,
        qualifiers=_IDENTIFIER_WORDS | {"account"},
        vetoes=_words("name vat company charity registration reg postcode"),
    ),
}

_CAMEL_CASE_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")


def header_words(header: str) -> frozenset[str]:
    """A header's words in lower case, "PaymentDate" and "payment_date" alike giving
    {"payment", "date"}."""
    spaced = _CAMEL_CASE_BOUNDARY.sub(" ", header.replace("\ufeff", ""))
    return frozenset(_NON_ALNUM.split(spaced.lower())) - {""}


def field_by_rule(header: str) -> str | None:
    """The one field a header fits by :data:`HEADER_WORD_RULES`, or None (none, or several)."""
    words = header_words(header)
    fits = [name for name, rule in HEADER_WORD_RULES.items() if rule.matches(words)]
    if AMOUNT in fits and "vat" in words and not words & _EXCLUDING_WORDS:
        fits.remove(AMOUNT)
    return fits[0] if len(fits) == 1 else None


def normalise_header(header: str) -> str:
    """Lower-case a header and drop everything but letters and digits ("Comp. reg. no" -> "compregno")."""
    return _NON_ALNUM.sub("", header.replace("\ufeff", "").lower())


_ALIAS_INDEX: dict[str, tuple[str, int]] = {
    normalise_header(alias): (canonical, level)
    for canonical, levels in HEADER_ALIASES.items()
    for level, aliases in enumerate(levels)
    for alias in aliases
}
# Rules rank below every alias level.
_RULE_LEVEL = 1 + max(len(levels) for levels in HEADER_ALIASES.values())


# Cached: finding a header row asks this of every cell of a file's first records, where the
# same departments, purposes and suppliers recur, and an import looks at each file more than once.
@functools.lru_cache(maxsize=16384)
def _recognise(header: str) -> tuple[str, int] | None:
    """The field a header names and how strongly (a lower level is stronger), or None."""
    hit = _ALIAS_INDEX.get(normalise_header(header))
    if hit is not None:
        return hit
    field = field_by_rule(header)
    return (field, _RULE_LEVEL) if field else None


@dataclass(frozen=True)
class Mapping:
    """Which column (by position, since headers repeat) feeds each canonical field, and why.

    ``columns`` maps a canonical field to a 0-based column index in ``headers``. ``ambiguous``
    lists fields that two or more equally strong headers could feed (left unmapped rather than
    guessed); ``duplicates`` lists repeated headers of which the first was used; ``by_rule``
    lists fields whose header no alias names, found by :data:`HEADER_WORD_RULES`.
    """

    headers: tuple[str, ...]
    columns: dict[str, int]
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    duplicates: tuple[str, ...] = ()
    supplied_by_caller: tuple[str, ...] = ()
    by_rule: tuple[str, ...] = ()

    @property
    def missing_required(self) -> tuple[str, ...]:
        return tuple(name for name in REQUIRED_FIELDS if name not in self.columns)

    @property
    def unmapped_headers(self) -> tuple[str, ...]:
        used = set(self.columns.values())
        return tuple(h for i, h in enumerate(self.headers) if i not in used and h.strip())

    @property
    def is_complete(self) -> bool:
        return not self.missing_required

    def header_for(self, canonical: str) -> str:
        return self.headers[self.columns[canonical]]

    def as_saved(self) -> dict[str, str]:
        """The mapping as {canonical field: header text}, for a publisher's saved layout."""
        return {name: self.headers[index] for name, index in self.columns.items()}

    def report(self) -> str:
        lines = [
            f"{name} <- column {index + 1} '{self.headers[index]}'"
            + (" (set by saved mapping)" if name in self.supplied_by_caller else "")
            + (" (recognised from its words, not a known header)" if name in self.by_rule else "")
            for name, index in sorted(self.columns.items(), key=lambda item: item[1])
        ]
        lines += [
            f"{name}: ambiguous between {', '.join(repr(h) for h in candidates)}"
            for name, candidates in self.ambiguous.items()
        ]
        lines += [f"repeated header '{h}': the first occurrence was used" for h in self.duplicates]
        lines += [f"missing required field: {name}" for name in self.missing_required]
        if self.unmapped_headers:
            lines.append("not used: " + ", ".join(repr(h) for h in self.unmapped_headers))
        return "\n".join(lines)


class MappingError(ValueError):
    """A caller-supplied mapping names a field or a header that does not exist."""


def detect_mapping(headers: Sequence[str], supplied: AbcMapping[str, str] | None = None) -> Mapping:
    """Map a file's headers to canonical fields.

    ``supplied`` (a publisher's saved mapping, {canonical field: header text}) wins for the
    fields it names; the remaining fields are detected from the aliases, then from the words
    of headers no alias names (:data:`HEADER_WORD_RULES`).
    """
    header_tuple = tuple(h.replace("\ufeff", "").strip() for h in headers)
    normalised = [normalise_header(h) for h in header_tuple]
    columns: dict[str, int] = {}
    for name, header in (supplied or {}).items():
        if name not in MAPPABLE_FIELDS:
            raise MappingError(f"saved mapping names unknown field '{name}'")
        wanted = normalise_header(header)
        if wanted not in normalised:
            raise MappingError(
                f"saved mapping expects column '{header}' for {name}, but the file has no such column"
            )
        columns[name] = normalised.index(wanted)

    best: dict[str, tuple[int, list[int]]] = {}
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for index, key in enumerate(normalised):
        if key in seen:
            if header_tuple[index] not in duplicates:
                duplicates.append(header_tuple[index])
            continue
        seen[key] = index
        hit = _recognise(header_tuple[index])
        if hit is None:
            continue
        canonical, level = hit
        current = best.get(canonical)
        if current is None or level < current[0]:
            best[canonical] = (level, [index])
        elif level == current[0]:
            current[1].append(index)

    ambiguous: dict[str, tuple[str, ...]] = {}
    taken = set(columns.values())
    for canonical, (_, indexes) in best.items():
        if canonical in columns:
            continue
        free = [i for i in indexes if i not in taken]
        if len(free) == 1:
            columns[canonical] = free[0]
        elif len(free) > 1:
            ambiguous[canonical] = tuple(header_tuple[i] for i in free)
    return Mapping(
        headers=header_tuple,
        columns=columns,
        ambiguous=ambiguous,
        duplicates=tuple(d for d in duplicates if _recognise(d) is not None),
        by_rule=tuple(
            name
            for name in columns
            if name not in (supplied or {}) and best[name][0] == _RULE_LEVEL
        ),
        supplied_by_caller=tuple(supplied or ()),
    )


def recognised_field_count(headers: Sequence[str]) -> int:
    """How many distinct canonical fields a candidate header row names (used to find the header)."""
    return len({hit[0] for hit in map(_recognise, headers) if hit is not None})


def header_score(record: Sequence[str], saved_headers: AbcSet[str] = frozenset()) -> int:
    """How strongly a record looks like the header row: the known fields it names, or the
    publisher's saved column names it holds (``saved_headers``, normalised), whichever is more.
    A saved mapping names the publisher's own headers, which need not be known aliases."""
    score = recognised_field_count(record)
    if saved_headers:
        score = max(score, len(saved_headers & {normalise_header(cell) for cell in record}))
    return score


@dataclass(frozen=True)
class HeaderRow:
    """Where a spend file's header row is among its first records (``index``, from 0), and
    whether it was found by the fields it names (rather than offered for the person to map)."""

    index: int
    names_fields: bool


def find_header(
    records: Sequence[Sequence[str]], saved_headers: AbcSet[str] = frozenset()
) -> HeaderRow | None:
    """The header row among a spend file's first records: the row naming the most known fields
    (or the publisher's saved column names), if it names two or more; otherwise the first row
    with three or more cells, offered as the header for the person to say which column is
    which. None when neither is there."""
    index = find_header_row(records, lambda record: header_score(record, saved_headers), minimum=2)
    if index is not None:
        return HeaderRow(index, names_fields=True)
    index = next(
        (i for i, record in enumerate(records) if sum(1 for c in record if c.strip()) >= 3), None
    )
    return HeaderRow(index, names_fields=False) if index is not None else None
