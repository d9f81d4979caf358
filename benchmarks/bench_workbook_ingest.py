"""Benchmark: ingesting spend published as a workbook, one worksheet per month.

Not an issue target: it shows what reading workbooks costs next to CSV. A year of payments is
written as one .xlsx workbook with twelve monthly worksheets (real dates and numbers, a title
row above each header), and as the same twelve months in one CSV file; each is ingested in a
fresh process, and the time and the process's peak memory are printed (medians of --repeat).
Writing the workbook takes a while (openpyxl), before any clock starts.

    python benchmarks/bench_workbook_ingest.py --rows 200000
    python benchmarks/bench_workbook_ingest.py --rows 2000 --repeat 1     # a quick look
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commonweal.spend_engine.ingest import ingest_spend_files  # noqa: E402

HEADER = ["Payment Date", "Supplier Name", "Supplier ID", "Service Area", "Amount"]
SERVICE_AREAS = ("Adult Social Care", "Children's Services", "Highways", "Housing", "Waste")


Payment = tuple[date, str, int, str, float]


def payments(rows: int) -> list[Payment]:
    """``rows`` payments spread over April 2024 to March 2025, in date order."""
    made = []
    for i in range(rows):
        month = 4 + i * 12 // rows
        paid = date(2024 + (month > 12), (month - 1) % 12 + 1, 1 + i % 28)
        supplier = i * 7919 % 5000
        amount = round((-1 if i % 13 == 0 else 1) * (250 + (i * 104729 % 250000) / 7), 2)
        made.append((paid, f"SUPPLIER {supplier} LTD", supplier, SERVICE_AREAS[i % 5], amount))
    return made


def write_files(rows: int, folder: Path) -> tuple[Path, Path]:
    """The year as a workbook of monthly worksheets, and as one CSV."""
    book = Workbook(write_only=True)
    months: dict[str, list[Payment]] = {}
    for payment in payments(rows):
        months.setdefault(payment[0].strftime("%B %Y"), []).append(payment)
    for title, month_rows in months.items():
        sheet = book.create_sheet(title)
        sheet.append([f"Spend over £500, {title}"])
        sheet.append(HEADER)
        for row in month_rows:
            sheet.append(list(row))
    workbook = folder / "spend-2024-25.xlsx"
    book.save(workbook)
    text = folder / "spend-2024-25.csv"
    with text.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for paid, *rest in payments(rows):
            writer.writerow([paid.strftime("%d/%m/%Y"), *rest])
    return workbook, text


def ingest(path: Path, work: Path) -> tuple[float, int, float]:
    started = time.perf_counter()
    result = ingest_spend_files([path], output_dir=work, import_run_id="bench")
    seconds = time.perf_counter() - started
    return seconds, result.rows_accepted, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_fresh_process(path: Path, work: Path) -> tuple[float, int, float]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(ingest, path, work).result()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = write_files(args.rows, folder)
        print(f"{args.rows:,} rows written in {time.perf_counter() - started:.1f} s")
        for path in files:
            runs = [
                _in_fresh_process(path, folder / f"out-{path.suffix[1:]}-{run}")
                for run in range(args.repeat)
            ]
            seconds = statistics.median(r[0] for r in runs)
            peak = statistics.median(r[2] for r in runs)
            size = path.stat().st_size / 2**20
            print(
                f"  {path.name} ({size:.0f} MiB): {runs[0][1]:,} rows accepted, "
                f"ingest {seconds:.2f} s, peak {peak:.0f} MiB"
            )


if __name__ == "__main__":
    main()
