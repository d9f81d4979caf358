"""The one way the service writes a spreadsheet someone will open: every CSV and XLSX download,
and every CSV the command line prints, goes through here, so that no cell runs as a formula.

Names, notes and titles come from outside the council (anyone with a tender share link can
register a supplier called ``=HYPERLINK("http://evil.example","Open")``). A spreadsheet
program runs a cell that begins ``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab
or carriage return can carry one past a quick look, so, as OWASP advises, such a text cell is
written with an apostrophe in front: Excel and LibreOffice then show it as text. Numbers stay
numbers, and so does text that is only a number (``-1185.60``, ``+3``, ``-£12.50``), which no
program runs as anything else. See docs/adr/0007-formula-safe-exports.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

#: What a cell may not begin with (OWASP, "CSV Injection").
FORMULA_LEADING = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?£?(\d[\d,]*(\.\d*)?|\.\d+)%?")


def neutralise(value: Any) -> Any:
    """``value`` as it may go into a spreadsheet cell: text that a spreadsheet would run as a
    formula gets a leading apostrophe; everything else (numbers, dates, plain text) is as it was.
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_LEADING)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def original(value: Any) -> Any:
    """Text read back from a file the service handed out (a filled-in offer workbook, say), as
    it was before ``neutralise``: the apostrophe in front of a formula character goes."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_LEADING):
        return value[1:]
    return value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` with every cell neutralised; ``writerow`` returns what the file's
    ``write`` returned, so it also serves for streaming (see ``csv_lines``)."""

    def __init__(self, out: _Writable, **fmtparams: Any) -> None:
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writable, **fmtparams: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, **fmtparams)


class _Line:
    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Iterable[Any]], **fmtparams: Any) -> Iterator[str]:
    """Each row as one line of CSV, as it is produced (for a streamed download)."""
    writer = SafeCsvWriter(_Line(), **fmtparams)
    for row in rows:
        yield writer.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]], **fmtparams: Any) -> str:
    buffer = io.StringIO(newline="")
    SafeCsvWriter(buffer, **fmtparams).writerows(rows)
    return buffer.getvalue()


def stored_csv_lines(path: Path) -> Iterator[str]:
    """A CSV file the service wrote earlier from outside data (rejected rows, say), read and
    written out again cell by cell, neutralised, as it streams."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv_lines(csv.reader(handle))


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook saved for handing out, every text cell neutralised first. (openpyxl
    stores any text that begins ``=`` as a formula; nothing the service writes is meant as one.)
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise(cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
