"""Generate official-looking council spend CSV files for benchmarks and demos.

Each file is one month of payments, from April 2021 on (24 files are two financial years), as
councils publish them. Three layouts rotate across the files, as real councils' releases do:
* "processed": ISO dates, plain amounts (Sheffield/ODI Leeds harmonised layout);
* "transparency": dd/mm/yyyy dates, amounts like "£1,185.60", duplicate classification headers,
  "Nil"/"N/A" placeholders (Wakefield-like);
* "export": a BOM, two junk rows above the header, a blank spacer column, dd-Mon-yy dates and
  Excel serials, credit notes in brackets "(1,185.60)".
About 5% of payments go to redacted individuals and about 8% are credit notes.

``write_reference_files`` writes what a council loads once before its first analysis, in the
publishers' layouts: a postcode directory (NSPL columns), deprivation deciles (IoD File 7
columns), the district to combined authority lookup (ONS columns) and a Companies House extract
(BasicCompanyData columns, names written "LIMITED" where the spend says "LTD") for the
suppliers whose company number the spend gives. Supplier n sits at postcode n % 2000.

    python benchmarks/generate_spend.py --rows 200000 --files 24 --out /tmp/spend
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import duckdb

LAYOUTS = ("processed", "transparency", "export")
FIRST_MONTH = date(2021, 4, 1)

_BASE = """
SELECT i,
       DATE '{month}' + CAST(floor(random() * {days}) AS INTEGER) AS paid,
       CAST(round((CASE WHEN random() < 0.08 THEN -1 ELSE 1 END) * (250 + pow(random(), 3) * 250000), 2) AS DECIMAL(12, 2)) AS amount,
       CAST(floor(random() * {suppliers}) AS INTEGER) AS supplier_no,
       random() < 0.05 AS redacted,
       ['PEOPLE', 'PLACE', 'RESOURCES', 'POLICY, PERFORMANCE AND COMMS'][1 + CAST(floor(random() * 4) AS INTEGER)] AS unit,
       ['Agency Staff', 'Building Repairs', 'Home Care', 'Consultancy', 'Catering'][1 + CAST(floor(random() * 5) AS INTEGER)] AS purpose
FROM range({start}, {stop}) t(i)
"""


def _name() -> str:
    return "CASE WHEN redacted THEN 'REDACTED PERSONAL DATA' ELSE 'SUPPLIER ' || supplier_no || ' LTD' END"


def _company() -> str:
    return "CASE WHEN redacted OR supplier_no % 3 = 0 THEN 'N/A' ELSE lpad(CAST(supplier_no + 100000 AS VARCHAR), 8, '0') END"


def _money(expression: str) -> str:
    return f"'£' || format('{{:,.2f}}', CAST({expression} AS DOUBLE))"


def _month(index: int) -> tuple[date, int]:
    """The first day of the index-th month from April 2021, and the number of days in it."""
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    first = date(FIRST_MONTH.year + year, month + 1, 1)
    year, month = divmod(first.month, 12)
    return first, (date(first.year + year, month + 1, 1) - first).days


def write_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: str,
    start: int,
    stop: int,
    suppliers: int,
    month_index: int = 0,
) -> None:
    month, days = _month(month_index)
    base = _BASE.format(
        start=start, stop=stop, suppliers=suppliers, month=month.isoformat(), days=days
    )
    if layout == "processed":
        select = f"""SELECT paid AS "Payment Date", amount AS "Amount", unit AS "Organisational Unit",
                            {_name()} AS "Beneficiary Name", '' AS "Company Number", '' AS "Charity Number"
                     FROM ({base})"""
        con.execute(f"COPY ({select}) TO '{path}' (HEADER, DELIMITER ',')")
        return
    if layout == "transparency":
        select = f"""SELECT 'Anytown MDC' AS c1, 'E08000018' AS c2, unit AS c3, {_name()} AS c4,
                            CASE WHEN redacted THEN 'Redacted' ELSE CAST(supplier_no AS VARCHAR) END AS c5,
                            {_company()} AS c6, strftime(paid, '%d/%m/%Y') AS c7, CAST(i AS VARCHAR) AS c8,
                            {_money("amount")} AS c9, 'Nil' AS c10, purpose AS c11,
                            'Professional Services' AS c12, 'CAT08' AS c13, 'Consultancy' AS c14, 'SUBCAT0802' AS c15
                     FROM ({base})"""
        header = (
            "Organisation Name,Organisation Code,Directorate,Supplier Name,Supplier ID,Company Registration,"
            "Payment Date,Transaction Number,Net Amount,Irrecoverable VAT,Purpose of Spend,"
            "Procurement Classification,Class Code,Procurement Classification,Class Code\n"
        )
        prefix = header
    else:
        select = f"""SELECT CASE WHEN i % 2 = 0 THEN strftime(paid, '%d-%b-%y')
                                 ELSE CAST(paid - DATE '1899-12-30' AS VARCHAR) END AS c1,
                            '' AS c2, unit AS c3, {_name()} AS c4,
                            CASE WHEN amount < 0 THEN '(' || format('{{:,.2f}}', CAST(-amount AS DOUBLE)) || ')'
                                 ELSE format('{{:,.2f}}', CAST(amount AS DOUBLE)) END AS c5,
                            purpose AS c6
                     FROM ({base})"""
        prefix = "\ufeffAnytown Council - payments over £500,,,,,\nPublished under the Transparency Code,,,,,\nDate,,Department,Payee,Value,Expense Type\n"
    body = path.with_suffix(".body")
    con.execute(f"COPY ({select}) TO '{body}' (HEADER false, DELIMITER ',')")
    with (
        path.open("w", encoding="utf-8", newline="") as out,
        body.open("r", encoding="utf-8", newline="") as inp,
    ):
        out.write(prefix)
        while chunk := inp.read(1 << 22):
            out.write(chunk)
    body.unlink()


POSTCODES = 2000
#: Districts the synthetic postcodes fall in: two in South Yorkshire, one elsewhere in the
#: region, one in London.
DISTRICTS = (
    ("E08000018", "E47000002", "E12000003"),
    ("E08000019", "E47000002", "E12000003"),
    ("E08000036", "", "E12000003"),
    ("E09000001", "", "E12000007"),
)


def postcode(i: int) -> str:
    """The synthetic postcode number i (0..POSTCODES-1)."""
    letters = chr(65 + i % 26) + chr(65 + (i // 26) % 26)
    return f"S{i % 99 + 1} {i % 9}{letters}"


def supplier_count(rows: int) -> int:
    return max(50, rows // 40)


def write_reference_files(rows: int, out: Path) -> dict[str, Path]:
    """The reference files for the spend ``generate(rows, ...)`` writes (see the docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "postcodes": out / "nspl.csv",
        "deprivation": out / "imd2019_lsoa11.csv",
        "lad-lookup": out / "lad19_cauth19.csv",
        "companies-house": out / "BasicCompanyData.csv",
    }
    with files["postcodes"].open("w", encoding="utf-8") as handle:
        handle.write("pcds,doterm,laua,lsoa11,rgn\n")
        for i in range(POSTCODES):
            lad, _, region = DISTRICTS[i % len(DISTRICTS)]
            handle.write(f"{postcode(i)},,{lad},E0100{i:04d},{region}\n")
    with files["deprivation"].open("w", encoding="utf-8") as handle:
        handle.write("lsoa11_code,IMD_decile,IMD_rank\n")
        for i in range(POSTCODES):
            handle.write(f"E0100{i:04d},{1 + i % 10},{1 + i * 16}\n")
    with files["lad-lookup"].open("w", encoding="utf-8") as handle:
        handle.write("FID,LAD19CD,LAD19NM,CAUTH19CD,CAUTH19NM\n")
        for number, (lad, ca, _) in enumerate(DISTRICTS[:2], start=1):
            handle.write(f"{number},{lad},District {lad},{ca},South Yorkshire\n")
    with files["companies-house"].open("w", encoding="utf-8") as handle:
        handle.write(
            "CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,"
            "Accounts.AccountCategory,SICCode.SicText_1\n"
        )
        for n in range(supplier_count(rows)):
            if n % 3:  # the spend gives no company number for every third supplier
                handle.write(
                    f'"SUPPLIER {n} LIMITED","{n + 100000:08d}","{postcode(n % POSTCODES)}",'
                    '"Private Limited Company","Active","SMALL","56290 - Other food services"\n'
                )
    return files


def generate(rows: int, files: int, out: Path, seed: float = 0.42) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed})")
    con.execute("SET threads = 1")  # a fixed seed gives the same files only single-threaded
    suppliers = supplier_count(rows)
    paths = []
    per_file = -(-rows // files)
    for index in range(files):
        start, stop = index * per_file, min(rows, (index + 1) * per_file)
        if start >= stop:
            break
        layout = LAYOUTS[index % len(LAYOUTS)]
        path = out / f"spend-{index + 1:02d}-{layout}.csv"
        write_file(con, path, layout, start, stop, suppliers, index)
        paths.append(path)
    con.close()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    for path in generate(args.rows, args.files, args.out):
        print(path)


if __name__ == "__main__":
    main()
