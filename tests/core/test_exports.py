"""One export path: a cell a spreadsheet would run as a formula is written as text (issue 18,
item 1). The walk over every download is in tests/test_every_export.py."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from commonweal.core import exports

ATTACKS = [
    '=HYPERLINK("http://evil.example","Open")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "-cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe_in_front(attack):
    assert exports.neutralise(attack) == "'" + attack
    assert exports.original(exports.neutralise(attack)) == attack


@pytest.mark.parametrize("number", [-1185.6, 3, "-1185.60", "-1,185.60", "+3", "-£12.50", "-5%"])
def test_numbers_and_text_that_is_only_a_number_stay_as_they_are(number):
    assert exports.neutralise(number) == number


def test_plain_text_and_empty_cells_stay_as_they_are():
    for value in ("Don Valley Catering Ltd", "", None, "'quoted", "a=b"):
        assert exports.neutralise(value) == value


def test_the_csv_writer_neutralises_every_cell_and_keeps_numbers():
    text = exports.csv_text([["name", "amount"], ["=1+1", -12.5], ["@x", "-12.50"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "amount"],
        ["'=1+1", "-12.5"],
        ["'@x", "-12.50"],
    ]


def test_a_stored_csv_is_neutralised_as_it_streams(tmp_path):
    stored = tmp_path / "rejects.csv"
    stored.write_text('file,value\nspend.csv,"=HYPERLINK(""x"")"\n', encoding="utf-8")
    assert "".join(exports.stored_csv_lines(stored)) == (
        'file,value\r\nspend.csv,"\'=HYPERLINK(""x"")"\r\n'
    )


def test_a_workbook_is_saved_with_no_formula_and_every_text_cell_neutralised():
    book = Workbook()
    sheet = book.active
    sheet.append(["=1+1", "@SUM(A1)", 12.5, "Plain"])
    reopened = load_workbook(io.BytesIO(exports.workbook_bytes(book)))
    cells = list(reopened.active.iter_rows(values_only=False))[0]
    assert [c.value for c in cells] == ["'=1+1", "'@SUM(A1)", 12.5, "Plain"]
    assert all(c.data_type != "f" for c in cells)
