"""A first look at an uploaded spend file: its header row and first payment rows.

This runs in the web request so the person sees the layout (and any problem with the file)
straight away; the whole file is read later by the import task.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commonweal.core.text import decode_csv_bytes
from commonweal.spend_engine.ingest import (
    HEADER_SEARCH_RECORDS,
    SpendImportError,
    cell_text,
    readable_head,
    sniff_delimiter,
    spend_worksheets,
)
from commonweal.spend_engine.layouts import header_score, normalise_header

PREVIEW_ROWS = 5
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def preview_file(path: Path, name: str, saved_headers: Iterable[str] = ()) -> FilePreview:
    """Find the header row among the first records and return it with the rows after it.

    The header is the row naming the most known fields (or the publisher's saved column
    names); when none names two, the first row with three or more cells is offered as the
    header, for the person to say which column is which.
    """
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadedFileProblem(f"{name}: the file must be a CSV or an Excel .xlsx workbook")
    head = _readable_head(path, name)
    saved = frozenset(normalise_header(h) for h in saved_headers)
    worksheets: tuple[str, ...] = ()
    if head.startswith(b"PK\x03\x04"):
        records, worksheets = _xlsx_records(
            path,
            name,
            lambda workbook: spend_worksheets(workbook, saved),
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
    and delimiters spend files use, or the first worksheet with rows of an .xlsx workbook."""
    head = _readable_head(path, name)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_records(path, name, _first_worksheet_with_rows, limit=None)[0]
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
        reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text))
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


def _xlsx_records(
    path: Path, name: str, pick: Callable[[Any], list[Any]], *, limit: int | None
) -> tuple[list[list[str]], tuple[str, ...]]:
    """The first ``limit`` rows (all when None) of the first worksheet ``pick`` chooses, and
    the titles of all it chooses."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() != ".xlsx":
        raise UploadedFileProblem(f"{name}: this is an Excel workbook; its name must end in .xlsx")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise UploadedFileProblem(f"{name}: the workbook cannot be read ({error})") from error
    try:
        sheets = pick(workbook)
        if not sheets:
            raise UploadedFileProblem(f"{name}: the workbook has no rows")
        records = [
            [cell_text(value) for value in row]
            for row in sheets[0].iter_rows(values_only=True, max_row=limit)
        ]
        return records, tuple(sheet.title for sheet in sheets)
    finally:
        workbook.close()


def _first_worksheet_with_rows(workbook: Any) -> list[Any]:
    """A creditor file's table: the first worksheet with any rows (none when none has)."""
    first = next(
        (sheet for sheet in workbook.worksheets if any(True for _ in sheet.iter_rows(max_row=1))),
        None,
    )
    return [first] if first is not None else []
