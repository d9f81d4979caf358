"""Spend by supplier and financial year, for counting spend with a chosen group of suppliers
(for example accredited Real Living Wage employers) year on year. DuckDB over the canonical
spend Parquet files, with the same supplier keys and financial years as the spend analysis."""

# Paths are quoted here and the SQL is fixed text; no one's input reaches it.
# ruff: noqa: S608

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from commonweal.financial_years import financial_year_label
from commonweal.spend_engine.analysis import (
    ONE_KEY_PER_NAME_SQL,
    SPEND_WITH_KEYS_SQL,
    empty_supplier_links,
)
from commonweal.spend_engine.sql import sql_string_list

BY_SUPPLIER_YEAR_SQL = """
SELECT fy, supplier_key, SUM(amount_pence) AS pence FROM payments
WHERE is_redacted IS NOT TRUE GROUP BY fy, supplier_key ORDER BY fy, supplier_key
"""

TOTAL_BY_YEAR_SQL = "SELECT fy, SUM(amount_pence) FROM payments GROUP BY fy ORDER BY fy"


@dataclass(frozen=True)
class SupplierYearSpend:
    financial_year: str
    """Like 2024-25."""
    supplier_key: str
    pence: int


@dataclass(frozen=True)
class SpendBySupplierYear:
    rows: tuple[SupplierYearSpend, ...]
    total_by_year: dict[str, int]
    """All spend in each financial year, redacted payees included."""


def spend_by_supplier_and_year(
    spend: Sequence[Path], *, supplier_links: pa.Table | None = None
) -> SpendBySupplierYear:
    """Pence paid to each supplier key in each financial year (April to March)."""
    files = sql_string_list(spend)
    links = supplier_links if supplier_links is not None else empty_supplier_links()
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TEMP VIEW spend_rows AS SELECT * FROM read_parquet({files})")
        con.register("supplier_links_input", links)
        con.execute(f"CREATE TEMP TABLE supplier_links AS {ONE_KEY_PER_NAME_SQL}")
        con.execute(f"CREATE TEMP TABLE payments AS {SPEND_WITH_KEYS_SQL}")
        rows = tuple(
            SupplierYearSpend(financial_year_label(int(fy)), str(key), int(pence))
            for fy, key, pence in con.execute(BY_SUPPLIER_YEAR_SQL).fetchall()
        )
        totals = {
            financial_year_label(int(fy)): int(pence)
            for fy, pence in con.execute(TOTAL_BY_YEAR_SQL).fetchall()
        }
        return SpendBySupplierYear(rows, totals)
    finally:
        con.close()
