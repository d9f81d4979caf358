"""Every limit on an uploaded table is checked before the file is parsed (or as each record is
read), and the message names the file, where, and the setting that holds the limit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commonweal.tabular import LimitExceeded, Limits, TableError, read_json, read_table
from commonweal.tabular.jsonfile import json_depth
from tests.workbooks import write_ods_repeated, write_workbook, write_xlsx_bomb, write_xlsx_cells


def test_a_file_larger_than_the_limit_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "spend.csv"
    path.write_bytes(b"Amount\n" + b"1\n" * 2000)
    with pytest.raises(
        LimitExceeded,
        match=r"spend\.csv: the file is 4 KB; files of up to 1 KB can be read, so split it into "
        r"smaller files \(the limit is set by COMMONWEAL_UPLOAD_MAX_BYTES\)",
    ) as refused:
        read_table(path, "spend.csv", Limits(max_bytes=1024))
    assert refused.value.limit == "max_bytes"


def test_a_five_megabyte_cell_is_refused_naming_its_row(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(b"reference,title\nC-1," + b"x" * 5_000_000 + b"\n")
    with pytest.raises(
        LimitExceeded,
        match=r"register\.csv: row 2: a cell holds more than 32,767 characters, the most a "
        r"cell may hold \(the limit is set by COMMONWEAL_UPLOAD_MAX_CELL_CHARACTERS\)",
    ):
        read_table(path, "register.csv", Limits())


def test_a_long_cell_within_what_the_csv_reader_takes_is_named_by_row_and_column(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("reference,title\nC-1," + "x" * 40_000 + "\n")
    with pytest.raises(LimitExceeded, match=r"register\.csv: row 2, column B: the cell holds"):
        read_table(path, "register.csv", Limits())


def test_a_limit_on_cells_above_what_the_csv_reader_takes_by_default_is_honoured(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("title,notes\nA," + "x" * 200_000 + "\n")
    table = read_table(path, "notes.csv", Limits(max_cell_characters=250_000))
    assert len(table.rows[1][1]) == 200_000


def test_ten_thousand_columns_are_refused_at_the_first_row(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(10_000)) + "\n")
    with pytest.raises(
        LimitExceeded,
        match=r"wide\.csv: row 1: the row has 10,000 cells; rows of up to 500 columns can be "
        r"read \(the limit is set by COMMONWEAL_UPLOAD_MAX_COLUMNS\)",
    ):
        read_table(path, "wide.csv", Limits(), count=50)


def test_rows_beyond_the_limit_are_refused_without_reading_on(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Amount\n" + "1\n" * 20)
    with pytest.raises(
        LimitExceeded, match=r"long\.csv: the file has more than 10 rows; split it into"
    ):
        read_table(path, "long.csv", Limits(max_rows=10))


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_worksheet_rows_and_columns_are_limited_before_the_worksheet_is_loaded(tmp_path, suffix):
    path = write_workbook(tmp_path / f"book{suffix}", {"May": [["a", "b", "c"]] * 12})
    with pytest.raises(LimitExceeded, match=r"worksheet 'May' has 12 rows; worksheets of up to"):
        read_table(path, path.name, Limits(max_rows=10))
    with pytest.raises(LimitExceeded, match=r"worksheet 'May' has 3 columns; worksheets of up"):
        read_table(path, path.name, Limits(max_columns=2))


def test_an_xls_worksheet_is_limited_when_it_is_loaded(tmp_path):
    path = write_workbook(tmp_path / "book.xls", {"May": [["a", "b", "c"]] * 12})
    with pytest.raises(LimitExceeded, match=r"worksheet 'May' has 12 rows"):
        read_table(path, path.name, Limits(max_rows=10))


def test_two_cells_at_opposite_corners_of_a_worksheet_are_refused_not_loaded(tmp_path):
    # The reader would ask for 550 GB for the range between them and end the process; run in a
    # child process so that a regression fails this test rather than the test run.
    path = write_xlsx_cells(tmp_path / "far.xlsx", {"A1": "Amount", "XFD1048576": 1})
    script = (
        "import sys; from pathlib import Path\n"
        "from commonweal.tabular import Limits, read_table, LimitExceeded\n"
        "try:\n"
        "    read_table(Path(sys.argv[1]), 'far.xlsx', Limits(max_columns=20000))\n"
        "except LimitExceeded as e:\n"
        "    print(e)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert finished.returncode == 0, finished.stderr[-500:]
    assert (
        "far.xlsx: worksheet 'Sheet1' spans 1,048,576 rows by 16,384 columns; worksheets of up "
        "to 20,000,000 cells can be read" in finished.stdout
    )


def test_an_ods_row_repeated_a_million_times_is_refused_not_loaded(tmp_path):
    path = write_ods_repeated(tmp_path / "repeat.ods", rows=1_000_000, columns=400)
    with pytest.raises(LimitExceeded, match=r"repeat\.ods: worksheet 'Sheet1' spans 1,000,001"):
        read_table(path, "repeat.ods", Limits())


def test_a_small_workbook_that_unpacks_to_far_more_is_refused_before_it_is_read(tmp_path):
    path = write_xlsx_bomb(tmp_path / "bomb.xlsx", rows=20_000)
    assert path.stat().st_size < 100_000
    with pytest.raises(LimitExceeded, match=r"bomb\.xlsx: the workbook holds \d+ MB once unpacked"):
        read_table(path, "bomb.xlsx", Limits(max_unpacked_bytes=1024**2))


def test_deeply_nested_json_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "framework.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(
        LimitExceeded,
        match=r"framework\.json: the JSON nests more than 32 levels deep \(the limit is set by "
        r"COMMONWEAL_UPLOAD_MAX_JSON_DEPTH\)",
    ):
        read_json(path, "framework.json", Limits())


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"measures": [{"code": "A", "tags": ["x"]}]}', 4),
        ('["[[[[", "]]]]"]', 1),
        ('["a \\" [[[ "]', 1),
        ('[[["open', 3),
        ("", 0),
    ],
)
def test_json_depth_counts_brackets_outside_strings(text, depth):
    assert json_depth(text, 32) == depth


def test_json_that_is_not_json_is_refused_saying_where(tmp_path):
    path = tmp_path / "framework.json"
    path.write_text('{"measures": [1, 2,,]}')
    with pytest.raises(TableError, match=r"framework\.json: this is not valid JSON: Expecting "):
        read_json(path, "framework.json", Limits())


def test_a_limit_must_be_a_whole_number_above_zero():
    with pytest.raises(ValueError, match="COMMONWEAL_UPLOAD_MAX_ROWS must be a whole number"):
        Limits(max_rows=0)
