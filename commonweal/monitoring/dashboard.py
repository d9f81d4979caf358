"""The council's portfolio dashboard: committed, claimed and verified, grouped and charted.

Figures are added up in SQL from the stored `DeliveryFigures` rows (whole pence, worked out
by the valuation engine when the data changed), in a fixed number of queries however many
contracts there are. Pounds are added only within one state (committed with committed, verified
with verified) and only for monetised measures; quantities are added only within one measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert
from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from commonweal.monitoring.figures import (
    NOT_RECORDED,
    RAG_LABELS,
    PortfolioRow,
    portfolio_rows,
    rag_of,
)
from commonweal.monitoring.models import DeliveryFigures
from commonweal.valuation import Rag, RagThresholds

GROUPINGS: dict[str, tuple[str, str]] = {
    "theme": ("Theme", "commitment__measure__outcome__theme__name"),
    "outcome": ("Outcome", "commitment__measure__outcome__name"),
    "directorate": ("Directorate", "contract__directorate"),
    "supplier": ("Supplier", "contract__supplier__name"),
    "year": ("Financial year the contract started", "financial_year"),
}
CHART_GROUPS = 12
"""Groups drawn in a chart; the table under it lists them all."""


@dataclass
class Totals:
    committed_pence: int = 0
    target_pence: int = 0
    claimed_pence: int = 0
    verified_pence: int = 0
    commitments: int = 0


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


@dataclass
class Portfolio:
    totals: Totals
    units: list[UnitTotals]
    groups: list[Group]
    rag_counts: list[tuple[str, str, str, int]]
    """(rag value, words, tag colour, number of commitments)."""
    shortfalls: list[PortfolioRow]
    filters: dict[str, list[str]] = field(default_factory=dict)


TOTALS = {
    "commitments": Count("pk"),
    "committed_pence": Coalesce(Sum("committed_pence"), 0),
    "target_pence": Coalesce(Sum("target_pence"), 0),
    "claimed_pence": Coalesce(Sum("claimed_pence"), 0),
    "verified_pence": Coalesce(Sum("verified_pence"), 0),
}


def _totals(values: Mapping[str, Any]) -> Totals:
    return Totals(**{name: values[name] for name in TOTALS})


def totals_by(rows: QuerySet[DeliveryFigures], key: str) -> list[tuple[str, Totals]]:
    """Totals per value of a grouping, largest committed first."""
    label, path = GROUPINGS[key]
    grouped = (
        rows.annotate(group=Coalesce(NullIf(F(path), Value("")), Value(NOT_RECORDED)))
        .values("group")
        .annotate(**TOTALS)
        .order_by("-committed_pence", "group")
    )
    return [(values["group"], _totals(values)) for values in grouped]


def build_portfolio(
    rows: QuerySet[DeliveryFigures], thresholds: RagThresholds, *, shortfall_count: int = 10
) -> Portfolio:
    """Every figure on the dashboard for these rows (one per commitment, as of one day)."""
    totals = _totals(rows.aggregate(**TOTALS))
    units = [
        UnitTotals(
            values["commitment__measure__code"],
            values["commitment__measure__unit"],
            values["committed"],
            values["target"],
            values["claimed"],
            values["verified"],
        )
        for values in rows.values("commitment__measure__code", "commitment__measure__unit")
        .annotate(
            committed=Sum("committed"),
            target=Sum("target_to_date"),
            claimed=Sum("claimed_to_date"),
            verified=Sum("verified_to_date"),
        )
        .order_by("commitment__measure__code", "commitment__measure__unit")
    ]
    counts = {
        values["rag"]: values["count"]
        for values in rows.annotate(rag=rag_of(thresholds))
        .values("rag")
        .annotate(count=Count("pk"))
        .order_by()
    }
    rag_counts = [
        (rag.value, RAG_LABELS[rag][0], RAG_LABELS[rag][1], counts.get(rag.value, 0))
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_YET_DUE)
    ]
    shortfalls = list(
        portfolio_rows(
            rows.filter(shortfall_pence__gt=0).order_by("-shortfall_pence", "pk")[:shortfall_count],
            thresholds,
        )
    )
    groups = [
        Group(key=key, label=label, rows=totals_by(rows, key))
        for key, (label, _) in GROUPINGS.items()
    ]
    return Portfolio(
        totals=totals,
        units=units,
        groups=groups,
        rag_counts=rag_counts,
        shortfalls=shortfalls,
        filters={
            "theme": [name for name, _ in sorted(groups[0].rows)],
            "year": [name for name, _ in sorted(groups[-1].rows)],
        },
    )


def chart_svg(title: str, rows: list[tuple[str, Totals]]) -> str:
    """A grouped bar chart of committed, claimed and verified £ per group, as SVG (Vega-Lite
    rendered on the server, no JavaScript)."""
    data = [
        {"group": name, "state": state, "pounds": float(Decimal(pence) / 100)}
        for name, totals in rows[:CHART_GROUPS]
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
    svg: str = vl_convert.vegalite_to_svg(chart.to_dict())
    return svg


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
