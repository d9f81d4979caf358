"""Hypothesis strategies for the files careless users and attackers upload: random bytes, text
tables in every encoding and delimiter with hostile cells, workbooks cut short or with bytes
overwritten, JSON nested too deep, and files beyond each of the upload limits (which the fuzz
tests set small, so that every limit is reached by a file of a few kilobytes)."""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from commonweal.tabular import Limits
from tests.workbooks import write_workbook, write_xlsx_bomb, write_xlsx_cells

#: The limits the fuzz tests run under: small, so that a few kilobytes reach each of them.
FUZZ_LIMITS = Limits(
    max_bytes=150_000,
    max_unpacked_bytes=1_000_000,
    max_rows=300,
    max_columns=30,
    max_cells=4_000,
    max_cell_characters=1_000,
    max_json_depth=8,
)
#: Files above this are read by a background job while the fuzz tests run: both ways are used.
FUZZ_BACKGROUND_BYTES = 3_000

_HOSTILE_CELLS = [
    "",
    " ",
    '=HYPERLINK("http://evil.example","Open")',
    "+1+1",
    "@SUM(A1)",
    '"',
    '""',
    "a,b",
    "a;b",
    "line\nbreak",
    "\r",
    "\x00",
    "£1,185.60",
    "1e309",
    "NaN",
    "-inf",
    "01/04/2024",
    "2024-13-45",
    "N/A",
    "\ufeff",
    "\u202e",
    "🏴",
]
cells = st.one_of(st.sampled_from(_HOSTILE_CELLS), st.text(max_size=20))


@st.composite
def text_tables(draw: st.DrawFn, header: tuple[str, ...] = ()) -> bytes:
    """A delimited text table: perhaps the importer's own header, then rows of hostile cells,
    in one of the encodings finance systems write."""
    rows = draw(st.lists(st.lists(cells, max_size=8), max_size=10))
    if header and draw(st.booleans()):
        rows = [list(header), *rows]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = "\n".join(delimiter.join(row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


@cache
def _valid_workbooks() -> dict[str, bytes]:
    """A small workbook in each format, to break."""
    sheet = {"Sheet1": [["Year", "Index", "Supplier ID"], [2024, 100, 1001], [2025, 101, 1002]]}
    books = {}
    with TemporaryDirectory() as folder:
        for suffix in (".xlsx", ".xls", ".ods"):
            books[suffix] = write_workbook(Path(folder) / f"book{suffix}", sheet).read_bytes()
    return books


@st.composite
def broken_workbooks(draw: st.DrawFn) -> bytes:
    """A real workbook cut short, or with some of its bytes overwritten."""
    data = bytearray(_valid_workbooks()[draw(st.sampled_from([".xlsx", ".xls", ".ods"]))])
    if draw(st.booleans()):
        return bytes(data[: draw(st.integers(0, len(data) - 1))])
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def random_workbooks(draw: st.DrawFn) -> bytes:
    """A well-formed workbook whose cells are hostile."""
    rows = draw(st.lists(st.lists(cells, max_size=6), max_size=8))
    suffix = draw(st.sampled_from([".xlsx", ".ods"]))
    with TemporaryDirectory() as folder:
        # Characters a workbook cannot hold at all (openpyxl refuses to write them).
        cleaned = [
            [ILLEGAL_CHARACTERS_RE.sub("", cell).replace("\r", "") for cell in row] for row in rows
        ]
        return write_workbook(Path(folder) / f"book{suffix}", {"Sheet1": cleaned}).read_bytes()


@cache
def _limit_breakers() -> list[bytes]:
    """One file beyond each limit in ``FUZZ_LIMITS``."""
    limits = FUZZ_LIMITS
    wide = ",".join(f"c{i}" for i in range(limits.max_columns + 5)) + "\n"
    long_cell = "Year,Index\n2024," + "9" * (limits.max_cell_characters + 10) + "\n"
    many_rows = "Year,Index\n" + "2024,100\n" * (limits.max_rows + 10)
    large = "Year,Index\n" + ("2024,100," + "x" * 90 + "\n") * (limits.max_bytes // 90)
    deep = "[" * (limits.max_json_depth + 5) + "]" * (limits.max_json_depth + 5)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as plain_zip:
        plain_zip.writestr("april.csv", "Payment Date,Amount\n")
    with TemporaryDirectory() as folder:
        bomb = write_xlsx_bomb(Path(folder) / "bomb.xlsx", rows=1_000).read_bytes()
        far = write_xlsx_cells(Path(folder) / "far.xlsx", {"A1": "Year", "XFD1048576": 1})
        far_bytes = far.read_bytes()
    return [
        wide.encode(),
        long_cell.encode(),
        many_rows.encode(),
        large.encode(),
        deep.encode(),
        json.dumps(
            {"measures": [{f"field {i}": i for i in range(limits.max_columns + 5)}]}
        ).encode(),
        archive.getvalue(),
        bomb,
        far_bytes,
        b"<html><table><tr><td>Amount</td></tr></table></html>",
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
        b"",
    ]


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
).map(lambda document: json.dumps(document).encode())


def bad_files(header: tuple[str, ...] = ()) -> st.SearchStrategy[bytes]:
    """Any of the bad files above; ``header`` is the importer's own header row, so that some
    files get past it to the rows."""
    return st.one_of(
        st.binary(max_size=3_000),
        text_tables(header),
        broken_workbooks(),
        random_workbooks(),
        st.sampled_from(_limit_breakers()),
        json_documents,
    )
