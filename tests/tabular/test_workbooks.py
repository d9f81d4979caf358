"""Workbooks read as rows of text, whatever their format and whatever their name."""

import zipfile
from datetime import date, datetime

import pytest

from commonweal.tabular import (
    LimitExceeded,
    Limits,
    UnreadableWorkbook,
    cell_text,
    workbook_format,
)
from commonweal.tabular import open_workbook as open_with_limits
from tests.workbooks import FORMATS, write_workbook


def open_workbook(path, name, limits=None):
    return open_with_limits(path, name, limits or Limits())


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (datetime(2024, 4, 1), "2024-04-01"),
        (datetime(2024, 4, 1, 9, 30), "2024-04-01T09:30:00"),
        (date(2024, 4, 1), "2024-04-01"),
        (1001.0, "1001"),
        (1185.6, "1185.6"),
        (-12, "-12"),
        ("ACME LTD", "ACME LTD"),
    ],
)
def test_a_cell_becomes_the_text_a_csv_export_would_hold(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_format_is_told_by_the_content_not_the_name(tmp_path, suffix):
    path = write_workbook(tmp_path / f"spend{suffix}", {"May": [["Amount"], [1]]})
    expected = {".xls": "xls", ".ods": "ods"}.get(suffix, "xlsx")
    assert workbook_format(path.read_bytes()[:8192]) == expected
    renamed = path.rename(tmp_path / "spend.csv")
    with open_workbook(renamed, "spend.csv") as worksheets:
        assert [list(sheet.rows()) for sheet in worksheets] == [[["Amount"], ["1"]]]


def test_text_is_not_a_workbook():
    assert workbook_format(b"Payment Date,Amount\n") is None


@pytest.mark.parametrize("suffix", FORMATS)
def test_rows_keep_their_worksheet_row_numbers_and_empty_worksheets_have_none(tmp_path, suffix):
    path = write_workbook(
        tmp_path / f"spend{suffix}",
        {"Empty": [], "May": [[None], ["Title"], ["Payment Date", "Amount"]]},
    )
    with open_workbook(path, path.name) as (empty, may):
        assert not empty.has_rows() and may.has_rows()
        rows = list(may.rows())
        assert rows[1:] == [["Title", ""], ["Payment Date", "Amount"]]
        assert list(may.rows(limit=2))[1] == ["Title", ""]


def test_a_file_that_is_no_workbook_is_refused_naming_it(tmp_path):
    path = tmp_path / "spend.xlsx"
    path.write_bytes(b"PK\x03\x04not a workbook")
    with (
        pytest.raises(UnreadableWorkbook, match=r"spend\.xlsx: the workbook cannot be read"),
        open_workbook(path, "spend.xlsx"),
    ):
        pass


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(tmp_path):
    path = write_workbook(tmp_path / "huge.xlsx", {"May": [["Amount"], [1]] * 200})
    with (
        pytest.raises(
            LimitExceeded,
            match=r"huge\.xlsx: the workbook holds \d+ KB once unpacked; workbooks of up to 2 KB "
            r"unpacked can be read, so save its worksheets as CSV files \(the limit is set by "
            r"COMMONWEAL_UPLOAD_MAX_UNPACKED_BYTES\)",
        ),
        open_workbook(path, "huge.xlsx", Limits(max_unpacked_bytes=2048)),
    ):
        pass


def test_an_xls_cut_short_is_refused_naming_it_not_a_crash_of_the_reader(tmp_path):
    # Cut inside its last sectors, the reader's own code gives up with a panic, not an error.
    path = write_workbook(tmp_path / "cut.xls", {"May": [["Payment Date", "Amount"], [1, 2]]})
    path.write_bytes(path.read_bytes()[:-500])
    with (
        pytest.raises(UnreadableWorkbook, match=r"cut\.xls: the workbook cannot be read \(it "),
        open_workbook(path, "cut.xls"),
    ):
        pass


def test_an_opendocument_sheet_with_damaged_compressed_bytes_is_refused_naming_it(tmp_path):
    # The zip's directory is whole but its content.xml does not inflate (zlib.error, found by
    # the fuzz tests: a server error on the spend page).
    path = tmp_path / "damaged.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<table:table-row/>" * 2000)
    with zipfile.ZipFile(path) as archive:
        entry = archive.getinfo("content.xml")
        start = entry.header_offset + 30 + len(entry.filename) + len(entry.extra)
    data = bytearray(path.read_bytes())
    data[start + 2 : start + 12] = b"\xff" * 10
    path.write_bytes(bytes(data))
    with (
        pytest.raises(UnreadableWorkbook, match=r"damaged\.ods: the workbook cannot be read"),
        open_workbook(path, path.name),
    ):
        pass


def test_a_zip_archive_of_spend_files_is_refused_saying_to_unzip_it(tmp_path):
    path = tmp_path / "spend-2024-25.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("april.csv", "Payment Date,Amount,Supplier Name\n")
    with (
        pytest.raises(UnreadableWorkbook, match=r"spend-2024-25\.zip: this is a zip archive"),
        open_workbook(path, path.name),
    ):
        pass


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_table_away_from_the_top_left_keeps_its_rows_and_columns(tmp_path, suffix):
    path = write_workbook(tmp_path / f"offset{suffix}", {"May": [[], [None, None, "Amount"]]})
    with open_workbook(path, path.name) as (may,):
        rows = list(may.rows())
    assert len(rows) == 2 and rows[1] == ["", "", "Amount"]
