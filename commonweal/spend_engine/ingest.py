"""Ingest council spend files (CSV, or workbooks: .xlsx, .xlsm, .xls, .ods) into one canonical
Parquet file per import run.

All parsing runs inside DuckDB SQL: each file's mapped columns are copied as text into one
staging table (several files at once, each on its own connection), then one set-based pass
cleans, casts and checks every row, so a million rows cost seconds, not minutes. Python only
looks at the first few records of each file, to find the header row and the layout, and hashes
each file while another is being read.

Row numbers (in rejects and in ``source_row``) are spreadsheet row numbers: the first record of
the file is row 1, so the header of a file without junk rows is row 1 and its first payment row 2.
"""

# SQL here is assembled from quoted identifiers (file headers) and escaped literals, because
# DuckDB cannot bind column names or file lists as parameters.
# ruff: noqa: S608
from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Mapping as AbcMapping
from collections.abc import Set as AbcSet
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from pathlib import Path

import duckdb

from commonweal.spend_engine import layouts
from commonweal.spend_engine.files import file_sha256
from commonweal.spend_engine.layouts import Mapping, MappingError, detect_mapping, find_header
from commonweal.spend_engine.sql import sql_string, sql_string_list
from commonweal.tabular import (
    HEADER_SEARCH_RECORDS,
    EncodingSniffer,
    LimitExceeded,
    Limits,
    TableError,
    Worksheet,
    column_letter,
    csv_records,
    file_head,
    open_workbook,
    sniff_delimiter,
    workbook_format,
)
from commonweal.tabular.delimited import stream_records
from commonweal.tabular.encoding import UTF8, UTF16

ProgressCallback = Callable[[str, int, "int | None"], None]

#: Cell values that publishers use to mean "nothing here" (compared case-insensitively).
PLACEHOLDER_VALUES: tuple[str, ...] = (
    "n/a",
    "na",
    "n.a.",
    "nil",
    "none",
    "null",
    "-",
    "--",
    "#n/a",
    "not yet available",
    "not available",
    "not applicable",
    "not known",
    "unknown",
    "tbc",
)

#: Words that mark a supplier name as redacted wherever they stand ("REDACTED UNDER DP ACT",
#: "Name withheld - GDPR"). Not "redaction" or "data protection" alone, which real firms use.
REDACTION_MARKERS: tuple[str, ...] = (
    "redacted",
    "withheld",
    "gdpr",
    "dp act",
    "data protection act",
)

#: Supplier names that are themselves a redaction rather than a name, as the whole name.
REDACTION_NAMES: tuple[str, ...] = (
    "personal data",
    "personal details",
    "personal information",
    "private individual",
    "private individuals",
    "individual",
    "individuals",
    "confidential",
    "not disclosed",
    "undisclosed",
    "anonymous",
    "anonymised",
    "data protection",
)

# Each day-first format appears with a two-digit year (%y) before the four-digit one (%Y): DuckDB
# tries them in order, and %Y alone would read "21" as the year 21.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%d/%m/%y",
    "%d/%m/%Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d-%B-%y",
    "%d-%B-%Y",
    "%d %b %y",
    "%d %b %Y",
    "%d %B %y",
    "%d %B %Y",
    "%d/%b/%y",
    "%d/%b/%Y",
    "%d.%m.%y",
    "%d.%m.%Y",
    "%d-%m-%y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%Y%m%d",
    # A month named first is never read day-first: "Apr 1 2024", "April 1, 2024".
    "%b %d %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%B %d, %Y",
)

EARLIEST_PLAUSIBLE_YEAR = 1990
LATEST_PLAUSIBLE_YEAR = 2100
#: How often workbook conversion is reported while no file has finished.
PROGRESS_INTERVAL_SECONDS = 1.0
# Amounts of up to this many characters are cast through 64-bit decimals (fast); longer ones
# through 128-bit decimals. Ten characters keep 9999999999 x 100 x 10^6 within 64 bits.
_SHORT_NUMBER_BYTES = 10
_CHUNK = 1 << 20


class SpendImportError(Exception):
    """A spend import failed as a whole; nothing was written."""


@dataclass(frozen=True)
class SourceFileResult:
    """What one input file contributed to an import run."""

    name: str
    sha256: str
    file_format: str
    encoding: str
    header_row: int
    mapping: Mapping
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    blank_rows_skipped: int
    total_pence: int
    #: For a workbook with spend on several worksheets, their titles (rows and rejects name
    #: each as ``worksheet_label`` does); empty for a file read whole.
    worksheets: tuple[str, ...] = ()
    #: Its dates were written month first ("4/13/2024") and read so (see ``MonthFirstDates``).
    dates_month_first: bool = False
    #: Its amounts were written with a decimal comma ("1185,60") and read so (see
    #: ``DecimalCommaAmounts``).
    amounts_decimal_comma: bool = False


@dataclass(frozen=True)
class IngestResult:
    """Totals and provenance of one import run; ``spend_path`` holds the canonical rows."""

    import_run_id: str
    run_dir: Path
    spend_path: Path
    rejects_path: Path
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    total_pence: int
    first_payment_date: date | None
    last_payment_date: date | None
    files: tuple[SourceFileResult, ...]

    @property
    def content_hashes(self) -> dict[str, str]:
        """sha256 of each file's bytes, so a re-import of the same file can be spotted."""
        return {f.name: f.sha256 for f in self.files}

    @property
    def mappings(self) -> dict[str, Mapping]:
        return {f.name: f.mapping for f in self.files}


@dataclass(frozen=True)
class _PreparedFile:
    """One part of input file number ``index`` ready for DuckDB: the file itself, or one
    worksheet of a workbook with spend on several (``part`` counts them from 0; ``worksheet``
    is empty for a file read whole)."""

    original: Path
    index: int
    part: int
    worksheet: str
    readable: Path
    sha256: str
    file_format: str
    encoding: str
    delimiter: str
    header_row: int
    #: Cells in the header row, and in the widest of the first rows (at least as many).
    header_cells: int
    column_count: int
    mapping: Mapping

    @property
    def label(self) -> str:
        """How rows, rejects and messages name the part."""
        return worksheet_label(self.original.name, self.worksheet)


def ingest_spend_files(
    files: Sequence[Path | str],
    *,
    output_dir: Path | str,
    import_run_id: str,
    mapping: Mapping | AbcMapping[str, str] | None = None,
    publisher: str | None = None,
    on_progress: ProgressCallback | None = None,
    limits: Limits | None = None,
) -> IngestResult:
    """Read spend files into ``<output_dir>/<import_run_id>/spend.parquet`` and ``rejects.csv``.

    ``mapping`` (a publisher's saved layout) overrides detection for the fields it names.
    ``publisher`` only labels error messages. ``limits`` (the defaults when None) bound each
    file's size, rows, columns and cells. Re-running the same import run replaces its
    output atomically. Raises :class:`SpendImportError` and leaves nothing behind when a file
    cannot be used at all.
    """
    if not files:
        raise SpendImportError("no spend files were given")
    names = [Path(f).name for f in files]
    if repeated := sorted({name for name in names if names.count(name) > 1}):
        raise SpendImportError(
            f"{repeated[0]}: two files of this import have this name; rename one, so that "
            "every row can say which file it came from"
        )
    if not import_run_id or "/" in import_run_id or import_run_id.startswith("."):
        raise SpendImportError(f"import run id '{import_run_id}' cannot be used as a folder name")
    progress = on_progress or _ignore_progress
    output_root = Path(output_dir)
    output_root.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{import_run_id}.", dir=output_root))
    label = f" for {publisher}" if publisher else ""
    try:
        progress("checking files", 0, None)
        saved = mapping.as_saved() if isinstance(mapping, Mapping) else mapping
        result = _load_and_write(
            [Path(f) for f in files], saved, work_dir, progress, limits or Limits()
        )
        final_dir = output_root / import_run_id
        _replace_dir(work_dir, final_dir)
    except SpendImportError as error:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise SpendImportError(f"{error}{label}") from error
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    progress("done", result.rows_read, result.rows_read)
    return IngestResult(
        import_run_id=import_run_id,
        run_dir=final_dir,
        spend_path=final_dir / "spend.parquet",
        rejects_path=final_dir / "rejects.csv",
        rows_read=result.rows_read,
        rows_accepted=result.rows_accepted,
        rows_rejected=result.rows_rejected,
        total_pence=result.total_pence,
        first_payment_date=result.first_payment_date,
        last_payment_date=result.last_payment_date,
        files=result.files,
    )


def _ignore_progress(stage: str, rows_done: int, rows_total: int | None) -> None:
    """Default progress callback: nobody is listening."""


def _replace_dir(new: Path, final: Path) -> None:
    for leftover in new.glob("source-*.csv"):
        leftover.unlink()
    shutil.rmtree(new / "duckdb-tmp", ignore_errors=True)
    if final.exists():
        retired = final.with_name(f".{final.name}.old-{uuid.uuid4().hex}")
        final.rename(retired)
        new.rename(final)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        new.rename(final)


# --- looking at a file before DuckDB reads it ---------------------------------------------


def _prepare_file(
    path: Path,
    index: int,
    scratch: Path,
    saved: AbcMapping[str, str] | None,
    converted: _RowCounter,
    limits: Limits,
) -> list[_PreparedFile]:
    """The parts (see ``_PreparedFile``) of file number ``index``, each as UTF-8 text with its
    layout found; converted or transcoded text goes to ``<scratch>.csv`` (``<scratch>-<part>.csv``)."""
    if not path.is_file():
        raise SpendImportError(f"{path.name}: file not found")
    with _as_spend_import_error():
        head = file_head(path, path.name, limits)
    workbook = workbook_format(head)
    if workbook is not None:
        sha = file_sha256(path)
        sheets = _workbook_to_csv(path, scratch, saved_header_keys(saved), converted, limits)
        several = len(sheets) > 1
        return [
            _find_layout(
                path,
                index,
                part,
                title if several else "",
                readable,
                (sha, workbook, UTF8),
                saved,
                limits,
            )
            for part, (title, readable) in enumerate(sheets)
        ]
    sha, encoding, empty_lines = _hash_and_sniff_encoding(path, head)
    readable = path
    if encoding != UTF8:
        readable = scratch.with_suffix(".csv")
        _transcode(path, readable, encoding)
    if encoding == UTF16:
        # Its line endings are two bytes each; the hashing pass did not look for them.
        empty_lines = _has_empty_lines(readable)
    prepared = _find_layout(path, index, 0, "", readable, (sha, "csv", encoding), saved, limits)
    if empty_lines:
        filled = scratch.with_name(f"{scratch.name}-filled.csv")
        _fill_empty_lines(readable, filled, prepared, limits)
        prepared = replace(prepared, readable=filled)
    return [prepared]


@contextmanager
def _as_spend_import_error() -> Iterator[None]:
    """A file the table reader refuses fails the import, with the reader's message."""
    try:
        yield
    except TableError as problem:
        raise SpendImportError(str(problem)) from problem


def _hash_and_sniff_encoding(path: Path, head: bytes) -> tuple[str, str, bool]:
    """Hash the file and decide its text encoding in one pass, and whether it has empty lines
    between rows (see ``_EmptyLines``; found in the bytes as they stand, which for UTF-8 and
    Windows-1252 alike write a line ending as in ASCII); refuse binary files."""
    sniffer = EncodingSniffer(head)
    if sniffer.encoding == UTF16:
        return file_sha256(path), UTF16, False
    if b"\x00" in head:
        raise SpendImportError(f"{path.name}: this is not a text (CSV) file")
    digest = hashlib.sha256()
    empty_lines = _EmptyLines(head)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
            empty_lines.feed(chunk)
            sniffer.feed(chunk)
    return digest.hexdigest(), sniffer.encoding, empty_lines.found


def _transcode(source: Path, target: Path, encoding: str) -> None:
    with (
        source.open("r", encoding=encoding, errors="replace", newline="") as reader,
        target.open("w", encoding="utf-8", newline="") as writer,
    ):
        shutil.copyfileobj(reader, writer, _CHUNK)


def _has_empty_lines(path: Path) -> bool:
    """Whether a UTF-8 file has empty lines between rows (see ``_EmptyLines``)."""
    with path.open("rb") as handle:
        empty_lines = _EmptyLines(handle.read(8192))
        handle.seek(0)
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            empty_lines.feed(chunk)
    return empty_lines.found


class _EmptyLines:
    """Whether a file, fed in pieces, has an empty line with more rows after it.

    DuckDB passes over empty lines, so every row after one would be given the wrong row
    number. Such a file (rare: spreadsheets write empty rows as commas) is copied with each
    empty line written as one empty cell first (``_fill_empty_lines``). An empty line inside a
    quoted value also counts; the copy then keeps the value as it is. The file's first bytes
    say which line ending to look for.
    """

    def __init__(self, head: bytes) -> None:
        mark = b"\n\r\n" if b"\r\n" in head else b"\n\n" if b"\n" in head else b"\r\r"
        # A compiled literal pattern finds it several times faster than bytes.find.
        self._pattern = re.compile(re.escape(mark))
        self.found = False
        self._tail = b""
        self._after_empty_line = False

    def feed(self, chunk: bytes) -> None:
        if self.found or not chunk:
            return
        if self._after_empty_line and chunk.strip():
            self.found = True
            return
        window = self._tail + chunk
        if match := self._pattern.search(window):
            if window[match.start() :].strip():
                self.found = True
            else:
                self._after_empty_line = True
        self._tail = window[-2:]


def _fill_empty_lines(source: Path, target: Path, prepared: _PreparedFile, limits: Limits) -> None:
    """Copy a CSV with each empty line written as one empty cell (see ``_EmptyLines``)."""
    delimiter = prepared.delimiter
    with (
        source.open("r", encoding="utf-8-sig", newline="") as reader,
        target.open("w", encoding="utf-8", newline="") as writer,
        _as_spend_import_error(),
    ):
        out = csv.writer(writer, delimiter=delimiter)
        for record in stream_records(reader, prepared.label, limits, delimiter=delimiter):
            out.writerow(record or [""])


class _RowCounter:
    """Workbook rows converted so far: added to by the worker threads, read by the calling
    thread, which alone reports progress."""

    BATCH = 5_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def add(self, rows: int) -> None:
        with self._lock:
            self.value += rows


def _workbook_to_csv(
    path: Path,
    scratch: Path,
    saved_headers: AbcSet[str],
    converted: _RowCounter,
    limits: Limits,
) -> list[tuple[str, Path]]:
    """Write each worksheet that holds spend (see ``spend_worksheets``) to a CSV file of its
    own, counting the rows converted (a large workbook takes seconds). Returns each
    worksheet's title and CSV file."""
    with _as_spend_import_error(), open_workbook(path, path.name, limits) as worksheets:
        sheets = spend_worksheets(worksheets, saved_headers)
        if not sheets:
            raise SpendImportError(f"{path.name}: no visible worksheet of the workbook has rows")
        converted_sheets = []
        for part, sheet in enumerate(sheets):
            target = scratch.with_name(f"{scratch.name}-{part}.csv")
            with target.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                for number, row in enumerate(sheet.rows(), start=1):
                    writer.writerow(row)
                    if number % _RowCounter.BATCH == 0:
                        converted.add(_RowCounter.BATCH)
            converted_sheets.append((sheet.title, target))
        return converted_sheets


def worksheet_label(file_name: str, sheet_title: str) -> str:
    """How rows, rejects and messages name one worksheet of a workbook with spend on several:
    "spend-2024.xlsx [April]" (plain ASCII around the title, so a rejects CSV opened in Excel
    shows it as written); a file read whole, with no title, by its name alone."""
    return f"{file_name} [{sheet_title}]" if sheet_title else file_name


def saved_header_keys(saved: AbcMapping[str, str] | None) -> frozenset[str]:
    """The normalised column names of a publisher's saved mapping."""
    return frozenset(layouts.normalise_header(h) for h in (saved or {}).values())


def spend_worksheets(
    worksheets: Sequence[Worksheet], saved_headers: AbcSet[str] = frozenset()
) -> list[Worksheet]:
    """The worksheets of a workbook that hold spend, in workbook order.

    Those are the ones whose first rows include a header naming two or more known fields (or
    the publisher's saved column names), so a notes or cover sheet is passed over and a
    workbook with a worksheet per month is read whole. With no such worksheet it is the first
    with any rows, for the person importing to map; none when no worksheet has rows.
    """
    with_header, first_with_rows = [], None
    for sheet in worksheets:
        records = list(sheet.rows(limit=HEADER_SEARCH_RECORDS))
        if not records:
            continue
        first_with_rows = first_with_rows or sheet
        if max(layouts.header_score(record, saved_headers) for record in records) >= 2:
            with_header.append(sheet)
    if with_header:
        return with_header
    return [first_with_rows] if first_with_rows is not None else []


def _find_layout(
    original: Path,
    file_index: int,
    part: int,
    worksheet: str,
    readable: Path,
    kind: tuple[str, str, str],
    saved: AbcMapping[str, str] | None,
    limits: Limits,
) -> _PreparedFile:
    """The layout of one part, from its first records; ``kind`` is its hash, format and
    encoding."""
    label = worksheet_label(original.name, worksheet)
    with readable.open("r", encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(256 * 1024)
    delimiter = sniff_delimiter(sample)
    with _as_spend_import_error():
        records = list(
            islice(csv_records(sample, label, limits, delimiter=delimiter), HEADER_SEARCH_RECORDS)
        )
    header_row = find_header(records, saved_header_keys(saved))
    if header_row is None or not header_row.names_fields:
        raise SpendImportError(
            f"{label}: no header row found in the first {HEADER_SEARCH_RECORDS} rows "
            "(looked for columns such as Payment Date, Amount and Supplier Name)"
        )
    best_row = header_row.index
    header = records[best_row]
    width = max(len(r) for r in records[best_row:])
    padded = header + [""] * (width - len(header))
    try:
        mapping = detect_mapping(padded, saved)
    except MappingError as error:
        raise SpendImportError(f"{label}: {error}") from error
    if not mapping.is_complete:
        missing = ", ".join(_field_label(name) for name in mapping.missing_required)
        raise SpendImportError(
            f"{label}: no {missing} column found in header row {best_row + 1}.\n" + mapping.report()
        )
    sha, file_format, encoding = kind
    return _PreparedFile(
        original=original,
        index=file_index,
        part=part,
        worksheet=worksheet,
        readable=readable,
        sha256=sha,
        file_format=file_format,
        encoding=encoding,
        delimiter=delimiter,
        header_row=best_row + 1,
        header_cells=len(header),
        column_count=width,
        mapping=mapping,
    )


def _field_label(name: str) -> str:
    return {
        "amount_pence": "amount",
        "payment_date": "payment date",
        "supplier_name": "supplier name",
    }[name]


# --- the SQL --------------------------------------------------------------------------------


# Regular expressions rather than IN lists of strings: DuckDB plans those as joins. (A short
# IN list of integers, as in the placeholder check below, stays a plain comparison.)
_PLACEHOLDER_PATTERN = r"(?i)\s*(" + "|".join(re.escape(v) for v in PLACEHOLDER_VALUES) + r")?\s*"
# A cell can only be a placeholder if it is empty or starts with white space (as RE2's \s) or
# with the first letter of a placeholder in either case; checking that first is much cheaper
# than the regular expression.
_PLACEHOLDER_FIRST_CODES = sorted(
    {0, *map(ord, "\t\n\f\r ")}
    | {ord(c) for v in PLACEHOLDER_VALUES for c in (v[0].lower(), v[0].upper())}
)
_REDACTION_PATTERN = (
    r"(?i)\b("
    + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in REDACTION_MARKERS)
    + r")\b|^\W*("
    + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in REDACTION_NAMES)
    # A name masked with a run of asterisks, hashes or Xs.
    + r")\W*$|^\s*[*#xX]{3,}\s*$"
)

# A time of day after a date ("2024-04-01 00:00:00.000", "01/04/2024 9:30 AM",
# "2024-04-01T10:00:00Z"): the payment's day is the date before it.
_TIME_OF_DAY_PATTERN = r"[ T]\d{1,2}:\d\d(:\d\d(\.\d+)?)?\s*([AaPp][Mm])?\s*(Z|[+-]\d\d:?\d\d)?$"

# An amount ending in a decimal comma or a decimal point, whatever marks follow ("1185,60 CR").
_DECIMAL_COMMA_PATTERN = r",\d{1,2}\D*$"
_DECIMAL_POINT_PATTERN = r"\.\d{1,2}\D*$"
# A date written with slashes, in either order, perhaps with a time of day after it.
_SLASH_DATE_PATTERN = r"\d\d?/\d\d?/\d\d(\d\d)?([ T].*)?"

_MACROS = f"""
CREATE MACRO cw_text(x) AS
    CASE WHEN length(x) <= {max(map(len, PLACEHOLDER_VALUES)) + 4}
              AND ascii(x) IN ({", ".join(map(str, _PLACEHOLDER_FIRST_CODES))})
              AND regexp_full_match(x, {sql_string(_PLACEHOLDER_PATTERN)}) THEN NULL
         ELSE nullif(trim(replace(x, '\\xB4', '''')), '') END;
-- A minus sign or an en dash (as word processors write minus) is a minus. Spaces that are not
-- seen (no-break, zero-width, a stray byte-order mark) go with the ordinary ones.
CREATE MACRO cw_number_text(x) AS
    regexp_replace(translate(upper(x), '\u2212\u2013', '--'),
                   '[£,\\s\u00a0\u200b\ufeff]|GBP|Â', '', 'g');
CREATE MACRO cw_is_negative(s) AS
    (s LIKE '(%)' OR s LIKE '%-' OR s LIKE '%CR');
-- "CR" marks a credit note; "DR" a debit, which is a payment.
CREATE MACRO cw_unsigned(s) AS
    regexp_replace(s, '^\\(|\\)$|-$|CR$|DR$', '', 'g');
CREATE MACRO cw_pence_plain(n) AS
    CASE WHEN strlen(n) <= {_SHORT_NUMBER_BYTES}
         THEN CAST(round(TRY_CAST(n AS DECIMAL(18, 6)) * 100) AS BIGINT)
         ELSE TRY_CAST(round(TRY_CAST(n AS DECIMAL(38, 6)) * 100) AS BIGINT) END;
CREATE MACRO cw_pence_styled(n) AS
    CASE WHEN regexp_full_match(cw_unsigned(n), '[-+]?(\\d+\\.?\\d*|\\.\\d+)')
         THEN cw_pence_plain(cw_unsigned(n)) * CASE WHEN cw_is_negative(n) THEN -1 ELSE 1 END
    END;
CREATE MACRO cw_digits(x) AS
    replace(replace(x, ',', ''), '£', '');
-- A comma with one or two digits after it, at the end, is a decimal comma ("1185,60"); read
-- as a thousands separator it would make the amount a hundred times too much. Only files
-- found to write them (see DecimalCommaAmounts) have them turned into decimal points first.
CREATE MACRO cw_decimal_comma(x) AS
    contains(x, ',') AND regexp_matches(x, {sql_string(_DECIMAL_COMMA_PATTERN)});
-- Most amounts are plain ("1185.60", "£1,185.60", "-250"): one expression settles them.
CREATE MACRO cw_pence(x) AS
    CASE WHEN regexp_full_match(x, '(-£|£-|£|-)?(\\d{{1,3}}(,\\d{{3}})+|\\d+)(\\.\\d+)?')
         THEN cw_pence_plain(cw_digits(x))
         WHEN cw_decimal_comma(x) THEN NULL
         ELSE cw_pence_styled(cw_number_text(x)) END;
-- "1st April 2024", "April 1st, 2024": the day without its ordinal ending.
CREATE MACRO cw_without_ordinal(x) AS
    regexp_replace(x, '(\\d)(st|nd|rd|th)\\b', '\\1', 'gi');
CREATE MACRO cw_without_time(x) AS
    regexp_replace(x, {sql_string(_TIME_OF_DAY_PATTERN)}, '');
CREATE MACRO cw_any_date(x) AS
    CASE WHEN regexp_full_match(x, '\\d{{4}}-\\d\\d-\\d\\d') THEN TRY_CAST(x AS DATE)
         WHEN regexp_full_match(x, '\\d\\d?/\\d\\d?/\\d{{4}}') THEN CAST(try_strptime(x, '%d/%m/%Y') AS DATE)
         WHEN regexp_full_match(x, '\\d{{5}}(\\.\\d+)?')
         THEN DATE '1899-12-30' + CAST(split_part(x, '.', 1) AS INTEGER)
         WHEN regexp_full_match(x, '\\d\\d?-[A-Za-z]{{3}}-\\d\\d') THEN CAST(try_strptime(x, '%d-%b-%y') AS DATE)
         WHEN regexp_full_match(x, '\\d\\d?-[A-Za-z]{{3}}-\\d{{4}}') THEN CAST(try_strptime(x, '%d-%b-%Y') AS DATE)
         ELSE CAST(try_strptime(cw_without_time(cw_without_ordinal(x)), {sql_string_list(DATE_FORMATS)})
                   AS DATE) END;
CREATE MACRO cw_month_first_date(x) AS
    CASE WHEN regexp_full_match(x, {sql_string(_SLASH_DATE_PATTERN)})
         THEN CAST(try_strptime(cw_without_time(x), ['%m/%d/%y', '%m/%d/%Y']) AS DATE)
         ELSE cw_any_date(x) END;
CREATE MACRO cw_plausible_date(d) AS
    CASE WHEN year(d) BETWEEN {EARLIEST_PLAUSIBLE_YEAR} AND {LATEST_PLAUSIBLE_YEAR} THEN d END;
CREATE MACRO cw_company(c) AS
    CASE WHEN regexp_full_match(upper(c), '0*[1-9]\\d{{0,7}}') AND length(c) <= 8
         THEN lpad(c, 8, '0')
         WHEN regexp_full_match(upper(c), '[A-Z]{{2}}\\d{{5}}R') THEN upper(c)
         WHEN regexp_full_match(upper(c), '[A-Z]{{2}}\\d{{1,6}}')
         THEN left(upper(c), 2) || lpad(substr(c, 3), 6, '0')
    END;
CREATE MACRO cw_charity(c) AS
    CASE WHEN regexp_full_match(upper(c), '(SC)?\\d{{5,8}}|NIC?\\d{{5,6}}') THEN upper(c) END;
CREATE MACRO cw_vat(v) AS
    CASE WHEN regexp_full_match(v, '\\d{{9}}|\\d{{12}}') THEN v END;
CREATE MACRO cw_redacted(x) AS
    regexp_matches(coalesce(x, ''), {sql_string(_REDACTION_PATTERN)});
"""

# A library must not draw DuckDB's progress bar on the caller's terminal (a per-connection setting).
_QUIET = "SET enable_progress_bar = false"


@dataclass(frozen=True)
class ValueReading:
    """Whether the import reads one published value as a payment date (day first, or month
    first as a file written so is read), and as an amount (with a decimal point, or a decimal
    comma as a file written so is read)."""

    is_date: bool
    is_amount: bool


def read_values(values: Sequence[str]) -> dict[str, ValueReading]:
    """How the import would read each of a few published values, by the same SQL that reads
    every row, so that what is said about a value before an import holds during it."""
    distinct = sorted(set(values))
    if not distinct:
        return {}
    con = duckdb.connect()
    try:
        con.execute(_QUIET)
        con.execute(_MACROS)
        rows = con.execute(
            """
            SELECT v,
                   cw_plausible_date(coalesce(cw_any_date(trim(v)), cw_month_first_date(trim(v))))
                       IS NOT NULL,
                   coalesce(cw_pence(v), cw_pence(replace(replace(v, '.', ''), ',', '.')))
                       IS NOT NULL
            FROM (SELECT unnest(?::VARCHAR[]) AS v)
            """,
            [distinct],
        ).fetchall()
    finally:
        con.close()
    return {
        value: ValueReading(bool(is_date), bool(is_amount)) for value, is_date, is_amount in rows
    }


_STAGED_TABLE = (
    "CREATE TABLE staged (file_index INTEGER, part INTEGER, source_row BIGINT, is_blank BOOLEAN, "
    "overflow VARCHAR, " + ", ".join(f"{name} VARCHAR" for name in layouts.MAPPABLE_FIELDS) + ")"
)


def _stage_file_sql(prepared: _PreparedFile) -> str:
    """Copy the mapped columns of one part of a file, as text, into the shared ``staged``
    table.

    Reading keeps file order (parallel = false), which the row numbers need; several files are
    staged at once on their own connections, and the parsing then runs once over every file's
    rows together, where DuckDB can use every core.
    """
    # A row with cells past the header's (``overflow``) is rejected, not read: most often a
    # value with a comma and no quotes ("£1,185.60") was split, and the cells after it moved,
    # so the amount read would be £1. One column more than the widest of the first rows is
    # read, because DuckDB drops the cells of a longer row past the columns it is given.
    width = prepared.column_count + 1
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    mapped = prepared.mapping.columns
    # A row is blank when every cell is empty or only spaces (spacer rows, trailing commas);
    # a date cell with text in it settles most rows without joining every cell. A row that
    # repeats the header (monthly files joined end to end) is passed over like a blank one.
    date_cell, amount_cell = f"c{mapped[layouts.PAYMENT_DATE]}", f"c{mapped[layouts.AMOUNT]}"
    date_header = sql_string(prepared.mapping.header_for(layouts.PAYMENT_DATE).strip())
    amount_header = sql_string(prepared.mapping.header_for(layouts.AMOUNT).strip())
    blank = (
        f"CASE WHEN trim({date_cell}) <> '' "
        f"THEN trim({date_cell}) = {date_header} AND trim({amount_cell}) = {amount_header} "
        "ELSE trim(concat(" + ", ".join(f"c{i}" for i in range(width)) + ")) = '' END"
    )
    beyond_header = [f"c{i}" for i in range(prepared.header_cells, width)]
    overflow = (
        f"nullif(trim(concat_ws({sql_string(prepared.delimiter)}, "
        + ", ".join(beyond_header)
        + f"), {sql_string(prepared.delimiter + ' ')}), '')"
    )
    picked = ", ".join(
        f"c{mapped[name]}" if name in mapped else "NULL" for name in layouts.MAPPABLE_FIELDS
    )
    return f"""
    INSERT INTO staged
    SELECT {prepared.index}, {prepared.part}, row_number() OVER () + {prepared.header_row}, {blank},
           {overflow}, {picked}
    FROM read_csv({sql_string(str(prepared.readable))}, header = false,
                  skip = {prepared.header_row}, auto_detect = false,
                  delim = {sql_string(prepared.delimiter)}, quote = '"', escape = '"',
                  columns = {columns}, null_padding = true, strict_mode = false,
                  parallel = false)
    """


# Dates and amounts are parsed from the published text as it stands: a placeholder such as
# "N/A" or "Nil" never parses as either, so the placeholder check (``cw_text``) is only needed
# for the value shown in a reject. Helper values (compact identifiers) are computed once in the
# first step rather than once per rule that reads them.
def _parse_sql(styles: _WrittenStyles) -> str:
    """The statement that parses every staged row, each part as ``styles`` says it is
    written."""
    any_date = f"cw_any_date(trim({layouts.PAYMENT_DATE}))"
    if styles.month_first:
        any_date = (
            f"CASE WHEN {_in_parts(styles.month_first)} "
            f"THEN cw_month_first_date(trim({layouts.PAYMENT_DATE})) ELSE {any_date} END"
        )
    amount, vat_amount = layouts.AMOUNT, layouts.IRRECOVERABLE_VAT
    if styles.decimal_comma:
        amount, vat_amount = (
            f"CASE WHEN {_in_parts(styles.decimal_comma)} "
            f"THEN replace(replace({column}, '.', ''), ',', '.') ELSE {column} END"
            for column in (layouts.AMOUNT, layouts.IRRECOVERABLE_VAT)
        )
    return f"""
CREATE TABLE parsed AS
WITH cleaned AS (
    SELECT file_index, part, source_row, is_blank, overflow,
           {layouts.PAYMENT_DATE} AS date_text, {layouts.AMOUNT} AS amount_text,
           {layouts.IRRECOVERABLE_VAT} AS vat_amount_text,
           {any_date} AS any_date,
           {amount} AS amount_number, {vat_amount} AS vat_amount_number,
           cw_text({layouts.SUPPLIER_NAME}) AS {layouts.SUPPLIER_NAME},
           cw_text({layouts.SOURCE_SUPPLIER_ID}) AS {layouts.SOURCE_SUPPLIER_ID},
           regexp_replace(cw_text({layouts.COMPANY_NUMBER}), '\\s', '', 'g') AS company_compact,
           regexp_replace(cw_text({layouts.CHARITY_NUMBER}), '\\s', '', 'g') AS charity_compact,
           regexp_replace(upper(cw_text({layouts.VAT_NUMBER})), '^GB|[\\s.-]', '', 'g')
               AS vat_compact,
           cw_text({layouts.SERVICE_AREA}) AS {layouts.SERVICE_AREA},
           cw_text({layouts.PURPOSE}) AS {layouts.PURPOSE},
           cw_text({layouts.SPEND_CATEGORY}) AS {layouts.SPEND_CATEGORY},
           cw_text({layouts.MERCHANT_CATEGORY}) AS {layouts.MERCHANT_CATEGORY},
           cw_text({layouts.TRANSACTION_REF}) AS {layouts.TRANSACTION_REF}
    FROM staged
), valued AS (
    SELECT *, cw_plausible_date(any_date) AS {layouts.PAYMENT_DATE},
           cw_pence(amount_number) AS {layouts.AMOUNT},
           cw_pence(vat_amount_number) AS {layouts.IRRECOVERABLE_VAT}
    FROM cleaned
)
SELECT file_index, part, source_row, is_blank, overflow,
       CASE WHEN {layouts.PAYMENT_DATE} IS NULL THEN cw_text(date_text) END AS raw_date,
       CASE WHEN {layouts.AMOUNT} IS NULL THEN cw_text(amount_text) END AS raw_amount,
       {layouts.PAYMENT_DATE}, {layouts.AMOUNT}, {layouts.SUPPLIER_NAME},
       CASE WHEN cw_redacted({layouts.SOURCE_SUPPLIER_ID}) THEN NULL
            ELSE {layouts.SOURCE_SUPPLIER_ID} END AS {layouts.SOURCE_SUPPLIER_ID},
       cw_company(company_compact) AS {layouts.COMPANY_NUMBER},
       cw_charity(charity_compact) AS {layouts.CHARITY_NUMBER},
       cw_vat(vat_compact) AS {layouts.VAT_NUMBER},
       {layouts.SERVICE_AREA}, {layouts.PURPOSE}, {layouts.SPEND_CATEGORY},
       {layouts.MERCHANT_CATEGORY}, {layouts.IRRECOVERABLE_VAT}, {layouts.TRANSACTION_REF},
       cw_redacted({layouts.SUPPLIER_NAME}) AS is_redacted
FROM valued
"""


# (file index, part) as one integer, for a short IN list of integers (see above).
_PART_KEY = 1 << 16


def _in_parts(parts: AbcSet[tuple[int, int]]) -> str:
    """An SQL condition: the row is in one of these parts (file index, part)."""
    keys = ", ".join(str(index * _PART_KEY + part) for index, part in sorted(parts))
    return f"file_index * {_PART_KEY} + part IN ({keys})"


class MonthFirstDates:
    """Which files (or worksheets) write their dates month first, as "4/13/2024".

    UK files write dates day first, and so are read. But a file saved on a machine set to US
    English writes them month first, and read day first every row whose day is past the 12th
    would be rejected, and the rest read as the wrong month. So a file's dates written with
    slashes are read month first when no date could be day first and enough could only be
    month first: no first number is above 12, and in at least one date in twenty the second
    number is 13 to 31. One date alone does not decide it, as a single mistyped date in a UK
    file could look like that. A file whose days are all 12 or under cannot be told apart; it
    is read day first.
    """

    #: At least one slash date in this many must have a second number of 13 to 31.
    ONE_IN = 20

    def parts(self, con: duckdb.DuckDBPyConnection) -> set[tuple[int, int]]:
        """The (file index, part) of each part of the ``staged`` rows to read month first."""
        rows = con.execute(
            f"""
            WITH slashed AS (
                SELECT file_index, part,
                       TRY_CAST(split_part(d, '/', 1) AS INTEGER) AS first_number,
                       TRY_CAST(split_part(d, '/', 2) AS INTEGER) AS second_number
                FROM (SELECT file_index, part, trim({layouts.PAYMENT_DATE}) AS d FROM staged
                      WHERE NOT is_blank AND {layouts.PAYMENT_DATE} LIKE '%/%/%')
                WHERE regexp_full_match(d, {sql_string(_SLASH_DATE_PATTERN)})
            )
            SELECT file_index, part FROM slashed GROUP BY file_index, part
            HAVING max(first_number) <= 12
               AND count(*) FILTER (WHERE second_number BETWEEN 13 AND 31) * {self.ONE_IN}
                   >= count(*)
            """
        ).fetchall()
        return {(int(index), int(part)) for index, part in rows}


class DecimalCommaAmounts:
    """Which files (or worksheets) write amounts with a decimal comma, as "1185,60" or
    "1.185,60".

    A spreadsheet set to a European language saves amounts so (and usually semicolons between
    cells). UK files write "1,185.60", where a comma always has three digits after it. A file's
    amounts are read with a decimal comma when none ends in a decimal point (a dot and one or
    two digits, "1185.60") and at least one in twenty ends in a decimal comma (a comma and one
    or two digits). In any other file an amount ending in a decimal comma is rejected, never
    read as a thousands separator, which would make it a hundred times too much.
    """

    #: At least one amount in this many must end in a decimal comma.
    ONE_IN = 20

    def parts(self, con: duckdb.DuckDBPyConnection) -> set[tuple[int, int]]:
        """The (file index, part) of each part of the ``staged`` rows to read so."""
        rows = con.execute(
            f"""
            SELECT file_index, part FROM staged
            WHERE NOT is_blank AND {layouts.AMOUNT} IS NOT NULL
            GROUP BY file_index, part
            HAVING count(*) FILTER (WHERE contains({layouts.AMOUNT}, ',') AND regexp_matches(
                       {layouts.AMOUNT}, {sql_string(_DECIMAL_COMMA_PATTERN)})) * {self.ONE_IN}
                   >= count(*)
               AND NOT bool_or(contains({layouts.AMOUNT}, '.') AND regexp_matches(
                       {layouts.AMOUNT}, {sql_string(_DECIMAL_POINT_PATTERN)}))
            """
        ).fetchall()
        return {(int(index), int(part)) for index, part in rows}


@dataclass(frozen=True)
class _WrittenStyles:
    """The parts (file index, part) whose dates are written month first, and those whose
    amounts are written with a decimal comma."""

    month_first: AbcSet[tuple[int, int]]
    decimal_comma: AbcSet[tuple[int, int]]

    @classmethod
    def of_staged(cls, con: duckdb.DuckDBPyConnection) -> _WrittenStyles:
        return cls(MonthFirstDates().parts(con), DecimalCommaAmounts().parts(con))


def _stage_all_files(
    con: duckdb.DuckDBPyConnection,
    files: Sequence[Path],
    prepare: Callable[[int, Path], list[_PreparedFile]],
    progress: ProgressCallback,
    converted: _RowCounter,
) -> list[list[_PreparedFile]]:
    """Prepare and stage every file (each of its parts), a few files at once; the first
    failure (in file order) is raised.

    Each worker has its own DuckDB cursor (connections to one database share its tables), so
    one file is hashed in Python while another is read by DuckDB. Progress is reported from the
    calling thread only, as a caller's callback may touch thread-bound state (a database
    connection): rows staged as each file finishes, and meanwhile, every
    PROGRESS_INTERVAL_SECONDS, workbook rows converted (``converted``).
    """

    def work(index: int, path: Path) -> tuple[list[_PreparedFile], int]:
        parts = prepare(index, path)
        cursor = con.cursor()
        inserted = 0
        try:
            cursor.execute(_QUIET)
            for part in parts:
                try:
                    count = cursor.execute(_stage_file_sql(part)).fetchone()
                except duckdb.Error as error:
                    raise SpendImportError(
                        f"{part.label}: the CSV cannot be read ({error})"
                    ) from error
                inserted += int(count[0]) if count else 0
        finally:
            cursor.close()
        return parts, inserted

    workers = max(1, min(len(files), os.cpu_count() or 1))
    # Each worker's statement runs on the worker's own thread (a row-numbered read is one
    # pipeline), so DuckDB's pool is shrunk meanwhile: idle pool threads would only compete.
    con.execute("SET threads = 1")
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="spend-ingest") as pool:
        futures = [pool.submit(work, i, path) for i, path in enumerate(files)]
        rows_done = 0
        pending = set(futures)
        try:
            while pending:
                finished, pending = wait(
                    pending, timeout=PROGRESS_INTERVAL_SECONDS, return_when=FIRST_COMPLETED
                )
                for future in finished:
                    rows_done += future.result()[1]
                    progress("reading", rows_done, None)
                if not finished and converted.value:
                    progress("converting workbooks", converted.value, None)
        except BaseException:
            for future in futures:
                future.cancel()
            wait(futures)
            failures = [f.exception() for f in futures if not f.cancelled() and f.exception()]
            if failures and failures[0] is not None:
                raise failures[0] from None
            raise
    con.execute("RESET threads")
    return [future.result()[0] for future in futures]


@dataclass(frozen=True)
class _LoadTotals:
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    total_pence: int
    first_payment_date: date | None
    last_payment_date: date | None
    files: tuple[SourceFileResult, ...]


def _load_and_write(
    files: Sequence[Path],
    saved: AbcMapping[str, str] | None,
    work_dir: Path,
    progress: ProgressCallback,
    limits: Limits,
) -> _LoadTotals:
    con = duckdb.connect(
        config={
            "memory_limit": "1GB",
            "temp_directory": str(work_dir / "duckdb-tmp"),
            # Output order is set explicitly (ORDER BY source_row), so inserts may interleave.
            "preserve_insertion_order": False,
        }
    )
    try:
        con.execute(_QUIET)
        con.execute(_MACROS)
        con.execute(_STAGED_TABLE)
        converted = _RowCounter()
        prepared = _stage_all_files(
            con,
            files,
            lambda index, path: _prepare_file(
                path, index, work_dir / f"source-{index}", saved, converted, limits
            ),
            progress,
            converted,
        )
        with _as_spend_import_error():
            _check_staged_limits(con, prepared, limits)
        rows_staged = _count(con, "SELECT count(*) FROM staged WHERE NOT is_blank")
        progress("parsing", rows_staged, rows_staged)
        styles = _WrittenStyles.of_staged(con)
        con.execute(_parse_sql(styles))
        con.execute("DROP TABLE staged")
        con.execute(
            "CREATE VIEW usable AS SELECT * FROM parsed WHERE NOT is_blank;"
            "CREATE VIEW accepted AS SELECT * FROM usable"
            " WHERE payment_date IS NOT NULL AND amount_pence IS NOT NULL AND overflow IS NULL"
        )
        stats = con.execute(
            """
            SELECT file_index, part, count(*) FILTER (WHERE NOT is_blank),
                   count(*) FILTER (WHERE NOT is_blank AND payment_date IS NOT NULL
                                    AND amount_pence IS NOT NULL AND overflow IS NULL),
                   count(*) FILTER (WHERE is_blank),
                   coalesce(sum(amount_pence) FILTER (WHERE NOT is_blank
                                    AND payment_date IS NOT NULL AND overflow IS NULL), 0),
                   count(*) FILTER (WHERE NOT is_blank AND overflow IS NOT NULL)
            FROM parsed GROUP BY file_index, part
            """
        ).fetchall()
        by_part = {(row[0], row[1]): tuple(map(int, row[2:])) for row in stats}
        results = [
            _file_result(parts, [_checked_counts(part, by_part) for part in parts], styles)
            for parts in prepared
        ]
        rows_read = sum(r.rows_read for r in results)
        progress("writing", rows_read, rows_read)
        _register_file_names(con, prepared)
        output_columns = ", ".join(layouts.MAPPABLE_FIELDS)
        # zstd level 1 gives files within 1% of the default level's size for much less work.
        con.execute(
            f"""
            COPY (SELECT {output_columns}, is_redacted, f.name AS source_file, source_row
                  FROM accepted JOIN file_names f USING (file_index, part)
                  ORDER BY file_index, part, source_row)
            TO {sql_string(str(work_dir / "spend.parquet"))} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)
            """
        )
        con.execute(_rejects_sql(work_dir / "rejects.csv"))
        span = con.execute("SELECT min(payment_date), max(payment_date) FROM accepted").fetchone()
        first, last = (span[0], span[1]) if span else (None, None)
        return _LoadTotals(
            rows_read=rows_read,
            rows_accepted=sum(r.rows_accepted for r in results),
            rows_rejected=sum(r.rows_rejected for r in results),
            total_pence=sum(r.total_pence for r in results),
            first_payment_date=first,
            last_payment_date=last,
            files=tuple(results),
        )
    finally:
        con.close()


def _check_staged_limits(
    con: duckdb.DuckDBPyConnection, prepared: Sequence[Sequence[_PreparedFile]], limits: Limits
) -> None:
    """Refuse a part with more rows than the limit, or a mapped cell longer than the limit
    (the first records were checked before; these are the rest, read by DuckDB)."""
    parts = {(part.index, part.part): part for file in prepared for part in file}
    too_long = con.execute(
        f"""
        SELECT file_index, part, max(source_row) FROM staged GROUP BY ALL
        HAVING max(source_row) > {int(limits.max_rows)} ORDER BY ALL LIMIT 1
        """
    ).fetchone()
    if too_long:
        raise LimitExceeded(
            parts[(too_long[0], too_long[1])].label,
            f"the file has more than {limits.max_rows:,} rows; split it into smaller files",
            limit="max_rows",
        )
    longest = int(limits.max_cell_characters)
    which = " ".join(
        f"WHEN length({name}) > {longest} THEN {sql_string(name)}"
        for name in layouts.MAPPABLE_FIELDS
    )
    found = con.execute(
        f"""
        SELECT file_index, part, source_row, CASE {which} END AS field FROM staged
        WHERE field IS NOT NULL ORDER BY file_index, part, source_row LIMIT 1
        """
    ).fetchone()
    if found:
        part = parts[(found[0], found[1])]
        index = part.mapping.columns[found[3]]
        raise LimitExceeded(
            part.label,
            f"the cell holds more than {limits.max_cell_characters:,} characters, the most a "
            "cell may hold",
            limit="max_cell_characters",
            row=int(found[2]),
            column=f"{column_letter(index)} ({part.mapping.header_for(found[3]).strip()})",
        )


def _checked_counts(
    part: _PreparedFile, by_part: AbcMapping[tuple[int, int], tuple[int, ...]]
) -> tuple[int, ...]:
    """A part's rows read, accepted and blank, and total pence; refused when it has no
    payment rows or none was accepted (saying so when every row is longer than the header)."""
    read, accepted, blank, total, overflowing = by_part.get(
        (part.index, part.part), (0, 0, 0, 0, 0)
    )
    if read == 0:
        raise SpendImportError(f"{part.label}: the file has a header but no payment rows")
    if accepted == 0 and overflowing == read:
        raise SpendImportError(
            f"{part.label}: every row has more cells than the header row "
            f"({part.header_cells}); is a column heading missing, or do values with commas "
            "lack quotes?"
        )
    if accepted == 0:
        raise SpendImportError(
            f"{part.label}: all {read} rows were rejected (no row has both a "
            f"readable date in '{part.mapping.header_for(layouts.PAYMENT_DATE)}' and a "
            f"readable amount in '{part.mapping.header_for(layouts.AMOUNT)}')"
        )
    return read, accepted, blank, total


def _file_result(
    parts: list[_PreparedFile],
    counts: list[tuple[int, ...]],
    styles: _WrittenStyles,
) -> SourceFileResult:
    """One file's result: its parts' counts added up; the header row and columns of the first
    (a workbook's worksheets may differ, and each is checked on its own)."""
    read, accepted, blank, total = (sum(column) for column in zip(*counts, strict=True))
    first = parts[0]
    return SourceFileResult(
        name=first.original.name,
        sha256=first.sha256,
        file_format=first.file_format,
        encoding=first.encoding,
        header_row=first.header_row,
        mapping=first.mapping,
        rows_read=read,
        rows_accepted=accepted,
        rows_rejected=read - accepted,
        blank_rows_skipped=blank,
        total_pence=total,
        worksheets=tuple(p.worksheet for p in parts if p.worksheet),
        dates_month_first=any((p.index, p.part) in styles.month_first for p in parts),
        amounts_decimal_comma=any((p.index, p.part) in styles.decimal_comma for p in parts),
    )


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _register_file_names(
    con: duckdb.DuckDBPyConnection, prepared: list[list[_PreparedFile]]
) -> None:
    con.execute(
        "CREATE TEMP TABLE file_names (file_index INTEGER, part INTEGER, file_name VARCHAR, "
        "name VARCHAR, date_header VARCHAR, amount_header VARCHAR, header_cells INTEGER)"
    )
    con.executemany(
        "INSERT INTO file_names VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [
                p.index,
                p.part,
                p.original.name,
                p.label,
                p.mapping.header_for(layouts.PAYMENT_DATE),
                p.mapping.header_for(layouts.AMOUNT),
                p.header_cells,
            ]
            for parts in prepared
            for p in parts
        ],
    )


# The whole of a cell that marks a row of totals (below a month's payments, say), for the
# reason given when it is rejected. Never part of a name: TOTAL GAS & POWER LTD is a supplier.
_TOTALS_PATTERN = r"(?i)\s*(grand\s+|sub-?\s*)?totals?\s*:?\s*"
#: The text cells of a staged row where a totals label may stand (the date's, when it is not
#: a date, and every text column the file's mapping reads).
_LABEL_CELLS = (
    "u.raw_date",
    f"u.{layouts.SUPPLIER_NAME}",
    f"u.{layouts.SOURCE_SUPPLIER_ID}",
    f"u.{layouts.SERVICE_AREA}",
    f"u.{layouts.PURPOSE}",
    f"u.{layouts.SPEND_CATEGORY}",
    f"u.{layouts.MERCHANT_CATEGORY}",
    f"u.{layouts.TRANSACTION_REF}",
)


class RowOfTotals:
    """A row below the payments that totals them is not a payment, and is refused as a row of
    totals rather than as a payment with no date. It is one when any of its text cells is
    just "Total" (or "Totals", "Grand total", "Sub-total", with or without a colon), or when
    it has no date and no supplier and its amount is the sum of the payments above it in its
    file (or worksheet). A supplier whose name starts with TOTAL is still a supplier."""

    REASON = "a row of totals, not a payment"
    SUM_REASON = "a row of totals (its amount is the sum of the payments above it), not a payment"

    def sums_sql(self) -> str:
        """A query of the rows with neither date nor supplier whose amount is the sum of the
        accepted payments above them (in ``usable`` and ``accepted``)."""
        return f"""
            SELECT c.file_index, c.part, c.source_row
            FROM usable c JOIN accepted a
              ON a.file_index = c.file_index AND a.part = c.part AND a.source_row < c.source_row
            WHERE c.payment_date IS NULL AND c.{layouts.SUPPLIER_NAME} IS NULL
              AND c.amount_pence IS NOT NULL
            GROUP BY c.file_index, c.part, c.source_row, c.amount_pence
            HAVING sum(a.amount_pence) = c.amount_pence
        """

    def labelled_sql(self) -> str:
        """An SQL condition on a ``usable`` row ``u``: one of its text cells is a totals label."""
        pattern = sql_string(_TOTALS_PATTERN)
        return " OR ".join(
            f"regexp_full_match(coalesce({cell}, ''), {pattern})" for cell in _LABEL_CELLS
        )


def _rejects_sql(target: Path) -> str:
    totals = RowOfTotals()
    # Files in name order; a workbook's worksheets in the workbook's order.
    return f"""
    COPY (
        WITH summing AS ({totals.sums_sql()})
        SELECT file, row, "column", value, reason FROM (
            SELECT f.name AS file, f.file_name, u.file_index, u.part, u.source_row AS row,
                   f.date_header AS "column", u.raw_date AS value,
                   CASE WHEN {totals.labelled_sql()} THEN {sql_string(totals.REASON)}
                        WHEN s.source_row IS NOT NULL THEN {sql_string(totals.SUM_REASON)}
                        WHEN u.raw_date IS NULL THEN 'date is missing'
                        ELSE 'not a recognised date (dd/mm/yyyy, yyyy-mm-dd, dd-Mon-yy or an Excel '
                             || 'serial, between {EARLIEST_PLAUSIBLE_YEAR} and {LATEST_PLAUSIBLE_YEAR})'
                   END AS reason
            FROM usable u JOIN file_names f USING (file_index, part)
            LEFT JOIN summing s USING (file_index, part, source_row)
            WHERE u.payment_date IS NULL
            UNION ALL
            SELECT f.name, f.file_name, u.file_index, u.part, u.source_row, f.amount_header,
                   u.raw_amount,
                   CASE WHEN u.raw_amount IS NULL THEN 'amount is missing'
                        ELSE 'not a recognised amount (e.g. 1185.60, £1,185.60, (1,185.60) or -1185.60)'
                   END
            FROM usable u JOIN file_names f USING (file_index, part)
            WHERE u.amount_pence IS NULL
            UNION ALL
            SELECT f.name, f.file_name, u.file_index, u.part, u.source_row, '(whole row)',
                   u.overflow,
                   'more cells than the header row (' || f.header_cells || '): a value with a '
                   || 'comma and no quotes (such as 1,185.60) was split, so cells may be in the '
                   || 'wrong columns; shown are the cells past the last column'
            FROM usable u JOIN file_names f USING (file_index, part)
            WHERE u.overflow IS NOT NULL
        )
        ORDER BY file_name, file_index, part, row, "column"
    ) TO {sql_string(str(target))} (HEADER, DELIMITER ',')
    """


class PaymentsAlreadyImported:
    """A payment is already imported when another import holds a payment on the same date, to
    the same published supplier name, of the same amount, with the same transaction reference
    (or both without one). Many such payments mean files that repeat the same months (a
    yearly file after the monthly ones, a corrected re-publication), which would count that
    spend twice. A few may be genuine: two equal invoices paid to one supplier on one day.

    The same holds between the files of one import, and between the worksheets of one
    workbook (a year's worksheet beside the months')."""

    _KEY = (
        "payment_date, amount_pence, coalesce(supplier_name, '') AS supplier, "
        "coalesce(transaction_ref, '') AS reference"
    )

    def counts(self, new: Path, others: Sequence[tuple[str, Path]]) -> dict[str, int]:
        """For each other import (label, canonical Parquet) holding any, how many payments of
        ``new`` it already holds."""
        if not others:
            return {}
        union = " UNION ALL ".join(
            f"SELECT DISTINCT {sql_string(label)} AS label, {self._KEY} "
            f"FROM read_parquet({sql_string(str(path))})"
            for label, path in others
        )
        con = duckdb.connect()
        try:
            con.execute(_QUIET)
            rows = con.execute(
                f"""
                SELECT o.label, count(*)
                FROM (SELECT {self._KEY} FROM read_parquet({sql_string(str(new))})) n
                JOIN ({union}) o USING (payment_date, amount_pence, supplier, reference)
                GROUP BY o.label ORDER BY o.label
                """
            ).fetchall()
        finally:
            con.close()
        return {str(label): int(count) for label, count in rows}

    def within(self, spend: Path) -> list[tuple[str, str, int]]:
        """For each two files (or worksheets) of one import's canonical Parquet, in the order
        imported, how many payments of the later the earlier already holds, where any."""
        con = duckdb.connect()
        try:
            con.execute(_QUIET)
            rows = con.execute(
                f"""
                WITH payments AS (
                    SELECT source_file, min(file_row_number) OVER (PARTITION BY source_file)
                               AS file_order, {self._KEY}
                    FROM read_parquet({sql_string(str(spend))}, file_row_number = true)
                ), held AS (
                    SELECT DISTINCT source_file, file_order, payment_date, amount_pence,
                                    supplier, reference
                    FROM payments
                )
                SELECT held.source_file, later.source_file, count(*)
                FROM payments later
                JOIN held USING (payment_date, amount_pence, supplier, reference)
                WHERE held.file_order < later.file_order
                GROUP BY held.source_file, later.source_file, held.file_order, later.file_order
                ORDER BY held.file_order, later.file_order
                """
            ).fetchall()
        finally:
            con.close()
        return [(str(earlier), str(later), int(count)) for earlier, later, count in rows]
