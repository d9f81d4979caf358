"""Delivery against a commitment: target, claimed and verified to date, RAG status and forecast.

Claimed and verified figures are kept apart and never added together: a claim is what the
supplier says it delivered, verified is what the contract manager has checked against evidence.
RAG status and the forecast use verified figures only.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from commonweal.valuation.money import plain_number

QUANTITY_PLACES = Decimal("0.01")
"""Forecasts are rounded half up to 2 decimal places of the commitment's unit."""
PERCENT_PLACES = Decimal("0.01")
ZERO = Decimal(0)


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_YET_DUE = "not_yet_due"
    """Nothing was due by the as-of period, so there is nothing to rate."""


@dataclass(frozen=True)
class RagThresholds:
    """Verified ÷ target to date at or above `green_at` is green, at or above `amber_at` amber,
    below it red."""

    green_at: Decimal = Decimal("0.90")
    amber_at: Decimal = Decimal("0.70")

    def __post_init__(self) -> None:
        if not ZERO < self.amber_at <= self.green_at:
            raise ValueError(
                f"RAG thresholds need 0 < amber_at ≤ green_at, got amber_at {self.amber_at} "
                f"and green_at {self.green_at}"
            )

    def rate(self, verified_share_of_target: Decimal) -> Rag:
        if verified_share_of_target >= self.green_at:
            return Rag.GREEN
        if verified_share_of_target >= self.amber_at:
            return Rag.AMBER
        return Rag.RED


@dataclass(frozen=True)
class PeriodDelivery:
    """One reporting period of a commitment: its target and, once reported, claimed and verified."""

    period: str
    target: Decimal
    claimed: Decimal | None = None
    verified: Decimal | None = None


@dataclass(frozen=True)
class DeliveryStatus:
    commitment_ref: str
    as_of_period: str
    periods_to_date: int
    periods_in_contract: int
    target_to_date: Decimal
    claimed_to_date: Decimal
    verified_to_date: Decimal
    awaiting_verification: Decimal
    """Claimed to date less verified to date: claims not (yet) backed by checked evidence."""
    variance: Decimal
    """Verified to date less target to date; negative means behind."""
    percent_of_target: Decimal | None
    """Verified ÷ target to date × 100, rounded half up to 2 places; None when nothing was due."""
    rag: Rag
    total_target: Decimal
    forecast_at_end: Decimal
    """Verified run rate per period × periods in the contract, rounded half up to 2 places."""
    forecast_variance_at_end: Decimal
    working: tuple[str, ...]


def delivery_status(
    *,
    commitment_ref: str,
    periods: Sequence[PeriodDelivery],
    as_of: str,
    thresholds: RagThresholds = RagThresholds(),
) -> DeliveryStatus:
    """Status of one commitment as of the end of period `as_of`.

    `periods` lists every period of the contract in order, each with its target. Periods after
    `as_of` are counted only for the total target and the forecast.
    """
    labels = [period.period for period in periods]
    if len(set(labels)) != len(labels):
        raise ValueError(f"Commitment {commitment_ref}: periods must be distinct, got {labels}")
    if as_of not in labels:
        raise ValueError(
            f"Commitment {commitment_ref}: as-of period {as_of!r} is not one of its periods "
            f"{labels}"
        )
    for period in periods:
        for name in ("target", "claimed", "verified"):
            figure = getattr(period, name)
            if figure is not None and figure < 0:
                raise ValueError(
                    f"Commitment {commitment_ref}, period {period.period}: {name} must not be "
                    f"negative, got {figure}"
                )
        if period.verified is not None and period.verified > (
            period.claimed if period.claimed is not None else ZERO
        ):
            raise ValueError(
                f"Commitment {commitment_ref}, period {period.period}: verified {period.verified} "
                f"exceeds claimed {period.claimed}; only claimed delivery can be verified"
            )

    to_date = periods[: labels.index(as_of) + 1]
    target_to_date = sum((p.target for p in to_date), ZERO)
    claimed_to_date = sum((p.claimed for p in to_date if p.claimed is not None), ZERO)
    verified_to_date = sum((p.verified for p in to_date if p.verified is not None), ZERO)
    total_target = sum((p.target for p in periods), ZERO)
    variance = verified_to_date - target_to_date
    if target_to_date > 0:
        share = verified_to_date / target_to_date
        rag = thresholds.rate(share)
        percent: Decimal | None = (share * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
        rag_working = (
            f"{verified_to_date} verified ÷ {target_to_date} target to date = {percent}%: "
            f"{rag.value} (green at {thresholds.green_at:%}, amber at {thresholds.amber_at:%})"
        )
    else:
        rag, percent = Rag.NOT_YET_DUE, None
        rag_working = "nothing was due by this period, so it is not rated"
    run_rate = verified_to_date / len(to_date)
    forecast = (run_rate * len(periods)).quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)
    working = (
        f"target to date {' + '.join(str(p.target) for p in to_date)} = {target_to_date}",
        f"claimed to date {claimed_to_date}; verified to date {verified_to_date}; "
        f"awaiting verification {claimed_to_date - verified_to_date}",
        f"variance {verified_to_date} − {target_to_date} = {variance}",
        rag_working,
        f"forecast {verified_to_date} verified ÷ {len(to_date)} period(s) × {len(periods)} "
        f"periods = {forecast} against a total target of {total_target}",
    )
    return DeliveryStatus(
        commitment_ref=commitment_ref,
        as_of_period=as_of,
        periods_to_date=len(to_date),
        periods_in_contract=len(periods),
        target_to_date=target_to_date,
        claimed_to_date=claimed_to_date,
        verified_to_date=verified_to_date,
        awaiting_verification=claimed_to_date - verified_to_date,
        variance=variance,
        percent_of_target=percent,
        rag=rag,
        total_target=total_target,
        forecast_at_end=forecast,
        forecast_variance_at_end=forecast - total_target,
        working=working,
    )


@dataclass(frozen=True)
class ForecastPeriod:
    """One reporting period as a forecast needs it: its target, what was verified, which
    contract year and financial year it falls in, and whether it has ended."""

    period: str
    target: Decimal
    verified: Decimal | None
    contract_year: int
    financial_year: str
    """Like "2025-26": the UK financial year (1 April to 31 March) in which the period ends."""
    ended: bool


@dataclass(frozen=True)
class Forecast:
    """Delivery forecast over a span of periods, with its target and its method in words."""

    span: str
    """What the forecast covers: "contract year 2", "financial year 2025-26", "the contract"."""
    target: Decimal
    verified_so_far: Decimal
    periods_to_come: int
    forecast: Decimal
    method: str


@dataclass(frozen=True)
class Forecasts:
    run_rate: Decimal | None
    """Verified per ended period; None when no period has ended."""
    contract_year: Forecast | None
    financial_year: Forecast | None
    to_end: Forecast | None


RUN_RATE_METHOD = (
    "Each forecast is the delivery verified so far in the span, plus the run rate of verified "
    "delivery (everything verified to date ÷ the periods ended) × the span's periods still to "
    "come. Only verified delivery counts: claims awaiting verification do not."
)


def _span_forecast(
    span: str,
    periods: Sequence[ForecastPeriod],
    run_rate: Decimal,
    rate_working: str,
) -> Forecast:
    target = sum((p.target for p in periods), ZERO)
    verified = sum((p.verified or ZERO for p in periods if p.ended), ZERO)
    to_come = sum(1 for p in periods if not p.ended)
    forecast = (verified + run_rate * to_come).quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)
    return Forecast(
        span=span,
        target=target,
        verified_so_far=verified,
        periods_to_come=to_come,
        forecast=forecast,
        method=(
            f"{plain_number(verified)} verified so far in {span} + run rate {rate_working} × "
            f"{to_come} period(s) to come = {forecast}, against a target of {plain_number(target)}"
        ),
    )


def delivery_forecasts(
    *,
    periods: Sequence[ForecastPeriod],
    current_contract_year: int | None,
    current_financial_year: str | None,
) -> Forecasts:
    """Forecasts for the current contract year, the current financial year and the whole
    contract, at the run rate of verified delivery.

    `periods` lists the commitment's periods in order. A span with no period (a financial year
    the contract does not reach, say) has no forecast; nor has anything before a period ends.
    """
    ended = [p for p in periods if p.ended]
    if not ended:
        return Forecasts(None, None, None, None)
    verified_to_date = sum((p.verified or ZERO for p in ended), ZERO)
    run_rate = verified_to_date / len(ended)
    shown = run_rate.quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)
    rate_working = (
        f"{shown} a period ({plain_number(verified_to_date)} ÷ {len(ended)} period(s) ended)"
    )

    def span(name: str, chosen: list[ForecastPeriod]) -> Forecast | None:
        return _span_forecast(name, chosen, run_rate, rate_working) if chosen else None

    return Forecasts(
        run_rate=run_rate,
        contract_year=span(
            f"contract year {current_contract_year}",
            [p for p in periods if p.contract_year == current_contract_year],
        ),
        financial_year=span(
            f"financial year {current_financial_year}",
            [p for p in periods if p.financial_year == current_financial_year],
        ),
        to_end=span("the whole contract", list(periods)),
    )
