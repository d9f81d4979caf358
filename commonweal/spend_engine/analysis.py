"""CLES-style community wealth building analysis of an anchor's spend, per financial year.

The analysis SQL only uses portable SQL (CASE, SUM, GROUP BY, window functions) over three named
relations, so another engine runs the same text (``spark.analyse_spend_on_spark``):

* ``spend_rows``: the canonical spend Parquet rows (see :mod:`layouts`);
* ``supplier_links``: ``supplier_name -> supplier_key`` from supplier linkage (may be empty);
* ``supplier_classification``: one row per ``supplier_key`` from :func:`classify_suppliers`.

A payment whose supplier has no link is keyed by its upper-cased, trimmed published name.
Money comes back as integer pence; percentages are Decimals computed from those integers
(2 decimal places, half up) and are ``None`` when the year's total is not positive.

Every ORDER BY says where NULLs go: DuckDB puts them last by default, Spark first.
"""

# SQL here is assembled from quoted identifiers (file headers) and escaped literals, because
# DuckDB cannot bind column names or file lists as parameters.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from commonweal.financial_years import financial_year_label
from commonweal.spend_engine.sql import sql_string_list

if TYPE_CHECKING:
    import pyarrow as pa

# duckdb and pyarrow are imported where they are used: this module's labels and shares are
# needed by commands and pages that never run an analysis.

LOCAL_TIERS = ("borough", "combined_authority", "region")
DEFAULT_TOP_SUPPLIERS = 300

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def percent_of(part: int, total: int) -> Decimal | None:
    """part as a percentage of total, to 2 decimal places (half up); None if total <= 0."""
    if total <= 0:
        return None
    return (Decimal(part) * _HUNDRED / Decimal(total)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Share:
    pence: int
    percent: Decimal | None


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    pence: int
    percent: Decimal | None


@dataclass(frozen=True)
class SupplierRow:
    rank: int
    supplier_key: str
    supplier_name: str | None
    pence: int
    percent: Decimal | None
    in_borough: bool | None
    in_combined_authority: bool | None
    in_deprived_area: bool | None
    is_sme: bool | None
    is_vcse: bool | None
    sector: str | None


@dataclass(frozen=True)
class LeakageOpportunity:
    """Spend outside the local tier in a sector where local suppliers already exist."""

    sector: str
    non_local_pence: int
    local_pence: int
    local_supplier_count: int


@dataclass(frozen=True)
class DataQuality:
    register_matched: Share
    with_postcode: Share
    redacted: Share
    unclassified: Share
    #: Spend whose supplier's area has a known deprivation decile: the deprived-area share
    #: counts only this spend, so it means little when this is small.
    with_deprivation_decile: Share


@dataclass(frozen=True)
class YearAnalysis:
    financial_year: str
    payment_count: int
    total_pence: int
    in_borough: Share
    in_combined_authority: Share
    in_region: Share
    in_deprived_area: Share
    with_sme: Share
    with_vcse: Share
    by_sector: tuple[BreakdownRow, ...]
    by_service_area: tuple[BreakdownRow, ...]
    top_suppliers: tuple[SupplierRow, ...]
    top_suppliers_share: Share
    leakage: tuple[LeakageOpportunity, ...]
    data_quality: DataQuality


@dataclass(frozen=True)
class YearOnYear:
    """Change from ``previous_year`` to ``financial_year``; shares change in percentage points."""

    financial_year: str
    previous_year: str
    total_change_pence: int
    in_borough_change_points: Decimal | None
    in_combined_authority_change_points: Decimal | None
    in_region_change_points: Decimal | None
    in_deprived_area_change_points: Decimal | None
    with_sme_change_points: Decimal | None
    with_vcse_change_points: Decimal | None


@dataclass(frozen=True)
class SpendAnalysis:
    local_tier: str
    top_n: int
    years: tuple[YearAnalysis, ...]
    year_on_year: tuple[YearOnYear, ...]


# A name linked to two keys (two link runs' files mixed) counts once, for the smaller key.
ONE_KEY_PER_NAME_SQL = """
SELECT supplier_name, min(supplier_key) AS supplier_key FROM supplier_links_input
GROUP BY supplier_name
"""

SPEND_WITH_KEYS_SQL = """
SELECT s.payment_date, s.amount_pence, s.supplier_name, s.service_area, s.is_redacted,
       coalesce(l.supplier_key, upper(trim(s.supplier_name))) AS supplier_key,
       CASE WHEN EXTRACT(MONTH FROM s.payment_date) >= 4 THEN EXTRACT(YEAR FROM s.payment_date)
            ELSE EXTRACT(YEAR FROM s.payment_date) - 1 END AS fy
FROM spend_rows s LEFT JOIN supplier_links l ON l.supplier_name = s.supplier_name
"""

HEADLINE_SQL = """
SELECT p.fy, COUNT(*) AS payments, SUM(p.amount_pence) AS total,
       SUM(CASE WHEN c.in_borough THEN p.amount_pence ELSE 0 END) AS borough,
       SUM(CASE WHEN c.in_combined_authority THEN p.amount_pence ELSE 0 END) AS combined_authority,
       SUM(CASE WHEN c.in_region THEN p.amount_pence ELSE 0 END) AS region,
       SUM(CASE WHEN c.in_deprived_area THEN p.amount_pence ELSE 0 END) AS deprived,
       SUM(CASE WHEN c.is_sme THEN p.amount_pence ELSE 0 END) AS sme,
       SUM(CASE WHEN c.is_vcse THEN p.amount_pence ELSE 0 END) AS vcse,
       SUM(CASE WHEN c.register_matched THEN p.amount_pence ELSE 0 END) AS register_matched,
       SUM(CASE WHEN c.postcode IS NOT NULL THEN p.amount_pence ELSE 0 END) AS with_postcode,
       SUM(CASE WHEN p.is_redacted THEN p.amount_pence ELSE 0 END) AS redacted,
       SUM(CASE WHEN c.supplier_key IS NULL THEN p.amount_pence ELSE 0 END) AS unclassified,
       SUM(CASE WHEN c.in_deprived_area IS NOT NULL THEN p.amount_pence ELSE 0 END)
           AS with_deprivation_decile
FROM payments p LEFT JOIN supplier_classification c ON c.supplier_key = p.supplier_key
GROUP BY p.fy ORDER BY p.fy
"""

BY_SECTOR_SQL = """
SELECT p.fy, COALESCE(c.sector, 'Unknown') AS label, SUM(p.amount_pence) AS pence
FROM payments p LEFT JOIN supplier_classification c ON c.supplier_key = p.supplier_key
GROUP BY p.fy, COALESCE(c.sector, 'Unknown') ORDER BY p.fy, pence DESC, label
"""

BY_SERVICE_AREA_SQL = """
SELECT p.fy, COALESCE(p.service_area, 'Not stated') AS label, SUM(p.amount_pence) AS pence
FROM payments p GROUP BY p.fy, COALESCE(p.service_area, 'Not stated')
ORDER BY p.fy, pence DESC, label
"""

# Payments to redacted individuals are many people under one published name, not a supplier,
# so they are not ranked (their total is in the data-quality figures). A supplier is shown
# under the name it was paid most under that year.
TOP_SUPPLIERS_SQL = """
WITH per_name AS (
    SELECT p.fy, p.supplier_key, p.supplier_name, SUM(p.amount_pence) AS pence,
           ROW_NUMBER() OVER (PARTITION BY p.fy, p.supplier_key
                              ORDER BY SUM(p.amount_pence) DESC, p.supplier_name NULLS LAST)
               AS name_rank
    FROM payments p WHERE p.is_redacted IS NOT TRUE GROUP BY p.fy, p.supplier_key, p.supplier_name
), per_supplier AS (
    SELECT fy, supplier_key, MAX(CASE WHEN name_rank = 1 THEN supplier_name END) AS supplier_name,
           SUM(pence) AS pence
    FROM per_name GROUP BY fy, supplier_key
), ranked AS (
    SELECT per_supplier.*,
           ROW_NUMBER() OVER (PARTITION BY fy ORDER BY pence DESC, supplier_key NULLS LAST)
               AS supplier_rank
    FROM per_supplier
)
SELECT r.fy, r.supplier_rank, r.supplier_key, r.supplier_name, r.pence, c.in_borough,
       c.in_combined_authority, c.in_deprived_area, c.is_sme, c.is_vcse, c.sector
FROM ranked r LEFT JOIN supplier_classification c ON c.supplier_key = r.supplier_key
WHERE r.supplier_rank <= {top_n} ORDER BY r.fy, r.supplier_rank
"""

LEAKAGE_SQL = """
WITH local_suppliers AS (
    SELECT sector, COUNT(*) AS local_supplier_count FROM supplier_classification
    WHERE in_{tier} AND sector IS NOT NULL GROUP BY sector
), by_sector AS (
    SELECT p.fy, c.sector,
           SUM(CASE WHEN c.in_{tier} THEN 0 ELSE p.amount_pence END) AS non_local,
           SUM(CASE WHEN c.in_{tier} THEN p.amount_pence ELSE 0 END) AS local_spend
    FROM payments p JOIN supplier_classification c ON c.supplier_key = p.supplier_key
    WHERE c.sector IS NOT NULL AND c.is_individual_or_redacted IS NOT TRUE
    GROUP BY p.fy, c.sector
)
SELECT b.fy, b.sector, b.non_local, b.local_spend, l.local_supplier_count
FROM by_sector b JOIN local_suppliers l ON l.sector = b.sector
WHERE b.non_local > 0 ORDER BY b.fy, b.non_local DESC, b.sector
"""


def analyse_spend(
    spend: Sequence[Path],
    classification: pa.Table,
    *,
    supplier_links: pa.Table | None = None,
    local_tier: str = "borough",
    top_n: int = DEFAULT_TOP_SUPPLIERS,
) -> SpendAnalysis:
    """Analyse canonical spend Parquet files against a supplier classification (DuckDB).

    ``local_tier`` chooses which flag counts as "local" for the leakage list.
    """
    import duckdb

    check_analysis_options(local_tier, top_n)
    files = sql_string_list(spend)
    links = supplier_links if supplier_links is not None else empty_supplier_links()
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TEMP VIEW spend_rows AS SELECT * FROM read_parquet({files})")
        con.register("supplier_links_input", links)
        con.execute(f"CREATE TEMP TABLE supplier_links AS {ONE_KEY_PER_NAME_SQL}")
        con.register("supplier_classification", classification)
        con.execute(f"CREATE TEMP TABLE payments AS {SPEND_WITH_KEYS_SQL}")
        return assemble_analysis(
            lambda sql: [tuple(row) for row in con.execute(sql).fetchall()], local_tier, top_n
        )
    finally:
        con.close()


def check_analysis_options(local_tier: str, top_n: int) -> None:
    if local_tier not in LOCAL_TIERS:
        raise ValueError(f"local_tier must be one of {', '.join(LOCAL_TIERS)}")
    if top_n < 1:
        raise ValueError("top_n must be at least 1")


def empty_supplier_links() -> pa.Table:
    import pyarrow as pa

    return pa.table(
        {"supplier_name": pa.array([], pa.string()), "supplier_key": pa.array([], pa.string())}
    )


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | Decimal) else 0


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


#: Runs one query of this module and returns its rows as tuples.
QueryRunner = Callable[[str], list[tuple[object, ...]]]


def assemble_analysis(run: QueryRunner, tier: str, top_n: int) -> SpendAnalysis:
    """Run the analysis queries against an engine where ``payments`` (SPEND_WITH_KEYS_SQL) and
    ``supplier_classification`` exist, and build the result from their rows."""
    sectors = _group(run(BY_SECTOR_SQL))
    services = _group(run(BY_SERVICE_AREA_SQL))
    tops = _group(run(TOP_SUPPLIERS_SQL.format(top_n=top_n)))
    leaks = _group(run(LEAKAGE_SQL.format(tier=tier)))
    years = []
    for row in run(HEADLINE_SQL):
        fy = _int(row[0])
        total = _int(row[2])

        def share(value: object, total: int = total) -> Share:
            return Share(_int(value), percent_of(_int(value), total))

        top_rows = tuple(
            SupplierRow(
                rank=_int(r[1]),
                supplier_key=str(r[2]),
                supplier_name=_str(r[3]),
                pence=_int(r[4]),
                percent=percent_of(_int(r[4]), total),
                in_borough=_bool(r[5]),
                in_combined_authority=_bool(r[6]),
                in_deprived_area=_bool(r[7]),
                is_sme=_bool(r[8]),
                is_vcse=_bool(r[9]),
                sector=_str(r[10]),
            )
            for r in tops.get(fy, [])
        )
        years.append(
            YearAnalysis(
                financial_year=financial_year_label(fy),
                payment_count=_int(row[1]),
                total_pence=total,
                in_borough=share(row[3]),
                in_combined_authority=share(row[4]),
                in_region=share(row[5]),
                in_deprived_area=share(row[6]),
                with_sme=share(row[7]),
                with_vcse=share(row[8]),
                by_sector=tuple(
                    BreakdownRow(str(r[1]), _int(r[2]), percent_of(_int(r[2]), total))
                    for r in sectors.get(fy, [])
                ),
                by_service_area=tuple(
                    BreakdownRow(str(r[1]), _int(r[2]), percent_of(_int(r[2]), total))
                    for r in services.get(fy, [])
                ),
                top_suppliers=top_rows,
                top_suppliers_share=share(sum(r.pence for r in top_rows)),
                leakage=tuple(
                    LeakageOpportunity(str(r[1]), _int(r[2]), _int(r[3]), _int(r[4]))
                    for r in leaks.get(fy, [])
                ),
                data_quality=DataQuality(
                    register_matched=share(row[9]),
                    with_postcode=share(row[10]),
                    redacted=share(row[11]),
                    unclassified=share(row[12]),
                    with_deprivation_decile=share(row[13]),
                ),
            )
        )
    return SpendAnalysis(tier, top_n, tuple(years), _year_on_year(years))


def _group(rows: list[tuple[object, ...]]) -> dict[int, list[tuple[object, ...]]]:
    grouped: dict[int, list[tuple[object, ...]]] = {}
    for row in rows:
        grouped.setdefault(_int(row[0]), []).append(row)
    return grouped


def _points(now: Share, before: Share) -> Decimal | None:
    if now.percent is None or before.percent is None:
        return None
    return now.percent - before.percent


def _year_on_year(years: list[YearAnalysis]) -> tuple[YearOnYear, ...]:
    changes = []
    for before, now in zip(years, years[1:], strict=False):
        if int(now.financial_year[:4]) != int(before.financial_year[:4]) + 1:
            continue
        changes.append(
            YearOnYear(
                financial_year=now.financial_year,
                previous_year=before.financial_year,
                total_change_pence=now.total_pence - before.total_pence,
                in_borough_change_points=_points(now.in_borough, before.in_borough),
                in_combined_authority_change_points=_points(
                    now.in_combined_authority, before.in_combined_authority
                ),
                in_region_change_points=_points(now.in_region, before.in_region),
                in_deprived_area_change_points=_points(
                    now.in_deprived_area, before.in_deprived_area
                ),
                with_sme_change_points=_points(now.with_sme, before.with_sme),
                with_vcse_change_points=_points(now.with_vcse, before.with_vcse),
            )
        )
    return tuple(changes)
