"""The ``commonweal`` console script starts without the engines its command does not use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
#: Packages that take longer to import than a quick command takes to run: the analytics engines
#: and what only the pages, the API or the documents need.
HEAVY = (
    "duckdb",
    "splink",
    "pandas",
    "pyarrow",
    "polars",
    "sqlglot",
    "openpyxl",
    "docx",
    "altair",
    "vl_convert",
    "pydantic",
)
RUN_AND_LIST = f"""
import sys
from commonweal.cli import main
sys.argv = ["commonweal", *sys.argv[1:]]
try:
    main()
finally:
    print("LOADED:", *sorted(name for name in {HEAVY!r} if name in sys.modules))
"""


@pytest.mark.parametrize(
    "command",
    [
        ["help"],
        # Runs the command (and Django's system checks, if it asked for them) on an empty
        # database: the work itself then stops at the missing table, after start-up.
        ["org", "list"],
        ["org", "--help"],
        ["user", "--help"],
        ["spend", "--help"],
        ["framework", "--help"],
        ["monitoring", "--help"],
    ],
    ids=" ".join,
)
def test_a_command_that_does_not_use_the_engines_does_not_import_them(tmp_path, command):
    env = {
        **os.environ,
        "PYTHONPATH": str(CHECKOUT),
        "COMMONWEAL_ENV": "development",
        "COMMONWEAL_SQLITE_PATH": str(tmp_path / "commonweal.sqlite3"),
        "COMMONWEAL_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Its own empty SQLite file, whichever database the suite runs on: this test is about
    # imports, and CI's PostgreSQL database is not migrated outside pytest's test database.
    env.pop("DATABASE_URL", None)
    finished = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, *command],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert finished.returncode == 0 or "no such table" in finished.stderr, finished.stderr[-2000:]
    loaded = finished.stdout.rsplit("LOADED:", 1)[1].split()
    assert loaded == [], f"commonweal {' '.join(command)} imported {', '.join(loaded)}"
