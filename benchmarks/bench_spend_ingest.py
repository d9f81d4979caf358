"""Benchmark: spend ingest and classification + analysis against a bare DuckDB scan.

Prints the time DuckDB takes merely to load the generated CSVs (all columns as text), the
ingest time, the classify + analysis time, ingest / scan ratio, rows per second and peak RSS.

    python benchmarks/bench_spend_ingest.py --rows 200000      # target: ingest <= 3x scan
    python benchmarks/bench_spend_ingest.py --rows 1500000     # target: < 30 s end to end, < 2 GiB
    python benchmarks/bench_spend_ingest.py --rows 2000        # CI smoke
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate_spend import generate  # noqa: E402
from commonweal.spend_engine.analysis import analyse_spend  # noqa: E402
from commonweal.spend_engine.classify import LocalTiers, ReferenceTables, classify_suppliers  # noqa: E402
from commonweal.spend_engine.ingest import ingest_spend_files  # noqa: E402

# The synthetic postcode of number i (0..1999), shared by the reference table and the suppliers.
POSTCODE = "'S' || (i % 99 + 1) || ' ' || (i % 9) || chr(CAST(65 + i % 26 AS INTEGER)) || chr(CAST(65 + (i // 26) % 26 AS INTEGER))"

SOUTH_YORKSHIRE = ("E08000016", "E08000017", "E08000018", "E08000019")


def bare_scan_seconds(files: list[Path]) -> float:
    con = duckdb.connect()
    started = time.perf_counter()
    for index, path in enumerate(files):
        con.execute(
            f"CREATE TEMP TABLE scan_{index} AS SELECT * FROM read_csv('{path}', all_varchar = true)"
        )
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def write_reference(folder: Path, suppliers: int) -> ReferenceTables:
    """Synthetic postcode, deprivation and district tables: supplier n sits in postcode n % 2000."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT {POSTCODE} AS postcode,
                         ['E08000018', 'E08000019', 'E08000036', 'E09000001'][1 + i % 4] AS lad_code,
                         NULL::VARCHAR AS ward_code, 'E0100' || lpad(CAST(i AS VARCHAR), 4, '0') AS lsoa_code,
                         '2011' AS lsoa_vintage, NULL::VARCHAR AS region_code, 'synthetic' AS source
                  FROM range(2000) t(i)) TO '{folder / "postcodes.parquet"}' (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (SELECT 'E0100' || lpad(CAST(i AS VARCHAR), 4, '0') AS lsoa_code, '2011' AS lsoa_vintage,
                         CAST(1 + i % 10 AS TINYINT) AS imd_decile, '2019' AS index_vintage
                  FROM range(2000) t(i)) TO '{folder / "deprivation.parquet"}' (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (SELECT * FROM (VALUES ('E08000018', 'E47000002', 'E12000003'), ('E08000019', 'E47000002', 'E12000003'),
                                        ('E08000036', 'E47000003', 'E12000003'), ('E09000001', NULL, 'E12000007'))
                  t(lad_code, ca_code, region_code)) TO '{folder / "lad.parquet"}' (FORMAT parquet)"""
    )
    con.close()
    return ReferenceTables(
        postcodes=[folder / "postcodes.parquet"],
        deprivation=folder / "deprivation.parquet",
        lad_lookup=folder / "lad.parquet",
    )


def suppliers_from_spend(spend: Path) -> pa.Table:
    """One supplier per published name, placed at a synthetic postcode chosen by its name's hash."""
    return duckdb.sql(
        f"""WITH s AS (SELECT upper(trim(supplier_name)) AS supplier_key, min(supplier_name) AS supplier_name,
                              bool_or(is_redacted) AS is_redacted, min(company_number) AS company_number
                       FROM read_parquet('{spend}') GROUP BY 1)
            SELECT s.*, {POSTCODE} AS postcode
            FROM (SELECT *, CAST(hash(supplier_key) % 2000 AS INTEGER) AS i FROM s) s"""
    ).to_arrow_table()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--files", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-spend-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        files = generate(args.rows, args.files, root / "csv")
        print(
            f"generated {args.rows:,} rows in {len(files)} files in {time.perf_counter() - started:.1f} s"
        )
        scan = bare_scan_seconds(files)

        started = time.perf_counter()
        result = ingest_spend_files(files, output_dir=root / "runs", import_run_id="bench")
        ingest = time.perf_counter() - started

        started = time.perf_counter()
        reference = write_reference(root, args.rows)
        tiers = LocalTiers(frozenset({"E08000018"}), frozenset(SOUTH_YORKSHIRE), "E12000003")
        classification = classify_suppliers(
            suppliers_from_spend(result.spend_path), reference=reference, tiers=tiers
        )
        analysis = analyse_spend([result.spend_path], classification)
        classify_and_analyse = time.perf_counter() - started

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows read / accepted / rejected : {result.rows_read:,} / {result.rows_accepted:,} / {result.rows_rejected:,}"
    )
    print(
        f"suppliers classified             : {classification.num_rows:,}; financial years: {len(analysis.years)}"
    )
    print(f"DuckDB bare scan                 : {scan:.2f} s")
    print(
        f"ingest                           : {ingest:.2f} s  ({result.rows_read / ingest:,.0f} rows/s)"
    )
    print(f"classify + analysis              : {classify_and_analyse:.2f} s")
    print(f"ingest / scan ratio              : {ingest / scan:.2f}")
    print(f"end to end (ingest + analysis)   : {ingest + classify_and_analyse:.2f} s")
    print(f"peak RSS                         : {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
