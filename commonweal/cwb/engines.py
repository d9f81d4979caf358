"""Which engine runs supplier linkage and spend analysis: DuckDB in this process (the
default), or Spark (``--engine spark`` on the command line; the master comes from
COMMONWEAL_SPARK_MASTER, default ``local[*]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commonweal.cwb import paths
from commonweal.spend_engine.spark import (
    ENGINES,
    SparkPairScorer,
    SparkUnavailable,
    spark_master,
    start_spark,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from commonweal.spend_engine.linkage import PairScorer

DUCKDB, SPARK = ENGINES

__all__ = ["DUCKDB", "ENGINES", "SPARK", "SparkUnavailable", "pair_scorer", "spark_session"]


def spark_session() -> SparkSession:
    """This process's Spark session, started on first use. On a local master, Spark's
    warehouse folder goes in the data folder rather than wherever the command was run."""
    master = spark_master()
    config = {}
    if master.startswith("local"):
        config["spark.sql.warehouse.dir"] = str(paths.data_dir() / "spark-warehouse")
    return start_spark(master, config=config)


def pair_scorer(engine: str) -> PairScorer:
    """The scorer for the linkage's probabilistic step on ``engine``."""
    if engine == SPARK:
        return SparkPairScorer(spark_session())
    if engine == DUCKDB:
        from commonweal.spend_engine.linkage import score_pairs_on_duckdb  # DuckDB, when used

        return score_pairs_on_duckdb
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
