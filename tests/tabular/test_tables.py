"""One table from a file, whatever its format and encoding; one rule for the header row."""

import pytest

from commonweal.tabular import (
    Limits,
    TableError,
    decode_sample,
    decode_text,
    find_header_row,
    read_table,
)
from tests.workbooks import FORMATS, write_workbook


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Supplier,£\n".encode("utf-8-sig"), "Supplier,£\n"),
        ("Supplier,£\n".encode(), "Supplier,£\n"),
        ("Supplier,£\n".encode("cp1252"), "Supplier,£\n"),
        ("Supplier,£\n".encode("utf-16"), "Supplier,£\n"),
    ],
)
def test_text_is_read_in_the_encodings_excel_and_finance_systems_write(data, text):
    assert decode_text(data) == text


def test_a_sample_cut_inside_a_character_is_read_as_utf8_not_windows_1252():
    assert decode_sample("Café £".encode()[:-1]) == "Café "


@pytest.mark.parametrize(("delimiter"), [",", ";", "\t", "|"])
def test_a_csv_is_read_with_the_delimiter_it_uses(tmp_path, delimiter):
    path = tmp_path / "register.csv"
    path.write_text(f"reference{delimiter}title\nC-1{delimiter}Meals\n")
    assert read_table(path, "register.csv", Limits()).rows == [
        ["reference", "title"],
        ["C-1", "Meals"],
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_workbook_gives_its_first_worksheet_with_rows(tmp_path, suffix):
    path = write_workbook(tmp_path / f"register{suffix}", {"Empty": [], "Contracts": [["a"], [1]]})
    table = read_table(path, path.name, Limits())
    assert (table.worksheet, table.rows) == ("Contracts", [["a"], ["1"]])


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02binary", bytes(range(256)) * 4, b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0junk"],
)
def test_random_bytes_are_refused_naming_the_file(tmp_path, data):
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    with pytest.raises(TableError, match=r"^register\.csv: "):
        read_table(path, "register.csv", Limits())


def test_the_header_row_is_the_best_scoring_of_the_first_rows():
    records = [["Spend report"], [], ["Date", "Amount", "Supplier"], ["2024-04-01", "1", "A"]]
    assert find_header_row(records, len, minimum=2) == 2
    assert find_header_row([["a"], ["b"]], len, minimum=2) is None
