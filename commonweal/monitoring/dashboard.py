"""The council's portfolio dashboard: committed, claimed and verified, grouped and charted.

Figures are added up in SQL from the stored `DeliveryFigures` rows (whole pence, worked out
by the valuation engine when the data changed), in a fixed number of queries however many
contracts there are. Pounds are added only within one state (committed with committed, verified
with verified) and only for monetised measures; quantities are added only within one measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from operator import add
from typing import Any, cast

from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from commonweal.accounts.models import Organisation
from commonweal.frameworks.models import Measure
from commonweal.monitoring.figures import (
    NOT_RECORDED,
    RAG_LABELS,
    SHORTFALL_PENCE,
    PortfolioRow,
    portfolio_rows,
    rag_of,
)
from commonweal.monitoring.models import DeliveryFigures
from commonweal.valuation import Rag, RagThresholds

GROUPINGS = {
    "theme": "Theme",
    "outcome": "Outcome",
    "directorate": "Directorate",
    "supplier": "Supplier",
    "year": "Financial year the contract started",
}
"""The portfolio's groupings (`figures.PORTFOLIO_GROUP_FIELDS`) with their labels."""
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
    as_at: datetime | None = None
    """When the figures were read, if they may be older than those saved since (shown
    while they are brought up to date); None when they are the latest."""


TOTALS = {
    "commitments": Count("pk"),
    "committed_pence": Coalesce(Sum("committed_pence"), 0),
    "target_pence": Coalesce(Sum("target_pence"), 0),
    "claimed_pence": Coalesce(Sum("claimed_pence"), 0),
    "verified_pence": Coalesce(Sum("verified_pence"), 0),
}
QUANTITIES = {
    "committed": Sum("committed"),
    "target": Sum("target_to_date"),
    "claimed": Sum("claimed_to_date"),
    "verified": Sum("verified_to_date"),
}


CellKey = tuple[int, int, str, str, str]
"""(measure id, supplier id, directorate, financial year, RAG rating): the finest grouping the
portfolio is added up to; every table is a roll-up of these cells."""
CELL_SUMS = (
    "commitments",
    "committed_pence",
    "target_pence",
    "claimed_pence",
    "verified_pence",
    "committed",
    "target",
    "claimed",
    "verified",
)
"""What each cell holds, in this order: commitments, pence in each state (0 for unvalued
measures), quantities in each state."""


def portfolio_cells(
    rows: QuerySet[DeliveryFigures], thresholds: RagThresholds
) -> dict[CellKey, list[Any]]:
    """The rows (one per commitment, as of one day) added up to cells in one grouped query.

    Pence are whole numbers and quantities Decimals, so adding cells together, or taking one
    commitment's figures away from a cell, gives exactly what adding up the rows would.
    """
    found: dict[CellKey, list[Any]] = {}
    # Plain dicts: django-stubs types annotated values too narrowly for the sums below.
    cells = cast(
        Iterable[dict[str, Any]],
        rows.annotate(
            supplier_id=F("contract__supplier_id"),
            directorate=Coalesce(
                NullIf(F("contract__directorate"), Value("")), Value(NOT_RECORDED)
            ),
            rag=rag_of(thresholds),
        )
        .values("measure_id", "supplier_id", "directorate", "financial_year", "rag")
        .annotate(**TOTALS, **QUANTITIES)
        .order_by(),
    )
    for cell in cells:
        key = (
            cell["measure_id"],
            cell["supplier_id"],
            cell["directorate"],
            cell["financial_year"],
            cell["rag"],
        )
        found[key] = [cell[name] for name in CELL_SUMS]
    return found


def measures_by_id(ids: Iterable[int]) -> dict[int, Measure]:
    """The measures with their outcome, theme and framework (whose values may be restricted)."""
    return {
        measure.pk: measure
        for measure in Measure.objects.filter(pk__in=set(ids)).select_related(
            "outcome__theme", "version__framework"
        )
    }


def _largest_first(grouped: dict[str, Totals]) -> list[tuple[str, Totals]]:
    return sorted(grouped.items(), key=lambda item: (-item[1].committed_pence, item[0]))


def build_portfolio(
    rows: QuerySet[DeliveryFigures], thresholds: RagThresholds, *, shortfall_count: int = 10
) -> Portfolio:
    """Every figure on the dashboard for these rows (one per commitment, as of one day).

    One query adds the rows up to cells (`portfolio_cells`) and one finds the largest
    shortfalls, so the page costs the same few queries however many groupings it shows.
    """
    return portfolio_of(
        portfolio_cells(rows, thresholds), largest_shortfalls(rows, thresholds, shortfall_count)
    )


def largest_shortfalls(
    rows: QuerySet[DeliveryFigures], thresholds: RagThresholds, count: int
) -> list[PortfolioRow]:
    """The `count` rows furthest behind their target to date in pounds, largest first."""
    return list(
        portfolio_rows(
            rows.alias(shortfall=SHORTFALL_PENCE)
            .filter(shortfall__gt=0)
            .order_by("-shortfall", "pk")[:count],
            thresholds,
        )
    )


def _summed(cells: Iterable[tuple[Any, list[Any]]]) -> dict[Any, list[Any]]:
    """Cells added up by the first part of each pair."""
    found: dict[Any, list[Any]] = {}
    for key, sums in cells:
        into = found.get(key)
        found[key] = list(sums) if into is None else list(map(add, into, sums))
    return found


def _totals(sums: list[Any]) -> Totals:
    return Totals(
        committed_pence=sums[1],
        target_pence=sums[2],
        claimed_pence=sums[3],
        verified_pence=sums[4],
        commitments=sums[0],
    )


def parts_of(cells: Mapping[CellKey, list[Any]]) -> list[dict[Any, list[Any]]]:
    """The cells added up by each part of their key: by measure, supplier, directorate, year
    and rating (a few hundred groups at most)."""
    return [_summed((key[part], sums) for key, sums in cells.items()) for part in range(5)]


def portfolio_of(
    cells: Mapping[CellKey, list[Any]],
    shortfalls: list[PortfolioRow],
    *,
    measures: Mapping[int, Measure] | None = None,
) -> Portfolio:
    """The dashboard's totals, groups, units and ratings rolled up from the cells."""
    return portfolio_of_parts(parts_of(cells), shortfalls, measures=measures)


def portfolio_of_parts(
    parts: list[dict[Any, list[Any]]],
    shortfalls: list[PortfolioRow],
    *,
    measures: Mapping[int, Measure] | None = None,
    suppliers: Mapping[int, str] | None = None,
) -> Portfolio:
    """The dashboard's totals, groups, units and ratings from the cells' sums by each part of
    their key (`parts_of`, or kept running as `running` does). The parts are added up by name:
    two themes of the same name are one group."""
    by_measure, by_supplier, by_directorate, by_year, by_rag = parts
    if measures is None:
        measures = measures_by_id(by_measure)
    if suppliers is None:
        suppliers = dict(
            Organisation.objects.filter(pk__in=set(by_supplier)).values_list("pk", "name")
        )

    def named(sums_of: dict[Any, list[Any]], name_of: Any) -> list[tuple[str, Totals]]:
        return _largest_first(
            {
                name: _totals(sums)
                for name, sums in _summed(
                    (name_of(key), sums) for key, sums in sums_of.items()
                ).items()
            }
        )

    grouped = {
        "theme": named(by_measure, lambda pk: measures[pk].outcome.theme.name),
        "outcome": named(by_measure, lambda pk: measures[pk].outcome.name),
        "directorate": named(by_directorate, lambda name: name),
        "supplier": named(by_supplier, lambda pk: suppliers[pk]),
        "year": named(by_year, lambda name: name),
    }
    units = _summed(
        ((measures[pk].code, measures[pk].unit), sums) for pk, sums in by_measure.items()
    )
    everything = _summed(("all", sums) for sums in by_rag.values()).get("all")
    rag_counts = [
        (
            rag.value,
            RAG_LABELS[rag][0],
            RAG_LABELS[rag][1],
            by_rag[rag.value][0] if rag.value in by_rag else 0,
        )
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_YET_DUE)
    ]
    return Portfolio(
        totals=_totals(everything) if everything else Totals(),
        units=[UnitTotals(code, unit, *units[(code, unit)][5:9]) for code, unit in sorted(units)],
        groups=[Group(key=key, label=label, rows=grouped[key]) for key, label in GROUPINGS.items()],
        rag_counts=rag_counts,
        shortfalls=shortfalls,
        filters={
            "theme": sorted(name for name, _ in grouped["theme"]),
            "year": sorted(name for name, _ in grouped["year"]),
        },
    )


def chart_svg(title: str, rows: list[tuple[str, Totals]]) -> str:
    """A grouped bar chart of committed, claimed and verified £ per group, as SVG (Vega-Lite
    rendered on the server, no JavaScript)."""
    import altair as alt  # here, not above: Altair takes longer to import than most commands run
    import vl_convert

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
