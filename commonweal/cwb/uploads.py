"""A first look at an uploaded spend file: its header row and first payment rows.

This runs in the web request so the person sees the layout (and any problem with the file)
straight away; the whole file is read later by the import task.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from commonweal.core.text import decode_csv_bytes
from commonweal.spend_engine.columns_by_value import PaymentRowNotHeader
from commonweal.spend_engine.ingest import (
    HEADER_SEARCH_RECORDS,
    SpendImportError,
    readable_head,
    sniff_delimiter,
    spend_worksheets,
)
from commonweal.spend_engine.layouts import header_score, normalise_header
from commonweal.spend_engine.workbooks import (
    WORKBOOK_SUFFIXES,
    UnreadableWorkbook,
    Worksheet,
    open_workbook,
    workbook_format,
)

PREVIEW_ROWS = 5
ALLOWED_SUFFIXES = (".csv", ".txt", *WORKBOOK_SUFFIXES)
#: The workbooks the upload pages accept, in their words.
SPREADSHEET_KINDS = ".xlsx, .xlsm, .xls or .ods"


class UploadedFileProblem(ValueError):
    """An uploaded file cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class FilePreview:
    name: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: A workbook with spend on several worksheets: their titles (the preview is of the first).
    worksheets: tuple[str, ...] = ()


def preview_file(path: Path, name: str, saved_headers: Iterable[str] = ()) -> FilePreview:
    """Find the header row among the first records and return it with the rows after it.

    The header is the row naming the most known fields (or the publisher's saved column
    names); when none names two, the first row with three or more cells is offered as the
    header, for the person to say which column is which, unless it holds a payment
    (``PaymentRowNotHeader``): a file with no header row is refused, not read a row short.
    """
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadedFileProblem(
            f"{name}: the file must be a CSV file or a spreadsheet ({SPREADSHEET_KINDS})"
        )
    head = _readable_head(path, name)
    saved = frozenset(normalise_header(h) for h in saved_headers)
    worksheets: tuple[str, ...] = ()
    if workbook_format(head):
        records, worksheets = _workbook_records(
            path,
            name,
            lambda worksheets: spend_worksheets(worksheets, saved),
            limit=HEADER_SEARCH_RECORDS,
        )
    else:
        records = _csv_records(path, name, head, limit=HEADER_SEARCH_RECORDS)
    best_index, best_score = -1, 0
    for index, record in enumerate(records):
        score = header_score(record, saved)
        if score > best_score:
            best_index, best_score = index, score
    if best_score < 2:
        best_index = next(
            (i for i, r in enumerate(records) if sum(1 for c in r if c.strip()) >= 3), -1
        )
    if best_index < 0:
        raise UploadedFileProblem(
            f"{name}: no header row found in the first {HEADER_SEARCH_RECORDS} rows "
            "(looked for columns such as Payment Date, Amount and Supplier Name, or any row "
            "with at least 3 columns)"
        )
    if best_score < 2 and (payment := PaymentRowNotHeader().payment_in(records[best_index])):
        raise UploadedFileProblem(
            f"{name}: row {best_index + 1} holds a payment ({payment[0]}, {payment[1]}), not "
            "column headings, so the file has no header row; add one above the payments, naming "
            "each column (such as Payment Date, Supplier Name and Amount), and import it again"
        )
    header = [h.replace("\ufeff", "").strip() for h in records[best_index]]
    following = [r for r in records[best_index + 1 :] if any(cell.strip() for cell in r)]
    width = max([len(header), *(len(r) for r in following[:PREVIEW_ROWS])])
    header += [""] * (width - len(header))
    rows = tuple(tuple(r + [""] * (width - len(r))) for r in following[:PREVIEW_ROWS])
    return FilePreview(
        name=name,
        header_row=best_index + 1,
        headers=tuple(header),
        rows=rows,
        worksheets=worksheets if len(worksheets) > 1 else (),
    )


def read_table(path: Path, name: str) -> list[list[str]]:
    """Every row of a small uploaded table (a creditor file): a CSV in any of the encodings
    and delimiters spend files use, or the first worksheet with rows of a workbook."""
    head = _readable_head(path, name)
    if workbook_format(head):
        return _workbook_records(path, name, _first_worksheet_with_rows, limit=None)[0]
    return _csv_records(path, name, head, limit=None)


def _readable_head(path: Path, name: str) -> bytes:
    try:
        return readable_head(path, name)
    except SpendImportError as problem:
        raise UploadedFileProblem(str(problem)) from problem


def _csv_records(path: Path, name: str, head: bytes, *, limit: int | None) -> list[list[str]]:
    """The first ``limit`` records of a CSV (all when None), read from a sample when limited."""
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadedFileProblem(f"{name}: this is not a text (CSV) file")
    with path.open("rb") as handle:
        if limit is None:
            text = decode_csv_bytes(handle.read())
        else:
            text = _sample_text(handle.read(256 * 1024), name)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        if limit is None:
            return list(reader)
        return [record for _, record in zip(range(limit), reader, strict=False)]
    except csv.Error as error:
        raise UploadedFileProblem(f"{name}: the CSV cannot be read ({error})") from error


def _sample_text(raw: bytes, name: str) -> str:
    """The text of the first bytes of a CSV, whose last character may have been cut short."""
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        for cut in (0, 4):  # a cut multi-byte character at the end is not an encoding problem
            try:
                return raw[: len(raw) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UploadedFileProblem(f"{name}: the text encoding cannot be read")


def _workbook_records(
    path: Path,
    name: str,
    pick: Callable[[Sequence[Worksheet]], list[Worksheet]],
    *,
    limit: int | None,
) -> tuple[list[list[str]], tuple[str, ...]]:
    """The first ``limit`` rows (all when None) of the first worksheet ``pick`` chooses, and
    the titles of all it chooses."""
    try:
        with open_workbook(path, name) as worksheets:
            sheets = pick(worksheets)
            if not sheets:
                raise UploadedFileProblem(f"{name}: no visible worksheet of the workbook has rows")
            return list(sheets[0].rows(limit)), tuple(sheet.title for sheet in sheets)
    except UnreadableWorkbook as problem:
        raise UploadedFileProblem(str(problem)) from problem


def _first_worksheet_with_rows(worksheets: Sequence[Worksheet]) -> list[Worksheet]:
    """A creditor file's table: the first worksheet with any rows (none when none has)."""
    first = next((sheet for sheet in worksheets if sheet.has_rows()), None)
    return [first] if first is not None else []
