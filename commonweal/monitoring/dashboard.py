"""The council's portfolio dashboard: committed, claimed and verified, grouped and charted.

Figures are added up in SQL from the stored `DeliveryFigures` rows (whole pence, worked out
by the valuation engine when the data changed), in a fixed number of queries however many
contracts there are. Pounds are added only within one state (committed with committed, verified
with verified) and only for monetised measures; quantities are added only within one measure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
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


def _add(into: Totals, values: Mapping[str, Any]) -> None:
    for name in TOTALS:
        setattr(into, name, getattr(into, name) + values[name])


def _largest_first(grouped: dict[str, Totals]) -> list[tuple[str, Totals]]:
    return sorted(grouped.items(), key=lambda item: (-item[1].committed_pence, item[0]))


def build_portfolio(
    rows: QuerySet[DeliveryFigures], thresholds: RagThresholds, *, shortfall_count: int = 10
) -> Portfolio:
    """Every figure on the dashboard for these rows (one per commitment, as of one day).

    One query adds the rows up to the finest grouping the page shows (measure, supplier,
    directorate, year and rating together); each table is then a roll-up of those cells, so
    the page costs the same few queries however many groupings it shows. Pence are whole
    numbers and quantities Decimals, so rolling up changes nothing.
    """
    # Plain dicts: django-stubs types annotated values too narrowly for the sums below.
    cells = cast(
        list[dict[str, Any]],
        list(
            rows.annotate(
                supplier_id=F("contract__supplier_id"),
                directorate=Coalesce(
                    NullIf(F("contract__directorate"), Value("")), Value(NOT_RECORDED)
                ),
                rag=rag_of(thresholds),
            )
            .values("measure_id", "supplier_id", "directorate", "financial_year", "rag")
            .annotate(**TOTALS, **QUANTITIES)
            .order_by()
        ),
    )
    measures = {
        measure.pk: measure
        for measure in Measure.objects.filter(
            pk__in={c["measure_id"] for c in cells}
        ).select_related("outcome__theme")
    }
    suppliers = dict(
        Organisation.objects.filter(pk__in={c["supplier_id"] for c in cells}).values_list(
            "pk", "name"
        )
    )
    totals = Totals()
    grouped: dict[str, dict[str, Totals]] = {key: defaultdict(Totals) for key in GROUPINGS}
    units: dict[tuple[str, str], UnitTotals] = {}
    counts: Counter[str] = Counter()
    for cell in cells:
        measure = measures[cell["measure_id"]]
        names = {
            "theme": measure.outcome.theme.name,
            "outcome": measure.outcome.name,
            "directorate": cell["directorate"],
            "supplier": suppliers[cell["supplier_id"]],
            "year": cell["financial_year"],
        }
        _add(totals, cell)
        for key, name in names.items():
            _add(grouped[key][name], cell)
        unit = units.setdefault(
            (measure.code, measure.unit), UnitTotals(measure.code, measure.unit)
        )
        unit.committed += cell["committed"]
        unit.target += cell["target"]
        unit.claimed += cell["claimed"]
        unit.verified += cell["verified"]
        counts[cell["rag"]] += cell["commitments"]
    rag_counts = [
        (rag.value, RAG_LABELS[rag][0], RAG_LABELS[rag][1], counts.get(rag.value, 0))
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_YET_DUE)
    ]
    shortfalls = list(
        portfolio_rows(
            rows.alias(shortfall=SHORTFALL_PENCE)
            .filter(shortfall__gt=0)
            .order_by("-shortfall", "pk")[:shortfall_count],
            thresholds,
        )
    )
    return Portfolio(
        totals=totals,
        units=[units[key] for key in sorted(units)],
        groups=[
            Group(key=key, label=label, rows=_largest_first(grouped[key]))
            for key, label in GROUPINGS.items()
        ],
        rag_counts=rag_counts,
        shortfalls=shortfalls,
        filters={"theme": sorted(grouped["theme"]), "year": sorted(grouped["year"])},
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
