"""The annual progress report as a document: every figure, table and list of one policy year,
beside the year before, with each figure's definition and the address of the records behind it.

The document is plain JSON-ready data (money in whole pence, rates and quantities as decimal
strings), so a draft is worked out from the data when it is read, a published version is the
same data frozen in the database, and the HTML page, the Word document and the JSON download
are all drawn from it. Committed, claimed and verified are separate figures and never added.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.commissioning.models import Category, Route
from commonweal.cwb import analyses
from commonweal.cwb.models import Lm3Study
from commonweal.cwb.multiplier import study_outcome
from commonweal.monitoring import figures as monitoring_figures
from commonweal.monitoring.dashboard import (
    Portfolio,
    Totals,
    largest_shortfalls,
    measures_by_id,
    portfolio_cells,
    portfolio_of,
)
from commonweal.monitoring.selectors import settings_for, thresholds_of
from commonweal.reporting import sections
from commonweal.reporting.figures import Scope, column, figure, first_paragraph, row, table
from commonweal.reporting.models import (
    Action,
    ActionStatus,
    EngagementEntry,
    Event,
    ProgressReport,
)
from commonweal.reporting.selectors import (
    case_studies_in,
    contracts_started,
    contracts_with_figures_as_at,
    figures_as_at,
    tenders_awarded,
    tenders_issued,
)
from commonweal.reporting.years import policy_years_of
from commonweal.tenders.models import Offer, Tender
from commonweal.valuation.programme import (
    ForecastAtVerifiedRate,
    PolicyYear,
    ValueBand,
    VerificationRate,
)

SCHEMA = "commonweal/progress-report/1"
SHORTFALLS = 10
NOT_RECORDED = monitoring_figures.NOT_RECORDED
CASE_STUDIES = 12


class NoPolicyYears(Exception):
    """The council has not said when it adopted its policy, so there are no years to report."""


# --- Procurement ----------------------------------------------------------------------------


VALUE_BAND = ValueBand()


def value_band_of(tender: Tender) -> str:
    procurement = tender.procurement
    policy = procurement.policy_version
    by_category: dict[str, int] = {
        Category.WORKS: policy.threshold_works_pence,
        Category.LIGHT_TOUCH: policy.threshold_light_touch_pence,
    }
    procurement_act = by_category.get(
        procurement.category, policy.threshold_supplies_services_pence
    )
    return VALUE_BAND.band(
        value_pence=procurement.estimated_value_pence,
        social_value_threshold_pence=policy.social_value_required_from_pence,
        procurement_act_pence=procurement_act,
    )


def weighting_of(tender: Tender) -> Decimal | None:
    procurement = tender.procurement
    parts = [
        procurement.social_value_quantitative_percent,
        procurement.social_value_qualitative_percent,
    ]
    if all(part is None for part in parts):
        return None
    return sum((part or Decimal(0) for part in parts), Decimal(0))


@dataclass
class ProcurementYear:
    issued: list[Tender]
    awarded: list[Tender]
    contracts: int
    contract_value_pence: int
    offers: int

    @property
    def weightings(self) -> list[Decimal]:
        return [w for w in (weighting_of(t) for t in self.issued) if w is not None]


def procurement_year(council: Organisation, year: PolicyYear) -> ProcurementYear:
    issued = list(tenders_issued(council, year))
    awarded = list(tenders_awarded(council, year))
    started = contracts_started(council, year)
    offers = (
        Offer.objects.filter(tender__in=[t.pk for t in awarded], submissions__isnull=False)
        .values("pk")
        .distinct()
        .count()
    )
    return ProcurementYear(
        issued=issued,
        awarded=awarded,
        contracts=started.count(),
        contract_value_pence=sum(started.values_list("value_pence", flat=True)),
        offers=offers,
    )


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def procurement_section(scope: Scope) -> dict[str, Any]:
    now = procurement_year(scope.council, scope.year)
    before = procurement_year(scope.council, scope.previous) if scope.previous else None
    route_labels = dict(Route.choices)

    def grouped(tenders: list[Tender], key: Callable[[Tender], str]) -> dict[str, list[Tender]]:
        found: dict[str, list[Tender]] = defaultdict(list)
        for tender in tenders:
            found[key(tender)].append(tender)
        return found

    def breakdown(
        key: str, title: str, label: str, of: Callable[[Tender], str], names: dict[str, str]
    ) -> dict[str, Any]:
        this = grouped(now.issued, of)
        last = grouped(before.issued, of) if before else {}
        ordered = [k for k in names if k in this or k in last] + sorted(
            k for k in {*this, *last} if k not in names
        )
        return table(
            key,
            title,
            f"Tenders issued in the year by {label}, with their estimated value (including "
            "VAT) when planned. Last year's count is beside this year's.",
            [
                column("group", label.capitalize(), "text"),
                column("count", "Exercises", "count"),
                column("value", "Estimated value", "pence"),
                column("previous", f"Exercises in {scope.previous.label}", "count")
                if scope.previous
                else column("previous", "Exercises last year", "count"),
            ],
            [
                row(
                    {
                        "group": names.get(k, k),
                        "count": len(this.get(k, [])),
                        "value": sum(t.procurement.estimated_value_pence for t in this.get(k, [])),
                        "previous": len(last.get(k, [])) if before else None,
                    },
                    link=scope.records("exercises", **{key.removeprefix("exercises-by-"): k}),
                )
                for k in ordered
            ],
        )

    directorates = sorted({t.procurement.directorate or NOT_RECORDED for t in now.issued})
    figures = [
        figure(
            "exercises",
            "Procurement exercises with social value",
            "Tenders issued through Commonweal during the year. Every one asked bidders for "
            "social value commitments and written answers on how they would deliver them.",
            "count",
            len(now.issued),
            len(before.issued) if before else None,
            link=scope.records("exercises"),
        ),
        figure(
            "awards",
            "Tenders awarded",
            "Tenders awarded during the year, whenever they were issued. The winning offer's "
            "commitments became the contract's.",
            "count",
            len(now.awarded),
            len(before.awarded) if before else None,
            link=scope.records("awards"),
        ),
        figure(
            "contracts-started",
            "Contracts starting with social value commitments",
            "Contracts whose start date falls in the year and that carry at least one social "
            "value commitment: awarded through a Commonweal tender, or recorded or imported "
            "by the council.",
            "count",
            now.contracts,
            before.contracts if before else None,
            link=scope.records("contracts"),
        ),
        figure(
            "contract-value",
            "Value of those contracts",
            "The whole-life value of the contracts starting in the year, as recorded on each "
            "contract.",
            "pence",
            now.contract_value_pence,
            before.contract_value_pence if before else None,
            link=scope.records("contracts"),
        ),
        figure(
            "weighting",
            "Average social value weighting applied",
            "The weighting given to social value (the offer and the written answers together) "
            "in the tenders issued in the year, averaged over those tenders, in percent of the "
            "total score.",
            "percent",
            _mean(now.weightings),
            _mean(before.weightings) if before else None,
            link=scope.records("exercises"),
        ),
        figure(
            "offers",
            "Offers received on the tenders awarded",
            "Offers bidders submitted to the tenders awarded in the year. Offers to tenders "
            "not yet awarded are not counted: they stay sealed.",
            "count",
            now.offers,
            before.offers if before else None,
            link=scope.records("awards"),
        ),
    ]
    return {
        "key": "procurement",
        "title": "Procurement",
        "figures": figures,
        "tables": [
            breakdown(
                "exercises-by-route",
                "Procurement exercises by route",
                "route",
                lambda t: t.procurement.route,
                route_labels,
            ),
            breakdown(
                "exercises-by-directorate",
                "Procurement exercises by directorate",
                "directorate",
                lambda t: t.procurement.directorate or NOT_RECORDED,
                {d: d for d in directorates},
            ),
            breakdown(
                "exercises-by-band",
                "Procurement exercises by value band",
                "value band",
                value_band_of,
                ValueBand.LABELS,
            ),
        ],
    }


# --- Commitments ----------------------------------------------------------------------------


@dataclass
class CommitmentsYear:
    portfolio: Portfolio
    contracts: int
    forecast_pence: int
    forecast_not_due: int
    restricted: dict[str, set[str]]
    """Names of the groups (by grouping) whose pounds rest on restricted values; the key
    "total" holds "all" when any does."""


FORECAST = ForecastAtVerifiedRate()
RATE = VerificationRate()


def commitments_year(council: Organisation, day: date) -> CommitmentsYear:
    """The year's commitments figures, each read of the stored figures done once.

    One grouped query adds the rows up to cells (`portfolio_cells`), from which the portfolio
    and the restricted groups are worked out; one more finds the largest shortfalls and one
    adds up the valued commitments by verified share for the forecast. Contracts are counted
    from the contracts.
    """
    rows = figures_as_at(council, day)
    thresholds = thresholds_of(settings_for(council))
    cells = portfolio_cells(rows, thresholds)
    measures = measures_by_id(key[0] for key in cells)
    portfolio = portfolio_of(
        cells, largest_shortfalls(rows, thresholds, SHORTFALLS), measures=measures
    )
    forecast, _, not_due = FORECAST.forecast_groups(
        rows.filter(committed_pence__isnull=False)
        .values("verified_share")
        .annotate(pence=Sum("committed_pence"), commitments=Count("pk"))
        .order_by()
        .values_list("pence", "commitments", "verified_share")
    )
    restricted: dict[str, set[str]] = defaultdict(set)
    for measure_id, _, directorate, _, _ in cells:
        measure = measures[measure_id]
        if measure.version.framework.values_restricted:
            restricted["total"].add("all")
            restricted["theme"].add(measure.outcome.theme.name)
            restricted["outcome"].add(measure.outcome.name)
            restricted["directorate"].add(directorate)
            restricted["measure"].add(measure.code)
    return CommitmentsYear(
        portfolio=portfolio,
        contracts=contracts_with_figures_as_at(council, day),
        forecast_pence=forecast,
        forecast_not_due=not_due,
        restricted=restricted,
    )


def _totals_of(portfolio: Portfolio | None, grouping: str) -> dict[str, Totals]:
    if portfolio is None:
        return {}
    return dict(next(g.rows for g in portfolio.groups if g.key == grouping))


def commitments_section(scope: Scope) -> dict[str, Any]:
    now = commitments_year(scope.council, scope.as_at)
    before = commitments_year(scope.council, scope.previous_as_at) if scope.previous_as_at else None
    totals, last = now.portfolio.totals, before.portfolio.totals if before else None
    restricted_total = bool(now.restricted.get("total"))
    as_at_words = f"as at {scope.as_at:%d %B %Y}"

    def money(
        key: str, label: str, definition: str, value: int, previous: int | None
    ) -> dict[str, Any]:
        return figure(
            key,
            label,
            definition,
            "pence",
            value,
            previous,
            link=scope.records("commitments"),
            restricted=restricted_total,
        )

    rate = RATE.rate(claimed_pence=totals.claimed_pence, verified_pence=totals.verified_pence)
    last_rate = (
        RATE.rate(claimed_pence=last.claimed_pence, verified_pence=last.verified_pence)
        if last
        else None
    )
    figures = [
        figure(
            "contracts",
            "Contracts with social value commitments",
            f"Contracts started by the end of the year that carry social value commitments, "
            f"{as_at_words}.",
            "count",
            now.contracts,
            before.contracts if before else None,
            link=scope.records("commitments"),
        ),
        figure(
            "commitments",
            "Commitments",
            "Each commitment is one measure a supplier committed to in one contract.",
            "count",
            totals.commitments,
            last.commitments if last else None,
            link=scope.records("commitments"),
        ),
        money(
            "committed",
            "Committed",
            "The social value suppliers committed to over the whole life of those contracts, "
            "valued with the measures' proxy values in force when each contract was let. "
            "Measures recorded without a value count in units only.",
            totals.committed_pence,
            last.committed_pence if last else None,
        ),
        money(
            "target",
            "Due to date",
            f"The part of the commitments due by the end of the reporting periods ended "
            f"{as_at_words}, from each contract's delivery plan.",
            totals.target_pence,
            last.target_pence if last else None,
        ),
        money(
            "claimed",
            "Claimed",
            f"Social value suppliers reported delivering in their returns for periods ended "
            f"{as_at_words}, whether or not it has been checked yet.",
            totals.claimed_pence,
            last.claimed_pence if last else None,
        ),
        money(
            "verified",
            "Verified",
            "The part of what was claimed that contract managers checked against evidence and "
            "accepted. Only verified delivery counts as delivered.",
            totals.verified_pence,
            last.verified_pence if last else None,
        ),
        figure(
            "verification-rate",
            "Verification rate",
            first_paragraph(VerificationRate.__doc__) + " Verified £ ÷ claimed £.",
            "percent",
            rate,
            last_rate,
            link=scope.records("commitments"),
            restricted=restricted_total,
        ),
        money(
            "verified-in-year",
            "Verified during the year",
            "Verified to the end of this year less verified to the end of last year: the "
            "delivery proven for periods that ended in the year (and late verification of "
            "earlier periods).",
            totals.verified_pence - (last.verified_pence if last else 0),
            None,
        ),
        figure(
            "forecast",
            "Forecast by the end of the contracts",
            first_paragraph(ForecastAtVerifiedRate.__doc__)
            + f" {now.forecast_not_due} commitment(s) with nothing due yet are left out.",
            "pence",
            now.forecast_pence,
            before.forecast_pence if before else None,
            link=scope.records("commitments"),
            restricted=restricted_total,
        ),
    ]
    by_state_columns = [
        column("group", "", "text"),
        column("committed", "Committed", "pence"),
        column("claimed", "Claimed", "pence"),
        column("verified", "Verified", "pence"),
        column("verified_previous", "Verified last year", "pence"),
    ]

    def grouped_table(grouping: str, title: str, label: str, chart: bool) -> dict[str, Any]:
        this = _totals_of(now.portfolio, grouping)
        earlier = _totals_of(before.portfolio if before else None, grouping)
        columns = [dict(c) for c in by_state_columns]
        columns[0]["label"] = label
        return table(
            f"by-{grouping}",
            title,
            f"Committed, claimed and verified {as_at_words}, by {label.lower()}; verified to "
            "the end of last year beside it. The three are separate figures and are never "
            "added together.",
            columns,
            [
                row(
                    {
                        "group": name,
                        "committed": values.committed_pence,
                        "claimed": values.claimed_pence,
                        "verified": values.verified_pence,
                        "verified_previous": earlier[name].verified_pence
                        if name in earlier
                        else (0 if before else None),
                    },
                    link=scope.records("commitments", **{grouping: name}),
                    restricted=name in now.restricted.get(grouping, set()),
                )
                for name, values in this.items()
            ],
            chart={
                "kind": "committed-claimed-verified",
                "title": f"Social value by {label.lower()}",
                "alt": f"Bar chart of committed, claimed and verified social value by "
                f"{label.lower()}. The same figures are in the table.",
            }
            if chart
            else None,
        )

    rag_rows = [
        row(
            {"rating": words, "count": count},
            link=scope.records("commitments", rag=value),
        )
        for value, words, _, count in now.portfolio.rag_counts
    ]
    last_rag = (
        {value: count for value, _, _, count in before.portfolio.rag_counts} if before else {}
    )
    for entry, (value, *_rest) in zip(rag_rows, now.portfolio.rag_counts, strict=True):
        entry["cells"]["previous"] = last_rag.get(value) if before else None
    tables = [
        grouped_table("theme", "Social value by theme", "Theme", chart=True),
        grouped_table("outcome", "Social value by outcome", "Outcome", chart=False),
        grouped_table("directorate", "Social value by directorate", "Directorate", chart=True),
        table(
            "units",
            "Social value in units, by measure",
            f"Quantities in each measure's own unit {as_at_words}. Units of different measures "
            "are never added together.",
            [
                column("measure", "Measure", "text"),
                column("unit", "Unit", "text"),
                column("committed", "Committed", "quantity"),
                column("claimed", "Claimed", "quantity"),
                column("verified", "Verified", "quantity"),
            ],
            [
                row(
                    {
                        "measure": u.measure_code,
                        "unit": u.unit,
                        "committed": u.committed,
                        "claimed": u.claimed,
                        "verified": u.verified,
                    },
                    link=scope.records("commitments", measure=u.measure_code),
                )
                for u in now.portfolio.units
            ],
        ),
        table(
            "rag",
            "Commitments red, amber and green",
            "Each commitment rated on verified delivery against its target to date, with the "
            "council's thresholds: green at or above the green threshold, amber at or above "
            "the amber threshold, otherwise red; not yet due when nothing was due.",
            [
                column("rating", "Rating", "text"),
                column("count", "Commitments", "count"),
                column("previous", "Last year", "count"),
            ],
            rag_rows,
        ),
        table(
            "shortfalls",
            "Largest shortfalls",
            "The commitments furthest behind their target to date, in pounds: target to date "
            "less verified to date.",
            [
                column("contract", "Contract", "text"),
                column("supplier", "Supplier", "text"),
                column("measure", "Measure", "text"),
                column("target", "Due to date", "pence"),
                column("verified", "Verified", "pence"),
                column("shortfall", "Shortfall", "pence"),
            ],
            [
                row(
                    {
                        "contract": f"{s.contract_reference} {s.contract_title}",
                        "supplier": s.supplier,
                        "measure": s.measure_code,
                        "target": s.target_pence,
                        "verified": s.verified_pence,
                        "shortfall": s.shortfall_pence,
                    },
                    link=reverse("contracts:detail", args=[s.contract_id])
                    + f"#commitment-{s.commitment_id}",
                    restricted=s.measure_code in now.restricted.get("measure", set()),
                )
                for s in now.portfolio.shortfalls
            ],
        ),
    ]
    return {
        "key": "commitments",
        "title": "Social value committed, claimed and verified",
        "figures": figures,
        "tables": tables,
    }


# --- Case studies -------------------------------------------------------------------------


def case_studies_section(scope: Scope) -> dict[str, Any]:
    studies = case_studies_in(scope.council, scope.year)
    count = studies.count()
    return {
        "key": "case-studies",
        "title": "Case studies",
        "figures": [
            figure(
                "case-studies",
                "Case studies",
                "Stories suppliers sent with their returns for periods ending in the year, "
                "where the people in them agreed that they may be published.",
                "count",
                count,
                case_studies_in(scope.council, scope.previous).count() if scope.previous else None,
                link=scope.records("case-studies"),
            )
        ],
        "tables": [],
        "items": [
            {
                "title": study.title,
                "story": study.story,
                "supplier": study.supplier_return.contract.supplier.name,
                "contract": study.supplier_return.contract.reference,
                "period": study.supplier_return.period.label,
                "link": reverse("monitoring:return-detail", args=[study.supplier_return_id]),
            }
            for study in studies[:CASE_STUDIES]
        ],
    }


# --- Local markets ------------------------------------------------------------------------

LOCAL_SHARES = (
    ("in_borough", "Spend with suppliers in the borough"),
    ("in_combined_authority", "Spend with suppliers in the city region"),
    ("in_deprived_area", "Spend with suppliers in deprived areas"),
    ("with_sme", "Spend with small and medium-sized enterprises"),
    ("with_vcse", "Spend with voluntary, community and social enterprises"),
)


def local_markets_section(scope: Scope) -> dict[str, Any] | None:
    try:
        analysis = analyses.organisation_analysis(scope.council)
    except analyses.AnalysisNotReady:
        analysis = None
    year = analyses.year_of(analysis, scope.year.label) if analysis else None
    previous = (
        analyses.year_of(analysis, scope.previous.label) if analysis and scope.previous else None
    )
    studies = list(
        Lm3Study.objects.filter(organisation=scope.council, financial_year=scope.year.label)
    )
    if year is None and previous is None and not studies:
        return None
    shown = year or previous
    link = reverse("cwb:analysis") + f"?year={shown.financial_year if shown else scope.year.label}"
    figures = []
    notes = []
    if year is None:
        notes.append(
            f"No spend has been imported for {scope.year.label}, so this year's shares are "
            "not known"
            + (f"; {previous.financial_year}'s are shown beside them." if previous else ".")
        )
    if year is not None or previous is not None:
        figures.append(
            figure(
                "spend",
                "Spend analysed",
                "The council's payments in the financial year from its published spend files, "
                "after supplier names were linked.",
                "pence",
                year.total_pence if year else None,
                previous.total_pence if previous else None,
                link=link,
            )
        )
        for name, label in LOCAL_SHARES:
            share = getattr(year, name) if year else None
            before = getattr(previous, name) if previous else None
            figures.append(
                figure(
                    f"{name.replace('_', '-')}-percent",
                    label,
                    "The share of the year's spend paid to suppliers based in, or with a branch "
                    "in, the area (deprived: in the council's chosen most deprived deciles; SME "
                    "and VCSE: as registers and the creditor file say). The change is in "
                    "percentage points.",
                    "percent",
                    share.percent if share else None,
                    before.percent if before else None,
                    link=link,
                )
            )
    for study in studies:
        try:
            result = study_outcome(study).result
        except analyses.AnalysisNotReady as problem:
            notes.append(f"LM3 ({study.get_boundary_display().lower()}): {problem}")
            continue
        coverage = (
            f"{(result.survey_coverage * 100).quantize(Decimal('0.1'))}%"
            if result.survey_coverage is not None
            else "no survey answers"
        )
        figures.append(
            figure(
                f"lm3-{study.boundary}",
                f"Local Multiplier 3 ({study.get_boundary_display().lower()})",
                f"NEF's LM3: (R1 + R2 + R3) ÷ R1, between 1 and 3, for {result.boundary_name}, "
                f"{result.period}; payroll {'included' if result.payroll_included else 'not included'}"
                f"; survey coverage {coverage}. Where suppliers did not answer the survey, the "
                "stated assumption is used.",
                "ratio",
                result.lm3.quantize(Decimal("0.01")),
                None,
                link=reverse("cwb:lm3-detail", args=[study.pk]),
                compare=False,
            )
        )
    tables = []
    if year is not None:
        tables.append(
            table(
                "local-shares",
                "Where the council's spend goes",
                f"Spend in {year.financial_year} by where suppliers are and what they are; "
                "last year's share beside it, in percent.",
                [
                    column("group", "", "text"),
                    column("pounds", "Spend", "pence"),
                    column("percent", "Share", "percent"),
                    column("previous", "Share last year", "percent"),
                ],
                [
                    row(
                        {
                            "group": label,
                            "pounds": getattr(year, name).pence,
                            "percent": getattr(year, name).percent,
                            "previous": getattr(previous, name).percent if previous else None,
                        },
                        link=link,
                    )
                    for name, label in LOCAL_SHARES
                ],
                chart={
                    "kind": "percent-bars",
                    "title": "Share of spend (%)",
                    "alt": "Bar chart of the share of the council's spend in the borough, the "
                    "city region, deprived areas, with SMEs and with VCSEs. The same figures "
                    "are in the table.",
                },
            )
        )
    return {
        "key": "local-markets",
        "title": "Local markets and the council's spend",
        "figures": figures,
        "tables": tables,
        "notes": notes,
    }


# --- Priority actions, events and engagement ---------------------------------------------


def actions_section(scope: Scope) -> dict[str, Any]:
    actions = list(
        Action.objects.filter(council=scope.council)
        .filter(
            Q(recommendation__decision__decided_on__lte=scope.year.ends_on)
            | Q(event__held_on__lte=scope.year.ends_on)
        )
        .select_related("recommendation__decision", "event", "owner")
        .order_by("recommendation__decision__decided_on", "recommendation__position", "due_on")
    )
    this_year = [a for a in actions if a.due_on <= scope.year.ends_on or not a.is_open]
    next_start = scope.year.ends_on + timedelta(days=1)
    next_end = date(next_start.year + 1, next_start.month, next_start.day) - timedelta(days=1)
    coming = [a for a in actions if a.is_open and next_start <= a.due_on <= next_end]
    counts = Counter(a.status for a in this_year)
    overdue = sum(1 for a in this_year if a.is_open and a.due_on < scope.today)

    def action_row(action: Action) -> dict[str, Any]:
        source = (
            f"({action.recommendation.label}) {action.recommendation.decision.meeting} "
            f"{action.recommendation.decision.decided_on:%d %B %Y}"
            if action.recommendation
            else f"Event: {action.event.title}"
            if action.event
            else ""
        )
        return row(
            {
                "source": source,
                "action": action.title,
                "owner": action.owner.full_name,
                "due": action.due_on,
                "status": action.get_status_display(),
                "reason": action.status_reason,
            },
            link=reverse("reporting:action", args=[action.pk]),
        )

    columns = [
        column("source", "Recommendation", "text"),
        column("action", "Action", "text"),
        column("owner", "Owner", "person"),
        column("due", "Due", "date"),
        column("status", "Status", "text"),
        column("reason", "Why", "text"),
    ]
    events = list(
        Event.objects.filter(
            council=scope.council,
            held_on__gte=scope.year.starts_on,
            held_on__lte=scope.year.ends_on,
        ).order_by("held_on")
    )
    entries = list(
        EngagementEntry.objects.filter(
            engagement__council=scope.council,
            happened_on__gte=scope.year.starts_on,
            happened_on__lte=scope.year.ends_on,
        )
        .select_related("engagement")
        .order_by("happened_on", "pk")
    )
    return {
        "key": "actions",
        "title": "Priority actions, events and engagement",
        "figures": [
            figure(
                "actions",
                "Priority actions due in the year or finished",
                "Actions agreed under Cabinet recommendations, or following events, that were "
                "due by the end of the year or are done or dropped.",
                "count",
                len(this_year),
                link=scope.records("actions"),
                compare=False,
            ),
            *[
                figure(
                    f"actions-{status.value.replace('_', '-')}",
                    f"Actions {status.label.lower()}",
                    f"Of those actions, the ones whose status is “{status.label}”.",
                    "count",
                    counts.get(status.value, 0),
                    link=scope.records("actions", status=status.value),
                    compare=False,
                )
                for status in ActionStatus
            ],
            figure(
                "actions-overdue",
                "Actions overdue",
                "Actions not done or dropped whose due date has passed.",
                "count",
                overdue,
                link=scope.records("actions", overdue="1"),
                compare=False,
            ),
        ],
        "tables": [
            table(
                "actions",
                "Priority actions and their status",
                "Each action with its owner, due date and status when the report was written.",
                columns,
                [action_row(a) for a in this_year],
            ),
            table(
                "next-year",
                "Actions proposed for next year",
                f"Open actions due between {next_start:%d %B %Y} and {next_end:%d %B %Y}.",
                columns,
                [action_row(a) for a in coming],
            ),
            table(
                "events",
                "Events",
                "Events held in the year, with who came and what came of them.",
                [
                    column("date", "Date", "date"),
                    column("event", "Event", "text"),
                    column("organisations", "Organisations", "count"),
                    column("attendance", "People", "count"),
                    column("outcomes", "Outcomes", "text"),
                ],
                [
                    row(
                        {
                            "date": e.held_on,
                            "event": e.title,
                            "organisations": len(e.organisation_list),
                            "attendance": e.attendance,
                            "outcomes": e.outcomes,
                        },
                        link=reverse("reporting:event", args=[e.pk]),
                    )
                    for e in events
                ],
            ),
            table(
                "engagement",
                "Engagement with other bodies",
                "Meetings held, resources used and commitments made with outside bodies in the "
                "year.",
                [
                    column("date", "Date", "date"),
                    column("body", "With", "text"),
                    column("kind", "What", "text"),
                    column("summary", "Summary", "text"),
                ],
                [
                    row(
                        {
                            "date": entry.happened_on,
                            "body": entry.engagement.body,
                            "kind": entry.get_kind_display(),
                            "summary": entry.summary,
                        },
                        link=reverse("reporting:engagement", args=[entry.engagement_id]),
                    )
                    for entry in entries
                ],
            ),
        ],
    }


# --- The whole document ------------------------------------------------------------------


def scope_for(council: Organisation, year_label: str, *, today: date | None = None) -> Scope:
    years = policy_years_of(council)
    if years is None:
        raise NoPolicyYears(
            "Set the date the council adopted its Social Value Policy first, on the reporting "
            "settings page"
        )
    year = years.year_labelled(year_label)
    return Scope(council, year, years.previous(year), today or timezone.localdate())


def build_document(
    council: Organisation,
    year_label: str,
    *,
    report: ProgressReport | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The report for the year as it stands in the data now (a draft)."""
    scope = scope_for(council, year_label, today=today)
    narrative = report.narrative if report else {}
    built = [
        procurement_section(scope),
        commitments_section(scope),
        case_studies_section(scope),
        local_markets_section(scope),
        *sections.programme_sections(scope),
        actions_section(scope),
    ]
    found = [section for section in built if section is not None]
    for number, section in enumerate(found, start=1):
        section["number"] = number
        section["narrative"] = str(narrative.get(section["key"], ""))
        section.setdefault("items", [])
        section.setdefault("notes", [])
    return {
        "schema": SCHEMA,
        "title": f"Social Value Policy progress report {scope.year.label} "
        f"(year {scope.year.number})",
        "council": {"id": council.pk, "name": council.name, "gss_code": council.gss_code},
        "year": _year(scope.year),
        "previous_year": _year(scope.previous) if scope.previous else None,
        "as_at": scope.as_at.isoformat(),
        "generated_on": scope.today.isoformat(),
        "introduction": str(narrative.get("introduction", "")),
        "recommendations": report.recommendation_list if report else [],
        "sections": found,
    }


def _year(year: PolicyYear) -> dict[str, Any]:
    return {
        "label": year.label,
        "number": year.number,
        "starts_on": year.starts_on.isoformat(),
        "ends_on": year.ends_on.isoformat(),
    }


def all_figures(document: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for section in document["sections"]:
        for item in section["figures"]:
            yield f"{section['key']}/{item['key']}", item


def totals_rows(table_: dict[str, Any]) -> list[tuple[str, Totals]]:
    """A committed/claimed/verified table's rows as the dashboard's chart draws them."""
    return [
        (
            str(r["cells"]["group"]),
            Totals(
                committed_pence=r["cells"]["committed"] or 0,
                claimed_pence=r["cells"]["claimed"] or 0,
                verified_pence=r["cells"]["verified"] or 0,
            ),
        )
        for r in table_["rows"]
    ]
