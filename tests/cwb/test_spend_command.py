"""``commonweal spend`` on real published files: Sheffield City Council's spend over £250,
January and February 2021 (ODI Leeds' processed copies, DATA.md 1a). Totals are checked
against an independent DuckDB query over the same CSVs."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest
from django.core.management import CommandError, call_command

from commonweal.cwb.models import SpendImportRun
from tests.cwb.conftest import ROTHERHAM_ROWS, SHARED_DATA

pytestmark = pytest.mark.django_db

SHEFFIELD = [SHARED_DATA / "spend/sheffield/processed" / f"2021-0{m}.csv" for m in (1, 2)]


@pytest.fixture
def sheffield_files():
    if not all(path.is_file() for path in SHEFFIELD):
        pytest.skip("Sheffield processed spend files are not present")
    return SHEFFIELD


def independent_totals(files) -> tuple[int, int]:
    """Rows and pence with a readable ISO date and amount, straight from the CSVs."""
    listed = ", ".join(f"'{p}'" for p in files)
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"""
            SELECT count(*), sum(CAST(round(CAST("Amount" AS DECIMAL(18, 2)) * 100) AS BIGINT))
            FROM read_csv([{listed}], header = true, all_varchar = true)
            WHERE TRY_CAST("Payment Date" AS DATE) IS NOT NULL AND TRY_CAST("Amount" AS DECIMAL(18, 2)) IS NOT NULL
            """
        ).fetchall()
    finally:
        con.close()
    return int(rows[0][0]), int(rows[0][1])


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("spend", *args, stdout=out)
    return out.getvalue()


def test_import_link_list_and_analyse_sheffield_spend(world, sheffield_files):
    expected_rows, expected_pence = independent_totals(sheffield_files)
    output = run("import", "--org", "E08000019", *map(str, sheffield_files))
    imported = SpendImportRun.objects.get()
    assert f"Import run {imported.pk}" in output
    assert f"Rows accepted: {expected_rows}" in output
    assert "Rows rejected: 0" in output
    whole, part = divmod(expected_pence, 100)
    assert f"Total: £{whole:,}.{part:02d}" in output
    assert imported.total_pence == expected_pence
    assert imported.organisation == world.other_council

    linked = run("link", "--org", "E08000019")
    assert "supplier names linked into" in linked
    # No register is loaded here, so none is found on one.
    assert "0 suppliers found on Companies House or the charity register (0.00% of spend)" in linked

    listing = list(
        csv.DictReader(io.StringIO(run("suppliers", "--org", "E08000019", "--format", "csv")))
    )
    assert set(listing[0]) == {
        "raw_name",
        "source_supplier_id",
        "register_supplier_id",
        "company_number",
        "charity_number",
        "method",
        "probability",
    }
    con = duckdb.connect()
    try:
        listed = ", ".join(f"'{p}'" for p in sheffield_files)
        distinct = con.execute(
            f"""SELECT count(DISTINCT trim("Beneficiary Name")) FROM read_csv([{listed}], header = true, all_varchar = true)
                WHERE nullif(trim("Beneficiary Name"), '') IS NOT NULL
                  AND TRY_CAST("Payment Date" AS DATE) IS NOT NULL"""
        ).fetchall()[0][0]
    finally:
        con.close()
    assert len(listing) == distinct  # Sheffield publishes no supplier IDs: one row per name
    assert all(row["register_supplier_id"].startswith("S") for row in listing)

    report = json.loads(
        run("analyse", "--org", "E08000019", "--year", "2020-21", "--format", "json")
    )
    assert report["financial_year"] == "2020-21"
    assert report["total_pence"] == expected_pence
    assert report["payment_count"] == expected_rows
    assert len(report["top_suppliers"]) == 300


def test_importing_the_same_file_twice_from_the_command_line_is_refused(world, spend_csv):
    path = spend_csv("rotherham.csv", ROTHERHAM_ROWS)
    assert "Rows accepted: 4" in run("import", "--org", "E08000018", str(path))
    with pytest.raises(CommandError, match="has already been imported"):
        run("import", "--org", "E08000018", str(path))


def test_an_import_repeating_payments_is_flagged_and_can_be_withdrawn(world, spend_csv):
    run("import", "--org", "E08000018", str(spend_csv("april.csv", ROTHERHAM_ROWS)))
    april = SpendImportRun.objects.get()
    # The same payments republished with one more row: other bytes, so not refused as a repeat.
    output = run(
        "import",
        "--org",
        "E08000018",
        str(spend_csv("year.csv", [*ROTHERHAM_ROWS, ("01/06/2024", "NEW LTD", "9", "Place", "5")])),
    )
    assert f"Warning: 4 of these payments are also in import run {april.pk}" in output
    withdrawn = run("withdraw", "--org", "E08000018", str(april.pk))
    assert f"Import run {april.pk} withdrawn: 4 payments (£26,435.60)" in withdrawn
    april.refresh_from_db()
    assert april.status == SpendImportRun.Status.WITHDRAWN
    with pytest.raises(CommandError, match="Only a finished import can be withdrawn"):
        run("withdraw", "--org", "E08000018", str(april.pk))
    with pytest.raises(CommandError, match="has no import run not-a-run"):
        run("withdraw", "--org", "E08000018", "not-a-run")
    # Another council's run is not ours to withdraw.
    with pytest.raises(CommandError, match="has no import run"):
        run("withdraw", "--org", "E08000019", str(april.pk))


def test_analyse_says_what_to_do_first(world):
    with pytest.raises(CommandError, match="Import a spend file first"):
        run("analyse", "--org", "E08000018", "--year", "2024-25")


def test_suppliers_have_no_spend_commands(world):
    with pytest.raises(CommandError, match="No council or anchor partner"):
        run("link", "--org", str(world.supplier.pk))


def test_files_of_one_import_repeating_each_other_are_flagged(world, spend_csv):
    april = spend_csv("april.csv", ROTHERHAM_ROWS)
    year = spend_csv("year.csv", [*ROTHERHAM_ROWS, ("01/06/2024", "NEW LTD", "9", "Place", "5")])
    output = run("import", "--org", "E08000018", str(april), str(year))
    assert "Warning: 4 payments in year.csv are also in april.csv, imported with it" in output


US_ROWS = [
    ("4/13/2024", "DON VALLEY CATERING LTD", "1001", "Children", "10.00"),
    ("4/2/2024", "WENTWORTH COMMUNITY TRANSPORT", "3003", "Adult Care", "5.00"),
]


def test_a_file_with_its_dates_month_first_is_read_so_and_says_so(world, spend_csv):
    output = run("import", "--org", "E08000018", str(spend_csv("us-dates.csv", US_ROWS)))
    assert "Rows accepted: 2" in output
    assert "Note: us-dates.csv writes its dates month first (as 4/13/2024); read that way" in output


def test_a_file_with_decimal_commas_is_read_so_and_says_so(world, spend_csv):
    rows = [("01/04/2024", "ACME LTD", "1001", "Children", '"1185,60"')]
    output = run("import", "--org", "E08000018", str(spend_csv("europe.csv", rows)))
    assert "Total: £1,185.60" in output
    assert "Note: europe.csv writes its amounts with a decimal comma (as 1185,60)" in output


def test_two_files_of_one_name_are_refused_as_rows_could_not_say_which_file(world, tmp_path):
    for folder, day in (("april", "01/04/2024"), ("may", "01/05/2024")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "spend.csv").write_text(
            f"Payment Date,Supplier Name,Amount\n{day},ACME LTD,1.00\n", encoding="utf-8"
        )
    with pytest.raises(CommandError, match="spend.csv: another file of this import has the same"):
        run(
            "import",
            "--org",
            "E08000018",
            *(str(tmp_path / f / "spend.csv") for f in ("april", "may")),
        )
    assert not SpendImportRun.objects.exists()


def test_a_totals_row_below_the_payments_is_refused_as_one_naming_its_row(world, spend_csv):
    path = spend_csv("april.csv", [*ROTHERHAM_ROWS, ("", "", "", "", "26435.60")])
    output = run("import", "--org", "E08000018", str(path))
    assert "Rows accepted: 4" in output and "Total: £26,435.60" in output
    assert "Rows rejected: 2" in output
    assert (
        "april.csv, row 7, Payment Date: a row of totals (its amount is the sum of the payments "
        "above it), not a payment" in output
    )
    assert "date is missing" not in output


def test_spend_run_imports_links_and_analyses_in_one_go_timing_each_stage(world, spend_csv):
    path = spend_csv("april.csv", ROTHERHAM_ROWS)
    output = run("run", "--org", "E08000018", "--year", "2024-25", str(path))
    assert "Rows accepted: 4" in output and "Total: £26,435.60" in output
    assert "Imported 5 rows from 1 file: 4 accepted, 1 rejected, £26,435.60 in " in output
    assert "supplier names linked into" in output
    assert "2024-25: 4 payments, £26,435.60;" in output
    assert "Analysed 1 financial year in " in output
    assert "Done in " in output
    printed = json.loads(output[output.index("{") :])
    # The same figures as the separate command gives.
    assert printed == json.loads(run("analyse", "--org", "E08000018", "--year", "2024-25"))


def test_the_supplier_list_on_the_command_line_writes_no_formula(world, council_officer, tmp_path):
    from tests.cwb.conftest import import_spend_file

    spend = tmp_path / "spend.csv"
    spend.write_text(
        "Payment Date,Supplier Name,Supplier ID,Directorate,Amount\n"
        '01/04/2024,"=HYPERLINK(""http://evil.example"",""Open"")",1001,Children,10.00\n'
        "02/04/2024,-cmd calc,1002,Children,20.00\n",
        encoding="utf-8",
    )
    import_spend_file(world.council, council_officer, spend)
    run("link", "--org", "E08000018")
    names = {
        row["raw_name"]
        for row in csv.DictReader(
            io.StringIO(run("suppliers", "--org", "E08000018", "--format", "csv"))
        )
    }
    assert names == {'\'=HYPERLINK("http://evil.example","Open")', "'-cmd calc"}
