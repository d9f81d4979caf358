"""A spend file beyond the upload limits is refused with a message naming the limit, before
DuckDB is given it where that can be known from its first rows, and nothing is written."""

import pytest

from commonweal.spend_engine.ingest import SpendImportError, ingest_spend_files
from commonweal.tabular import Limits

HEADER = "Payment Date,Amount,Supplier Name\n"


def test_a_file_of_ten_thousand_columns_is_refused_before_duckdb_reads_it(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(10_000)) + "\n" + "1," * 9_999 + "1\n")
    with pytest.raises(
        SpendImportError,
        match=r"wide\.csv: row 1: the row has 10,000 cells; rows of up to 500 columns can be "
        r"read \(the limit is set by COMMONWEAL_UPLOAD_MAX_COLUMNS\)",
    ):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_long_cell_past_the_first_rows_is_refused_naming_its_row_and_column(tmp_path):
    path = tmp_path / "spend.csv"
    rows = "01/04/2024,1.00,A LTD\n" * 100
    path.write_text(HEADER + rows + "02/04/2024,1.00," + "x" * 500 + "\n")
    with pytest.raises(
        SpendImportError,
        match=r"spend\.csv: row 102, column C \(Supplier Name\): the cell holds more than 100 "
        r"characters",
    ):
        ingest_spend_files(
            [path],
            output_dir=tmp_path / "out",
            import_run_id="r",
            limits=Limits(max_cell_characters=100),
        )


def test_more_rows_than_the_limit_are_refused(tmp_path):
    path = tmp_path / "spend.csv"
    path.write_text(HEADER + "01/04/2024,1.00,A LTD\n" * 100)
    with pytest.raises(SpendImportError, match=r"spend\.csv: the file has more than 60 rows"):
        ingest_spend_files(
            [path], output_dir=tmp_path / "out", import_run_id="r", limits=Limits(max_rows=60)
        )


def test_a_larger_file_than_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "spend.csv"
    path.write_text(HEADER + "01/04/2024,1.00,A LTD\n" * 100)
    with pytest.raises(
        SpendImportError, match=r"spend\.csv: the file is 2 KB; files of up to 1 KB"
    ):
        ingest_spend_files(
            [path], output_dir=tmp_path / "out", import_run_id="r", limits=Limits(max_bytes=1024)
        )
