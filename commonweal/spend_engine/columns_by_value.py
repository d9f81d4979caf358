"""Suggesting a file's payment date and amount columns from their values, when its headers
do not say which they are ("Txn Dt", "Val").

A suggestion is only ever offered to a person, who confirms or changes it on the page where
the columns are chosen; nothing is imported on a suggestion alone. Each rule looks at the first
rows of the file, reads them as the import would (``ingest.read_values``), and names a column
only when exactly one column fits: two that fit suggest neither, and the person chooses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from commonweal.spend_engine.ingest import ValueReading, read_values
from commonweal.spend_engine.layouts import AMOUNT, PAYMENT_DATE, Mapping

#: A rule needs this many filled cells in a column before it says anything of it.
MINIMUM_VALUES = 3

_BARE_NUMBER = re.compile(r"\d+(\.\d+)?")
# Pence written after a decimal point or a decimal comma, whatever marks follow ("£1,185.60",
# "(250.00)", "1185,60 CR").
_PENCE = re.compile(r"[.,]\d\d\D*$")


def _written_as_a_date(value: str, reading: ValueReading) -> bool:
    return reading.is_date and not _BARE_NUMBER.fullmatch(value)


def _written_as_money(value: str) -> bool:
    return "£" in value or _PENCE.search(value) is not None


@dataclass(frozen=True)
class _Column:
    index: int
    header: str
    values: tuple[str, ...]


class DateColumnByValues:
    """The payment date is the column in which every value of the first rows reads as a date
    the import will read, written as a date (with slashes, dashes or a month's name). A column
    of bare numbers is never suggested: Excel serial dates, references and amounts all look
    alike there, so the person chooses it. Two such columns (an invoice date beside the payment
    date, say) suggest neither."""

    field = PAYMENT_DATE
    reason = "every value in the first rows reads as a date"

    def fits(self, column: _Column, readings: dict[str, ValueReading]) -> bool:
        return all(_written_as_a_date(value, readings[value]) for value in column.values)


class AmountColumnByValues:
    """The amount is the column in which every value of the first rows reads as an amount and
    at least one is written with pence ("1185.60") or a pound sign; whole numbers alone could
    be references or supplier IDs. Two such columns (net and gross, say) suggest neither."""

    field = AMOUNT
    reason = "every value in the first rows reads as an amount of money"

    def fits(self, column: _Column, readings: dict[str, ValueReading]) -> bool:
        return all(readings[value].is_amount for value in column.values) and any(
            _written_as_money(value) for value in column.values
        )


RULES = (DateColumnByValues(), AmountColumnByValues())


@dataclass(frozen=True)
class Suggestion:
    """A column (0-based index in the file's headers) suggested for a field, and why."""

    column: int
    header: str
    reason: str


def suggest_columns(mapping: Mapping, rows: Sequence[Sequence[str]]) -> dict[str, Suggestion]:
    """Suggestions for the required fields the headers left unmapped, from the first rows.

    Only columns with a header of their own are considered (a column is chosen by its header),
    and only those the headers left unused.
    """
    headers = mapping.headers
    used = set(mapping.columns.values())
    columns = [
        _Column(
            index,
            header,
            tuple(value for row in rows if index < len(row) and (value := row[index].strip())),
        )
        for index, header in enumerate(headers)
        if index not in used and header and headers.count(header) == 1
    ]
    columns = [column for column in columns if len(column.values) >= MINIMUM_VALUES]
    readings = read_values([value for column in columns for value in column.values])
    suggestions: dict[str, Suggestion] = {}
    for rule in RULES:
        if rule.field in mapping.columns:
            continue
        taken = {suggestion.column for suggestion in suggestions.values()}
        fitting = [c for c in columns if c.index not in taken and rule.fits(c, readings)]
        if len(fitting) == 1:
            suggestions[rule.field] = Suggestion(fitting[0].index, fitting[0].header, rule.reason)
    return suggestions


class PaymentRowNotHeader:
    """A row offered as a file's header holds a payment, not column headings, when one of its
    cells reads as a date written as a date and another as an amount: no heading reads so. The
    file then has no header row, and taking that row for one would leave its payment out of
    the import unseen."""

    def payment_in(self, cells: Sequence[str]) -> tuple[str, str] | None:
        """The date and the amount the row holds, or None when it holds no payment."""
        values = [cell.strip() for cell in cells if cell.strip()]
        readings = read_values(values)
        dates = [value for value in values if _written_as_a_date(value, readings[value])]
        amounts = [value for value in values if readings[value].is_amount and value not in dates]
        return (dates[0], amounts[0]) if dates and amounts else None
