"""Spend ingest: real published layouts, messy generated files, and files that must be refused."""

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from commonweal.spend_engine.ingest import (
    PaymentsAlreadyImported,
    SpendImportError,
    ingest_spend_files,
)
from tests.workbooks import (
    FORMATS,
    write_password_protected,
    write_workbook,
    write_xlsx_with_hidden_sheets,
)

SHARED_SPEND = Path(__file__).parents[2].parent / "shared" / "data" / "spend"

# (file, amount header, date header) for every layout in ../shared/data/spend.
REAL_FILES = [
    ("sheffield/processed/2021-01.csv", "Amount", "Payment Date"),
    ("sheffield/processed/2021-06.csv", "Amount", "Payment Date"),
    ("sheffield/clean/2012-10.csv", "Invoiced Value", "GL Date"),
    ("sheffield/clean/2015-07.csv", "Value", "GL Date"),
    ("sheffield/clean/2016-07.csv", "Invoiced Value", "GL Date"),
    ("wakefield/clean/2014-Q1.csv", "Net Amount", "Payment Date"),
    ("wakefield/clean/2018-Q3.csv", "Amount", "Payment Date"),
    ("wakefield/clean/2021-Q4.csv", "Net Amount", "Payment Date"),
]


def read_spend(result):
    return duckdb.sql(
        f"SELECT * FROM read_parquet('{result.spend_path}') ORDER BY source_row"
    ).fetchall()


def spend_rows(result):
    rel = duckdb.sql(
        f"SELECT * FROM read_parquet('{result.spend_path}') ORDER BY source_file, source_row"
    )
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


def write_csv(path: Path, rows, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.skipif(not SHARED_SPEND.is_dir(), reason="shared spend data is not beside the project")
@pytest.mark.parametrize(("name", "amount_header", "date_header"), REAL_FILES)
def test_it_ingests_every_real_layout_with_totals_matching_an_independent_query(
    tmp_path, name, amount_header, date_header
):
    path = SHARED_SPEND / name
    # Independent check: DuckDB's own sniffer and a plain decimal cast, no shared code.
    expected_rows, expected_pence, first, last = duckdb.sql(
        f"""SELECT count(*), CAST(sum(CAST("{amount_header}" AS DECIMAL(18, 2))) * 100 AS BIGINT),
                   min(CAST("{date_header}" AS DATE)), max(CAST("{date_header}" AS DATE))
            FROM read_csv('{path}', all_varchar = true, null_padding = true, parallel = false)"""
    ).fetchall()[0]
    result = ingest_spend_files([path], output_dir=tmp_path, import_run_id="run-1")
    assert result.rows_read == expected_rows
    assert result.rows_rejected == 0
    assert result.total_pence == expected_pence
    assert (result.first_payment_date, result.last_payment_date) == (first, last)
    stored = duckdb.sql(
        f"SELECT count(*), sum(amount_pence) FROM '{result.spend_path}'"
    ).fetchall()[0]
    assert stored == (expected_rows, expected_pence)


@pytest.mark.skipif(not SHARED_SPEND.is_dir(), reason="shared spend data is not beside the project")
def test_it_keeps_the_truncated_last_row_of_sheffield_2012_10(tmp_path):
    result = ingest_spend_files(
        [SHARED_SPEND / "sheffield/clean/2012-10.csv"], output_dir=tmp_path, import_run_id="r"
    )
    last = spend_rows(result)[-1]
    assert last["amount_pence"] == 47986
    assert last["source_row"] == 12621 + 0  # header is row 1, so 12,620 records end on row 12,621
    assert last["is_redacted"] is True


@pytest.mark.skipif(not SHARED_SPEND.is_dir(), reason="shared spend data is not beside the project")
def test_it_reads_wakefield_company_numbers_as_eight_character_strings_and_blanks_placeholders(
    tmp_path,
):
    result = ingest_spend_files(
        [SHARED_SPEND / "wakefield/clean/2018-Q3.csv"], output_dir=tmp_path, import_run_id="r"
    )
    companies, vat_values, odd_text = duckdb.sql(
        f"""SELECT count(DISTINCT company_number), count(irrecoverable_vat_pence),
                   count(*) FILTER (WHERE service_area LIKE '%\\xB4%' OR purpose LIKE '%\\xB4%')
            FROM '{result.spend_path}'"""
    ).fetchall()[0]
    # Independent: distinct published values other than "N/A", short numbers zero-padded to 8.
    published = duckdb.sql(
        f"""SELECT count(DISTINCT lpad("Company Registraation Number", 8, '0'))
            FROM read_csv('{SHARED_SPEND / "wakefield/clean/2018-Q3.csv"}', all_varchar = true)
            WHERE "Company Registraation Number" <> 'N/A'"""
    ).fetchall()[0][0]
    assert companies == published
    assert vat_values == 0  # "Nil" on every row is a placeholder
    assert odd_text == 0
    assert "02206442" in {r["company_number"] for r in spend_rows(result)}


@pytest.mark.skipif(not SHARED_SPEND.is_dir(), reason="shared spend data is not beside the project")
def test_it_ingests_several_layouts_in_one_run_and_records_each_file_hash(tmp_path):
    files = [
        SHARED_SPEND / "sheffield/clean/2015-07.csv",
        SHARED_SPEND / "wakefield/clean/2014-Q1.csv",
    ]
    result = ingest_spend_files(files, output_dir=tmp_path, import_run_id="r")
    assert result.rows_read == 19126 + 6531
    assert set(result.content_hashes) == {"2015-07.csv", "2014-Q1.csv"}
    assert result.mappings["2015-07.csv"].header_for("amount_pence") == "Value"


def test_it_parses_every_amount_and_date_style_and_flags_redactions(tmp_path):
    path = write_csv(
        tmp_path / "messy.csv",
        [
            ["Payment Date", "Amount", "Supplier Name", "Department"],
            ["05/01/2021", "1,185.60", "ACME LTD", "Place"],
            ["2021-01-06", "£1,185.60", "REDACTED PERSONAL DATA", "People"],
            ["07-Jan-21", "(1,185.60)", "REDACTIVE PUBLISHING LTD", "People"],
            ["44204", "-250", "DETAILS REDACTED", "N/A"],
            ["9/1/2021", " 12.5 ", "Redacted under DP Act", "Not yet available"],
        ],
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    rows = spend_rows(result)
    assert [r["payment_date"] for r in rows] == [
        date(2021, 1, 5),
        date(2021, 1, 6),
        date(2021, 1, 7),
        date(2021, 1, 8),  # Excel serial 44204
        date(2021, 1, 9),
    ]
    assert [r["amount_pence"] for r in rows] == [118560, 118560, -118560, -25000, 1250]
    assert [r["is_redacted"] for r in rows] == [False, True, False, True, True]
    assert [r["service_area"] for r in rows] == ["Place", "People", "People", None, None]
    assert result.total_pence == 118560 + 118560 - 118560 - 25000 + 1250


def test_it_finds_the_header_below_junk_rows_and_ignores_spacer_columns_and_a_bom(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_text(
        "\ufeffSpend over £500,,,\nPublished by Anytown Council,,,\n,,,\n"
        "Date,,Supplier,Net Amount\n01/04/2024,,A LTD,10.00\n,,,\n02/04/2024,,B LTD,20.00\n",
        encoding="utf-8",
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert result.files[0].header_row == 4
    assert result.rows_read == 2
    assert result.files[0].blank_rows_skipped == 1
    assert [r["source_row"] for r in spend_rows(result)] == [5, 7]


def test_headings_and_names_over_several_lines_keep_rows_and_row_numbers(tmp_path):
    path = tmp_path / "wrapped.csv"
    path.write_bytes(
        b'Spend\n"Payment\nDate","Supplier\nName","Amount\n(GBP)"\n'
        b'01/04/2024,ACME LTD,10.00\n02/04/2024,"BETA\nLTD",5.00\n03/04/2024,GAMMA LTD,1.00\n'
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert result.files[0].header_row == 2
    assert [(r["supplier_name"], r["source_row"]) for r in spend_rows(result)] == [
        ("ACME LTD", 3),
        ("BETA\nLTD", 4),
        ("GAMMA LTD", 5),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_empty_lines_between_rows_keep_every_later_row_number_right(tmp_path, encoding):
    path = tmp_path / "gaps.csv"
    path.write_bytes(
        "Title\r\n\r\nPayment Date,Supplier Name,Amount\r\n01/04/2024,CAFÉ LTD,1\r\n\r\n\r\n"
        '02/04/2024,"BETA\r\n\r\nLTD",2\r\nbad,GAMMA LTD,3\r\n\r\n'.encode(encoding)
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert result.files[0].header_row == 3
    assert [(r["supplier_name"], r["source_row"]) for r in spend_rows(result)] == [
        ("CAFÉ LTD", 4),
        ("BETA\r\n\r\nLTD", 7),
    ]
    with result.rejects_path.open() as handle:
        assert [r["row"] for r in csv.DictReader(handle)] == ["8"]


def test_a_file_with_old_mac_line_endings_is_read(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Payment Date,Supplier Name,Amount\r01/04/2024,ACME LTD,10.00\r")
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert [(r["supplier_name"], r["source_row"]) for r in spend_rows(result)] == [("ACME LTD", 2)]


def test_it_reads_a_layout_whose_headers_no_alias_names_from_their_words(tmp_path):
    path = write_csv(
        tmp_path / "unlisted.csv",
        [
            ["Spend over £500 in April 2024"],
            [
                "Payment Date (dd/mm/yyyy)",
                "Name of Supplier",
                "Creditor Account No",
                "Amount Paid (£)",
            ],
            ["01/04/2024", "A LTD", "C100", "£1,185.60"],
        ],
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert result.files[0].header_row == 2
    assert result.files[0].mapping.by_rule == (
        "payment_date",
        "supplier_name",
        "source_supplier_id",
        "amount_pence",
    )
    [row] = spend_rows(result)
    assert (row["payment_date"], row["supplier_name"], row["source_supplier_id"]) == (
        date(2024, 4, 1),
        "A LTD",
        "C100",
    )
    assert row["amount_pence"] == 118560


def test_it_reads_a_windows_1252_file_with_pound_signs(tmp_path):
    path = write_csv(
        tmp_path / "cp1252.csv",
        [["Payment Date", "Amount", "Supplier Name"], ["01/04/2024", "£5.00", "CAFÉ LTD"]],
        encoding="cp1252",
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert result.files[0].encoding == "cp1252"
    assert spend_rows(result)[0]["supplier_name"] == "CAFÉ LTD"
    assert result.total_pence == 500


SPEND_SHEET = [["Payment Date", "Amount", "Supplier Name"], ["01/05/2024", "10.00", "ACME LTD"]]


def test_it_reads_the_worksheet_with_the_spend_past_a_notes_sheet(tmp_path):
    path = write_workbook(
        tmp_path / "spend.xlsx",
        {"Notes": [["About this data"], ["Published monthly"]], "May 2024": SPEND_SHEET},
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert [r["supplier_name"] for r in spend_rows(result)] == ["ACME LTD"]


def test_a_workbook_with_a_worksheet_per_month_is_read_whole_naming_each_worksheet(tmp_path):
    path = write_workbook(
        tmp_path / "quarter.xlsx",
        {
            "Notes": [["About this data"]],
            "April": [
                ["Payment Date", "Amount", "Supplier Name"],
                ["01/04/2024", "10.00", "ACME LTD"],
                ["02/04/2024", "ten pounds", "BETA LTD"],
            ],
            # Its own title row and column order: each worksheet's header is found on its own.
            "May": [
                ["Spend over £500, May 2024"],
                ["Supplier Name", "Payment Date", "Amount"],
                ["GAMMA LTD", "01/05/2024", "20.50"],
            ],
        },
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    rows = spend_rows(result)
    assert [(r["supplier_name"], r["source_file"], r["source_row"]) for r in rows] == [
        ("ACME LTD", "quarter.xlsx [April]", 2),
        ("GAMMA LTD", "quarter.xlsx [May]", 3),
    ]
    assert (result.rows_read, result.rows_accepted, result.total_pence) == (3, 2, 3050)
    (file,) = result.files
    assert file.name == "quarter.xlsx" and file.worksheets == ("April", "May")
    assert (file.rows_accepted, file.rows_rejected, file.total_pence) == (2, 1, 3050)
    with result.rejects_path.open() as handle:
        (reject,) = csv.DictReader(handle)
    assert (reject["file"], reject["row"], reject["value"]) == (
        "quarter.xlsx [April]",
        "3",
        "ten pounds",
    )


def test_worksheets_with_headers_only_a_saved_mapping_knows_are_all_read(tmp_path):
    unknown = [["When", "How much", "Who"], ["01/05/2024", "10.00", "ACME LTD"]]
    path = write_workbook(tmp_path / "quarter.xlsx", {"April": unknown, "May": unknown})
    result = ingest_spend_files(
        [path],
        output_dir=tmp_path / "out",
        import_run_id="r",
        mapping={"payment_date": "When", "amount_pence": "How much", "supplier_name": "Who"},
    )
    assert result.files[0].worksheets == ("April", "May")
    assert result.total_pence == 2000


def test_a_worksheet_without_a_needed_column_is_refused_naming_it_and_nothing_is_written(tmp_path):
    path = write_workbook(
        tmp_path / "quarter.xlsx",
        {"April": SPEND_SHEET, "Summary": [["Supplier Name", "Amount"], ["ACME LTD", "10.00"]]},
    )
    with pytest.raises(
        SpendImportError, match=r"quarter\.xlsx \[Summary\]: no payment date column found"
    ):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_workbook_in_each_format_councils_publish_is_read_with_its_dates_and_row_numbers(
    tmp_path, suffix
):
    path = write_workbook(
        tmp_path / f"quarter{suffix}",
        {
            "Notes": [["About this data"]],
            "April": [
                [None],
                ["Spend over £500, April 2024"],
                ["Payment Date", "Amount", "Supplier Name"],
                [date(2024, 4, 1), 1185.6, "CAFÉ LTD"],
                ["02/04/2024", -12, "BETA LTD"],
                [date(2024, 4, 3), "ten pounds", "GAMMA LTD"],
            ],
            "May": [
                ["Supplier Name", "Payment Date", "Amount"],
                ["DELTA LTD", date(2024, 5, 1), 20.5],
            ],
        },
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    april, may = f"quarter{suffix} [April]", f"quarter{suffix} [May]"
    assert [
        (
            r["supplier_name"],
            r["payment_date"],
            r["amount_pence"],
            r["source_file"],
            r["source_row"],
        )
        for r in spend_rows(result)
    ] == [
        ("CAFÉ LTD", date(2024, 4, 1), 118560, april, 4),
        ("BETA LTD", date(2024, 4, 2), -1200, april, 5),
        ("DELTA LTD", date(2024, 5, 1), 2050, may, 2),
    ]
    (file,) = result.files
    assert file.worksheets == ("April", "May")
    assert file.file_format == {".xls": "xls", ".ods": "ods"}.get(suffix, "xlsx")
    with result.rejects_path.open() as handle:
        (reject,) = csv.DictReader(handle)
    assert (reject["file"], reject["row"], reject["value"]) == (april, "6", "ten pounds")


def test_a_hidden_worksheet_is_passed_over_even_with_spend_like_headings(tmp_path):
    path = write_xlsx_with_hidden_sheets(
        tmp_path / "may.xlsx",
        {"May": SPEND_SHEET, "Lookup": [["Supplier Name", "Supplier ID"], ["ACME LTD", "1"]]},
        hidden={"Lookup"},
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert [r["supplier_name"] for r in spend_rows(result)] == ["ACME LTD"]
    assert result.files[0].worksheets == ()


@pytest.mark.parametrize("hidden", [set(), {"May"}])
def test_a_workbook_without_visible_rows_is_refused_saying_so(tmp_path, hidden):
    sheets = {"Empty": [], "May": SPEND_SHEET if hidden else []}
    path = write_xlsx_with_hidden_sheets(tmp_path / "blank.xlsx", sheets, hidden=hidden)
    with pytest.raises(
        SpendImportError, match=r"blank\.xlsx: no visible worksheet of the workbook has rows"
    ):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")


def test_a_workbook_protected_by_a_password_is_refused_saying_so(tmp_path):
    path = write_password_protected(tmp_path / "locked.xlsx", {"May": SPEND_SHEET}, "secret")
    with pytest.raises(
        SpendImportError,
        match=r"locked\.xlsx: the workbook is protected by a password; save a copy without one",
    ):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


def test_a_workbook_of_one_spend_worksheet_names_its_rows_by_the_file_alone(tmp_path):
    path = write_workbook(tmp_path / "may.xlsx", {"May": SPEND_SHEET, "Notes": [["About"]]})
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert [r["source_file"] for r in spend_rows(result)] == ["may.xlsx"]
    assert result.files[0].worksheets == ()


def test_a_header_repeated_where_monthly_files_were_joined_is_passed_over(tmp_path):
    header = ["Payment Date", "Amount", "Supplier Name"]
    path = write_csv(
        tmp_path / "joined.csv",
        [header, ["01/04/2024", "10.00", "ACME LTD"], header, ["01/05/2024", "20.00", "BETA LTD"]],
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert (result.rows_read, result.rows_rejected, result.total_pence) == (2, 0, 3000)
    assert [r["source_row"] for r in spend_rows(result)] == [2, 4]


def test_it_rejects_rows_with_unreadable_dates_or_amounts_and_names_row_column_and_value(tmp_path):
    path = write_csv(
        tmp_path / "bad-rows.csv",
        [
            ["Payment Date", "Amount", "Supplier Name"],
            ["01/04/2024", "10.00", "GOOD LTD"],
            ["31/02/2024", "10.00", "BAD DATE LTD"],
            ["02/04/2024", "ten pounds", "BAD AMOUNT LTD"],
            ["", "", "NOTHING LTD"],
        ],
    )
    progress = []
    result = ingest_spend_files(
        [path],
        output_dir=tmp_path / "out",
        import_run_id="r",
        on_progress=lambda *a: progress.append(a),
    )
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (4, 1, 3)
    with result.rejects_path.open() as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [
        ("3", "Payment Date", "31/02/2024"),
        ("4", "Amount", "ten pounds"),
        ("5", "Amount", ""),
        ("5", "Payment Date", ""),
    ]
    assert rejects[0]["file"] == "bad-rows.csv"
    assert rejects[2]["reason"] == "amount is missing"
    assert progress[0][0] == "checking files" and progress[-1][0] == "done"


def assert_nothing_left(out: Path):
    assert not out.exists() or list(out.iterdir()) == []


def test_a_file_without_an_amount_column_is_refused_naming_the_file(tmp_path):
    path = write_csv(
        tmp_path / "no-amount.csv", [["Payment Date", "Supplier Name"], ["01/04/2024", "A"]]
    )
    with pytest.raises(
        SpendImportError, match=r"no-amount\.csv: no amount column found in header row 1"
    ):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


def test_a_file_whose_dates_are_all_unreadable_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "us-dates.csv",
        [["Payment Date", "Amount", "Supplier Name"], ["13/13/2024", "1", "A"], ["soon", "2", "B"]],
    )
    with pytest.raises(SpendImportError, match=r"us-dates\.csv: all 2 rows were rejected"):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SpendImportError, match=r"photo\.csv: this is not a text \(CSV\) file"):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body><table><tr><td>Payment Date</td></tr></table>", "a web page \\(HTML\\)"),
        (b"\r\n<TABLE border=1><TR><TD>Amount</TD></TR></TABLE>", "a web page \\(HTML\\)"),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
            b'xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "an Excel 2003 XML spreadsheet",
        ),
    ],
)
def test_a_web_page_or_xml_saved_as_a_spreadsheet_is_refused_saying_how_to_save_it(
    tmp_path, content, message
):
    path = tmp_path / "spend.xls"
    path.write_bytes(content)
    with pytest.raises(
        SpendImportError,
        match=rf"spend\.xls: this is {message}.*save it as an \.xlsx workbook or a CSV file",
    ):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n\n")
    with pytest.raises(SpendImportError, match=r"empty\.csv: the file is empty"):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


def test_a_header_without_rows_is_refused(tmp_path):
    path = write_csv(tmp_path / "header-only.csv", [["Payment Date", "Amount", "Supplier Name"]])
    with pytest.raises(SpendImportError, match="header but no payment rows"):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


def test_a_corrupt_workbook_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip" * 10)
    with pytest.raises(SpendImportError, match=r"broken\.xlsx: the workbook cannot be read"):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert_nothing_left(tmp_path / "out")


def test_two_files_of_one_name_are_refused(tmp_path):
    paths = []
    for folder in ("april", "may"):
        (tmp_path / folder).mkdir()
        paths.append(write_csv(tmp_path / folder / "spend.csv", [SPEND_SHEET[0], SPEND_SHEET[1]]))
    with pytest.raises(SpendImportError, match=r"spend\.csv: two files of this import have"):
        ingest_spend_files(paths, output_dir=tmp_path / "out", import_run_id="r")


def test_one_bad_file_stops_the_whole_run_and_keeps_the_previous_output(tmp_path):
    good = write_csv(tmp_path / "good.csv", [["Date", "Amount", "Payee"], ["01/04/2024", "1", "A"]])
    first = ingest_spend_files([good], output_dir=tmp_path / "out", import_run_id="r")
    bad = tmp_path / "bad.csv"
    bad.write_text("")
    with pytest.raises(SpendImportError, match="bad.csv"):
        ingest_spend_files([good, bad], output_dir=tmp_path / "out", import_run_id="r")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r"]
    assert read_spend(first)[0][1] == 100


def test_a_saved_publisher_mapping_is_used_instead_of_detection(tmp_path):
    path = write_csv(
        tmp_path / "gross.csv",
        [["Date", "Amount", "Gross", "Payee"], ["01/04/2024", "1", "1.20", "A"]],
    )
    result = ingest_spend_files(
        [path], output_dir=tmp_path / "out", import_run_id="r", mapping={"amount_pence": "Gross"}
    )
    assert result.total_pence == 120


def test_payments_another_import_holds_are_counted_per_import(tmp_path):
    def imported(run_id, rows):
        path = write_csv(
            tmp_path / f"{run_id}.csv",
            [["Payment Date", "Amount", "Supplier Name", "Transaction Number"], *rows],
        )
        return ingest_spend_files(
            [path], output_dir=tmp_path / "out", import_run_id=run_id
        ).spend_path

    april = imported(
        "april", [["01/04/2024", "10.00", "A LTD", "T1"], ["02/04/2024", "20.00", "B LTD", ""]]
    )
    may = imported("may", [["01/05/2024", "30.00", "C LTD", "T3"]])
    year = imported(
        "year",
        [
            ["01/04/2024", "10.00", "A LTD", "T1"],  # in April
            ["02/04/2024", "20.00", "B LTD", ""],  # in April, both without a reference
            ["01/04/2024", "10.00", "A LTD", "T9"],  # another transaction on the same day
            ["01/05/2024", "30.00", "C LTD", "T3"],  # in May
            ["01/06/2024", "40.00", "D LTD", "T4"],  # new
        ],
    )
    rule = PaymentsAlreadyImported()
    assert rule.counts(year, [("April", april), ("May", may)]) == {"April": 2, "May": 1}
    assert rule.counts(may, [("April", april)]) == {}
    assert rule.counts(may, []) == {}


def test_payments_repeated_between_the_worksheets_of_one_import_are_counted(tmp_path):
    header = ["Payment Date", "Amount", "Supplier Name", "Transaction Number"]
    april = [["01/04/2024", "10.00", "A LTD", "T1"], ["02/04/2024", "20.00", "B LTD", "T2"]]
    may = [["01/05/2024", "30.00", "C LTD", "T3"]]
    path = write_workbook(
        tmp_path / "year.xlsx",
        {
            "April": [header, *april],
            "May": [header, *may],
            # The whole year again, with one payment the months do not hold.
            "Year": [header, *april, *may, ["01/06/2024", "40.00", "D LTD", "T4"]],
        },
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert PaymentsAlreadyImported().within(result.spend_path) == [
        ("year.xlsx [April]", "year.xlsx [Year]", 2),
        ("year.xlsx [May]", "year.xlsx [Year]", 1),
    ]


def test_monthly_files_of_one_import_repeat_nothing(tmp_path):
    header = ["Payment Date", "Amount", "Supplier Name"]
    files = [
        write_csv(tmp_path / "april.csv", [header, ["01/04/2024", "10.00", "A LTD"]]),
        write_csv(tmp_path / "may.csv", [header, ["01/05/2024", "10.00", "A LTD"]]),
    ]
    result = ingest_spend_files(files, output_dir=tmp_path / "out", import_run_id="r")
    assert PaymentsAlreadyImported().within(result.spend_path) == []
