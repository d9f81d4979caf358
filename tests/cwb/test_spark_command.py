"""``commonweal spend link|analyse --engine spark`` gives the register and the figures that
DuckDB gives, on a local Spark session."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

needs_spark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None, reason="PySpark is not installed"
)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("spend", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def local_spark(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[None]:
    """The command starts its own session: two cores, no UI, scratch in this test's folder."""
    monkeypatch.setenv("COMMONWEAL_SPARK_MASTER", "local[2]")
    monkeypatch.setenv(
        "PYSPARK_SUBMIT_ARGS",
        "--conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=2"
        f" --conf spark.local.dir={tmp_path} --conf spark.driver.host=127.0.0.1 pyspark-shell",
    )
    yield
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


def register(org: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(run("suppliers", "--org", org, "--format", "csv")))
    return {f"{r['raw_name']}|{r['source_supplier_id']}": r["register_supplier_id"] for r in rows}


@pytest.mark.spark
@needs_spark
def test_spark_links_and_analyses_exactly_as_duckdb_does(analysed, local_spark):
    org = "E08000018"
    on_duckdb = run("link", "--org", org)
    register_duckdb = register(org)
    figures_duckdb = json.loads(run("analyse", "--org", org, "--year", "2024-25"))

    assert run("link", "--org", org, "--engine", "spark") == on_duckdb
    assert register(org) == register_duckdb
    figures_spark = json.loads(
        run("analyse", "--org", org, "--year", "2024-25", "--engine", "spark")
    )
    assert figures_spark == figures_duckdb
    assert figures_duckdb["in_borough"]["pence"] > 0


def test_without_pyspark_the_command_names_the_spark_extra(world, monkeypatch):
    for module in ("pyspark", "pyspark.sql", "pyspark.errors"):
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(CommandError, match=r"commonweal\[spark\]"):
        run("link", "--org", "E08000018", "--engine", "spark")
    with pytest.raises(CommandError, match=r"commonweal\[spark\]"):
        run("analyse", "--org", "E08000018", "--year", "2024-25", "--engine", "spark")
