"""Benchmark: the annual Social Value progress report for a large council.

Generates the portfolio benchmark's council (`bench_portfolio.generate`: by default 5,000
contracts, 30,000 commitments and 100,000 return lines in mixed states) in a fresh database,
says the council adopted its policy on 1 April 2024, and asks for the draft report for 2025-26
(year 2, compared with 2024-25) as an officer's browser would, through the real views: the HTML
page, the JSON download and the Word document. Every request works the report out from the
data (the caches are emptied before each), so each time is the cost of generating it, not of
reading it back. Prints the median and the slowest of `--repeat` requests per format beside
the targets (HTML and JSON 2 s, Word 5 s), and the time the document alone took.

The generated council has no tenders, spend or partnership, so those sections are empty; the
commitments section (committed, claimed and verified by theme, outcome and directorate, the
largest shortfalls, forecasts) is the one that reads the 100,000 lines.

    .venv/bin/python benchmarks/bench_report.py            # 5,000 contracts / 100,000 lines
    .venv/bin/python benchmarks/bench_report.py --small    # CI smoke run
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_portfolio  # noqa: E402 — the portfolio benchmark's generator, beside this file

TARGETS = {"html": 2.0, "json": 2.0, "docx": 5.0}
YEAR = "2025-26"


def prepare(viewer: object) -> tuple[object, int]:
    """An admin of the benchmark council, the policy's adoption date, and the year's report."""
    from commonweal.accounts.models import Membership, User
    from commonweal.reporting import services

    council = Membership.objects.get(user=viewer).organisation
    admin = User.objects.create_user(
        email=f"admin-{council.pk}@bench.invalid", password=None, full_name="Benchmark admin"
    )
    Membership.objects.create(user=admin, organisation=council, role="council_admin")
    services.settings_update(council=council, by=admin, policy_adopted_on=date(2024, 4, 1))
    report = services.report_start(council=council, year=YEAR, by=admin)
    return admin, report.pk


def empty_caches() -> None:
    from django.core.cache import caches

    for alias in ("default", "shared"):
        caches[alias].clear()


def time_requests(admin: object, report_id: int, repeat: int) -> dict[str, list[float]]:
    from django.test import Client

    client = Client()
    client.force_login(admin)  # type: ignore[arg-type]
    address = f"/programme/reports/{report_id}/"
    timings: dict[str, list[float]] = {name: [] for name in TARGETS}
    for _ in range(repeat):
        for name in TARGETS:
            empty_caches()
            began = time.perf_counter()
            response = client.get(address if name == "html" else f"{address}?format={name}")
            body = response.content
            timings[name].append(time.perf_counter() - began)
            if response.status_code != 200 or not body:
                raise RuntimeError(f"the {name} report answered {response.status_code}")
    return timings


def time_document(council_id: int, repeat: int) -> list[float]:
    from commonweal.accounts.models import Organisation
    from commonweal.reporting.document import build_document

    council = Organisation.objects.get(pk=council_id)
    found = []
    for _ in range(repeat):
        empty_caches()
        began = time.perf_counter()
        build_document(council, YEAR)
        found.append(time.perf_counter() - began)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a quick run for CI")
    parser.add_argument("--contracts", type=int, default=5_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="requests per format")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="report on the council an earlier portfolio benchmark left in the database",
    )
    parser.add_argument(
        "--sqlite",
        metavar="FILE",
        help="use this SQLite file (e.g. a copy of one bench_portfolio generated) instead of a "
        "new one; the run writes to it",
    )
    parser.add_argument(
        "--profile",
        choices=tuple(TARGETS),
        help="print where one request of this format spends its time (cProfile)",
    )
    args = parser.parse_args()
    if args.small:
        args.contracts, args.lines, args.repeat = 20, 360, 1
    with tempfile.TemporaryDirectory() as folder:
        bench_portfolio.configure(folder, args.sqlite)
        began = time.perf_counter()
        if args.reuse:
            viewer, contract_ids = bench_portfolio.reuse()
            print(f"Reusing {len(contract_ids):,} contracts a previous run generated")
        else:
            viewer, contract_ids = bench_portfolio.generate(
                args.contracts, args.lines, random.Random(args.seed)
            )
            print(f"Data generated in {time.perf_counter() - began:.1f} s")
        admin, report_id = prepare(viewer)
        from commonweal.reporting.models import ProgressReport

        council_id = ProgressReport.objects.get(pk=report_id).council_id
        if args.profile:
            import cProfile
            import pstats

            from django.test import Client

            client = Client()
            client.force_login(admin)  # type: ignore[arg-type]
            suffix = "" if args.profile == "html" else f"?format={args.profile}"
            client.get(f"/programme/reports/{report_id}/{suffix}")  # imports and templates
            empty_caches()
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(f"/programme/reports/{report_id}/{suffix}")
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            return
        # One request of each first: imports, templates and fonts loaded once, as on a server
        # that has been running.
        time_requests(admin, report_id, 1)
        timings = time_requests(admin, report_id, args.repeat)
        document = time_document(council_id, args.repeat)
        print(
            f"Report {YEAR} for {len(contract_ids):,} contracts, each request generating it "
            f"from the data ({args.repeat} per format):"
        )
        for name, values in timings.items():
            median = statistics.median(values)
            verdict = "within" if max(values) <= TARGETS[name] else "OVER"
            print(
                f"  {name.upper():<5} median {median:6.2f} s  slowest {max(values):6.2f} s  "
                f"target {TARGETS[name]:.0f} s ({verdict})"
            )
        print(
            f"  The document alone (no output): median {statistics.median(document):.2f} s, "
            f"slowest {max(document):.2f} s"
        )


if __name__ == "__main__":
    main()
