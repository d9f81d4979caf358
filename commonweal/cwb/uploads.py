"""A first look at an uploaded spend file: its header row and first payment rows.

This runs in the web request so the person sees the layout (and any problem with the file)
straight away; the whole file is read later by the import task.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from commonweal.spend_engine.ingest import HEADER_SEARCH_RECORDS, SpendImportError, spend_worksheet
from commonweal.spend_engine.layouts import header_score, normalise_header

PREVIEW_ROWS = 5
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


class SpendFileProblem(ValueError):
    """An uploaded file cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class FilePreview:
    name: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


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
        raise SpendFileProblem(f"{name}: the file must be a CSV or an Excel .xlsx workbook")
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head.strip():
        raise SpendFileProblem(f"{name}: the file is empty")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpendFileProblem(
            f"{name}: old Excel 97-2003 (.xls) workbooks cannot be read; save it as .xlsx or CSV"
        )
    saved = frozenset(normalise_header(h) for h in saved_headers)
    records = (
        _xlsx_records(path, name, saved)
        if head.startswith(b"PK\x03\x04")
        else _csv_records(path, name, head)
    )
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
        raise SpendFileProblem(
            f"{name}: no header row found in the first {HEADER_SEARCH_RECORDS} rows "
            "(looked for columns such as Payment Date, Amount and Supplier Name, or any row "
            "with at least 3 columns)"
        )
    header = [h.replace("\ufeff", "").strip() for h in records[best_index]]
    following = [r for r in records[best_index + 1 :] if any(cell.strip() for cell in r)]
    width = max([len(header), *(len(r) for r in following[:PREVIEW_ROWS])])
    header += [""] * (width - len(header))
    rows = tuple(tuple(r + [""] * (width - len(r))) for r in following[:PREVIEW_ROWS])
    return FilePreview(name=name, header_row=best_index + 1, headers=tuple(header), rows=rows)


def _csv_records(path: Path, name: str, head: bytes) -> list[list[str]]:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpendFileProblem(f"{name}: this is not a text (CSV) file")
    with path.open("rb") as handle:
        raw = handle.read(256 * 1024)
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            # A cut multi-byte character at the end of the sample is not an encoding problem.
            try:
                text = raw[:-4].decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    else:
        raise SpendFileProblem(f"{name}: the text encoding cannot be read")
    lines = text.splitlines()[:HEADER_SEARCH_RECORDS]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [record for _, record in zip(range(HEADER_SEARCH_RECORDS), reader, strict=False)]
    except csv.Error as error:
        raise SpendFileProblem(f"{name}: the CSV cannot be read ({error})") from error


def _xlsx_records(path: Path, name: str, saved_headers: frozenset[str]) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() != ".xlsx":
        raise SpendFileProblem(f"{name}: this is an Excel workbook; its name must end in .xlsx")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise SpendFileProblem(f"{name}: the workbook cannot be read ({error})") from error
    try:
        sheet = spend_worksheet(workbook, name, saved_headers)
        if sheet is None:
            raise SpendFileProblem(f"{name}: the workbook has no rows")
        return [
            ["" if v is None else str(v) for v in row]
            for row in sheet.iter_rows(values_only=True, max_row=HEADER_SEARCH_RECORDS)
        ]
    except SpendImportError as error:
        raise SpendFileProblem(str(error)) from error
    finally:
        workbook.close()
