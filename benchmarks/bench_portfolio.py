"""Benchmark: the council's portfolio dashboard and a contract page under concurrent load.

Generates one council's portfolio — by default 5,000 contracts, 30,000 commitments and
100,000 return lines in mixed states, with reporting periods and targets — in a fresh database,
serves the real Django application with Granian (the production WSGI server; one process per
core, a pool of threads in each) on 127.0.0.1 (loopback only), and drives the dashboard
(/monitoring/dashboard/) and contract pages chosen at random from all the contracts with 50
concurrent clients, each on its own kept-alive connection as a browser keeps one. Prints p50
and p95 latency per page.

Before the timed run every contract page is visited once, as `commonweal monitoring
prepare-pages` or earlier visitors would have done: a page is laid out once per change and kept
in the cache the server's processes share. That pass is timed and printed too, as the cost of a
page nobody has opened since it changed.

Then the same clients read home pages (the council admin's and a viewer's) and the dashboard
**while** `--writers` contract managers each verify a submitted return every `--write-every`
seconds through the verification service, so the cached figures keep changing under them;
straight after each verification the writer opens the dashboard and both home pages once,
and those times are printed apart as "first request after a change". `--home-and-dashboard`
leaves the contract pages out (their first visits take minutes on a busy machine): the first
visits are then the dashboard's, and the clients read only home pages and the dashboard.
With `--writers 0` they read the same pages with nothing changing, the figure to compare with.

The database is a new SQLite file in a temporary folder, or PostgreSQL when DATABASE_URL is set
(use an empty scratch database: the benchmark creates its own council and data there).

    .venv/bin/python benchmarks/bench_portfolio.py            # 5,000 / 30,000 / 100,000
    .venv/bin/python benchmarks/bench_portfolio.py --small    # CI smoke run

To compare two versions of the code on the same data, generate once into a kept file
(`--sqlite FILE`), then run each version (PYTHONPATH) on a fresh copy of it with `--reuse`.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

COMMITMENTS_PER_CONTRACT = 6


def configure(folder: str, sqlite_file: str | None = None) -> None:
    # Never the developer's own database: a fresh SQLite file unless DATABASE_URL is given or
    # a file is named with --sqlite.
    os.environ["COMMONWEAL_ENV"] = "development"
    os.environ["DEBUG"] = "false"  # no per-query logging in memory
    os.environ["COMMONWEAL_SQLITE_PATH"] = sqlite_file or os.path.join(folder, "bench.sqlite3")
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
        # The viewer `generate` made: the admin and managers made later are members too.
        Membership.objects.filter(organisation__name__startswith="Benchmark council", role="viewer")
        .select_related("user")
        .latest("pk")
    )
    ids = list(
        Contract.objects.filter(council_id=membership.organisation_id).values_list("pk", flat=True)
    )
    return membership.user, ids


def start_server(workers: int, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    """Granian serving the application from `workers` processes on a free loopback port; the
    environment `configure` set (database, data folder) is passed on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "--no-access-log",
            "--log-level",
            "warning",
            "commonweal.wsgi:application",
        ]
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within a minute")


def session_cookie(user: object) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return f"sessionid={client.cookies['sessionid'].value}"


def page_of(url: str) -> str:
    path = url.split("?")[0]
    if path == "/":
        return "home page"
    return "dashboard" if path.startswith("/monitoring/") else "contract page"


async def _client(
    port: int, cookie: str, urls: list[str | Visit], timings: dict[str, list[float]]
) -> None:
    """One browser: requests one after another on a kept-alive connection (a `Visit` names
    its own page and person)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while urls:
            item = urls.pop()
            label, url, as_whom = item if isinstance(item, tuple) else (page_of(item), item, cookie)
            began = time.perf_counter()
            writer.write(
                f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {as_whom}\r\n\r\n".encode()
            )
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split()[1])
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in head[1:] if line)
            }
            if "content-length" in headers:
                await reader.readexactly(int(headers["content-length"]))
            else:  # chunked
                while size := int((await reader.readline()).strip(), 16):
                    await reader.readexactly(size + 2)
                await reader.readline()
            if status != 200:
                raise RuntimeError(f"{url} answered {status}")
            timings.setdefault(label, []).append(time.perf_counter() - began)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


Visit = tuple[str, str, str]
"""(page label, address, session cookie): a request made as a given person."""


def drive(
    port: int, cookie: str | list[str], urls: list[str] | list[Visit], clients: int
) -> dict[str, list[float]]:
    """Timings per page of `urls`, fetched by `clients` concurrent clients (each signed in with
    the next of `cookie` when several are given)."""
    timings: dict[str, list[float]] = {}
    queue: list[str | Visit] = list(reversed(urls))
    cookies = [cookie] if isinstance(cookie, str) else cookie

    async def run() -> None:
        await asyncio.gather(
            *(_client(port, cookies[n % len(cookies)], queue, timings) for n in range(clients))
        )

    asyncio.run(run())
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(title: str, timings: dict[str, list[float]], wall: float) -> None:
    count = sum(len(values) for values in timings.values())
    print(f"{title}: {count} requests in {wall:.1f} s ({count / wall:.0f} a second)")
    for label, values in sorted(timings.items()):
        print(
            f"  {label:<18} n={len(values):>5}  p50 {percentile(values, 0.5) * 1000:8.0f} ms"
            f"  p95 {percentile(values, 0.95) * 1000:8.0f} ms"
            f"  mean {statistics.mean(values) * 1000:8.0f} ms"
        )


def writers_and_reader(viewer: object, writers: int) -> tuple[object, list[object]]:
    """The council's admin (the programme lead, whose home page lists the most work) and
    `writers` contract managers, made once per council."""
    from commonweal.accounts.models import Membership, User

    council = Membership.objects.get(user=viewer).organisation

    def person(email: str, name: str, role: str) -> object:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=name)
            Membership.objects.create(user=user, organisation=council, role=role)
        return user

    admin = person(f"admin-{council.pk}@bench.invalid", "Benchmark admin", "council_admin")
    managers = [
        person(f"manager{n}-{council.pk}@bench.invalid", f"Manager {n}", "contract_manager")
        for n in range(writers)
    ]
    return admin, managers


def fetch(port: int, cookie: str, url: str) -> float:
    """One request on a new connection, as a browser opening a page; its time in seconds."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    began = time.perf_counter()
    connection.request("GET", url, headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    took = time.perf_counter() - began
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status}")
    return took


def verify_returns(
    port: int,
    visits: list[Visit],
    manager: object,
    return_ids: list[int],
    every: float,
    stop: threading.Event,
    after_change: dict[str, list[float]],
    verified: list[int],
) -> None:
    """One contract manager: verify a submitted return in full through the service, then open
    the `visits` (the dashboard and the home pages: the first requests after the change),
    then wait `every` seconds; until `stop` is set."""
    from django.db import connection

    from commonweal.monitoring.models import SupplierReturn
    from commonweal.monitoring.services import Decision, return_verify

    try:
        for pk in return_ids:
            if stop.is_set():
                break
            supplier_return = SupplierReturn.objects.get(pk=pk)
            return_verify(
                supplier_return=supplier_return,
                decisions=[Decision(line.pk, "verified") for line in supplier_return.lines.all()],
                expected_version=supplier_return.version,
                by=manager,  # type: ignore[arg-type]
            )
            verified.append(pk)
            for label, url, cookie in visits:
                after_change.setdefault(label, []).append(fetch(port, cookie, url))
            stop.wait(every)
    finally:
        connection.close()


def read_while_writing(
    port: int,
    cookies: tuple[str, str],
    viewer: object,
    managers: list[object],
    args: argparse.Namespace,
    rng: random.Random,
) -> tuple[dict[str, list[float]], float, dict[str, list[float]], int]:
    """Home pages (the viewer's and the council admin's, `cookies`), the dashboard and, unless
    `args.home_and_dashboard`, contract pages, read by the clients while the managers verify
    returns (with `--writers 0` none: the same reading with nothing changing, to compare)."""
    from commonweal.accounts.models import Membership
    from commonweal.monitoring.models import SupplierReturn

    council_id = Membership.objects.get(user=viewer).organisation_id
    waiting = list(
        SupplierReturn.objects.filter(contract__council_id=council_id, status="submitted")
        .order_by("?")
        .values_list("pk", flat=True)[: len(managers) * 500]
    )
    viewer_cookie, admin_cookie = cookies
    home = [
        ("home page (admin)", "/", admin_cookie),
        ("home page (viewer)", "/", viewer_cookie),
    ]
    dashboard = ("dashboard", "/monitoring/dashboard/", viewer_cookie)
    stop = threading.Event()
    after_change: dict[str, list[float]] = {}
    verified: list[int] = []
    threads = [
        threading.Thread(
            target=verify_returns,
            args=(
                port,
                [("dashboard", "/monitoring/dashboard/", admin_cookie), *home],
                manager,
                waiting[n :: len(managers)],
                args.write_every,
                stop,
                after_change,
                verified,
            ),
        )
        for n, manager in enumerate(managers)
    ]
    urls: list[Visit] = [
        home[n // 3 % 2]
        if n % 3 == 0
        else dashboard
        if n % 3 == 1
        else home[n // 3 % 2 - 1]
        if args.home_and_dashboard
        else ("contract page", f"/contracts/{pk}/", viewer_cookie)
        for n, pk in enumerate(rng.choices(args.contract_ids, k=args.requests))
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        timings = drive(port, cookies, urls, args.clients)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return timings, time.perf_counter() - began, after_change, len(verified)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a quick run for CI")
    parser.add_argument("--contracts", type=int, default=5_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2_000, help="timed requests in all")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes (one per core, as Granian advises)",
    )
    parser.add_argument("--threads", type=int, default=2, help="threads in each server process")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timed runs, one after another (a shared machine makes single runs noisy)",
    )
    parser.add_argument(
        "--writers",
        type=int,
        default=3,
        help="contract managers verifying returns during the last run (0: none)",
    )
    parser.add_argument(
        "--write-every",
        type=float,
        default=2.0,
        help="seconds each contract manager waits between verifications",
    )
    parser.add_argument(
        "--home-and-dashboard",
        action="store_true",
        help="no contract pages: the first visits are the dashboard's and the reading while "
        "writing is of home pages and the dashboard alone (issue 22's target for them)",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="drive the portfolio an earlier run left in the database instead of generating one",
    )
    parser.add_argument(
        "--sqlite",
        metavar="FILE",
        help="use this SQLite file (e.g. a copy of one generated earlier, with --reuse) instead "
        "of a new one; the run writes to it",
    )
    args = parser.parse_args()
    if args.small:
        args.contracts, args.lines, args.clients, args.requests, args.rounds = 20, 360, 5, 10, 1
        args.writers, args.write_every = min(args.writers, 1), 0.1
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        configure(folder, args.sqlite)
        began = time.perf_counter()
        if args.reuse:
            viewer, contract_ids = reuse()
            print(f"Reusing {len(contract_ids):,} contracts a previous run generated")
        else:
            viewer, contract_ids = generate(args.contracts, args.lines, rng)
            print(f"Data generated in {time.perf_counter() - began:.1f} s")
        cookie = session_cookie(viewer)
        admin, managers = writers_and_reader(viewer, args.writers)
        admin_cookie = session_cookie(admin)
        args.contract_ids = contract_ids
        from django.db import connections

        connections.close_all()
        server, port = start_server(args.workers, args.threads)
        try:
            # Every contract page once, and the dashboard once per client.
            first = [] if args.home_and_dashboard else [f"/contracts/{pk}/" for pk in contract_ids]
            first += ["/monitoring/dashboard/"] * args.clients
            began = time.perf_counter()
            report(
                "First visits",
                drive(port, cookie, first, args.clients),
                time.perf_counter() - began,
            )
            rounds = []
            for _ in range(args.rounds):
                urls = [
                    "/monitoring/dashboard/"
                    if n % 2 == 0
                    else f"/contracts/{rng.choice(contract_ids)}/"
                    for n in range(args.requests)
                ]
                began = time.perf_counter()
                rounds.append(
                    (drive(port, cookie, urls, args.clients), time.perf_counter() - began)
                )
            writes = (
                read_while_writing(port, (cookie, admin_cookie), viewer, managers, args, rng)
                if managers or args.home_and_dashboard
                else None
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        for number, (timings, wall) in enumerate(rounds, start=1):
            report(
                f"Timed run {number} of {len(rounds)}, {args.clients} concurrent clients, "
                f"{args.workers} server process(es)",
                timings,
                wall,
            )
        if len(rounds) > 1:
            p95s = {
                page: statistics.median(percentile(t[page], 0.95) for t, _ in rounds)
                for page in rounds[0][0]
            }
            print(
                "Median p95 over the runs: "
                + ", ".join(f"{page} {value * 1000:.0f} ms" for page, value in sorted(p95s.items()))
            )
        if writes is not None:
            timings, wall, after_change, verified = writes
            reading = (
                f"Reading while {args.writers} contract managers verify returns "
                f"({verified} returns verified)"
                if managers
                else "Reading with nothing changing (no contract managers verifying)"
            )
            report(f"{reading}, {args.clients} concurrent clients", timings, wall)
            if managers:
                report(
                    "First request after a change (each straight after a verification)",
                    after_change,
                    wall,
                )


if __name__ == "__main__":
    main()
