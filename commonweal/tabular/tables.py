"""One table from an uploaded file, whatever its format: a CSV file, or a worksheet of a
workbook (.xlsx, .xlsm, .xls, .ods)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from commonweal.tabular.delimited import read_csv
from commonweal.tabular.limits import Limits, TableError
from commonweal.tabular.sniff import file_head, workbook_format
from commonweal.tabular.workbooks import Worksheet, open_workbook

#: Chooses the worksheets of a workbook that hold the table (the first is read).
WorksheetPicker = Callable[[Sequence[Worksheet]], Sequence[Worksheet]]


@dataclass(frozen=True)
class Table:
    """The records of one table, each a list of cells as text: ``rows[i]`` is the file's (or
    worksheet's) row i + 1, blank rows included."""

    file: str
    rows: list[list[str]]
    #: "csv", "xlsx" (also .xlsm), "xls" or "ods".
    file_format: str = "csv"
    #: The worksheet read, for a workbook; and every worksheet the picker chose.
    worksheet: str = ""
    worksheets: tuple[str, ...] = ()


def first_worksheet_with_rows(worksheets: Sequence[Worksheet]) -> list[Worksheet]:
    """The first worksheet with any rows (none when none has)."""
    first = next((sheet for sheet in worksheets if sheet.has_rows()), None)
    return [first] if first is not None else []


def read_table(
    path: Path,
    name: str,
    limits: Limits,
    *,
    count: int | None = None,
    pick: WorksheetPicker = first_worksheet_with_rows,
) -> Table:
    """The first ``count`` records (all when None) of the table a file holds: a CSV in any
    encoding and delimiter, or the first worksheet ``pick`` chooses of a workbook.

    Raises ``TableError`` (``LimitExceeded`` for a file beyond ``limits``) naming the file,
    and the row and column where the problem is in one place.
    """
    file_format = workbook_format(file_head(path, name, limits))
    if file_format is None:
        return Table(name, read_csv(path, name, limits, count=count))
    with open_workbook(path, name, limits) as worksheets:
        chosen = pick(worksheets)
        if not chosen:
            raise TableError(name, "no visible worksheet of the workbook has rows")
        return Table(
            name,
            list(chosen[0].rows(count)),
            file_format,
            chosen[0].title,
            tuple(sheet.title for sheet in chosen),
        )


def find_header_row(
    records: Iterable[Sequence[str]], score: Callable[[Sequence[str]], int], *, minimum: int = 1
) -> int | None:
    """The index of the record that scores highest (the first of equals), if it scores at
    least ``minimum``: one rule for finding a header row below any title rows."""
    best_index, best_score = None, minimum - 1
    for index, record in enumerate(records):
        record_score = score(record)
        if record_score > best_score:
            best_index, best_score = index, record_score
    return best_index
