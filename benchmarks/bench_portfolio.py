"""Benchmark: the council's portfolio dashboard and a contract page under concurrent load.

Generates one council's portfolio — by default 5,000 contracts, 30,000 commitments and
100,000 return lines in mixed states, with reporting periods and targets — in a fresh database,
starts the real Django application behind a WSGI server with a pool of threads in each of two
processes on 127.0.0.1 (loopback only), and drives the dashboard (/monitoring/dashboard/) and
contract pages with 50 concurrent clients, each making a bounded number of requests. Prints
p50 and p95 latency per page.

The database is a new SQLite file in a temporary folder, or PostgreSQL when DATABASE_URL is set
(use an empty scratch database: the benchmark creates its own council and data there).

    .venv/bin/python benchmarks/bench_portfolio.py            # 5,000 / 30,000 / 100,000
    .venv/bin/python benchmarks/bench_portfolio.py --small    # CI smoke run
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

COMMITMENTS_PER_CONTRACT = 6


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


class PooledWSGIServer(WSGIServer):
    """Serves each connection on one of a fixed set of threads, as production WSGI servers
    (gunicorn's gthread workers, uWSGI) do, so each thread keeps its database connection
    instead of a new thread per request opening a new one."""

    threads = 8
    _pool: ThreadPoolExecutor | None = None

    def process_request(self, request: Any, client_address: Any) -> None:
        if self._pool is None:  # made after fork: threads do not survive it
            self._pool = ThreadPoolExecutor(max_workers=self.threads)
        self._pool.submit(self._serve, request, client_address)

    def _serve(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def configure(folder: str) -> None:
    # Never the developer's own database: a fresh SQLite file unless DATABASE_URL is given.
    os.environ["COMMONWEAL_ENV"] = "development"
    os.environ["DEBUG"] = "false"  # no per-query logging in memory
    os.environ["COMMONWEAL_SQLITE_PATH"] = os.path.join(folder, "bench.sqlite3")
    os.environ["COMMONWEAL_DATA_DIR"] = os.path.join(folder, "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(contracts: int, lines_wanted: int, rng: random.Random) -> tuple[object, list[int]]:
    """Bulk-create the portfolio; returns the viewer and the contract ids."""
    from commonweal.accounts.models import Membership, Organisation, User
    from commonweal.contracts.models import Commitment, CommitmentYear, Contract
    from commonweal.frameworks.models import (
        Framework,
        FrameworkVersion,
        LocalMeasureSet,
        LocalMeasureSetItem,
        LocalMeasureSetVersion,
        Measure,
        Outcome,
        ProxyValue,
        Theme,
    )
    from commonweal.monitoring.models import (
        PeriodTarget,
        ReportingPeriod,
        ReturnLine,
        SupplierReturn,
    )
    from commonweal.monitoring.periods import periods_between

    suffix = rng.randint(10_000_000, 99_999_999)
    council = Organisation.objects.create(
        kind="council", name=f"Benchmark council {suffix}", gss_code=f"E{suffix:08d}"
    )
    viewer = User.objects.create_user(
        email=f"viewer{suffix}@bench.invalid", password=None, full_name="Benchmark viewer"
    )
    Membership.objects.create(user=viewer, organisation=council, role="viewer")
    suppliers = Organisation.objects.bulk_create(
        Organisation(kind="supplier", name=f"Benchmark supplier {suffix}-{n}") for n in range(50)
    )
    framework = Framework.objects.create(
        owner=council,
        slug=f"bench-{suffix}",
        name="Benchmark measures",
        publisher="Benchmark",
        licence="CC0-1.0",
    )
    version = FrameworkVersion.objects.create(
        framework=framework,
        year=2025,
        in_force_from=date(2025, 4, 1),
        price_base_year=2025,
        status="published",
    )
    themes = [
        Theme.objects.create(version=version, code=f"T{n}", name=f"Theme {n}") for n in range(5)
    ]
    outcomes = [
        Outcome.objects.create(theme=themes[n % 5], code=f"O{n}", name=f"Outcome {n}")
        for n in range(10)
    ]
    measures = []
    for n in range(COMMITMENTS_PER_CONTRACT + 2):
        monetised = n % 4 != 3
        measure = Measure.objects.create(
            version=version,
            outcome=outcomes[n % 10],
            code=f"BM{n}",
            title=f"Measure {n}",
            unit="units",
            value_type="monetised" if monetised else "record_only",
            position=n,
        )
        if monetised:
            ProxyValue.objects.create(
                measure=measure,
                amount_per_unit=Decimal(rng.randint(500, 50_000)) / 100,
                price_year=2025,
                source_title="Benchmark proxy (invented)",
                licence="CC0-1.0",
            )
        measures.append(measure)
    measure_set = LocalMeasureSet.objects.create(owner=council, name="Benchmark set")
    set_version = LocalMeasureSetVersion.objects.create(
        measure_set=measure_set, number=1, status="published", in_force_from=date(2025, 4, 1)
    )
    LocalMeasureSetItem.objects.bulk_create(
        LocalMeasureSetItem(set_version=set_version, measure=m, position=n)
        for n, m in enumerate(measures)
    )

    start = date(2024, 4, 1)
    end = date(2027, 3, 31)
    contract_rows = Contract.objects.bulk_create(
        (
            Contract(
                council=council,
                supplier=suppliers[n % 50],
                title=f"Benchmark contract {n}",
                reference=f"BENCH-{n:06d}",
                value_pence=rng.randint(5_000_000, 900_000_000),
                start_date=start,
                end_date=end,
                directorate=f"Directorate {n % 7}",
                measure_set_version=set_version,
                price_year=2025,
                source="import",
            )
            for n in range(contracts)
        ),
        batch_size=2000,
    )
    commitments = Commitment.objects.bulk_create(
        (
            Commitment(
                contract=contract,
                measure=measures[k],
                position=k,
                committed_value_pence=None if measures[k].value_type != "monetised" else 300_000,
            )
            for contract in contract_rows
            for k in range(COMMITMENTS_PER_CONTRACT)
        ),
        batch_size=5000,
    )
    CommitmentYear.objects.bulk_create(
        (
            CommitmentYear(commitment=c, contract_year=y, quantity=Decimal(40), value_pence=100_000)
            for c in commitments
            for y in (1, 2, 3)
        ),
        batch_size=10000,
    )
    calendar = periods_between(start, end)
    periods = ReportingPeriod.objects.bulk_create(
        (
            ReportingPeriod(
                contract=contract,
                label=p.label,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                due_on=p.ends_on + timedelta(days=30),
                contract_year=1 + n // 4,
                position=n,
            )
            for contract in contract_rows
            for n, p in enumerate(calendar)
        ),
        batch_size=10000,
    )
    per_contract = len(calendar)
    by_contract = {
        contract.pk: periods[i * per_contract : (i + 1) * per_contract]
        for i, contract in enumerate(contract_rows)
    }
    PeriodTarget.objects.bulk_create(
        (
            PeriodTarget(commitment=c, period=p, target=Decimal(10))
            for c in commitments
            for p in by_contract[c.contract_id]
        ),
        batch_size=20000,
    )
    # Spread the returns so the lines add up to about `lines_wanted`: every contract gets
    # `base` returns and the first `extra` contracts one more.
    returns_wanted = max(contracts, -(-lines_wanted // COMMITMENTS_PER_CONTRACT))
    base, extra = divmod(returns_wanted, contracts)
    states = ["verified", "part_verified", "rejected", "queried", "submitted", "draft"]
    returns = SupplierReturn.objects.bulk_create(
        (
            SupplierReturn(
                period=by_contract[contract.pk][k],
                contract=contract,
                status=states[(k + i) % len(states)],
                reference=f"B{i}-{k}",
            )
            for i, contract in enumerate(contract_rows)
            for k in range(min(base + (1 if i < extra else 0), per_contract))
        ),
        batch_size=5000,
    )
    commitments_of: dict[int, list[Commitment]] = {}
    for c in commitments:
        commitments_of.setdefault(c.contract_id, []).append(c)
    outcome_for = {
        "verified": "verified",
        "part_verified": "part_verified",
        "rejected": "rejected",
        "queried": "queried",
        "submitted": "pending",
        "draft": "pending",
    }
    ReturnLine.objects.bulk_create(
        (
            ReturnLine(
                supplier_return=r,
                commitment=c,
                claimed=Decimal(10),
                outcome=outcome_for[r.status],
                verified=Decimal(10)
                if r.status == "verified"
                else Decimal(6)
                if r.status == "part_verified"
                else None,
            )
            for r in returns
            for c in commitments_of[r.contract_id]
        ),
        batch_size=20000,
    )
    from commonweal.monitoring.services import figures_refresh_all

    began = time.perf_counter()
    _, figures_rows = figures_refresh_all()
    print(
        f"Stored figures worked out in {time.perf_counter() - began:.1f} s ({figures_rows:,} rows)"
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would have gathered on a database in use.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"Generated {len(contract_rows):,} contracts, {len(commitments):,} commitments, "
        f"{len(returns) * COMMITMENTS_PER_CONTRACT:,} return lines, "
        f"{len(periods):,} periods"
    )
    return viewer, [c.pk for c in contract_rows]


def reuse() -> tuple[object, list[int]]:
    """The viewer and contracts of the last benchmark council in the database."""
    from commonweal.accounts.models import Membership
    from commonweal.contracts.models import Contract

    membership = (
        Membership.objects.filter(organisation__name__startswith="Benchmark council")
        .select_related("user")
        .latest("pk")
    )
    ids = list(
        Contract.objects.filter(council_id=membership.organisation_id).values_list("pk", flat=True)
    )
    return membership.user, ids


def start_workers(server: WSGIServer, workers: int) -> list[int]:
    """Serve from `workers` forked copies of this process, all accepting on the same loopback
    socket, so the clients (threads of this process) never compete with a server for this
    process's interpreter lock. Returns the children's process ids."""
    from django.db import connections

    connections.close_all()  # each process opens its own database connection
    # All processes wait on one socket; when another takes the connection, accept must not
    # block, or a server would hang until the next one arrives.
    server.socket.setblocking(False)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            try:
                server.serve_forever()
            finally:
                os._exit(0)
        children.append(pid)
    return children


def warm_up() -> None:
    """Import the views and compile the templates before forking, as a preloading server
    does, so no request pays for start-up. Nothing about the data is read or cached."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for name in (
        "monitoring/dashboard.html",
        "monitoring/_dashboard_body.html",
        "contracts/contract_detail.html",
        "contracts/_contract_body.html",
    ):
        get_template(name)


def session_cookie(user: object) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return f"sessionid={client.cookies['sessionid'].value}"


def drive(base: str, cookie: str, urls: list[str], clients: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    lock = threading.Lock()

    def fetch(url: str) -> None:
        request = urllib.request.Request(base + url, headers={"Cookie": cookie})
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=900) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")
        elapsed = time.perf_counter() - began
        page = url.split("?")[0].rstrip("/").split("/")[1]
        with lock:
            timings.setdefault(page, []).append(elapsed)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(fetch, urls))
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a quick run for CI")
    parser.add_argument("--contracts", type=int, default=5_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=100, help="requests in all")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes sharing the listening socket (each serves with threads)",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="drive the portfolio an earlier run left in DATABASE_URL instead of generating one",
    )
    args = parser.parse_args()
    if args.small:
        args.contracts, args.lines, args.clients, args.requests = 20, 360, 5, 10
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        configure(folder)
        from django.core.wsgi import get_wsgi_application

        began = time.perf_counter()
        if args.reuse:
            viewer, contract_ids = reuse()
            print(f"Reusing {len(contract_ids):,} contracts a previous run generated")
        else:
            viewer, contract_ids = generate(args.contracts, args.lines, rng)
            print(f"Data generated in {time.perf_counter() - began:.1f} s")
        cookie = session_cookie(viewer)
        server = make_server(
            "127.0.0.1",
            0,
            get_wsgi_application(),
            server_class=PooledWSGIServer,
            handler_class=QuietHandler,
        )
        warm_up()
        children = start_workers(server, args.workers)
        base = f"http://127.0.0.1:{server.server_port}"
        urls = []
        for n in range(args.requests):
            if n % 2 == 0:
                urls.append("/monitoring/dashboard/")
            else:
                urls.append(f"/contracts/{rng.choice(contract_ids)}/")
        began = time.perf_counter()
        timings = drive(base, cookie, urls, args.clients)
        wall = time.perf_counter() - began
        for child in children:
            os.kill(child, signal.SIGTERM)
            os.waitpid(child, 0)
        print(
            f"{len(urls)} requests from {args.clients} concurrent clients to {args.workers} "
            f"server process(es) in {wall:.1f} s"
        )
        for page, values in sorted(timings.items()):
            label = "dashboard" if page == "monitoring" else "contract page"
            print(
                f"  {label:<14} n={len(values):>4}  p50 {percentile(values, 0.5) * 1000:8.0f} ms"
                f"  p95 {percentile(values, 0.95) * 1000:8.0f} ms"
                f"  mean {statistics.mean(values) * 1000:8.0f} ms"
            )


if __name__ == "__main__":
    main()
