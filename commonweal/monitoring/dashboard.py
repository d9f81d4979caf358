"""The council's portfolio dashboard: committed, claimed and verified, grouped and charted.

Figures come from `figures.portfolio_rows`, one row per commitment, read in a fixed number of
queries however many contracts there are. Pounds are added only within one state (committed
with committed, verified with verified) and only for monetised measures; quantities are added
only within one measure.
"""

from __future__ import annotations

import base64
import functools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import altair as alt
import vl_convert

from commonweal.monitoring.figures import RAG_LABELS, PortfolioRow
from commonweal.valuation import Rag

GROUPINGS: dict[str, tuple[str, Callable[[PortfolioRow], str]]] = {
    "theme": ("Theme", lambda row: row.theme),
    "outcome": ("Outcome", lambda row: row.outcome),
    "directorate": ("Directorate", lambda row: row.directorate),
    "supplier": ("Supplier", lambda row: row.supplier),
    "year": ("Financial year the contract started", lambda row: row.financial_year),
}


@dataclass
class Totals:
    committed_pence: int = 0
    target_pence: int = 0
    claimed_pence: int = 0
    verified_pence: int = 0
    commitments: int = 0

    def add(self, row: PortfolioRow) -> None:
        self.commitments += 1
        if row.committed_pence is None:
            return
        self.committed_pence += row.committed_pence
        self.target_pence += row.target_pence or 0
        self.claimed_pence += row.claimed_pence or 0
        self.verified_pence += row.verified_pence or 0


@dataclass
class UnitTotals:
    measure_code: str
    unit: str
    committed: Decimal = Decimal(0)
    target: Decimal = Decimal(0)
    claimed: Decimal = Decimal(0)
    verified: Decimal = Decimal(0)


@dataclass
class Group:
    key: str
    label: str
    rows: list[tuple[str, Totals]]
    chart_svg_base64: str = ""


@dataclass
class Portfolio:
    totals: Totals
    units: list[UnitTotals]
    groups: list[Group]
    rag_counts: list[tuple[str, str, str, int]]
    """(rag value, words, tag colour, number of commitments)."""
    shortfalls: list[PortfolioRow]
    filters: dict[str, list[str]] = field(default_factory=dict)


def _totals_by(
    rows: Iterable[PortfolioRow], key: Callable[[PortfolioRow], str]
) -> list[tuple[str, Totals]]:
    grouped: dict[str, Totals] = defaultdict(Totals)
    for row in rows:
        grouped[key(row)].add(row)
    return sorted(grouped.items(), key=lambda item: (-item[1].committed_pence, item[0]))


def chart_svg(title: str, rows: list[tuple[str, Totals]]) -> str:
    """A grouped bar chart of committed, claimed and verified £ per group, as base64 SVG."""
    data = [
        {"group": name, "state": state, "pounds": float(Decimal(pence) / 100)}
        for name, totals in rows[:12]
        for state, pence in (
            ("Committed", totals.committed_pence),
            ("Claimed", totals.claimed_pence),
            ("Verified", totals.verified_pence),
        )
    ]
    chart = (
        alt.Chart(alt.Data(values=data), title=title)  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("pounds:Q", title="£", axis=alt.Axis(format=",.0f")),
            y=alt.Y("group:N", title=None, sort=None),
            color=alt.Color(
                "state:N",
                title=None,
                sort=["Committed", "Claimed", "Verified"],
                scale=alt.Scale(range=["#1d70b8", "#f47738", "#00703c"]),
            ),
            yOffset=alt.YOffset("state:N", sort=["Committed", "Claimed", "Verified"]),
        )
        .properties(width=560)
    )
    return _render_svg(json.dumps(chart.to_dict(), sort_keys=True))


@functools.lru_cache(maxsize=256)
def _render_svg(spec: str) -> str:
    """SVG for a Vega-Lite spec, base64-encoded. Rendering is pure, so the same figures are
    drawn once and reused until they change."""
    svg = vl_convert.vegalite_to_svg(json.loads(spec))
    return base64.b64encode(svg.encode()).decode()


def build_portfolio(
    rows: list[PortfolioRow], *, charts: bool = True, shortfall_count: int = 10
) -> Portfolio:
    totals = Totals()
    units: dict[tuple[str, str], UnitTotals] = {}
    for row in rows:
        totals.add(row)
        unit = units.setdefault(
            (row.measure_code, row.unit), UnitTotals(row.measure_code, row.unit)
        )
        unit.committed += row.committed
        unit.target += row.target_to_date
        unit.claimed += row.claimed
        unit.verified += row.verified
    groups = []
    for key, (label, accessor) in GROUPINGS.items():
        grouped = _totals_by(rows, accessor)
        groups.append(
            Group(
                key=key,
                label=label,
                rows=grouped,
                chart_svg_base64=chart_svg(f"Social value by {label.lower()}", grouped)
                if charts and grouped
                else "",
            )
        )
    counts = Counter(row.rag for row in rows)
    rag_counts = [
        (rag.value, RAG_LABELS[rag][0], RAG_LABELS[rag][1], counts.get(rag, 0))
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_YET_DUE)
    ]
    shortfalls = sorted(
        (row for row in rows if row.shortfall_pence > 0), key=lambda row: -row.shortfall_pence
    )[:shortfall_count]
    return Portfolio(
        totals=totals,
        units=sorted(units.values(), key=lambda u: u.measure_code),
        groups=groups,
        rag_counts=rag_counts,
        shortfalls=shortfalls,
        filters={
            "theme": sorted({row.theme for row in rows}),
            "year": sorted({row.financial_year for row in rows}),
        },
    )


CSV_HEADER = [
    "contract_reference",
    "contract_title",
    "supplier",
    "directorate",
    "financial_year",
    "theme",
    "outcome",
    "measure_code",
    "unit",
    "committed_quantity",
    "target_to_date_quantity",
    "claimed_quantity",
    "verified_quantity",
    "committed_gbp",
    "target_to_date_gbp",
    "claimed_gbp",
    "verified_gbp",
    "rag",
]


def _gbp(pence: int | None) -> str:
    if pence is None:
        return ""
    return f"{Decimal(pence) / 100:.2f}"


def csv_rows(rows: Iterable[PortfolioRow]) -> Iterable[list[str]]:
    yield CSV_HEADER
    for row in rows:
        yield [
            row.contract_reference,
            row.contract_title,
            row.supplier,
            row.directorate,
            row.financial_year,
            row.theme,
            row.outcome,
            row.measure_code,
            row.unit,
            f"{row.committed:f}",
            f"{row.target_to_date:f}",
            f"{row.claimed:f}",
            f"{row.verified:f}",
            _gbp(row.committed_pence),
            _gbp(row.target_pence),
            _gbp(row.claimed_pence),
            _gbp(row.verified_pence),
            RAG_LABELS[row.rag][0],
        ]
