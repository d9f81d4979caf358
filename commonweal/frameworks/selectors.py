"""Reads about frameworks, measures, deflator and carbon series and local measure sets, shared by
pages and the API."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Max, Min, Q, QuerySet

from commonweal.frameworks.models import (
    CarbonSeries,
    DeflatorSeries,
    Framework,
    FrameworkVersion,
    LocalMeasureSetVersion,
    Measure,
    SourcedSeries,
)
from commonweal.valuation import ValueType, tags

VALUE_TYPE_CHOICES: list[tuple[str, str]] = [
    (ValueType.MONETISED.value, "Monetised (£ per unit)"),
    (ValueType.RECORD_ONLY.value, "Record only"),
    (ValueType.QUALITATIVE.value, "Qualitative"),
]
TAG_CHOICES: list[tuple[str, str]] = [
    (tag, tag.replace("-", " ").capitalize()) for tag in sorted(tags.ALL_TAGS)
]

SeriesT = TypeVar("SeriesT", bound=SourcedSeries)


def search_frameworks(frameworks: QuerySet[Framework], search: str = "") -> QuerySet[Framework]:
    search = search.strip()
    if search:
        frameworks = frameworks.filter(
            Q(name__icontains=search)
            | Q(publisher__icontains=search)
            | Q(description__icontains=search)
        )
    return frameworks.order_by("owner_id", "name")


def framework_versions(framework: Framework) -> QuerySet[FrameworkVersion]:
    return framework.versions.order_by("-year")


@dataclass(frozen=True)
class MeasureFilters:
    """What a person narrowed a measures table down to."""

    search: str = ""
    theme_id: int | None = None
    outcome_id: int | None = None
    value_type: str = ""
    tag: str = ""
    light_set: bool = False


def filter_measures(measures: QuerySet[Measure], filters: MeasureFilters) -> QuerySet[Measure]:
    search = filters.search.strip()
    if search:
        measures = measures.filter(
            Q(code__icontains=search)
            | Q(title__icontains=search)
            | Q(description__icontains=search)
        )
    if filters.theme_id:
        measures = measures.filter(outcome__theme_id=filters.theme_id)
    if filters.outcome_id:
        measures = measures.filter(outcome_id=filters.outcome_id)
    if filters.value_type:
        measures = measures.filter(value_type=filters.value_type)
    if filters.tag:
        # JSON containment is not available on SQLite, so match the quoted tag in the list.
        measures = measures.filter(tags__icontains=f'"{filters.tag}"')
    if filters.light_set:
        measures = measures.filter(light_set=True)
    return measures


def version_measures(version: FrameworkVersion, filters: MeasureFilters) -> QuerySet[Measure]:
    measures = Measure.objects.filter(version=version).select_related(
        "proxy", "outcome", "outcome__theme"
    )
    return filter_measures(measures, filters).order_by(
        "outcome__theme__position", "outcome__position", "position", "code"
    )


def version_tree(version: FrameworkVersion) -> list[dict[str, Any]]:
    """Themes with their outcomes and how many measures each has, for the browse list."""
    tree = []
    for theme in version.themes.prefetch_related("outcomes", "outcomes__measures"):
        counts = [(outcome, len(outcome.measures.all())) for outcome in theme.outcomes.all()]
        tree.append(
            {
                "theme": theme,
                "outcomes": [{"outcome": o, "measure_count": n} for o, n in counts],
                "measure_count": sum(n for _, n in counts),
            }
        )
    return tree


def values_by_year(measure: Measure) -> list[Measure]:
    """This measure code in every version of its framework, newest first, with its proxy."""
    return list(
        Measure.objects.filter(
            version__framework_id=measure.version.framework_id, code=measure.code
        )
        .select_related("version", "proxy")
        .order_by("-version__year")
    )


# --- Comparing two lists of measures -------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    is_value: bool = False
    """Part of the £ value, which a restricted framework keeps within its owner."""


@dataclass(frozen=True)
class MeasureChange:
    before: Measure
    after: Measure
    changes: list[FieldChange]


@dataclass
class Comparison:
    """What changed between two versions: measures added, removed and changed field by field."""

    added: list[Measure] = field(default_factory=list)
    removed: list[Measure] = field(default_factory=list)
    changed: list[MeasureChange] = field(default_factory=list)
    unchanged_count: int = 0

    @property
    def has_differences(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def format_per_unit(amount: Decimal) -> str:
    """£16.9300 -> £16.93; £0.1234 -> £0.1234; £1234 -> £1,234.00: as precise as it was set."""
    text = f"{amount.normalize():f}"
    whole, _, fraction = text.partition(".")
    return f"£{int(whole):,}.{fraction.ljust(2, '0')}"


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values) or "None"


def _measure_fields(measure: Measure, *, with_version: bool) -> list[tuple[str, str]]:
    proxy = getattr(measure, "proxy", None)
    rows = [
        ("Title", measure.title),
        ("Description", measure.description),
        ("Theme", measure.outcome.theme.name),
        ("Outcome", measure.outcome.name),
        ("Unit", measure.unit),
        ("Value type", measure.get_value_type_display()),
        ("Evidence expected", measure.evidence_expected),
        ("Counting notes", measure.counting_notes),
        ("Tags", _listed(measure.tags)),
        ("In the light set", "Yes" if measure.light_set else "No"),
        ("PPN 002 outcomes", _listed(measure.ppn002_outcomes)),
        ("CWB pillars", _listed(measure.cwb_pillars)),
        ("EFLG modules", _listed(measure.eflg_modules)),
        ("Value per unit", format_per_unit(proxy.amount_per_unit) if proxy else "None"),
        ("Price year", str(proxy.price_year) if proxy else "None"),
        ("Source", proxy.source_title if proxy else "None"),
        ("Source address", (proxy.source_url or "None") if proxy else "None"),
        ("Licence", proxy.licence if proxy else "None"),
        ("Confidence", proxy.get_confidence_display() if proxy else "None"),
    ]
    if with_version:
        rows.insert(0, ("Framework version", str(measure.version)))
    return rows


VALUE_LABELS = frozenset(
    {"Value per unit", "Price year", "Source", "Source address", "Licence", "Confidence"}
)


def _key(measure: Measure, *, by_framework: bool) -> tuple[int, str]:
    return (measure.version.framework_id if by_framework else 0, measure.code)


def compare_measures(
    before: Sequence[Measure], after: Sequence[Measure], *, across_frameworks: bool = False
) -> Comparison:
    """Match measures by code (and framework, for local sets) and list what differs.

    A measure in both lists whose fields or value differ is "changed", with each field's value
    before and after; one only in ``after`` is "added"; one only in ``before`` is "removed".
    """
    old = {_key(m, by_framework=across_frameworks): m for m in before}
    new = {_key(m, by_framework=across_frameworks): m for m in after}
    comparison = Comparison()
    for key, measure in new.items():
        if key not in old:
            comparison.added.append(measure)
            continue
        previous = old[key]
        changes = [
            FieldChange(label, was, now, is_value=label in VALUE_LABELS)
            for (label, was), (_, now) in zip(
                _measure_fields(previous, with_version=across_frameworks),
                _measure_fields(measure, with_version=across_frameworks),
                strict=True,
            )
            if was != now
        ]
        if changes:
            comparison.changed.append(MeasureChange(previous, measure, changes))
        else:
            comparison.unchanged_count += 1
    comparison.removed = [m for key, m in old.items() if key not in new]
    return comparison


def _with_details(measures: QuerySet[Measure]) -> list[Measure]:
    return list(
        measures.select_related(
            "proxy", "outcome", "outcome__theme", "version", "version__framework"
        ).order_by("code")
    )


def compare_framework_versions(before: FrameworkVersion, after: FrameworkVersion) -> Comparison:
    return compare_measures(
        _with_details(Measure.objects.filter(version=before)),
        _with_details(Measure.objects.filter(version=after)),
    )


def set_version_measures(set_version: LocalMeasureSetVersion) -> list[Measure]:
    return [
        item.measure
        for item in set_version.items.select_related(
            "measure",
            "measure__proxy",
            "measure__outcome",
            "measure__outcome__theme",
            "measure__version",
            "measure__version__framework",
        ).order_by("position", "measure__code")
    ]


def compare_set_versions(
    before: LocalMeasureSetVersion, after: LocalMeasureSetVersion
) -> Comparison:
    return compare_measures(
        set_version_measures(before), set_version_measures(after), across_frameworks=True
    )


def series_with_years(series: QuerySet[SeriesT]) -> QuerySet[Any]:
    """Deflator or carbon series with the years they cover: `first_year`, `last_year` and
    `year_count`."""
    return series.annotate(
        first_year=Min("points__year"),
        last_year=Max("points__year"),
        year_count=Count("points"),
    ).order_by("name", "pk")


def _usable_by(model: type[SeriesT], set_version: LocalMeasureSetVersion) -> QuerySet[SeriesT]:
    return model._default_manager.filter(
        Q(owner__isnull=True) | Q(owner_id=set_version.measure_set.owner_id)
    ).order_by("name", "pk")


def deflator_series_usable_by(set_version: LocalMeasureSetVersion) -> QuerySet[DeflatorSeries]:
    """The series a set version may re-base with: shared ones and its council's own."""
    return _usable_by(DeflatorSeries, set_version)


def carbon_series_usable_by(set_version: LocalMeasureSetVersion) -> QuerySet[CarbonSeries]:
    """The carbon series a set version may value carbon with: shared ones and its council's."""
    return _usable_by(CarbonSeries, set_version)
