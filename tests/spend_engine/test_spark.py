"""The analysis and the supplier linkage give the same answers on Spark as on DuckDB.

One local Spark session per test process (the JVM takes seconds to start); its scratch and
warehouse directories are temporary, and its UI is off, so two pytest-xdist workers can each
run one without meeting.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from commonweal.spend_engine import spark as spark_engine
from commonweal.spend_engine.analysis import analyse_spend
from commonweal.spend_engine.linkage import LinkMethod, link_suppliers
from commonweal.spend_engine.spark import (
    SparkUnavailable,
    analyse_spend_on_spark,
    spark_master,
    spark_sql_from_duckdb,
)
from tests.spend_engine.test_linkage import realistic_fixture, record

pyspark_available = importlib.util.find_spec("pyspark") is not None
needs_spark = pytest.mark.skipif(not pyspark_available, reason="PySpark is not installed")


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Any:
    scratch = tmp_path_factory.mktemp("spark")
    session = spark_engine.start_spark(
        "local[2]",
        app_name="commonweal-tests",
        config={
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.local.dir": str(scratch / "local"),
            "spark.sql.warehouse.dir": str(scratch / "warehouse"),
            "spark.driver.host": "127.0.0.1",
        },
    )
    yield session
    session.stop()


# --- Analysis ---------------------------------------------------------------------------

SUPPLIERS = [f"SUPPLIER {n:02d} LTD" for n in range(40)]


def write_spend(folder: Path) -> list[Path]:
    """Three financial years of payments in four files: credit notes, redacted payees,
    names with no link (keyed by their upper-cased name), a payment with no supplier name,
    no service area, and two suppliers with the same total (the rank tie-break)."""
    rng = random.Random(20240401)
    rows: list[dict[str, Any]] = []
    for _ in range(1200):
        name = rng.choice([*SUPPLIERS, "unlinked caterers", "REDACTED PERSONAL DATA"])
        rows.append(
            {
                "payment_date": date(2022, 4, 1) + timedelta(days=rng.randrange(3 * 365)),
                "amount_pence": rng.randrange(-20_000, 2_000_000),
                "supplier_name": name,
                "service_area": rng.choice(["Place", "People", "Resources", None]),
                "is_redacted": name.startswith("REDACTED"),
            }
        )
    rows += [
        {
            "payment_date": date(2023, 3, 31),
            "amount_pence": 55_555,
            "supplier_name": None,
            "service_area": "Place",
            "is_redacted": False,
        },
        *(
            {
                "payment_date": date(2024, 4, 1),
                "amount_pence": 999_999_999,
                "supplier_name": name,
                "service_area": "People",
                "is_redacted": False,
            }
            for name in ("TIE B LTD", "TIE A LTD")
        ),
    ]
    schema = pa.schema(
        [
            ("payment_date", pa.date32()),
            ("amount_pence", pa.int64()),
            ("supplier_name", pa.string()),
            ("service_area", pa.string()),
            ("is_redacted", pa.bool_()),
        ]
    )
    paths = []
    for part in range(4):
        path = folder / f"spend-{part}.parquet"
        pq.write_table(pa.Table.from_pylist(rows[part::4], schema=schema), path)
        paths.append(path)
    return paths


def links_and_classification() -> tuple[pa.Table, pa.Table]:
    rng = random.Random(7)
    names = [*SUPPLIERS, "TIE A LTD", "TIE B LTD"]
    # Two published names of one supplier share its key.
    keys = [f"S{n // 2:02d}" for n in range(len(SUPPLIERS))] + ["TA", "TB"]
    links = pa.table({"supplier_name": names, "supplier_key": keys})

    def flag() -> bool | None:
        return rng.choice([True, False, False, None])

    distinct = sorted(set(keys)) + ["REDACTED PERSONAL DATA"]
    classification = pa.table(
        {
            "supplier_key": distinct,
            "postcode": [rng.choice(["S60 1AA", "LS1 1AA", None]) for _ in distinct],
            "in_borough": [flag() for _ in distinct],
            "in_combined_authority": [flag() for _ in distinct],
            "in_region": [flag() for _ in distinct],
            "in_deprived_area": [flag() for _ in distinct],
            "is_sme": [flag() for _ in distinct],
            "is_vcse": [flag() for _ in distinct],
            "is_individual_or_redacted": [None] * (len(distinct) - 1) + [True],
            "register_matched": [flag() for _ in distinct],
            "sector": [rng.choice(["Care", "Construction", "Catering", None]) for _ in distinct],
        },
        schema=pa.schema(
            [
                ("supplier_key", pa.string()),
                ("postcode", pa.string()),
                *(
                    (name, pa.bool_())
                    for name in (
                        "in_borough",
                        "in_combined_authority",
                        "in_region",
                        "in_deprived_area",
                        "is_sme",
                        "is_vcse",
                        "is_individual_or_redacted",
                        "register_matched",
                    )
                ),
                ("sector", pa.string()),
            ]
        ),
    )
    return links, classification


@pytest.mark.spark
@needs_spark
def test_duckdb_and_spark_give_identical_analysis_figures(spark: Any, tmp_path: Path) -> None:
    tier = "combined_authority"  # not the default, so the option reaches the leakage query
    spend = write_spend(tmp_path)
    links, classification = links_and_classification()

    on_duckdb = analyse_spend(
        spend, classification, supplier_links=links, local_tier=tier, top_n=25
    )
    on_spark = analyse_spend_on_spark(
        spark, spend, classification, supplier_links=links, local_tier=tier, top_n=25
    )

    # Every figure, and its type: repr shows int vs Decimal and each Decimal's exponent.
    assert on_spark == on_duckdb
    assert repr(on_spark) == repr(on_duckdb)
    # ...and the data exercised what it was built to exercise.
    assert [y.financial_year for y in on_duckdb.years] == ["2022-23", "2023-24", "2024-25"]
    assert len(on_duckdb.year_on_year) == 2
    assert all(year.leakage for year in on_duckdb.years)
    ties = [s.supplier_key for s in on_duckdb.years[2].top_suppliers[:2]]
    assert ties == ["TA", "TB"]
    assert any(
        s.supplier_key == "UNLINKED CATERERS" for y in on_duckdb.years for s in y.top_suppliers
    )


# --- Linkage ----------------------------------------------------------------------------


def linkage_records() -> list[Any]:
    """Names that reach every level of the model: typing errors, inner names, shared rare
    words, truncation, one-word names, Jaro-Winkler, postcodes; and uncertain pairs."""
    extra = [
        ("X01", "NEXT STEP CARE MANAGEMNT", {}),
        ("X02", "PSC MAILING T/A PSC SYSTEMS", {}),
        ("X03", "PSC SYSTEMS", {}),
        ("X04", "LANGUAGELINE", {}),
        ("X05", "LANGUAGE LINE SOLUTIONS LTD", {}),
        ("X06", "TWINKLE STAR NURSERY", {}),
        ("X07", "TWINKLES DAY NURSERY", {}),
        ("X08", "CARTER BROWN", {}),
        ("X09", "CARTER BROWN ASSOCIATES LTD", {}),
        ("X10", "RETHINK", {}),
        ("X11", "RETHINK MHREC", {}),
        ("X12", "WHIRLOW GRANGE FARM", {"postcode": "S11 9QF"}),
        ("X13", "WHIRLOW GRANGE FARM TRUST", {"postcode": "S11 9QF"}),
        ("X14", "EVENT SOLUTIONS", {}),
        ("X15", "EVENTS SOLUTION LTD", {}),
        ("X16", "ABBEYFIELD SOCIETY", {"postcode": "S6 2LL"}),
        ("X17", "ABBEYFEILD SOC", {"postcode": "S6 2LX"}),
    ]
    return [
        *realistic_fixture(),
        *(record(rid, name, **fields) for rid, name, fields in extra),
    ]


@pytest.mark.spark
@needs_spark
def test_duckdb_and_spark_link_the_same_suppliers(spark: Any) -> None:
    records = linkage_records()

    on_duckdb = link_suppliers(records)
    on_spark = link_suppliers(records, scorer=spark_engine.SparkPairScorer(spark))

    assert on_spark.cluster_of() == on_duckdb.cluster_of()
    assert [(x.record_id, x.method, x.rule) for x in on_spark.links] == [
        (x.record_id, x.method, x.rule) for x in on_duckdb.links
    ]
    for spark_link, duckdb_link in zip(on_spark.links, on_duckdb.links, strict=True):
        assert spark_link.probability == pytest.approx(duckdb_link.probability, abs=1e-12)
    assert [(r.name_a, r.name_b) for r in on_spark.review] == [
        (r.name_a, r.name_b) for r in on_duckdb.review
    ]
    for spark_item, duckdb_item in zip(on_spark.review, on_duckdb.review, strict=True):
        assert spark_item.probability == pytest.approx(duckdb_item.probability, abs=1e-12)
    # The model itself linked some, and was unsure of some: Spark did real work.
    assert any(link.method is LinkMethod.PROBABILISTIC for link in on_duckdb.links)
    assert on_duckdb.review


# --- Without a Spark session ------------------------------------------------------------


def test_the_master_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMONWEAL_SPARK_MASTER", raising=False)
    assert spark_master() == "local[*]"
    monkeypatch.setenv("COMMONWEAL_SPARK_MASTER", "spark://cluster.example:7077")
    assert spark_master() == "spark://cluster.example:7077"


def test_without_pyspark_the_error_names_the_spark_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setitem(sys.modules, "pyspark.errors", None)
    with pytest.raises(SparkUnavailable, match=r"commonweal\[spark\]"):
        spark_engine.start_spark("local[1]")


@needs_spark
def test_without_java_the_error_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(SparkUnavailable, match="Java"):
        spark_engine.start_spark("local[1]")


@pytest.mark.parametrize(
    ("duckdb_sql", "spark_sql"),
    [
        # LENGTH of a list is its size; of a string, its length.
        ("len(string_split(a, ' ')) >= 2", "SIZE(SPLIT(a, CONCAT('\\\\Q', ' ', '\\\\E'))) >= 2"),
        ("len(words_l) = 1 and length(name_l) > 3", "SIZE(words_l) = 1 AND LENGTH(name_l) > 3"),
        # DuckDB lists count from 1 and give NULL past the end.
        ("coalesce(words_l[1], '')", "COALESCE(TRY_ELEMENT_AT(words_l, 1), '')"),
        ("list_has_all(words_l, words_r)", "SIZE(ARRAY_EXCEPT(words_r, words_l)) = 0"),
        (
            "list_min(list_intersect(words_l, words_r))",
            "ARRAY_MIN(ARRAY_INTERSECT(words_l, words_r))",
        ),
        (
            "jaro_winkler_similarity(a_l, a_r) >= 0.9",
            "IF(a_l = '' AND a_r = '', 0.0, JARO_WINKLER(a_l, a_r)) >= 0.9",
        ),
        (
            "list_contains(inner_l, core_r) and starts_with(core_l, core_r)",
            "ARRAY_CONTAINS(inner_l, core_r) AND STARTSWITH(core_l, core_r)",
        ),
    ],
)
def test_duckdb_conditions_are_translated_to_spark_sql(duckdb_sql: str, spark_sql: str) -> None:
    assert spark_sql_from_duckdb(duckdb_sql, frozenset({"words"})) == spark_sql
