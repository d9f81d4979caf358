"""A first look at an uploaded spend file: its header row and first payment rows, read with
the one table reader (``commonweal.tabular``) and the one header-row rule
(``spend_engine.layouts.find_header``) the import itself uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from commonweal.spend_engine.columns_by_value import PaymentRowNotHeader
from commonweal.spend_engine.ingest import spend_worksheets
from commonweal.spend_engine.layouts import find_header, normalise_header
from commonweal.tabular import (
    HEADER_SEARCH_RECORDS,
    SPREADSHEET_KINDS,
    WORKBOOK_SUFFIXES,
    Limits,
    TableError,
    Worksheet,
    read_table,
)

PREVIEW_ROWS = 5
ALLOWED_SUFFIXES = (".csv", ".txt", *WORKBOOK_SUFFIXES)
__all__ = ["SPREADSHEET_KINDS", "FilePreview", "UploadedFileProblem", "preview_file"]


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


def preview_file(
    path: Path, name: str, limits: Limits, saved_headers: Iterable[str] = ()
) -> FilePreview:
    """Find the header row among the first records and return it with the rows after it.

    The header is found as ``find_header`` says; one offered for the person to map (naming
    fewer than two known fields) is refused when it holds a payment (``PaymentRowNotHeader``):
    a file with no header row is refused, not read a row short.
    """
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise UploadedFileProblem(
            f"{name}: the file must be a CSV file or a spreadsheet ({SPREADSHEET_KINDS})"
        )
    saved = frozenset(normalise_header(h) for h in saved_headers)

    def pick(worksheets: Sequence[Worksheet]) -> list[Worksheet]:
        return spend_worksheets(worksheets, saved)

    try:
        table = read_table(path, name, limits, count=HEADER_SEARCH_RECORDS, pick=pick)
    except TableError as problem:
        raise UploadedFileProblem(str(problem)) from problem
    records = table.rows
    header_row = find_header(records, saved)
    if header_row is None:
        raise UploadedFileProblem(
            f"{name}: no header row found in the first {HEADER_SEARCH_RECORDS} rows "
            "(looked for columns such as Payment Date, Amount and Supplier Name, or any row "
            "with at least 3 columns)"
        )
    best_index = header_row.index
    if not header_row.names_fields and (
        payment := PaymentRowNotHeader().payment_in(records[best_index])
    ):
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
        worksheets=table.worksheets if len(table.worksheets) > 1 else (),
    )
