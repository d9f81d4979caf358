"""The spend analysis and the supplier linkage's probabilistic step on Apache Spark.

DuckDB, embedded, is the default engine. With the ``spark`` extra (``pip install
'commonweal[spark]'``) and Java 17 or later, the same work runs on a Spark cluster, or on this
machine's cores with the master ``local[*]``:

* **Analysis.** Spark SQL runs the very query text of :mod:`analysis` over the same canonical
  Parquet files, supplier links and classification, and the rows are turned into the same
  ``SpendAnalysis`` by the same code: integer pence summed by the engine, Decimal percentages
  computed in Python from those integers. The figures are identical, not merely close.
* **Linkage.** Identifiers, names, name rules and human decisions are plain Python on the
  driver; only the Splink step (the expensive one, pairs of names) runs on Spark, through
  ``SparkPairScorer``. The model is the same: its settings are written in DuckDB's SQL and
  ``spark_sql_from_duckdb`` translates every comparison level and blocking rule with sqlglot
  (which Splink itself uses), plus the few functions sqlglot does not map (see there).

PySpark is imported only when one of these functions runs, so the package works without it.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from commonweal.spend_engine.analysis import (
    DEFAULT_TOP_SUPPLIERS,
    ONE_KEY_PER_NAME_SQL,
    SPEND_WITH_KEYS_SQL,
    SpendAnalysis,
    assemble_analysis,
    check_analysis_options,
    empty_supplier_links,
)

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import SparkSession

#: Environment variable naming the Spark master: ``local[*]``, ``spark://host:7077``, ``yarn``.
SPARK_MASTER_ENV: Final = "COMMONWEAL_SPARK_MASTER"
DEFAULT_SPARK_MASTER: Final = "local[*]"
#: The engines the command line offers.
ENGINES: Final = ("duckdb", "spark")

_INSTALL_HINT: Final = (
    "install the spark extra (pip install 'commonweal[spark]') and Java 17 or later"
)


class SparkUnavailable(RuntimeError):
    """Spark cannot start here; the message says what is missing."""


def spark_master() -> str:
    """The master from COMMONWEAL_SPARK_MASTER, or ``local[*]`` (every core of this machine)."""
    return os.environ.get(SPARK_MASTER_ENV, "").strip() or DEFAULT_SPARK_MASTER


def start_spark(
    master: str | None = None,
    *,
    app_name: str = "commonweal",
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """Start (or join, if this process already has one) a Spark session that can run both.

    It loads the similarity functions jar that ships with Splink (Jaro-Winkler,
    Damerau-Levenshtein) so the linkage model runs. ``config`` adds Spark settings
    (``spark.local.dir``, ``spark.executor.memory`` ...); a ``spark.jars`` there is kept
    alongside Splink's jar.
    """
    try:
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as missing:
        raise SparkUnavailable(f"PySpark is not installed: {_INSTALL_HINT}") from missing
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SparkUnavailable(
            f"Spark needs Java, and no java is on the PATH and JAVA_HOME is not set: {_INSTALL_HINT}"
        )
    settings = {"spark.ui.showConsoleProgress": "false", **(config or {})}
    settings["spark.jars"] = ",".join(
        jar for jar in (settings.get("spark.jars", ""), similarity_jar_location()) if jar
    )
    builder = SparkSession.builder.master(master or spark_master()).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except PySparkException as failure:
        raise SparkUnavailable(f"Spark did not start ({failure}): {_INSTALL_HINT}") from failure
    session.sparkContext.setLogLevel("ERROR")
    # py4j logs each connection it closes, even while Python shuts down.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    return session


# --- Analysis ---------------------------------------------------------------------------


def analyse_spend_on_spark(
    spark: SparkSession,
    spend: Sequence[Path | str],
    classification: pa.Table,
    *,
    supplier_links: pa.Table | None = None,
    local_tier: str = "borough",
    top_n: int = DEFAULT_TOP_SUPPLIERS,
) -> SpendAnalysis:
    """``analysis.analyse_spend`` run by Spark SQL: same arguments, same figures.

    ``spend`` are paths Spark can read (on a cluster: a shared file system, HDFS or object
    store). The links and the classification are small and are sent from here.
    """
    check_analysis_options(local_tier, top_n)
    if not spend:
        raise ValueError("no spend files to analyse")
    links = supplier_links if supplier_links is not None else empty_supplier_links()
    # A session of its own (same cluster): its temporary views are invisible to any other
    # work in this process, so the queries can use the plain relation names.
    session = spark.newSession()
    session.read.parquet(*(str(path) for path in spend)).createOrReplaceTempView("spend_rows")
    session.createDataFrame(
        links.select(["supplier_name", "supplier_key"])
    ).createOrReplaceTempView("supplier_links_input")
    session.sql(ONE_KEY_PER_NAME_SQL).createOrReplaceTempView("supplier_links")
    session.createDataFrame(classification).createOrReplaceTempView("supplier_classification")
    # Computed once and kept, as every query reads it (DuckDB: a temporary table).
    payments = session.sql(SPEND_WITH_KEYS_SQL).persist()
    try:
        payments.createOrReplaceTempView("payments")
        return assemble_analysis(
            lambda sql: [tuple(row) for row in session.sql(sql).collect()], local_tier, top_n
        )
    finally:
        payments.unpersist()


# --- Linkage ----------------------------------------------------------------------------


class SparkPairScorer:
    """A linkage ``PairScorer`` (see ``linkage.link_suppliers``) that runs Splink on Spark.

    ``break_lineage_method`` is Splink's way of keeping intermediate tables: ``persist``
    (memory, the default, fine for the tens of thousands of distinct names a council has),
    or ``checkpoint`` / ``parquet`` with a checkpoint directory set on the session for more.
    The session needs the similarity functions jar that ships with Splink, as one from
    ``start_spark`` has.
    """

    def __init__(self, spark: SparkSession, *, break_lineage_method: str = "persist") -> None:
        self.spark = spark
        self.break_lineage_method = break_lineage_method

    def __call__(
        self, names: pa.Table, settings: dict[str, Any], threshold: float
    ) -> list[tuple[int, int, float]]:
        import pyarrow as pa
        from splink import Linker, SparkAPI

        list_columns = frozenset(
            field.name for field in names.schema if pa.types.is_list(field.type)
        )
        # A session of its own (same cluster), so its tables meet no other work's.
        # (Splink's Spark backend has no type annotations.)
        db_api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self.spark.newSession(), break_lineage_method=self.break_lineage_method
        )
        try:
            input_table = db_api.register(names, table_name="supplier_names")
            linker = Linker(
                input_table,
                spark_splink_settings(settings, list_columns),
                log_level=logging.WARNING,
            )
            predictions = linker.inference.predict(
                threshold_match_probability=threshold, warning_mode="never"
            )
            rows = (
                predictions.as_spark_dataframe()
                .select("unique_id_l", "unique_id_r", "match_probability")
                .collect()
            )
        finally:
            db_api.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]
        return [(int(row[0]), int(row[1]), float(row[2])) for row in rows]


def spark_splink_settings(
    settings: dict[str, Any], list_columns: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A copy of Splink settings written for DuckDB, with every SQL condition in Spark SQL."""
    translated = dict(settings)
    translated["blocking_rules_to_generate_predictions"] = [
        spark_sql_from_duckdb(rule, list_columns)
        for rule in settings.get("blocking_rules_to_generate_predictions", [])
    ]
    comparisons = []
    for comparison in settings.get("comparisons", []):
        levels = []
        for level in comparison["comparison_levels"]:
            condition = level["sql_condition"]
            if condition.strip().upper() != "ELSE":
                level = {**level, "sql_condition": spark_sql_from_duckdb(condition, list_columns)}
            levels.append(level)
        comparisons.append({**comparison, "comparison_levels": levels})
    translated["comparisons"] = comparisons
    return translated


def spark_sql_from_duckdb(sql: str, list_columns: frozenset[str] = frozenset()) -> str:
    """Translate a DuckDB SQL condition to Spark SQL that gives the same answer.

    sqlglot translates most of it. The rest, where Spark has no same-named function or
    behaves differently:

    * DuckDB's ``len`` of a list and ``length`` of a string both parse as LENGTH; a LENGTH of
      a list (a list function, or a column in ``list_columns``, with or without the
      ``_l``/``_r`` suffix Splink adds) becomes ``size``.
    * ``list[i]`` becomes ``try_element_at(list, i)``: NULL past the end, as in DuckDB, where
      Spark's ``list[i]`` is an error under ANSI SQL.
    * ``list_has_all(a, b)`` (every element of b is in a) becomes ``size(array_except(b, a)) = 0``.
    * ``list_intersect`` becomes ``array_intersect``.
    * ``jaro_winkler_similarity`` becomes Splink's ``jaro_winkler`` function (from the jar
      ``start_spark`` loads); two empty strings score 0 in DuckDB and 1 there, so that case is
      spelled out. ``damerau_levenshtein`` keeps its name (the jar's function).
    """
    import sqlglot  # here, not above: only a Spark run needs it
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    list_names = list_columns | {f"{c}_l" for c in list_columns} | {f"{c}_r" for c in list_columns}

    def is_list(node: exp.Expression) -> bool:
        if isinstance(node, exp.Column):
            return node.name in list_names
        if isinstance(node, exp.Anonymous):
            return str(node.this).lower().startswith("list_")
        return isinstance(
            node, exp.ArrayFilter | exp.Split | exp.StringToArray | exp.Array | exp.ArrayIntersect
        )

    def to_spark(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Length) and is_list(node.this):
            return exp.ArraySize(this=node.this)
        if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
            index = node.expressions[0]  # sqlglot holds indexes from 0
            position = (
                exp.Literal.number(int(index.this) + 1)
                if isinstance(index, exp.Literal) and not index.is_string
                else exp.Add(this=index, expression=exp.Literal.number(1))
            )
            return exp.Anonymous(this="try_element_at", expressions=[node.this, position])
        if isinstance(node, exp.Anonymous):
            name = str(node.this).lower()
            args = node.expressions
            if name == "list_has_all" and len(args) == 2:
                missing = exp.Anonymous(this="array_except", expressions=[args[1], args[0]])
                return exp.EQ(this=exp.ArraySize(this=missing), expression=exp.Literal.number(0))
            if name == "list_intersect" and len(args) == 2:
                return exp.Anonymous(this="array_intersect", expressions=args)
        if isinstance(node, exp.JarowinklerSimilarity):
            left, right = node.this, node.expression
            both_empty = exp.and_(
                exp.EQ(this=left.copy(), expression=exp.Literal.string("")),
                exp.EQ(this=right.copy(), expression=exp.Literal.string("")),
            )
            return exp.If(
                this=both_empty,
                true=exp.Literal.number("0.0"),
                false=exp.Anonymous(this="jaro_winkler", expressions=[left, right]),
            )
        return node

    return tree.transform(to_spark).sql(dialect="spark")
