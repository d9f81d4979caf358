"""Spreadsheet workbooks as rows of text: Excel (.xlsx, .xlsm), Excel 97-2003 (.xls) and
OpenDocument (.ods, the format the government's open standards ask for).

Councils publish spend in all of these (Sheffield's monthly files are .xlsm workbooks), so
the file's content decides how it is read, not its name. Every cell becomes the text a CSV
export of it would hold, so a workbook is then read like any CSV.

The reader holds a whole worksheet in memory, one slot for every cell of its used range, so
before a worksheet is loaded its extent is found from the file itself: a workbook of a few
kilobytes with two cells at opposite corners of a worksheet would otherwise ask for hundreds
of gigabytes and end the process.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from commonweal.tabular.delimited import column_letter
from commonweal.tabular.limits import LimitExceeded, Limits, TableError, size_text
from commonweal.tabular.sniff import check_size

#: The names of workbook files people upload (the content is checked as well).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
#: The workbooks the upload pages accept, in their words.
SPREADSHEET_KINDS = ".xlsx, .xlsm, .xls or .ods"


class UnreadableWorkbook(TableError):
    """The workbook cannot be read; the message names the file and why."""


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (dates ISO, whole numbers bare)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Worksheet:
    """One worksheet, read when its rows are first asked for."""

    title: str
    file: str
    limits: Limits
    _workbook: Any = field(repr=False)
    _sheet: Any = field(default=None, repr=False)

    def rows(self, limit: int | None = None) -> Iterator[list[str]]:
        """The worksheet's rows from its first, each from column A (blank rows above a table
        and blank columns to its left included, so that row n, cell i is the worksheet's row
        n, column i), each cell as text; the first ``limit`` when given."""
        with _damage_reported(self.file, f"worksheet {self.title!r}"):
            if self._sheet is None:
                self._sheet = self._workbook.get_sheet_by_name(self.title)
                self._check_size(self._sheet.height, self._sheet.width)
            # The reader gives the rows above the used range but not the columns to its left:
            # those are added, so that cell i is in column i (as the messages name it).
            left = [""] * (self._sheet.start[1] if self._sheet.start else 0)
            for number, row in enumerate(islice(self._sheet.iter_rows(), limit), start=1):
                cells = [*left, *(cell_text(value) for value in row)]
                for index, cell in enumerate(cells):
                    if len(cell) > self.limits.max_cell_characters:
                        raise LimitExceeded(
                            self.file,
                            f"the cell holds more than {self.limits.max_cell_characters:,} "
                            "characters, the most a cell may hold",
                            limit="max_cell_characters",
                            row=number,
                            column=f"{column_letter(index)} of worksheet {self.title!r}",
                        )
                yield cells

    def has_rows(self) -> bool:
        return next(self.rows(limit=1), None) is not None

    def _check_size(self, rows: int, columns: int) -> None:
        check_extent(self.file, self.title, rows, columns, self.limits)


def check_extent(file: str, title: str, rows: int, columns: int, limits: Limits) -> None:
    """Refuse a worksheet whose used range is beyond the limits."""
    where = f"worksheet {title!r}" if title else "a worksheet"
    if rows > limits.max_rows:
        raise LimitExceeded(
            file,
            f"{where} has {rows:,} rows; worksheets of up to {limits.max_rows:,} rows can be "
            "read, so split it into smaller files",
            limit="max_rows",
        )
    if columns > limits.max_columns:
        raise LimitExceeded(
            file,
            f"{where} has {columns:,} columns; worksheets of up to {limits.max_columns:,} "
            "columns can be read",
            limit="max_columns",
        )
    if rows * columns > limits.max_cells:
        raise LimitExceeded(
            file,
            f"{where} spans {rows:,} rows by {columns:,} columns; worksheets of up to "
            f"{limits.max_cells:,} cells can be read (delete any stray cells far below or "
            "to the right of the table)",
            limit="max_cells",
        )


@contextmanager
def open_workbook(path: Path, name: str, limits: Limits) -> Iterator[list[Worksheet]]:
    """The worksheets of a workbook, in workbook order: those its reader sees. Chart sheets
    and hidden worksheets (lookup tables behind a form, say) are left out."""
    check_size(path, name, limits)
    _check_zip(path, name, limits)
    try:
        with _damage_reported(name, "the workbook"):
            workbook = CalamineWorkbook.from_path(str(path))
            sheets = workbook.sheets_metadata
    except PasswordError as error:
        raise UnreadableWorkbook(
            name, "the workbook is protected by a password; save a copy without one"
        ) from error
    try:
        yield [
            Worksheet(sheet.name, name, limits, workbook)
            for sheet in sheets
            if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
        ]
    finally:
        workbook.close()


@contextmanager
def _damage_reported(file: str, what: str) -> Iterator[None]:
    """Any failure of the reader becomes ``UnreadableWorkbook`` naming ``what`` cannot be read.

    The reader's Rust code panics on some damaged files (an .xls cut short), which reaches
    Python as pyo3's PanicException: a BaseException that cannot be imported by name.
    """
    try:
        yield
    except (PasswordError, TableError):
        raise
    except (CalamineError, OSError, ValueError) as error:
        raise UnreadableWorkbook(file, f"{what} cannot be read ({error})") from error
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise UnreadableWorkbook(
            file, f"{what} cannot be read (it is damaged or cut short)"
        ) from error


# --- zipped workbooks, looked at before they are read ---------------------------------------


def _check_zip(path: Path, name: str, limits: Limits) -> None:
    """Refuse a zip file that is a plain archive (of a year's monthly files, say) rather than
    a workbook, a workbook that unpacks to more than the limit, or one with a worksheet
    whose used range is beyond the limits."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            entries = {entry.filename: entry for entry in archive.infolist()}
            # Every Excel workbook holds "[Content_Types].xml"; every OpenDocument file
            # "mimetype".
            if not {"[Content_Types].xml", "mimetype"} & entries.keys():
                raise UnreadableWorkbook(
                    name,
                    "this is a zip archive, not a spreadsheet; unzip it and upload the files "
                    "inside",
                )
            unpacked = sum(entry.file_size for entry in entries.values())
            if unpacked > limits.max_unpacked_bytes:
                raise LimitExceeded(
                    name,
                    f"the workbook holds {size_text(unpacked)} once unpacked; workbooks of up "
                    f"to {size_text(limits.max_unpacked_bytes)} unpacked can be read, so save "
                    "its worksheets as CSV files",
                    limit="max_unpacked_bytes",
                )
            if "content.xml" in entries:
                _check_ods_extents(archive, name, limits)
            else:
                titles = _xlsx_sheet_titles(archive)
                for part in entries:
                    if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                        title = titles.get(part, "")
                        rows, columns = _xlsx_extent(archive, part, name, title, limits)
                        check_extent(name, title, rows, columns, limits)
    except TableError:
        raise
    # zlib.error: a part whose compressed bytes are damaged (a workbook with bytes overwritten).
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
        raise UnreadableWorkbook(name, f"the workbook cannot be read ({error})") from error


_CHUNK = 1 << 20
# A cell that holds a value, a formula or text (an empty one, kept only for its formatting, is
# passed over, as the reader passes it over), with its reference ("XFD1048576").
_XLSX_CELL_REFERENCE = re.compile(
    rb'<c\s[^>]*?\br="([A-Za-z]{1,7})([0-9]{1,12})"[^>]*(?<!/)>(?=<(?:v|f|is)[\s>])'
)
# A cell without a reference (placed after the one before it): rare, and read slowly.
_XLSX_CELL_WITHOUT_REFERENCE = re.compile(rb"<c\s(?![^>]*\br=)")
_XLSX_ROW_START = re.compile(rb"<(?:\w+:)?row[\s>/]")
_XLSX_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_XLSX_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)>")
_CELL_REFERENCE = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Za-z]{1,7})([0-9]{1,12})"')
_PLAIN_CELL_REFERENCE = re.compile(rb'<c\s[^>]*?\br="([A-Za-z]{1,7})([0-9]{1,12})"')


def _xml_pieces(xml: IO[bytes]) -> Iterator[bytes]:
    """An XML part in pieces that each end at the end of a tag (so that no tag is split)."""
    carried = b""
    for chunk in iter(lambda: xml.read(_CHUNK), b""):
        buffer = carried + chunk
        end = buffer.rfind(b">") + 1
        yield buffer[:end]
        carried = buffer[end:][-_CHUNK:]
    yield carried


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _xlsx_extent(
    archive: zipfile.ZipFile, part: str, name: str, title: str, limits: Limits
) -> tuple[int, int]:
    """The rows and columns of a worksheet's used range: from the references of the cells
    that hold something, searched for at the speed of a search through bytes (a worksheet of
    135 MB takes about a second), or, when some cell has no reference, tag by tag."""
    max_row = cells = 0
    letters: set[bytes] = set()
    with archive.open(part) as xml:
        for piece in _xml_pieces(xml):
            if (
                b"<c>" in piece
                or b":c" in piece  # a namespace prefix (<x:c>): read as if without references
                or _XLSX_CELL_WITHOUT_REFERENCE.search(piece)
            ):
                with archive.open(part) as again:
                    return _xlsx_extent_without_references(again, name, title, limits)
            references = _XLSX_CELL_REFERENCE.findall(piece)
            if references:
                cells += len(references)
                _check_cells(cells, name, title, limits)
                letters.update(column for column, _ in references)
                max_row = max(max_row, max(int(row) for _, row in references))
    return max_row, max((_column_number(column) for column in letters), default=0)


def _xlsx_extent_without_references(
    xml: IO[bytes], name: str, title: str, limits: Limits
) -> tuple[int, int]:
    """At most the rows and columns of the used range of a worksheet some of whose rows or
    cells have no reference (the reader places each after the one before): as many rows and
    columns beyond the furthest reference as there are rows, and cells in the widest row."""
    rows = widest = in_row = max_row = cells = 0
    letters: set[bytes] = set()
    for piece in _xml_pieces(xml):
        if b":c" in piece or b":row" in piece:  # written with a namespace prefix: slower
            parts = _XLSX_ROW_START.split(piece)
            cell_counts = [len(_XLSX_ANY_CELL.findall(part)) for part in parts]
            cells += len(_XLSX_VALUE.findall(piece))
            references = _CELL_REFERENCE.findall(piece)
        else:
            parts = piece.split(b"<row")
            cell_counts = [
                part.count(b"<c>") + part.count(b"<c ") + part.count(b"<c/") for part in parts
            ]
            cells += piece.count(b"<v>") + piece.count(b"<is>")
            references = _PLAIN_CELL_REFERENCE.findall(piece)
        in_row += cell_counts[0]
        for count in cell_counts[1:]:
            rows, widest, in_row = rows + 1, max(widest, in_row), count
        _check_cells(cells, name, title, limits)
        for column, row in references:
            letters.add(column)
            max_row = max(max_row, int(row))
    max_column = max((_column_number(column) for column in letters), default=0)
    return max_row + rows, max_column + max(widest, in_row)


def _check_cells(cells: int, name: str, title: str, limits: Limits) -> None:
    if cells > limits.max_cells:
        where = f"worksheet {title!r}" if title else "a worksheet"
        raise LimitExceeded(
            name, f"{where} has more than {limits.max_cells:,} cells", limit="max_cells"
        )


_ODS_TAG = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
)
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="([0-9]{1,10})"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="([0-9]{1,10})"')
_TABLE_NAME = re.compile(rb'table:name="([^"]*)"')


def _check_ods_extents(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Check the used range of each table (worksheet) of an OpenDocument spreadsheet.

    Rows and cells may stand for many ("repeated"); empty ones (as every spreadsheet writes
    to fill a sheet out to its last row and column) do not widen the used range.
    """
    title = ""
    rows = columns = row_start = row_repeat = column = 0
    with archive.open("content.xml") as xml:
        for piece in _xml_pieces(xml):
            for tag in _ODS_TAG.finditer(piece):
                kind, attributes, closed = tag.groups()
                if kind == b"table":
                    if title or rows:
                        check_extent(name, title, rows, columns, limits)
                    found = _TABLE_NAME.search(attributes)
                    title = found.group(1).decode("utf-8", "replace") if found else ""
                    rows = columns = row_start = row_repeat = 0
                elif kind == b"table-row":
                    row_start += row_repeat
                    repeated = _ROWS_REPEATED.search(attributes)
                    row_repeat = int(repeated.group(1)) if repeated else 1
                    column = 0
                else:
                    repeated = _COLUMNS_REPEATED.search(attributes)
                    column += int(repeated.group(1)) if repeated else 1
                    if not closed or b"value-type" in attributes:
                        rows = max(rows, row_start + row_repeat)
                        columns = max(columns, column)
                        if rows * columns > limits.max_cells:
                            check_extent(name, title, rows, columns, limits)
    check_extent(name, title, rows, columns, limits)


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def _xlsx_sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """The title of each worksheet part ("xl/worksheets/sheet1.xml": "April"), as far as the
    workbook's own index says; empty when it cannot be told."""
    try:
        with archive.open("xl/workbook.xml") as index:
            workbook = index.read(_CHUNK * 4)
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            relationships = rels.read(_CHUNK * 4)
    except KeyError:
        return {}
    targets = {}
    for found in _RELATIONSHIP.finditer(relationships):
        attributes = dict(_ATTRIBUTE.findall(found.group(1)))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attributes.get(b"Id", b"")] = target if target.startswith("xl/") else f"xl/{target}"
    titles = {}
    for found in _SHEET.finditer(workbook):
        attributes = {
            key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(found.group(1))
        }
        part = targets.get(attributes.get(b"id", b""))
        if part:
            titles[part] = html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))
    return titles
