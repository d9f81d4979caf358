"""Spend ingest: the parsing rules cell by cell, and several files read at once.

Amounts and dates are checked against Python's own Decimal and date arithmetic (an oracle that
shares no code with the SQL), over every published style.
"""

import csv
import threading
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from commonweal.spend_engine import ingest as ingest_module
from commonweal.spend_engine.ingest import SpendImportError, ingest_spend_files
from commonweal.tabular import Limits

HEADER = ["Payment Date", "Amount", "Supplier Name", "Supplier ID", "Department"]


def write_csv(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def ingest(tmp_path: Path, rows, name="spend.csv", **kwargs):
    path = write_csv(tmp_path / name, [HEADER, *rows])
    return ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r", **kwargs)


def stored(result, column: str) -> list:
    return [
        row[0]
        for row in duckdb.sql(
            f"SELECT {column} FROM read_parquet('{result.spend_path}') ORDER BY source_row"
        ).fetchall()
    ]


def rejects(result) -> list[dict[str, str]]:
    with result.rejects_path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def money_styles(value: Decimal) -> list[str]:
    """The ways councils publish one amount: plain, with pound sign and thousands separators,
    negative as a leading minus (or a minus sign or en dash), a trailing minus, brackets, or
    CR, and positive with DR for a debit."""
    magnitude = f"{abs(value):,.2f}"
    plain = f"{value:.2f}"
    if value < 0:
        return [
            plain,
            f"£-{magnitude}",
            f"({magnitude})",
            f"{magnitude}-",
            f"£{magnitude}CR",
            f"\u2212{magnitude}",
            f"\u2013£{magnitude}",
        ]
    return [plain, f"£{magnitude}", magnitude, f" {plain} ", f"GBP {magnitude}", f"{magnitude} DR"]


amounts = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@settings(max_examples=15, deadline=None)
@given(values=st.lists(amounts, min_size=1, max_size=40))
def test_every_published_amount_style_is_read_as_exact_pence(tmp_path_factory, values):
    # Oracle: Decimal arithmetic, pence = amount x 100 exactly (2 decimal places in, none lost).
    tmp_path = tmp_path_factory.mktemp("amounts")
    cells = [(text, int(value * 100)) for value in values for text in money_styles(value)]
    result = ingest(tmp_path, [["01/04/2024", text, "A LTD", "", ""] for text, _ in cells])
    assert stored(result, "amount_pence") == [pence for _, pence in cells]
    assert result.total_pence == sum(pence for _, pence in cells)


def test_amounts_with_more_than_two_decimals_round_half_away_from_zero(tmp_path):
    texts = ["1185.605", "-1185.605", "0.004", "12345678901.235", "£1,234,567,890.125"]
    result = ingest(tmp_path, [["01/04/2024", t, "A LTD", "", ""] for t in texts])
    expected = [
        int((Decimal(t.replace("£", "").replace(",", "")) * 100).quantize(0, ROUND_HALF_UP))
        for t in texts
    ]
    assert (
        stored(result, "amount_pence")
        == expected
        == [
            118561,
            -118561,
            0,
            1234567890124,
            123456789013,
        ]
    )


def test_amounts_either_side_of_the_64_bit_shortcut_are_exact(tmp_path):
    # Up to 10 characters are cast through 64-bit decimals, longer ones through 128-bit ones.
    texts = ["9999999999", "99999999999", "-999999.99", "-9999999.99", "12345678901234.56"]
    result = ingest(tmp_path, [["01/04/2024", t, "A LTD", "", ""] for t in texts])
    assert stored(result, "amount_pence") == [
        999999999900,
        9999999999900,
        -99999999,
        -999999999,
        1234567890123456,
    ]


def test_an_amount_too_large_for_pence_is_rejected_not_fatal(tmp_path):
    result = ingest(
        tmp_path,
        [
            ["01/04/2024", "1234567890123456789012", "HUGE LTD", "", ""],
            ["01/04/2024", "10.00", "GOOD LTD", "", ""],
        ],
    )
    assert (result.rows_accepted, result.rows_rejected) == (1, 1)
    assert [(r["row"], r["column"], r["value"]) for r in rejects(result)] == [
        ("2", "Amount", "1234567890123456789012")
    ]


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


def _ordinal_ending(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def date_styles(day: date) -> list[str]:
    """dd/mm/yyyy, ISO, dd-Mon-yy, dd-Mon-yyyy, d/m/yyyy, dd.mm.yyyy, '5 January 2021',
    'January 5, 2021', '5th January 2021', 'January 5TH, 2021', yyyymmdd, an Excel serial
    (days since 30 December 1899) and dates with a time of day as databases and spreadsheets
    export them."""
    styles = [
        day.strftime("%d/%m/%Y"),
        day.isoformat(),
        day.strftime("%d-%b-%Y"),
        day.strftime("%d-%b-%Y").upper(),
        f"{day.day}/{day.month}/{day.year}",
        day.strftime("%d.%m.%Y"),
        day.strftime("%d %B %Y"),
        day.strftime("%d-%B-%Y"),
        day.strftime("%B %d, %Y"),
        day.strftime("%Y%m%d"),
        str((day - date(1899, 12, 30)).days),
        f"{day.isoformat()} 00:00:00.000",
        f"{day.isoformat()}T13:45:00Z",
        day.strftime("%d/%m/%Y 9:30:00 PM"),
        day.strftime("%d %b %Y 00:00"),
        f"{day.day}{_ordinal_ending(day.day)} {day:%B %Y}",
        f"{day:%B} {day.day}{_ordinal_ending(day.day).upper()}, {day.year}",
    ]
    if 2000 <= day.year <= 2068:  # two-digit years read as 20yy up to 2068, as strptime does
        styles.append(day.strftime("%d-%b-%y"))
        styles.append(f"{day.day}-{day.strftime('%b').lower()}-{day.strftime('%y')}")
    return styles


@settings(max_examples=15, deadline=None)
@given(days=st.lists(dates, min_size=1, max_size=20))
def test_every_published_date_style_is_read_as_the_same_day(tmp_path_factory, days):
    tmp_path = tmp_path_factory.mktemp("dates")
    cells = [(text, day) for day in days for text in date_styles(day)]
    result = ingest(tmp_path, [[text, "1.00", "A LTD", "", ""] for text, _ in cells])
    assert stored(result, "payment_date") == [day for _, day in cells]


def test_impossible_and_implausible_dates_are_rejected_with_the_published_text(tmp_path):
    texts = ["31-Feb-21", "29-Feb-2021", "07-Jxx-21", "01/01/1989", "01-Jan-2101", "2021-13-01"]
    result = ingest(
        tmp_path, [[t, "1.00", "A LTD", "", ""] for t in texts] + [["29-Feb-24", "1", "B", "", ""]]
    )
    assert stored(result, "payment_date") == [date(2024, 2, 29)]
    assert [r["value"] for r in rejects(result)] == texts


def test_a_file_written_month_first_is_read_month_first(tmp_path):
    texts = [
        "4/13/2024",
        "04/01/2024",
        "4/30/24",
        "04/14/2024 10:15 AM",
        "2024-04-02",
        "May 3 2024",
    ]
    result = ingest(tmp_path, [[t, "1.00", "A LTD", "", ""] for t in texts])
    assert stored(result, "payment_date") == [
        date(2024, 4, 13),
        date(2024, 4, 1),
        date(2024, 4, 30),
        date(2024, 4, 14),
        date(2024, 4, 2),
        date(2024, 5, 3),
    ]
    assert result.files[0].dates_month_first


def test_a_file_whose_days_are_all_twelve_or_under_is_read_day_first(tmp_path):
    result = ingest(tmp_path, [[f"{d:02d}/04/2024", "1.00", "A LTD", "", ""] for d in (1, 5, 12)])
    assert stored(result, "payment_date") == [date(2024, 4, 1), date(2024, 4, 5), date(2024, 4, 12)]
    assert not result.files[0].dates_month_first


def test_one_mistyped_date_does_not_turn_a_uk_file_month_first(tmp_path):
    rows = [[f"{1 + d % 12:02d}/04/2024", "1.00", "A LTD", "", ""] for d in range(20)]
    result = ingest(tmp_path, [*rows, ["04/13/2024", "1.00", "A LTD", "", ""]])
    assert stored(result, "payment_date")[:2] == [date(2024, 4, 1), date(2024, 4, 2)]
    assert [r["value"] for r in rejects(result)] == ["04/13/2024"]
    assert not result.files[0].dates_month_first


def test_a_day_past_the_twelfth_written_first_keeps_a_file_day_first(tmp_path):
    texts = ["13/04/2024", "4/13/2024", "4/14/2024"]
    result = ingest(tmp_path, [[t, "1.00", "A LTD", "", ""] for t in texts])
    assert stored(result, "payment_date") == [date(2024, 4, 13)]
    assert [r["value"] for r in rejects(result)] == ["4/13/2024", "4/14/2024"]
    assert not result.files[0].dates_month_first


def test_each_file_of_an_import_is_read_in_its_own_date_order(tmp_path):
    header = ["Payment Date", "Amount", "Supplier Name"]
    us = write_csv(tmp_path / "us.csv", [header, ["4/13/2024", "1.00", "A LTD"]])
    uk = write_csv(tmp_path / "uk.csv", [header, ["05/04/2024", "1.00", "B LTD"]])
    result = ingest_spend_files([uk, us], output_dir=tmp_path / "out", import_run_id="r")
    paid = duckdb.sql(f"SELECT supplier_name, payment_date FROM '{result.spend_path}'").fetchall()
    assert sorted(paid) == [("A LTD", date(2024, 4, 13)), ("B LTD", date(2024, 4, 5))]
    assert [f.dates_month_first for f in result.files] == [False, True]


def test_a_file_written_with_decimal_commas_is_read_so(tmp_path):
    path = tmp_path / "europe.csv"
    path.write_text(
        "Payment Date;Supplier Name;Amount;Irrecoverable VAT\n"
        "01/04/2024;ACME LTD;1185,60;12,5\n"
        "02/04/2024;BETA LTD;1.185,60;\n"
        "03/04/2024;GAMMA LTD;-12,5;\n"
        "04/04/2024;DELTA LTD;(3,00);\n"
        "05/04/2024;EPSILON LTD;7;\n",
        encoding="utf-8",
    )
    result = ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert stored(result, "amount_pence") == [118560, 118560, -1250, -300, 700]
    assert stored(result, "irrecoverable_vat_pence")[0] == 1250
    assert result.files[0].amounts_decimal_comma


def test_in_a_uk_file_an_amount_with_a_decimal_comma_is_rejected_not_read_a_hundredfold(
    tmp_path,
):
    rows = [[f"0{1 + d % 9}/04/2024", "1,185.60", "A LTD", "", ""] for d in range(20)]
    result = ingest(tmp_path, [*rows, ["01/04/2024", "1185,60", "B LTD", "", ""]])
    assert result.rows_accepted == 20 and result.total_pence == 20 * 118560
    assert [r["value"] for r in rejects(result)] == ["1185,60"]
    assert not result.files[0].amounts_decimal_comma


def test_whole_pounds_with_thousands_commas_are_read_as_uk_amounts(tmp_path):
    result = ingest(tmp_path, [["01/04/2024", a, "A LTD", "", ""] for a in ("1,185", "12")])
    assert stored(result, "amount_pence") == [118500, 1200]
    assert not result.files[0].amounts_decimal_comma


def test_a_row_with_more_cells_than_the_header_is_rejected_not_misread(tmp_path):
    good = [[f"{1 + d % 28:02d}/04/2024", "1.00", "A LTD", "", ""] for d in range(60)]
    split = ["02/04/2024", "£1", "185.60", "B LTD", "77", "Place"]  # "£1,185.60" with no quotes
    result = ingest(tmp_path, [split, *good, [*split, "Later"], [*good[0], "", " "]])
    assert result.rows_accepted == 61 and result.total_pence == 6100
    assert "B LTD" not in stored(result, "supplier_name")
    assert [(r["row"], r["column"], r["value"]) for r in rejects(result)] == [
        ("2", "(whole row)", "Place"),
        ("63", "(whole row)", "Place,Later"),
    ]
    assert rejects(result)[0]["reason"].startswith(
        "more cells than the header row (5): a value with a comma and no quotes (such as "
        "1,185.60) was split"
    )


def test_a_file_whose_every_row_is_longer_than_its_header_is_refused_saying_so(tmp_path):
    with pytest.raises(
        SpendImportError,
        match=r"spend\.csv: every row has more cells than the header row \(5\); is a column "
        r"heading missing",
    ):
        ingest(tmp_path, [["01/04/2024", "1.00", "A LTD", "1", "Place", "a note"]])


def test_a_row_of_totals_is_rejected_as_one_but_a_supplier_named_total_is_not(tmp_path):
    rows = [
        ["01/04/2024", "10.00", "A LTD", "", ""],
        ["", "10.00", "Total", "", ""],
        ["Grand Total:", "10.00", "", "", ""],
        ["", "5.00", "TOTAL GAS & POWER LTD", "", ""],
    ]
    result = ingest(tmp_path, rows)
    assert [(r["row"], r["reason"]) for r in rejects(result)] == [
        ("3", "a row of totals, not a payment"),
        ("4", "a row of totals, not a payment"),
        ("5", "date is missing"),
    ]


def test_a_totals_row_below_the_payments_is_refused_as_a_totals_row_not_for_its_date(tmp_path):
    rows = [
        ["01/04/2024", "10.00", "A LTD", "1", "Place"],
        ["02/04/2024", "1,185.60", "B LTD", "2", "People"],
        ["", "1,195.60", "", "", ""],  # no label: its amount is the sum of the payments above
        ["", "1,195.60", "", "", "TOTAL"],  # the label in another column
    ]
    result = ingest(tmp_path, rows)
    assert (result.rows_accepted, result.total_pence) == (2, 119560)
    assert [(r["row"], r["column"], r["reason"]) for r in rejects(result)] == [
        (
            "4",
            "Payment Date",
            "a row of totals (its amount is the sum of the payments above it), not a payment",
        ),
        ("5", "Payment Date", "a row of totals, not a payment"),
    ]


def test_a_row_without_date_or_supplier_that_totals_nothing_is_still_missing_its_date(tmp_path):
    rows = [["01/04/2024", "10.00", "A LTD", "1", "Place"], ["", "7.00", "", "", ""]]
    assert [r["reason"] for r in rejects(ingest(tmp_path, rows))] == ["date is missing"]


def test_unseen_spaces_in_an_amount_are_ignored(tmp_path):
    amounts = ["£1,185.60\u00a0", "\u200b12.00", "1\u00a0185.60", "\ufeff-5.00"]
    result = ingest(tmp_path, [["01/04/2024", a, "A LTD", "", ""] for a in amounts])
    assert stored(result, "amount_pence") == [118560, 1200, 118560, -500]


def test_placeholders_are_blank_but_words_that_start_like_them_are_kept(tmp_path):
    departments = ["N/A", " n/a ", "\tNil", "TBC", "Unknown", "#N/A", "--", "-", "not known"]
    kept = ["NATIONAL TRUST", "Tbc Services", "Unknown Pleasures Ltd", "-Place-", "n/a and more"]
    result = ingest(
        tmp_path,
        [["01/04/2024", "1", "A LTD", "", d] for d in departments + kept],
    )
    assert stored(result, "service_area") == [None] * len(departments) + kept


def test_a_redacted_supplier_id_is_dropped_and_the_payment_flagged(tmp_path):
    result = ingest(
        tmp_path,
        [
            ["01/04/2024", "1", "REDACTED PERSONAL DATA", "Redacted", ""],
            ["01/04/2024", "1", "ACME LTD", "1234", ""],
            ["01/04/2024", "1", " Private Individual ", "", ""],
        ],
    )
    assert stored(result, "source_supplier_id") == [None, "1234", None]
    assert stored(result, "is_redacted") == [True, False, True]


def test_redactions_are_recognised_in_their_published_forms_but_firms_named_alike_are_not(
    tmp_path,
):
    redactions = [
        "REDACTED UNDER DP ACT",
        "Name withheld - GDPR",
        "DETAILS REDACTED",
        "CONFIDENTIAL",
        "(Personal Data)",
        "Private Individuals",
        "Not disclosed",
        "*****",
        "xxxxx",
    ]
    firms = [
        "REDACTIVE PUBLISHING LTD",
        "DISCLOSURE & BARRING SERVICE",
        "CONFIDENTIAL SHREDDING LTD",
        "DATA PROTECTION SOLUTIONS LTD",
        "CARING PERSONAL ASSISTANTS LTD",
        "PLACES FOR PEOPLE INDIVIDUAL SUPPORT(SP)",
        "XEROX LTD",
    ]
    result = ingest(tmp_path, [["01/04/2024", "1", name, "", ""] for name in redactions + firms])
    assert stored(result, "is_redacted") == [True] * len(redactions) + [False] * len(firms)


def test_a_row_with_text_only_outside_the_date_column_is_rejected_not_skipped(tmp_path):
    result = ingest(
        tmp_path,
        [
            ["01/04/2024", "1", "A LTD", "", ""],
            ["   ", "", "", "", "  "],
            ["", "", "", "", "People"],
            [" ", "2", "B LTD", "", ""],
        ],
    )
    assert result.files[0].blank_rows_skipped == 1
    assert (result.rows_read, result.rows_rejected) == (3, 2)
    assert sorted({r["row"] for r in rejects(result)}) == ["4", "5"]


def many_files(tmp_path: Path, count: int) -> list[Path]:
    return [
        write_csv(
            tmp_path / f"month-{i:02d}.csv",
            [HEADER]
            + [
                [f"{d + 1:02d}/{i % 12 + 1:02d}/2024", f"{i}.{d:02d}", f"S{d}", "", ""]
                for d in range(i + 1)
            ],
        )
        for i in range(count)
    ]


def test_many_files_are_read_together_and_kept_in_file_and_row_order(tmp_path):
    files = many_files(tmp_path, 7)
    result = ingest_spend_files(files, output_dir=tmp_path / "out", import_run_id="r")
    order = duckdb.sql(f"SELECT source_file, source_row FROM '{result.spend_path}'").fetchall()
    assert order == [(f.name, row) for f in files for row in range(2, files.index(f) + 3)]
    assert [f.rows_read for f in result.files] == list(range(1, 8))
    assert [f.name for f in result.files] == [f.name for f in files]


def test_progress_is_reported_from_the_calling_thread_only(tmp_path):
    calls = []
    ingest_spend_files(
        many_files(tmp_path, 5),
        output_dir=tmp_path / "out",
        import_run_id="r",
        on_progress=lambda *args: calls.append((threading.get_ident(), args[0])),
    )
    assert {ident for ident, _ in calls} == {threading.get_ident()}
    assert [stage for _, stage in calls].count("reading") == 5


def test_a_file_duckdb_cannot_read_among_many_stops_the_run_naming_it(tmp_path):
    files = many_files(tmp_path, 4)
    broken = tmp_path / "month-02.csv"
    # Good rows past the part Python looks at, then a record longer than DuckDB's 2 MB limit.
    good_rows = "01/04/2024,1,A LTD,,\n" * 20000
    broken.write_text(
        ",".join(HEADER) + "\n" + good_rows + '01/04/2024,1,"' + "x" * 3_000_000 + '",,\n'
    )
    with pytest.raises(SpendImportError, match=r"month-02\.csv: the CSV cannot be read"):
        ingest_spend_files(files, output_dir=tmp_path / "out", import_run_id="r")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_field_too_long_for_a_cell_is_refused_naming_the_file_row_and_limit(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(",".join(HEADER) + '\n01/04/2024,1,"' + "x" * 200_000 + '",,\n')
    with pytest.raises(
        SpendImportError,
        match=r"long\.csv: row 2, column C: the cell holds more than 32,767 characters, the most "
        r"a cell may hold \(the limit is set by COMMONWEAL_UPLOAD_MAX_CELL_CHARACTERS\)",
    ):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    assert list((tmp_path / "out").iterdir()) == []


def test_the_first_bad_file_in_order_is_the_one_reported(tmp_path):
    files = many_files(tmp_path, 4)
    (tmp_path / "month-01.csv").write_text("no header here\n")
    (tmp_path / "month-03.csv").write_text("")
    with pytest.raises(SpendImportError, match=r"^month-01\.csv: no header row"):
        ingest_spend_files(files, output_dir=tmp_path / "out", import_run_id="r")


def test_payments_span_is_the_earliest_and_latest_accepted_date(tmp_path):
    start = date(2024, 4, 1)
    rows = [[(start + timedelta(days=d)).isoformat(), "1", "A", "", ""] for d in range(0, 60, 7)]
    result = ingest(tmp_path, rows)
    assert (result.first_payment_date, result.last_payment_date) == (
        start,
        start + timedelta(days=56),
    )


def test_a_workbook_being_converted_reports_its_rows_from_the_calling_thread(tmp_path, monkeypatch):
    """The worker converting a workbook holds on until the calling thread has reported the
    rows converted so far, so the test waits on the report, not on the clock."""
    monkeypatch.setattr(ingest_module, "PROGRESS_INTERVAL_SECONDS", 0.01)
    reported = threading.Event()
    calls = []

    def on_progress(stage, rows_done, rows_total):
        calls.append((threading.get_ident(), stage, rows_done))
        if stage == "converting workbooks":
            reported.set()

    real_prepare = ingest_module._prepare_file

    def slow_prepare(path, index, scratch, saved, converted, limits):
        converted.add(5000)
        assert reported.wait(timeout=30), "no conversion progress was reported"
        return real_prepare(path, index, scratch, saved, converted, limits)

    monkeypatch.setattr(ingest_module, "_prepare_file", slow_prepare)
    path = write_csv(tmp_path / "spend.csv", [HEADER, ["01/04/2024", "1.00", "A LTD", "", ""]])
    ingest_spend_files(
        [path], output_dir=tmp_path / "out", import_run_id="r", on_progress=on_progress
    )
    assert (threading.get_ident(), "converting workbooks", 5000) in calls


def test_workbook_rows_are_counted_in_batches_as_they_are_converted(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module._RowCounter, "BATCH", 10)
    book = Workbook()
    book.active.append(["Payment Date", "Amount", "Supplier Name"])
    for day in range(1, 26):
        book.active.append([f"{day:02d}/04/2024", "1.00", "A LTD"])
    book.save(tmp_path / "spend.xlsx")
    converted = ingest_module._RowCounter()
    ingest_module._workbook_to_csv(
        tmp_path / "spend.xlsx", tmp_path / "out", frozenset(), converted, Limits()
    )
    assert converted.value == 20  # 26 rows: two whole batches of 10


@pytest.mark.parametrize(
    ("pieces", "found"),
    [
        ([b"a\n", b"\nb\n"], True),  # the empty line split between two pieces
        ([b"a\r", b"\rb"], True),
        ([b"a\n", b"\n", b"b"], True),
        ([b"a\r\n", b"\r\nb"], True),
        ([b"a\nb\n\n", b"  \n"], False),  # empty lines at the end only
        ([b"a\nb\n"], False),
    ],
)
def test_empty_lines_are_found_between_rows_whatever_the_pieces(pieces, found):
    empty_lines = ingest_module._EmptyLines(pieces[0])
    for piece in pieces:
        empty_lines.feed(piece)
    assert empty_lines.found is found


_FRAGMENTS = [
    *("Payment Date", "Amount", "Supplier Name", ",", ";", "\t", '"', '""', "\n", "\r\n"),
    *("\r", "\n\n", " ", "01/04/2024", "4/13/2024", "1,185.60", "1185,60", "£", "(12.00)"),
    *("CR", "N/A", "REDACTED", "Total", "\x00", "\xa0", "é", "\ufeff", "45383", "x" * 300),
]


@settings(max_examples=40, deadline=None)
@given(
    header=st.permutations(["Payment Date", "Amount", "Supplier Name", "Department"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    body=st.lists(st.sampled_from(_FRAGMENTS), max_size=80),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_any_text_is_imported_or_refused_with_a_reason_never_a_crash(
    tmp_path_factory, header, delimiter, body, encoding
):
    tmp_path = tmp_path_factory.mktemp("any")
    path = tmp_path / "spend.csv"
    path.write_bytes((delimiter.join(header) + "\n" + "".join(body)).encode(encoding, "replace"))
    try:
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="r")
    except SpendImportError as refused:
        assert str(refused).startswith("spend.csv")
