"""Records of a CSV file (any of the encodings and delimiters Excel and finance systems
write), each checked against the limits as it is read."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from commonweal.tabular.encoding import decode_sample, decode_text
from commonweal.tabular.limits import LimitExceeded, Limits, TableError
from commonweal.tabular.sniff import check_text, file_head, sniff_delimiter, workbook_format

#: The first bytes of a CSV file read to find its header (a header row never needs more).
SAMPLE_BYTES = 256 * 1024
# Python's csv module refuses a cell longer than its own limit (one for the whole process)
# before our check can name the cell's column; it is set to this, or above the limit in force
# when that is higher, so that the message a cell gets does not depend on what ran before.
_CSV_FIELD_LIMIT = 1024 * 1024


def column_letter(index: int) -> str:
    """The spreadsheet letter of the column at ``index`` (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def checked_records(
    records: Iterable[list[str]], name: str, limits: Limits, *, first_row: int = 1
) -> Iterator[list[str]]:
    """``records`` (the rows of one table, the first being row ``first_row``), refusing the
    first that goes beyond the limits on rows, columns or cell length."""
    row = first_row - 1
    try:
        for row, record in enumerate(records, start=first_row):
            if row > limits.max_rows:
                raise LimitExceeded(
                    name,
                    f"the file has more than {limits.max_rows:,} rows; split it into smaller files",
                    limit="max_rows",
                )
            if len(record) > limits.max_columns:
                raise LimitExceeded(
                    name,
                    f"the row has {len(record):,} cells; rows of up to {limits.max_columns:,} "
                    "columns can be read",
                    limit="max_columns",
                    row=row,
                )
            for index, cell in enumerate(record):
                if len(cell) > limits.max_cell_characters:
                    raise _cell_too_long(name, limits, row=row, column=column_letter(index))
            yield record
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _cell_too_long(name, limits, row=row + 1, column=None) from None
        raise TableError(name, f"the CSV cannot be read ({error})", row=row + 1) from None


def _cell_too_long(name: str, limits: Limits, *, row: int, column: str | None) -> LimitExceeded:
    where = "the cell" if column else "a cell"
    return LimitExceeded(
        name,
        f"{where} holds more than {limits.max_cell_characters:,} characters, the most a cell "
        "may hold",
        limit="max_cell_characters",
        row=row,
        column=column,
    )


def csv_text(path: Path, name: str, limits: Limits, *, sample: bool) -> str:
    """The text of a CSV file (or, with ``sample``, of its first ``SAMPLE_BYTES``); refused
    when it is too large, empty, a workbook or not text at all."""
    head = file_head(path, name, limits)
    if workbook_format(head):
        raise TableError(name, "this is a workbook, not a CSV file")
    check_text(head, name)
    with path.open("rb") as handle:
        if sample:
            return decode_sample(handle.read(SAMPLE_BYTES))
        return decode_text(handle.read())


def csv_records(
    text: str, name: str, limits: Limits, *, delimiter: str | None = None
) -> Iterator[list[str]]:
    """The checked records of a CSV file's text, the first being row 1. The delimiter is
    the one the text uses most (see ``sniff_delimiter``) unless it is given."""
    return stream_records(
        io.StringIO(text, newline=""), name, limits, delimiter=delimiter or sniff_delimiter(text)
    )


def stream_records(
    lines: Iterable[str], name: str, limits: Limits, *, delimiter: str
) -> Iterator[list[str]]:
    """The checked records of a CSV file read as text (opened with ``newline=""``), the
    first being row 1."""
    csv.field_size_limit(max(_CSV_FIELD_LIMIT, limits.max_cell_characters + 1))
    return checked_records(csv.reader(lines, delimiter=delimiter), name, limits)


def read_csv(path: Path, name: str, limits: Limits, *, count: int | None = None) -> list[list[str]]:
    """The records of a CSV file: all of them, or (read from its first bytes) the first
    ``count``."""
    text = csv_text(path, name, limits, sample=count is not None)
    records = csv_records(text, name, limits)
    if count is None:
        return list(records)
    return [record for _, record in zip(range(count), records, strict=False)]
