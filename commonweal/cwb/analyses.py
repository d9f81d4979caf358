"""CLES-style spend analysis of one organisation's imported spend (read-only over Parquet),
and its exports: JSON for the command line, CSV and XLSX for people, SVG charts."""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal
from typing import Any

import pyarrow.parquet as pq

from commonweal.accounts.models import Organisation
from commonweal.core.caching import SHARED, cached
from commonweal.core.exports import workbook_bytes
from commonweal.cwb import engines, paths, selectors
from commonweal.cwb.models import AnchorNetwork, AnchorNetworkMember
from commonweal.spend_engine.analysis import (
    DEFAULT_TOP_SUPPLIERS,
    BreakdownRow,
    Share,
    SpendAnalysis,
    YearAnalysis,
    analyse_spend,
)
from commonweal.spend_engine.network import NetworkPooling, NetworkYear
from commonweal.spend_engine.spark import analyse_spend_on_spark
from commonweal.spend_engine.supplier_years import (
    SpendBySupplierYear,
    spend_by_supplier_and_year,
)
from commonweal.valuation.money import plain_pounds


class AnalysisNotReady(Exception):
    """The analysis cannot run yet; the message says what to do first."""


class SuppliersNotPlaced(AnalysisNotReady):
    """Suppliers were linked before the organisation had local areas, so none was placed."""


def organisation_analysis(
    organisation: Organisation, *, top_n: int = DEFAULT_TOP_SUPPLIERS, engine: str = engines.DUCKDB
) -> SpendAnalysis:
    """Analyse every completed import of the organisation against its latest supplier linkage,
    on DuckDB here or on Spark (same figures)."""
    spend = selectors.spend_parquet_files(organisation.pk)
    if not spend:
        raise AnalysisNotReady("Import a spend file first")
    link_run = selectors.latest_link_run(organisation)
    if link_run is None:
        raise AnalysisNotReady("Link supplier names first, so spend can be counted by supplier")
    folder = paths.linkage_dir(organisation.pk, link_run.pk)
    classification = folder / "classification.parquet"
    if not classification.is_file():
        raise SuppliersNotPlaced(
            "Suppliers were linked before your local areas were set: set them (or check the "
            "ones worked out), then link supplier names again, so suppliers can be placed"
        )

    def analyse() -> SpendAnalysis:
        links = pq.read_table(folder / "links.parquet", columns=["supplier_name", "supplier_key"])
        if engine == engines.SPARK:
            return analyse_spend_on_spark(
                engines.spark_session(),
                spend,
                pq.read_table(classification),
                supplier_links=links,
                top_n=top_n,
            )
        return analyse_spend(
            spend, pq.read_table(classification), supplier_links=links, top_n=top_n
        )

    # Kept until any file it reads is added, removed or rewritten (an import, a new linkage).
    inputs = [*spend, classification, folder / "links.parquet"]
    versions = [(str(f), stat.st_mtime_ns, stat.st_size) for f in inputs for stat in [f.stat()]]
    key = hashlib.sha256(repr((engine, top_n, versions)).encode()).hexdigest()
    return cached(f"cwb:analysis:{organisation.pk}:{key}", analyse, store=SHARED)


def year_of(analysis: SpendAnalysis, financial_year: str | None) -> YearAnalysis | None:
    """The requested financial year ('2024-25'), or the latest when none is asked for."""
    if not analysis.years:
        return None
    if financial_year is None:
        return analysis.years[-1]
    return next((y for y in analysis.years if y.financial_year == financial_year), None)


@dataclasses.dataclass(frozen=True)
class NetworkFigures:
    """An anchor network's pooled figures for one year (``year`` is None when too few members
    have spend in it), with the years and members that have figures."""

    financial_years: tuple[str, ...]
    financial_year: str | None
    year: NetworkYear | None
    years_by_member: dict[int, frozenset[str]]
    minimum_members: int


NETWORK_POOLING = NetworkPooling()


def network_figures(network: AnchorNetwork, financial_year: str | None) -> NetworkFigures:
    """Pool the joined members' own analyses. Without a year asked for, the latest year that
    can be shown (else the latest year)."""
    member_years: dict[int, tuple[YearAnalysis, ...]] = {}
    joined = network.members.filter(status=AnchorNetworkMember.Status.JOINED)
    for place in joined.select_related("organisation"):
        try:
            member_years[place.organisation_id] = organisation_analysis(place.organisation).years
        except AnalysisNotReady:
            continue
    every_year = [year for years in member_years.values() for year in years]
    financial_years = tuple(sorted({y.financial_year for y in every_year}))
    if financial_year not in financial_years:
        shown = [fy for fy in financial_years if NETWORK_POOLING.pool(fy, every_year) is not None]
        candidates = shown or list(financial_years)
        financial_year = candidates[-1] if candidates else None
    return NetworkFigures(
        financial_years=financial_years,
        financial_year=financial_year,
        year=NETWORK_POOLING.pool(financial_year, every_year) if financial_year else None,
        years_by_member={
            member: frozenset(y.financial_year for y in years)
            for member, years in member_years.items()
        },
        minimum_members=NETWORK_POOLING.minimum_members,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def as_json_data(year: YearAnalysis) -> dict[str, Any]:
    """The year's figures as JSON-ready data: money in integer pence, percentages as strings."""
    data: dict[str, Any] = _plain(dataclasses.asdict(year))
    return data


HEADLINE_ROWS = (
    ("Total spend", "total"),
    ("In your borough", "in_borough"),
    ("In your combined authority", "in_combined_authority"),
    ("In your region", "in_region"),
    ("With suppliers in deprived areas", "in_deprived_area"),
    ("With small and medium-sized enterprises", "with_sme"),
    ("With voluntary, community and social enterprises", "with_vcse"),
)


# A network's members each count "local" against their own areas.
NETWORK_HEADLINE_ROWS = (
    HEADLINE_ROWS[0],
    ("In members' own boroughs", "in_borough"),
    ("In members' own combined authorities", "in_combined_authority"),
    ("In members' own regions", "in_region"),
    *HEADLINE_ROWS[4:],
)


def headline_rows(
    year: YearAnalysis | NetworkYear, labels: tuple[tuple[str, str], ...] = HEADLINE_ROWS
) -> list[tuple[str, int, Decimal | None]]:
    rows: list[tuple[str, int, Decimal | None]] = [("Total spend", year.total_pence, Decimal(100))]
    for label, name in labels[1:]:
        share = getattr(year, name)
        rows.append((label, share.pence, share.percent))
    return rows


def network_headline_rows(year: NetworkYear) -> list[tuple[str, int, Decimal | None]]:
    return headline_rows(year, NETWORK_HEADLINE_ROWS)


def network_csv_rows(year: NetworkYear) -> list[list[str]]:
    """The pooled figures of a year as rows, after a header row."""
    rows = [["financial year", "members", "label", "pounds", "percent"]]
    for label, pence, percent in network_headline_rows(year):
        rows.append(
            [
                year.financial_year,
                str(year.member_count),
                label,
                plain_pounds(pence),
                plain_percent(percent),
            ]
        )
    return rows


def plain_percent(percent: Decimal | None) -> str:
    """A percentage for a CSV cell: empty when there is none (a share of no spend); zero is 0.00."""
    return "" if percent is None else str(percent)


def data_quality_rows(year: YearAnalysis) -> list[tuple[str, Share]]:
    dq = year.data_quality
    return [
        ("Supplier found on a register", dq.register_matched),
        ("Supplier has a postcode", dq.with_postcode),
        ("Supplier's area has a deprivation decile", dq.with_deprivation_decile),
        ("Payee redacted", dq.redacted),
        ("Supplier not classified", dq.unclassified),
    ]


def csv_rows(year: YearAnalysis) -> list[list[str]]:
    """Every figure of the year as rows of section, label, pounds, percent."""
    rows = [["section", "label", "pounds", "percent"]]
    for label, pence, percent in headline_rows(year):
        rows.append(["Headline", label, plain_pounds(pence), plain_percent(percent)])
    sections: tuple[tuple[str, tuple[BreakdownRow, ...]], ...] = (
        ("By sector", year.by_sector),
        ("By service area", year.by_service_area),
    )
    for section, breakdown in sections:
        for row in breakdown:
            rows.append([section, row.label, plain_pounds(row.pence), plain_percent(row.percent)])
    for supplier in year.top_suppliers:
        rows.append(
            [
                "Top suppliers",
                f"{supplier.rank}. {supplier.supplier_name or supplier.supplier_key}",
                plain_pounds(supplier.pence),
                plain_percent(supplier.percent),
            ]
        )
    for label, share in data_quality_rows(year):
        rows.append(
            [
                "Data quality",
                label,
                plain_pounds(share.pence),
                plain_percent(share.percent),
            ]
        )
    return rows


def xlsx_bytes(year: YearAnalysis, organisation_name: str) -> bytes:
    """A workbook with one sheet per part of the analysis; money in pounds to 2 places."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Headline"
    sheet.append([f"{organisation_name}: spend analysis {year.financial_year}"])
    sheet.append(["Measure", "£", "%"])
    for label, pence, percent in headline_rows(year):
        sheet.append([label, Decimal(pence) / 100, None if percent is None else percent])
    for title, breakdown in (
        ("By sector", year.by_sector),
        ("By service area", year.by_service_area),
    ):
        part = book.create_sheet(title)
        part.append(["Label", "£", "%"])
        for row in breakdown:
            part.append([row.label, Decimal(row.pence) / 100, row.percent])
    top = book.create_sheet("Top suppliers")
    top.append(
        [
            "Rank",
            "Supplier",
            "£",
            "%",
            "In borough",
            "In combined authority",
            "In deprived area",
            "SME",
            "VCSE",
            "Sector",
        ]
    )
    for s in year.top_suppliers:
        top.append(
            [
                s.rank,
                s.supplier_name or s.supplier_key,
                Decimal(s.pence) / 100,
                s.percent,
                _yes_no(s.in_borough),
                _yes_no(s.in_combined_authority),
                _yes_no(s.in_deprived_area),
                _yes_no(s.is_sme),
                _yes_no(s.is_vcse),
                s.sector or "",
            ]
        )
    leak = book.create_sheet("Leakage")
    leak.append(
        ["Sector", "£ outside the borough", "£ in the borough", "Local suppliers in the sector"]
    )
    for item in year.leakage:
        leak.append(
            [
                item.sector,
                Decimal(item.non_local_pence) / 100,
                Decimal(item.local_pence) / 100,
                item.local_supplier_count,
            ]
        )
    quality = book.create_sheet("Data quality")
    quality.append(["Share of spend", "£", "%"])
    for label, share in data_quality_rows(year):
        quality.append([label, Decimal(share.pence) / 100, share.percent])
    return workbook_bytes(book)


def _yes_no(value: bool | None) -> str:
    return "Not known" if value is None else ("Yes" if value else "No")


CHARTS = ("local-shares", "by-sector", "by-service-area")


def chart_data(year: YearAnalysis, chart: str) -> list[tuple[str, int, Decimal | None]]:
    """The rows a chart draws (also shown under it as a table)."""
    if chart == "local-shares":
        return headline_rows(year)[1:]
    breakdown = year.by_sector if chart == "by-sector" else year.by_service_area
    return [(row.label, row.pence, row.percent) for row in breakdown[:15]]


def chart_svg(year: YearAnalysis, chart: str) -> str:
    """A horizontal bar chart as SVG (Vega-Lite rendered on the server, no JavaScript)."""
    return bars_svg(chart_data(year, chart), chart)


def bars_svg(rows: list[tuple[str, int, Decimal | None]], chart: str) -> str:
    """The bar chart of `chart_data`'s rows; the progress report draws its local spend chart
    with it too, from the figures it froze."""
    import altair as alt
    import vl_convert

    titles = {
        "local-shares": "Share of spend (%)",
        "by-sector": "Spend by sector (£)",
        "by-service-area": "Spend by service area (£)",
    }
    if chart == "local-shares":
        values = [{"label": label, "value": float(percent or 0)} for label, _, percent in rows]
    else:
        values = [{"label": label, "value": pence / 100} for label, pence, _ in rows]
    spec = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar(color="#1d70b8")
        .encode(
            x=alt.X("value:Q", title=titles[chart]),
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        )
        .properties(width=420, height=max(60, 26 * len(values)))
        .to_dict()
    )
    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


def spend_by_supplier_year(organisation: Organisation) -> SpendBySupplierYear | None:
    """Spend by register supplier (its cluster key) and financial year, for counting spend with
    a group of suppliers year on year; None before any spend is imported. Names not linked to a
    register supplier count under their own name."""
    spend = selectors.spend_parquet_files(organisation.pk)
    if not spend:
        return None
    link_run = selectors.latest_link_run(organisation)
    links_file = (
        paths.linkage_dir(organisation.pk, link_run.pk) / "links.parquet" if link_run else None
    )
    inputs = [*spend, *([links_file] if links_file and links_file.is_file() else [])]

    def work() -> SpendBySupplierYear:
        links = (
            pq.read_table(links_file, columns=["supplier_name", "supplier_key"])
            if links_file is not None and links_file.is_file()
            else None
        )
        return spend_by_supplier_and_year(spend, supplier_links=links)

    versions = [(str(f), stat.st_mtime_ns, stat.st_size) for f in inputs for stat in [f.stat()]]
    key = hashlib.sha256(repr(versions).encode()).hexdigest()
    return cached(f"cwb:supplier-years:{organisation.pk}:{key}", work, store=SHARED)
