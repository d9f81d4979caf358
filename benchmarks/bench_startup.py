"""Command start-up: how long `commonweal` takes before a command does any work, beside the
floor any Django project on this machine has, in one sitting.

Issue 23 asks for command start-up under 0.5 s. Each line below is a fresh process, run
``--repeat`` times, alternating between the lines so a busy neighbour disturbs them alike; the
fastest and the median wall time are printed, with the load average before and after.

* ``python -c pass``: the interpreter alone.
* ``bare Django: setup``: ``django.setup()`` with a settings module of nothing but
  ``INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]`` and SQLite.
* ``bare Django: help``: ``django-admin help`` with the same settings.
* ``commonweal --help``, ``commonweal org list`` (an empty, migrated SQLite database) and
  ``commonweal spend --help``: this tree, and ``--baseline TREE`` the same commands from
  another checkout (its code first on ``PYTHONPATH``).

Production settings (``COMMONWEAL_ENV`` unset would mean production: it refuses to start without
a secret key), so the commands run with ``COMMONWEAL_ENV=development`` and ``DEBUG=false``.

    .venv/bin/python benchmarks/bench_startup.py --repeat 15
    .venv/bin/python benchmarks/bench_startup.py --baseline /work/wt/base23 --repeat 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SETTINGS = """
SECRET_KEY = "bench"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": %r}}
USE_TZ = True
"""


def timed(command: list[str], env: dict[str, str], cwd: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--baseline", help="another checkout to time beside this one")
    options = parser.parse_args()

    here = str(Path(__file__).resolve().parent.parent)
    python = sys.executable
    django_admin = str(Path(python).with_name("django-admin"))

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "bare_settings.py").write_text(
            BARE_SETTINGS % os.path.join(folder, "bare.sqlite3")
        )
        base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        bare_env = {**base_env, "PYTHONPATH": folder, "DJANGO_SETTINGS_MODULE": "bare_settings"}

        def tree_env(tree: str) -> dict[str, str]:
            return {
                **base_env,
                "PYTHONPATH": tree,
                "COMMONWEAL_ENV": "development",
                "DEBUG": "false",
                # Compiled once, as an installed package is: no new compile in every run.
                "PYTHONDONTWRITEBYTECODE": "",
                "COMMONWEAL_SQLITE_PATH": os.path.join(folder, "commonweal.sqlite3"),
                "COMMONWEAL_DATA_DIR": os.path.join(folder, "data"),
            }

        lines: list[tuple[str, list[str], dict[str, str]]] = [
            ("python -c pass", [python, "-c", "pass"], base_env),
            (
                "bare Django: setup",
                [python, "-c", "import django; django.setup()"],
                bare_env,
            ),
            ("bare Django: help", [django_admin, "help"], bare_env),
        ]
        trees = [("this tree", here)]
        if options.baseline:
            trees.append(("baseline", str(Path(options.baseline).resolve())))
        for label, tree in trees:
            env = tree_env(tree)
            subprocess.run(
                [python, "-m", "commonweal.cli", "migrate", "--verbosity", "0"],
                env=env,
                cwd=tree,
                check=True,
            )
            for name, args in (
                ("commonweal --help", ["--help"]),
                ("commonweal org list", ["org", "list"]),
                ("commonweal spend --help", ["spend", "--help"]),
            ):
                # The console script is commonweal.cli:main; -m runs the chosen tree's copy.
                lines.append((f"{name} ({label})", [python, "-m", "commonweal.cli", *args], env))

        # Warm the file cache once, untimed.
        for _, command, env in lines:
            timed(command, env, here)
        times: dict[str, list[float]] = {name: [] for name, _, _ in lines}
        load_before = os.getloadavg()
        for _ in range(options.repeat):
            for name, command, env in lines:
                times[name].append(timed(command, env, here))
        load_after = os.getloadavg()

    print(
        f"start-up, {options.repeat} runs each, alternating "
        f"(load average {load_before[0]:.1f} before, {load_after[0]:.1f} after)"
    )
    print(f"{'':44} {'fastest':>8} {'median':>8}")
    for name, _, _ in lines:
        runs = times[name]
        print(f"{name:44} {min(runs):7.3f}s {statistics.median(runs):7.3f}s")


if __name__ == "__main__":
    main()
