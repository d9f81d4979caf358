"""Committed, target to date, claimed and verified figures, in units and in pounds.

The three states are kept apart and never added together. Units are summed per commitment (one
measure, one unit); pounds come from the valuation engine with the contract's measure set
version and price year, so a figure in £ is always quantity × the measure's proxy, re-based,
× (1 − deadweight) × attribution, rounded once to the penny. Only submitted returns count as
claims, and only lines a contract manager verified (in full or in part) count as verified.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from commonweal import valuation
from commonweal.contracts.models import Commitment, CommitmentYear, Contract
from commonweal.contracts.selectors import MEASURE_DETAILS, MEASURE_RELATIONS
from commonweal.contracts.valuing import QuantityLine, value_lines
from commonweal.financial_years import financial_year_label, financial_year_of
from commonweal.frameworks.engine_inputs import (
    carbon_for_contract,
    deflator_for_version,
    measure_specs_for,
    valued_by_delivery_year,
)
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure
from commonweal.monitoring.models import (
    FIRST_DAY,
    LAST_DAY,
    DeliveryFigures,
    LineOutcome,
    MonitoringSettings,
    PeriodTarget,
    ReportingPeriod,
    ReturnLine,
    ReturnStatus,
    SupplierReturn,
)
from commonweal.valuation import Rag, RagThresholds, ValueType

ZERO = Decimal(0)
CLAIMED_STATUSES = (
    ReturnStatus.SUBMITTED,
    ReturnStatus.QUERIED,
    ReturnStatus.VERIFIED,
    ReturnStatus.PART_VERIFIED,
    ReturnStatus.REJECTED,
)
VERIFIED_OUTCOMES = (LineOutcome.VERIFIED, LineOutcome.PART_VERIFIED)
RAG_LABELS = {
    Rag.GREEN: ("Green", "green"),
    Rag.AMBER: ("Amber", "yellow"),
    Rag.RED: ("Red", "red"),
    Rag.NOT_YET_DUE: ("Not yet due", "grey"),
}


# --- Valuing quantities in pounds ---------------------------------------------------------


@dataclass(frozen=True)
class ToValue:
    """A quantity of a commitment's measure to be valued, keyed for reading back."""

    key: str
    measure_id: int
    deadweight: Decimal
    attribution: Decimal
    measure_set_version_id: int | None
    price_year: int
    quantity: Decimal
    start_year: int | None = None
    """The year the contract starts, for carbon valued by the year it is saved in (contract year
    1 counts as this year; valuation.CarbonValuedByDeliveryYear); None for any other quantity."""
    contract_year: int = 1
    """The contract year the quantity was (or is to be) delivered in; it matters only to carbon
    valued by year, so other measures' quantities to date are valued together as year 1."""

    @classmethod
    def of(
        cls,
        key: str,
        commitment: Commitment,
        contract: Contract,
        quantity: Decimal,
        contract_year: int | None = None,
    ) -> ToValue:
        """The quantity to value; with `contract_year`, a carbon saving valued at the value of
        the year that contract year falls in."""
        return cls(
            key,
            commitment.measure_id,
            commitment.deadweight,
            commitment.attribution,
            contract.measure_set_version_id,
            contract.price_year,
            quantity,
            contract.start_date.year if contract_year is not None else None,
            contract_year or 1,
        )


VALUE_CHUNK = 2000
"""Lines valued per engine call: keeps memory small however large the portfolio."""


def value_in_pence(
    items: Sequence[ToValue],
    *,
    measures: dict[int, Measure],
    versions: dict[int, LocalMeasureSetVersion],
) -> dict[str, int | None]:
    """Value each quantity in pence (None for record-only and qualitative measures).

    The engine is called per measure set version and price year, in chunks, and never reads
    the database: `measures` (with proxy, outcome and theme) and `versions` (with deflator and
    carbon series points) are loaded by the caller, so a portfolio of any size is valued in a
    fixed number of queries. The engine is a pure function, so the same quantity of the same measure with
    the same deadweight and attribution is valued once and the value reused; a quantity of
    nothing is worth nothing and is not sent to the engine. A quantity with a `start_year` is
    valued with carbon by delivery year, at its `contract_year`'s calendar year.
    """
    values: dict[str, int | None] = {}
    Same = tuple[int, Decimal, Decimal, Decimal, int]
    groups: dict[tuple[int | None, int, int | None], dict[Same, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for item in items:
        if item.quantity == 0:
            monetised = measures[item.measure_id].value_type == ValueType.MONETISED
            values[item.key] = 0 if monetised else None
            continue
        same = (
            item.measure_id,
            item.deadweight,
            item.attribution,
            item.quantity,
            item.contract_year,
        )
        group = (item.measure_set_version_id, item.price_year, item.start_year)
        groups[group][same].append(item.key)
    for (version_id, price_year, start_year), distinct in groups.items():
        version = versions.get(version_id) if version_id is not None else None
        deflator = deflator_for_version(version)
        carbon = carbon_for_contract(version, start_year) if start_year is not None else None
        used = {measures[measure_id] for measure_id, *_ in distinct}
        specs = measure_specs_for(sorted(used, key=lambda m: m.pk))
        keyed = list(distinct.items())
        for start in range(0, len(keyed), VALUE_CHUNK):
            chunk = keyed[start : start + VALUE_CHUNK]
            lines = [
                QuantityLine(
                    key=str(start + offset),
                    measure_code=measures[measure_id].code,
                    contract_year=contract_year,
                    quantity=quantity,
                    deadweight=deadweight,
                    attribution=attribution,
                )
                for offset, ((measure_id, deadweight, attribution, quantity, contract_year), _) in (
                    enumerate(chunk)
                )
            ]
            found, _ = value_lines(
                lines,
                specs,
                price_year=price_year,
                deflator=deflator,
                contract_value_pence=None,
                contract_years=None,
                rules=(),
                carbon=carbon,
            )
            for offset, (_, keys) in enumerate(chunk):
                for key in keys:
                    values[key] = found[str(start + offset)]
    return values


def _load_measures(ids: Iterable[int]) -> dict[int, Measure]:
    return {
        m.pk: m for m in Measure.objects.filter(pk__in=set(ids)).select_related(*MEASURE_RELATIONS)
    }


def _load_versions(ids: Iterable[int | None]) -> dict[int, LocalMeasureSetVersion]:
    return {
        v.pk: v
        for v in LocalMeasureSetVersion.objects.filter(pk__in={i for i in ids if i})
        .select_related("deflator", "carbon_series")
        .prefetch_related("deflator__points", "carbon_series__points")
    }


# --- One contract ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastCell:
    forecast: valuation.Forecast | None
    forecast_pence: int | None
    target_pence: int | None


@dataclass
class CommitmentFigures:
    commitment: Commitment
    measure: Measure
    committed: Decimal
    committed_pence: int | None
    status: valuation.DeliveryStatus | None
    """None when no reporting period has ended yet."""
    target_to_date: Decimal
    claimed_to_date: Decimal
    verified_to_date: Decimal
    target_pence: int | None = None
    claimed_pence: int | None = None
    verified_pence: int | None = None
    forecast_pence: int | None = None
    forecasts: valuation.Forecasts | None = None
    """Current contract year, current financial year and whole contract, at the run rate of
    verified delivery; None until a period has ended."""
    forecast_pence_by_span: dict[str, int | None] = field(default_factory=dict)
    """£ of each forecast and its target, keyed "contract_year", "contract_year_target",
    "financial_year", "financial_year_target", "to_end", "to_end_target"."""

    @property
    def monetised(self) -> bool:
        return self.committed_pence is not None

    @property
    def forecast_cells(self) -> list[ForecastCell]:
        """The contract year's, financial year's and whole contract's forecasts, in order."""
        if self.forecasts is None:
            return []
        pence = self.forecast_pence_by_span
        return [
            ForecastCell(forecast, pence.get(span), pence.get(f"{span}_target"))
            for span, forecast in (
                ("contract_year", self.forecasts.contract_year),
                ("financial_year", self.forecasts.financial_year),
                ("to_end", self.forecasts.to_end),
            )
        ]

    @property
    def rag(self) -> Rag:
        return self.status.rag if self.status is not None else Rag.NOT_YET_DUE

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag][0]

    @property
    def rag_colour(self) -> str:
        return RAG_LABELS[self.rag][1]

    @property
    def variance(self) -> Decimal:
        return self.verified_to_date - self.target_to_date


@dataclass
class ContractFigures:
    contract: Contract
    as_of: ReportingPeriod | None
    commitments: list[CommitmentFigures]
    committed_pence: int
    target_pence: int
    claimed_pence: int
    verified_pence: int
    forecast_pence: int
    rag: Rag
    working: list[str] = field(default_factory=list)
    current_contract_year: int = 1
    current_financial_year: str = ""
    forecast_pence_by_span: dict[str, int] = field(default_factory=dict)
    """The commitments' £ forecasts and targets added up, keyed as on each commitment."""
    forecast_method: str = valuation.RUN_RATE_METHOD

    @property
    def variance_pence(self) -> int:
        return self.verified_pence - self.target_pence

    @property
    def forecast_totals(self) -> list[tuple[int, int]]:
        """£ forecast and £ target of the monetised commitments, per span, in order."""
        spans = ("contract_year", "financial_year", "to_end")
        pence = self.forecast_pence_by_span
        return [(pence.get(s, 0), pence.get(f"{s}_target", 0)) for s in spans]

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag][0]

    @property
    def rag_colour(self) -> str:
        return RAG_LABELS[self.rag][1]


def contract_rag(
    target_pence: int,
    verified_pence: int,
    commitment_rags: Sequence[Rag],
    thresholds: RagThresholds,
) -> Rag:
    """The contract's rating: verified £ ÷ target £ to date against the council's thresholds.

    A contract with no £ target to date (only record-only measures, or nothing due yet) takes
    the worst rating of its commitments.
    """
    if target_pence > 0:
        return thresholds.rate(Decimal(verified_pence) / Decimal(target_pence))
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if rag in commitment_rags:
            return rag
    return Rag.NOT_YET_DUE


def contract_figures(
    contract: Contract,
    *,
    today: date,
    thresholds: RagThresholds,
    commitments: Sequence[Commitment] | None = None,
) -> ContractFigures:
    """Every figure for one contract as of the last reporting period ended by `today`.

    `commitments`, when the caller has them already, must be the contract's in order, with
    their years prefetched and their measures' outcome, theme and proxy selected.
    """
    periods = list(ReportingPeriod.objects.filter(contract=contract).order_by("position"))
    ended = [p for p in periods if p.ends_on <= today]
    as_of = ended[-1] if ended else None
    if commitments is None:
        commitments = list(
            Commitment.objects.filter(contract=contract)
            .select_related(*MEASURE_DETAILS)
            .prefetch_related("years")
            .order_by("position", "pk")
        )
    measures = {commitment.measure_id: commitment.measure for commitment in commitments}
    versions = _load_versions([contract.measure_set_version_id])
    targets: dict[tuple[int, int], Decimal] = {
        (commitment_id, period_id): target
        for commitment_id, period_id, target in PeriodTarget.objects.filter(
            period__contract=contract
        ).values_list("commitment_id", "period_id", "target")
    }
    claimed: dict[tuple[int, int], Decimal] = {}
    verified: dict[tuple[int, int], Decimal] = {}
    for line in ReturnLine.objects.filter(
        supplier_return__contract=contract, supplier_return__status__in=CLAIMED_STATUSES
    ).values("commitment_id", "supplier_return__period_id", "claimed", "verified", "outcome"):
        key = (line["commitment_id"], line["supplier_return__period_id"])
        claimed[key] = line["claimed"]
        if line["outcome"] in VERIFIED_OUTCOMES:
            verified[key] = line["verified"] or ZERO
        elif line["outcome"] == LineOutcome.REJECTED:
            verified[key] = ZERO

    # The current contract year and financial year are those of the period in progress (the
    # last one once the contract has ended), so they move on only when a period ends.
    in_progress = next((p for p in periods if p.ends_on > today), periods[-1] if periods else None)
    current_year = in_progress.contract_year if in_progress else contract.contract_year_of(today)
    current_fy = financial_year_label(
        financial_year_of(in_progress.ends_on if in_progress else today)
    )
    rows: list[CommitmentFigures] = []
    for commitment in commitments:
        committed = sum((y.quantity for y in commitment.years.all()), ZERO)
        forecasts = valuation.delivery_forecasts(
            periods=[
                valuation.ForecastPeriod(
                    period=p.label,
                    target=targets.get((commitment.pk, p.pk), ZERO),
                    verified=verified.get((commitment.pk, p.pk)),
                    contract_year=p.contract_year,
                    financial_year=financial_year_label(financial_year_of(p.ends_on)),
                    ended=p.ends_on <= today,
                )
                for p in periods
            ],
            current_contract_year=current_year,
            current_financial_year=current_fy,
        )
        status = None
        if as_of is not None:
            status = valuation.delivery_status(
                commitment_ref=commitment.line_ref,
                periods=[
                    valuation.PeriodDelivery(
                        period=p.label,
                        target=targets.get((commitment.pk, p.pk), ZERO),
                        claimed=claimed.get((commitment.pk, p.pk)),
                        verified=verified.get((commitment.pk, p.pk)),
                    )
                    for p in periods
                ],
                as_of=as_of.label,
                thresholds=thresholds,
            )
        rows.append(
            CommitmentFigures(
                commitment=commitment,
                measure=measures[commitment.measure_id],
                committed=committed,
                committed_pence=commitment.committed_value_pence,
                status=status,
                target_to_date=status.target_to_date if status else ZERO,
                claimed_to_date=status.claimed_to_date if status else ZERO,
                verified_to_date=status.verified_to_date if status else ZERO,
                forecasts=forecasts if forecasts.run_rate is not None else None,
            )
        )
    items: list[ToValue] = []
    parts_of: dict[str, list[str]] = {}
    """The keys of a carbon figure's parts, one per contract year, valued at that year's value."""
    span_periods = {
        "contract_year": [p for p in periods if p.contract_year == current_year],
        "financial_year": [
            p for p in periods if financial_year_label(financial_year_of(p.ends_on)) == current_fy
        ],
        "to_end": periods,
    }
    for row in rows:
        pk = row.commitment.pk
        forecast = row.status.forecast_at_end if row.status else ZERO
        figures: list[tuple[str, Decimal, list[tuple[int, Decimal]]]] = [
            (
                "target",
                row.target_to_date,
                [(p.contract_year, targets.get((pk, p.pk), ZERO)) for p in ended],
            ),
            (
                "claimed",
                row.claimed_to_date,
                [(p.contract_year, claimed.get((pk, p.pk)) or ZERO) for p in ended],
            ),
            (
                "verified",
                row.verified_to_date,
                [(p.contract_year, verified.get((pk, p.pk)) or ZERO) for p in ended],
            ),
            (
                "forecast",
                forecast,
                [(p.contract_year, row.verified_to_date / len(ended)) for p in periods]
                if ended
                else [],
            ),
        ]
        for span, span_forecast in _spans(row.forecasts):
            run_rate = row.forecasts.run_rate if row.forecasts else None
            chosen = span_periods[span]
            figures.append(
                (
                    span,
                    span_forecast.forecast,
                    [
                        (
                            p.contract_year,
                            (verified.get((pk, p.pk)) or ZERO)
                            if p.ends_on <= today
                            else (run_rate or ZERO),
                        )
                        for p in chosen
                    ],
                )
            )
            figures.append(
                (
                    f"{span}_target",
                    span_forecast.target,
                    [(p.contract_year, targets.get((pk, p.pk), ZERO)) for p in chosen],
                )
            )
        by_year = row.monetised and valued_by_delivery_year(row.measure)
        for name, quantity, parts in figures:
            figure_key = f"{pk}|{name}"
            if not by_year:
                items.append(ToValue.of(figure_key, row.commitment, contract, quantity))
                continue
            per_year = _by_contract_year(parts)
            parts_of[figure_key] = [f"{figure_key}|Y{year}" for year in per_year]
            items.extend(
                ToValue.of(f"{figure_key}|Y{year}", row.commitment, contract, part, year)
                for year, part in per_year.items()
            )
    values = value_in_pence(items, measures=measures, versions=versions)

    def pence(key: str) -> int | None:
        if key not in parts_of:
            return values[key]
        return sum((values[part] or 0 for part in parts_of[key]), 0)

    for row in rows:
        if not row.monetised:
            continue
        row.target_pence = pence(f"{row.commitment.pk}|target")
        row.claimed_pence = pence(f"{row.commitment.pk}|claimed")
        row.verified_pence = pence(f"{row.commitment.pk}|verified")
        row.forecast_pence = pence(f"{row.commitment.pk}|forecast")
        for span, _ in _spans(row.forecasts):
            for suffix in ("", "_target"):
                row.forecast_pence_by_span[span + suffix] = pence(
                    f"{row.commitment.pk}|{span}{suffix}"
                )
    money = [row for row in rows if row.monetised]
    by_span: dict[str, int] = defaultdict(int)
    for row in money:
        for span_key, span_pence in row.forecast_pence_by_span.items():
            by_span[span_key] += span_pence or 0
    target_pence = sum(row.target_pence or 0 for row in money)
    verified_pence = sum(row.verified_pence or 0 for row in money)
    return ContractFigures(
        contract=contract,
        as_of=as_of,
        commitments=rows,
        committed_pence=sum(row.committed_pence or 0 for row in money),
        target_pence=target_pence,
        claimed_pence=sum(row.claimed_pence or 0 for row in money),
        verified_pence=verified_pence,
        forecast_pence=sum(row.forecast_pence or 0 for row in money),
        rag=contract_rag(target_pence, verified_pence, [row.rag for row in rows], thresholds),
        current_contract_year=current_year,
        current_financial_year=current_fy,
        forecast_pence_by_span=dict(by_span),
    )


def _by_contract_year(parts: Iterable[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Quantities added up by the contract year they fall in (year 1 alone when there are none:
    nothing is worth nothing)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for year, quantity in parts:
        totals[year] += quantity
    return dict(sorted(totals.items())) or {1: ZERO}


def _spans(forecasts: valuation.Forecasts | None) -> list[tuple[str, valuation.Forecast]]:
    if forecasts is None:
        return []
    return [
        (name, forecast)
        for name, forecast in (
            ("contract_year", forecasts.contract_year),
            ("financial_year", forecasts.financial_year),
            ("to_end", forecasts.to_end),
        )
        if forecast is not None
    ]


# --- Counting-rule findings on a return ---------------------------------------------------

RETURN_RULES = (*valuation.COUNTING_RULES, valuation.WholePersonUnitsAreWholeNumbers())
"""The rules a return's claims are checked against. The offer-level plausibility rules (an
offer's share of the contract value) are for offers; claims have their own rules, against the
commitment."""


@dataclass(frozen=True)
class ReturnCheck:
    claimed_pence: dict[int, int | None]
    """Claimed value of each line of the return, by line id."""
    findings: list[tuple[valuation.Finding, list[str]]]
    """Each finding touching this return, with the measure codes of the lines it names."""


def return_check(supplier_return_id: int) -> ReturnCheck:
    """Value this return's claims and apply the counting rules to every claim on the contract
    so far (other submitted returns and this one), keeping the findings about this return; then
    check each of its commitments' claims to date against the commitment (the claim rules, with
    the council's margin)."""
    supplier_return = SupplierReturn.objects.select_related("contract", "period").get(
        pk=supplier_return_id
    )
    contract = supplier_return.contract
    lines = list(
        ReturnLine.objects.filter(supplier_return__contract=contract)
        .filter(
            Q(supplier_return=supplier_return) | Q(supplier_return__status__in=CLAIMED_STATUSES)
        )
        .exclude(claimed=0)
        .select_related("commitment", "supplier_return__period")
    )
    measures = _load_measures(line.commitment.measure_id for line in lines)
    versions = _load_versions([contract.measure_set_version_id])
    version = versions.get(contract.measure_set_version_id or 0)
    specs = measure_specs_for(sorted(measures.values(), key=lambda m: m.pk))
    quantity_lines = [
        QuantityLine(
            key=f"L{line.pk}",
            measure_code=measures[line.commitment.measure_id].code,
            contract_year=line.supplier_return.period.contract_year,
            quantity=line.claimed,
            deadweight=line.commitment.deadweight,
            attribution=line.commitment.attribution,
            person_refs=valuation.person_references(line.people),
            activity_ref=line.activity or None,
        )
        for line in lines
    ]
    values, result = (
        value_lines(
            quantity_lines,
            specs,
            price_year=contract.price_year,
            deflator=deflator_for_version(version),
            contract_value_pence=contract.value_pence,
            contract_years=contract.contract_years,
            workforce_fte=supplier_return.workforce_fte,
            rules=RETURN_RULES,
            carbon=carbon_for_contract(version, contract.start_date.year),
        )
        if quantity_lines
        else ({}, None)
    )
    own = {f"L{line.pk}": line for line in lines if line.supplier_return_id == supplier_return.pk}
    findings = []
    if result is not None:
        for finding in result.findings:
            if any(ref in own for ref in finding.line_refs):
                codes = sorted(
                    {
                        measures[line.commitment.measure_id].code
                        for ref, line in own.items()
                        if ref in finding.line_refs
                    }
                )
                findings.append((finding, codes))
    for finding, code in _claim_findings(supplier_return, lines):
        findings.append((finding, [code]))
    return ReturnCheck(
        claimed_pence={line.pk: values.get(ref) for ref, line in own.items()},
        findings=findings,
    )


def _claim_findings(
    supplier_return: SupplierReturn, lines: list[ReturnLine]
) -> list[tuple[valuation.Finding, str]]:
    """The claim rules on each commitment this return claims against: claimed to the end of
    its period (earlier submitted returns and this one) against the targets to then and the
    commitment for the whole contract."""
    period = supplier_return.period
    claimed: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.supplier_return.period.position <= period.position:
            claimed[line.commitment_id] += line.claimed
    own = {line.commitment_id for line in lines if line.supplier_return_id == supplier_return.pk}
    if not own:
        return []
    to_date = dict(
        PeriodTarget.objects.filter(commitment_id__in=own, period__position__lte=period.position)
        .filter(period__contract_id=supplier_return.contract_id)
        .values_list("commitment_id")
        .annotate(total=Sum("target"))
    )
    in_total = dict(
        CommitmentYear.objects.filter(commitment_id__in=own)
        .values_list("commitment_id")
        .annotate(total=Sum("quantity"))
    )
    commitments = {c.pk: c for c in Commitment.objects.filter(pk__in=own).select_related("measure")}
    margin = (
        MonitoringSettings.objects.filter(council_id=supplier_return.contract.council_id)
        .order_by("-version")
        .values_list("claim_margin_percent", flat=True)
        .first()
    )
    rules = valuation.claim_rules(margin_percent=margin if margin is not None else Decimal(25))
    found = []
    for commitment_id in sorted(own):
        commitment = commitments[commitment_id]
        position = valuation.ClaimPosition(
            commitment_ref=commitment.line_ref,
            measure_code=commitment.measure.code,
            unit=commitment.measure.unit,
            period=period.label,
            claimed_to_date=claimed[commitment_id],
            committed_to_date=to_date.get(commitment_id) or ZERO,
            committed_in_total=in_total.get(commitment_id) or ZERO,
        )
        found += [(f, commitment.measure.code) for f in valuation.check_claims([position], rules)]
    return found


# --- Figures kept for the portfolio -------------------------------------------------------

SHARE_PLACES = Decimal("0.000001")
REFRESH_CHUNK = 200
"""Contracts worked out together when refreshing many: bounds memory, keeps queries few."""


def verified_share(verified: Decimal, target: Decimal) -> Decimal | None:
    """Verified ÷ target, rounded down to 6 places; None when nothing was due.

    Rounding down keeps every comparison with a RAG threshold (3 places) exact: the share is at
    or above 0.900 exactly when its value rounded down to 6 places is.
    """
    if target <= 0:
        return None
    return (verified / target).quantize(SHARE_PLACES, rounding=ROUND_FLOOR)


def refresh_contract_figures(contract_ids: Iterable[int]) -> int:
    """Work out and store the `DeliveryFigures` rows of these contracts, replacing old ones.

    Called by every service that changes what the figures rest on (commitments, periods,
    targets, submitted returns, verification), inside its transaction, so stored figures never
    lag the data. Returns the number of rows written.
    """
    ids = sorted(set(contract_ids))
    written = 0
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        rows = _figures_rows(chunk)
        DeliveryFigures.objects.filter(contract_id__in=chunk).delete()
        DeliveryFigures.objects.bulk_create(rows, batch_size=5000)
        written += len(rows)
    return written


def _figures_rows(contract_ids: list[int]) -> list[DeliveryFigures]:

    contracts = {
        row["pk"]: row
        for row in Contract.objects.filter(pk__in=contract_ids).values(
            "pk", "council_id", "start_date", "measure_set_version_id", "price_year"
        )
    }
    commitments = list(
        Commitment.objects.filter(contract_id__in=contract_ids)
        .order_by("pk")
        .values(
            "pk", "contract_id", "measure_id", "deadweight", "attribution", "committed_value_pence"
        )
    )
    committed = {
        row["commitment_id"]: row["total"] or ZERO
        for row in CommitmentYear.objects.filter(commitment__contract_id__in=contract_ids)
        .values("commitment_id")
        .annotate(total=Sum("quantity"))
    }
    periods: dict[int, list[tuple[int, date, int]]] = defaultdict(list)
    for period in (
        ReportingPeriod.objects.filter(contract_id__in=contract_ids)
        .order_by("contract_id", "position")
        .values_list("contract_id", "pk", "ends_on", "contract_year")
    ):
        periods[period[0]].append((period[1], period[2], period[3]))
    targets = {
        (commitment_id, period_id): target
        for commitment_id, period_id, target in PeriodTarget.objects.filter(
            period__contract_id__in=contract_ids
        ).values_list("commitment_id", "period_id", "target")
    }
    claimed: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    verified: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for commitment_id, period_id, claim, checked, outcome in ReturnLine.objects.filter(
        supplier_return__contract_id__in=contract_ids,
        supplier_return__status__in=CLAIMED_STATUSES,
    ).values_list("commitment_id", "supplier_return__period_id", "claimed", "verified", "outcome"):
        claimed[(commitment_id, period_id)] += claim
        if outcome in VERIFIED_OUTCOMES:
            verified[(commitment_id, period_id)] += checked or ZERO

    # Cumulative quantities per commitment as of the end of each period, and by contract year
    # (target, claimed, verified in each year so far) for carbon valued by the year it is in.
    Step = tuple[date, date, Decimal, Decimal, Decimal]
    ByYear = dict[int, tuple[Decimal, Decimal, Decimal]]
    steps: dict[int, list[Step]] = {}
    steps_by_year: dict[int, list[ByYear]] = {}
    for commitment in commitments:
        own = periods.get(commitment["contract_id"], [])
        target = claim = check = ZERO
        so_far: ByYear = {}
        ends = [ends_on for _, ends_on, _ in own]
        rows: list[Step] = [(FIRST_DAY, ends[0] if ends else LAST_DAY, ZERO, ZERO, ZERO)]
        by_year: list[ByYear] = [{}]
        for position, (period_id, ends_on, contract_year) in enumerate(own):
            key = (commitment["pk"], period_id)
            target += targets.get(key, ZERO)
            claim += claimed.get(key, ZERO)
            check += verified.get(key, ZERO)
            year_target, year_claim, year_check = so_far.get(contract_year, (ZERO, ZERO, ZERO))
            so_far = {
                **so_far,
                contract_year: (
                    year_target + targets.get(key, ZERO),
                    year_claim + claimed.get(key, ZERO),
                    year_check + verified.get(key, ZERO),
                ),
            }
            until = ends[position + 1] if position + 1 < len(ends) else LAST_DAY
            rows.append((ends_on, until, target, claim, check))
            by_year.append(so_far)
        steps[commitment["pk"]] = rows
        steps_by_year[commitment["pk"]] = by_year

    measures = _load_measures(c["measure_id"] for c in commitments)
    by_year_measures = {pk for pk, measure in measures.items() if valued_by_delivery_year(measure)}
    items: list[ToValue] = []
    parts_of: dict[str, list[str]] = {}
    """The keys of a carbon figure's parts, one per contract year, valued at that year's value."""
    for commitment in commitments:
        if commitment["committed_value_pence"] is None:
            continue
        contract = contracts[commitment["contract_id"]]
        by_delivery_year = commitment["measure_id"] in by_year_measures
        for index, (_, _, target, claim, check) in enumerate(steps[commitment["pk"]]):
            so_far = steps_by_year[commitment["pk"]][index]
            for position, (name, quantity) in enumerate(
                (("target", target), ("claimed", claim), ("verified", check))
            ):
                figure_key = f"{commitment['pk']}|{index}|{name}"
                parts = (
                    {year: figures[position] for year, figures in so_far.items()} or {1: ZERO}
                    if by_delivery_year
                    else {1: quantity}
                )
                if by_delivery_year:
                    parts_of[figure_key] = [f"{figure_key}|Y{year}" for year in parts]
                items.extend(
                    ToValue(
                        f"{figure_key}|Y{year}" if by_delivery_year else figure_key,
                        commitment["measure_id"],
                        commitment["deadweight"],
                        commitment["attribution"],
                        contract["measure_set_version_id"],
                        contract["price_year"],
                        part,
                        contract["start_date"].year if by_delivery_year else None,
                        year,
                    )
                    for year, part in parts.items()
                )
    found = value_in_pence(
        items,
        measures=measures,
        versions=_load_versions(c["measure_set_version_id"] for c in contracts.values()),
    )
    values = {
        **found,
        **{key: sum((found[part] or 0 for part in parts), 0) for key, parts in parts_of.items()},
    }

    years = {
        pk: financial_year_label(financial_year_of(row["start_date"]))
        for pk, row in contracts.items()
    }
    figures = []
    for commitment in commitments:
        pk = commitment["pk"]
        contract = contracts[commitment["contract_id"]]
        monetised = commitment["committed_value_pence"] is not None
        for index, (from_date, until_date, target, claim, check) in enumerate(steps[pk]):
            pence = (
                {name: values[f"{pk}|{index}|{name}"] for name in ("target", "claimed", "verified")}
                if monetised
                else dict.fromkeys(("target", "claimed", "verified"))
            )
            figures.append(
                DeliveryFigures(
                    council_id=contract["council_id"],
                    contract_id=contract["pk"],
                    commitment_id=pk,
                    measure_id=commitment["measure_id"],
                    from_date=from_date,
                    until_date=until_date,
                    financial_year=years[contract["pk"]],
                    committed=committed.get(pk, ZERO),
                    target_to_date=target,
                    claimed_to_date=claim,
                    verified_to_date=check,
                    verified_share=verified_share(check, target),
                    committed_pence=commitment["committed_value_pence"],
                    target_pence=pence["target"],
                    claimed_pence=pence["claimed"],
                    verified_pence=pence["verified"],
                )
            )
    return figures


def council_figures_as_of(council_id: int, today: date) -> QuerySet[DeliveryFigures]:
    """One row per commitment of the council's contracts: its figures as of the last period
    ended by `today` (or before any ended), read through the council's index."""
    return DeliveryFigures.objects.filter(
        council_id=council_id, from_date__lte=today, until_date__gt=today
    )


def rag_of(thresholds: RagThresholds) -> Case:
    """The RAG rating of a figures row, worked out in SQL from its verified share."""
    return Case(
        When(verified_share__isnull=True, then=Value(Rag.NOT_YET_DUE.value)),
        When(verified_share__gte=thresholds.green_at, then=Value(Rag.GREEN.value)),
        When(verified_share__gte=thresholds.amber_at, then=Value(Rag.AMBER.value)),
        default=Value(Rag.RED.value),
        output_field=CharField(),
    )


SHORTFALL_PENCE = Coalesce(F("target_pence"), 0) - Coalesce(F("verified_pence"), 0)
"""Target less verified to date in pence (0 for unvalued measures), worked out in SQL."""

PORTFOLIO_GROUP_FIELDS = {
    "theme": "measure__outcome__theme__name",
    "outcome": "measure__outcome__name",
    "directorate": "contract__directorate",
    "supplier": "contract__supplier__name",
    "year": "financial_year",
}
"""What the portfolio is grouped and filtered by, with the field each one reads."""


@dataclass
class PortfolioRow:
    """Figures for one commitment, with the names it is grouped and listed by."""

    commitment_id: int
    contract_id: int
    contract_reference: str
    contract_title: str
    supplier: str
    directorate: str
    theme: str
    outcome: str
    measure_code: str
    unit: str
    financial_year: str
    committed: Decimal
    target_to_date: Decimal
    claimed: Decimal
    verified: Decimal
    committed_pence: int | None
    target_pence: int | None
    claimed_pence: int | None
    verified_pence: int | None
    shortfall_pence: int
    rag: Rag


PORTFOLIO_ROW_FIELDS = {
    "commitment_id": "commitment_id",
    "contract_id": "contract_id",
    "contract_reference": "contract__reference",
    "contract_title": "contract__title",
    "supplier": "contract__supplier__name",
    "directorate": "contract__directorate",
    "theme": PORTFOLIO_GROUP_FIELDS["theme"],
    "outcome": PORTFOLIO_GROUP_FIELDS["outcome"],
    "measure_code": "measure__code",
    "unit": "measure__unit",
    "financial_year": "financial_year",
    "committed": "committed",
    "target_to_date": "target_to_date",
    "claimed": "claimed_to_date",
    "verified": "verified_to_date",
    "committed_pence": "committed_pence",
    "target_pence": "target_pence",
    "claimed_pence": "claimed_pence",
    "verified_pence": "verified_pence",
    "shortfall_pence": "shortfall_pence",
}
NOT_RECORDED = "Not recorded"


def portfolio_rows(
    rows: QuerySet[DeliveryFigures], thresholds: RagThresholds
) -> Iterator[PortfolioRow]:
    """The rows with their names, read in one query however many there are."""
    for values in rows.annotate(rag=rag_of(thresholds), shortfall_pence=SHORTFALL_PENCE).values(
        *PORTFOLIO_ROW_FIELDS.values(), "rag"
    ):
        found = {name: values[path] for name, path in PORTFOLIO_ROW_FIELDS.items()}
        found["directorate"] = found["directorate"] or NOT_RECORDED
        yield PortfolioRow(**found, rag=Rag(values["rag"]))


def figures_stamp(council_id: int) -> int:
    """How many times anything behind the council's figures and contract pages has changed."""
    return figures_stamps(council_id)[0]


def figures_stamps(council_id: int) -> tuple[int, int]:
    """(changes, changes to every contract at once) of the council's figures stamp. Written
    out: every dashboard asks it first, and the ORM would take longer to compose it than the
    database takes to answer."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT changes, every_contract_changes FROM monitoring_figuresstamp "
            "WHERE council_id = %s",
            [council_id],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, 0)
