"""Spreadsheet workbooks as rows of text: Excel (.xlsx, .xlsm), Excel 97-2003 (.xls) and
OpenDocument (.ods, the format the government's open standards ask for).

Councils publish spend in all of these (Sheffield's monthly files are .xlsm workbooks), so
the file's content decides how it is read, not its name. Every cell becomes the text a CSV
export of it would hold, so a workbook is then read like any CSV.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

#: The names of workbook files people upload (the content is checked as well).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"
# An OpenDocument file starts with an uncompressed entry "mimetype" naming its kind.
_ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
#: A zipped workbook (.xlsx, .ods) is refused above this much data unpacked: a worksheet is read
#: whole into memory, and a small file can unpack to far more than any spend file holds (a
#: full Excel worksheet of spend is some hundreds of megabytes).
MAX_UNPACKED_BYTES = 2 * 1024**3


class UnreadableWorkbook(ValueError):
    """The workbook cannot be read; the message names the file and why."""


def workbook_format(head: bytes) -> str | None:
    """The kind of workbook the first bytes of a file begin ("xlsx", "xls" or "ods"); None
    for anything else (text, most likely)."""
    if head.startswith(_OLE2_SIGNATURE):
        return "xls"
    if head.startswith(_ZIP_SIGNATURE):
        return "ods" if head[30 : 30 + len(_ODS_MIMETYPE)] == _ODS_MIMETYPE else "xlsx"
    return None


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
    _workbook: Any = field(repr=False)
    _sheet: Any = field(default=None, repr=False)

    def rows(self, limit: int | None = None) -> Iterator[list[str]]:
        """The worksheet's rows from its first (blank rows above a table included, so row n
        is the worksheet's row n), each cell as text; the first ``limit`` when given."""
        with _damage_reported(f"worksheet {self.title!r}"):
            if self._sheet is None:
                self._sheet = self._workbook.get_sheet_by_name(self.title)
            for row in islice(self._sheet.iter_rows(), limit):
                yield [cell_text(value) for value in row]

    def has_rows(self) -> bool:
        return next(self.rows(limit=1), None) is not None


@contextmanager
def open_workbook(path: Path, name: str) -> Iterator[list[Worksheet]]:
    """The worksheets of a workbook, in workbook order: those its reader sees. Chart sheets
    and hidden worksheets (lookup tables behind a form, say) are left out."""
    _check_zip(path, name)
    try:
        with _damage_reported(f"{name}: the workbook"):
            workbook = CalamineWorkbook.from_path(str(path))
            sheets = workbook.sheets_metadata
    except PasswordError as error:
        raise UnreadableWorkbook(
            f"{name}: the workbook is protected by a password; save a copy without one"
        ) from error
    try:
        yield [
            Worksheet(sheet.name, workbook)
            for sheet in sheets
            if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
        ]
    except UnreadableWorkbook as problem:
        raise UnreadableWorkbook(f"{name}: {problem}") from problem
    finally:
        workbook.close()


@contextmanager
def _damage_reported(what: str) -> Iterator[None]:
    """Any failure of the reader becomes ``UnreadableWorkbook`` naming ``what`` cannot be read.

    The reader's Rust code panics on some damaged files (an .xls cut short), which reaches
    Python as pyo3's PanicException: a BaseException that cannot be imported by name.
    """
    try:
        yield
    except PasswordError:
        raise
    except (CalamineError, OSError, ValueError) as error:
        raise UnreadableWorkbook(f"{what} cannot be read ({error})") from error
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise UnreadableWorkbook(f"{what} cannot be read (it is damaged or cut short)") from error


def _check_zip(path: Path, name: str) -> None:
    """Refuse a zip file that is a plain archive (of a year's monthly files, say) rather than
    a workbook, or a workbook that unpacks to more than ``MAX_UNPACKED_BYTES``."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableWorkbook(f"{name}: the workbook cannot be read ({error})") from error
    # Every Excel workbook holds "[Content_Types].xml"; every OpenDocument file "mimetype".
    if not {"[Content_Types].xml", "mimetype"} & {entry.filename for entry in entries}:
        raise UnreadableWorkbook(
            f"{name}: this is a zip archive, not a spreadsheet; unzip it and upload the files "
            "inside"
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableWorkbook(
            f"{name}: the workbook holds {unpacked / 1024**3:.1f} GB once unpacked, more than "
            f"the {MAX_UNPACKED_BYTES / 1024**3:.0f} GB that can be read; save its worksheets "
            "as CSV files"
        )
