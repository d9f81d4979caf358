"""Scoring social value offers in a tender evaluation, and combining them with price and quality.

Every score carries its arithmetic as text, so that an evaluation report can show how each mark
was reached. Marks are worked in full precision and rounded half up to 2 decimal places once, at
the end of each score; an overall score is the sum of its rounded, weighted components, so the
published table adds up. Intermediate figures in the working are shown to 4 decimal places.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from commonweal.valuation.money import format_pounds

MARKS_PLACES = Decimal("0.01")
SHOWN_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)


def round_marks(marks: Decimal) -> Decimal:
    """Round half up to 2 decimal places, the precision marks are published in."""
    return marks.quantize(MARKS_PLACES, rounding=ROUND_HALF_UP)


def _shown(number: Decimal) -> str:
    return f"{number.quantize(SHOWN_PLACES, rounding=ROUND_HALF_UP):,}"


def _require_positive(name: str, value: Decimal) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be above 0, got {value}")


def _clamp_fraction(fraction: Decimal) -> Decimal:
    return min(ONE, max(ZERO, fraction))


@dataclass(frozen=True)
class Score:
    """Marks out of the marks available, the method that gave them, and the arithmetic."""

    marks: Decimal
    out_of: Decimal
    method: str
    working: str


def score_relative_to_best(
    offers: Mapping[str, Decimal], *, available_marks: Decimal
) -> dict[str, Score]:
    """Each offer's value ÷ the best offer's value × the marks available.

    The best offer gets full marks. An offer of £0 or less gets 0. When no offer is above £0,
    every offer gets 0, since there is nothing to compare with.
    """
    _require_positive("available_marks", available_marks)
    method = "relative to best offer"
    best = max(offers.values(), default=ZERO)
    scores = {}
    for bidder, value in offers.items():
        if best <= 0:
            working = (
                f"no offer is above £0 (best {format_pounds(best)}), so every offer scores "
                f"0 of {available_marks} marks"
            )
            scores[bidder] = Score(round_marks(ZERO), available_marks, method, working)
            continue
        fraction = _clamp_fraction(value / best)
        marks = round_marks(fraction * available_marks)
        working = (
            f"{format_pounds(value)} ÷ best offer {format_pounds(best)} = {_shown(value / best)}"
            f"{'; below 0 counts as 0' if value < 0 else ''}; × {available_marks} marks = "
            f"{marks} marks (rounded half up to 2 places)"
        )
        scores[bidder] = Score(marks, available_marks, method, working)
    return scores


def score_against_target(
    *,
    social_value: Decimal,
    contract_value: Decimal,
    target_pence_per_pound: Decimal,
    available_marks: Decimal,
) -> Score:
    """min(1, social value per £1 of contract value ÷ the target) × the marks available.

    The target is in pence per £1 of contract value (Essex used 50p, later 25p). An offer that
    meets or beats the target gets full marks; an offer of £0 or less gets 0.
    """
    _require_positive("contract_value", contract_value)
    _require_positive("target_pence_per_pound", target_pence_per_pound)
    _require_positive("available_marks", available_marks)
    pence_per_pound = social_value / contract_value * HUNDRED
    ratio = pence_per_pound / target_pence_per_pound
    fraction = _clamp_fraction(ratio)
    marks = round_marks(fraction * available_marks)
    working = (
        f"{format_pounds(social_value)} ÷ {format_pounds(contract_value)} contract value = "
        f"{_shown(pence_per_pound)}p per £1; ÷ {target_pence_per_pound}p target = {_shown(ratio)}; "
        f"capped to between 0 and 1 = {_shown(fraction)}; × {available_marks} marks = {marks} "
        "marks (rounded half up to 2 places)"
    )
    return Score(marks, available_marks, "target pence per £1", working)


def score_as_percent_of_contract_value(
    *,
    social_value: Decimal,
    contract_value: Decimal,
    full_marks_at_percent: Decimal,
    available_marks: Decimal,
) -> Score:
    """Social value as a % of contract value, scaled so that `full_marks_at_percent` earns full marks.

    Marks = min(1, percent ÷ full_marks_at_percent) × the marks available; offers above the
    stated percentage are capped at full marks, and an offer of £0 or less gets 0.
    """
    _require_positive("contract_value", contract_value)
    _require_positive("full_marks_at_percent", full_marks_at_percent)
    _require_positive("available_marks", available_marks)
    percent = social_value / contract_value * HUNDRED
    ratio = percent / full_marks_at_percent
    fraction = _clamp_fraction(ratio)
    marks = round_marks(fraction * available_marks)
    working = (
        f"{format_pounds(social_value)} ÷ {format_pounds(contract_value)} contract value = "
        f"{_shown(percent)}% of contract value; ÷ {full_marks_at_percent}% for full marks = "
        f"{_shown(ratio)}; capped to between 0 and 1 = {_shown(fraction)}; × {available_marks} "
        f"marks = {marks} marks (rounded half up to 2 places)"
    )
    return Score(marks, available_marks, "percent of contract value", working)


@dataclass(frozen=True)
class DescriptorLevel:
    """One step of a qualitative scale: what evaluators pick, and the share of marks it earns."""

    label: str
    fraction_of_marks: Decimal
    description: str


@dataclass(frozen=True)
class DescriptorScale:
    """A qualitative descriptor scale used to score written answers."""

    name: str
    levels: tuple[DescriptorLevel, ...]

    def __post_init__(self) -> None:
        labels = [level.label for level in self.levels]
        if not labels:
            raise ValueError(f"Descriptor scale {self.name!r} has no levels")
        if len(set(labels)) != len(labels):
            raise ValueError(f"Descriptor scale {self.name!r} repeats a label: {labels}")
        for level in self.levels:
            if not ZERO <= level.fraction_of_marks <= ONE:
                raise ValueError(
                    f"Descriptor scale {self.name!r}: level {level.label!r} earns "
                    f"{level.fraction_of_marks} of the marks; it must lie between 0 and 1"
                )

    @classmethod
    def percentages(cls) -> "DescriptorScale":
        """0 / 25 / 50 / 75 / 100, each the percentage of marks awarded."""
        words = ("Unacceptable", "Poor", "Satisfactory", "Good", "Excellent")
        return cls(
            "0/25/50/75/100",
            tuple(
                DescriptorLevel(str(25 * step), Decimal(25 * step) / HUNDRED, words[step])
                for step in range(5)
            ),
        )

    @classmethod
    def zero_to_five(cls) -> "DescriptorScale":
        """0 to 5, each step a fifth of the marks."""
        words = ("Unacceptable", "Poor", "Weak", "Satisfactory", "Good", "Excellent")
        return cls(
            "0–5",
            tuple(DescriptorLevel(str(step), Decimal(step) / 5, words[step]) for step in range(6)),
        )

    def level(self, label: str) -> DescriptorLevel:
        for level in self.levels:
            if level.label == label:
                return level
        raise ValueError(
            f"{label!r} is not a level of the {self.name} scale; levels are "
            f"{[level.label for level in self.levels]}"
        )

    def score(self, label: str, *, available_marks: Decimal) -> Score:
        """The marks for the level evaluators agreed (after moderation) on a written answer."""
        _require_positive("available_marks", available_marks)
        level = self.level(label)
        marks = round_marks(level.fraction_of_marks * available_marks)
        working = (
            f"level {level.label} ({level.description}) on the {self.name} scale earns "
            f"{level.fraction_of_marks} of the marks; × {available_marks} marks = {marks} marks "
            "(rounded half up to 2 places)"
        )
        return Score(marks, available_marks, f"descriptor scale {self.name}", working)


@dataclass(frozen=True)
class SocialValueWeighting:
    """Social value's share of the total score, split between the monetised offer and the
    written answer (Rotherham: 20% on contracts of £100k and over, split half and half)."""

    total_percent: Decimal
    quantitative_share: Decimal

    def __post_init__(self) -> None:
        if not ZERO < self.total_percent <= HUNDRED:
            raise ValueError(
                f"total_percent must be above 0 and at most 100, got {self.total_percent}"
            )
        if not ZERO <= self.quantitative_share <= ONE:
            raise ValueError(
                f"quantitative_share must lie between 0 and 1, got {self.quantitative_share}"
            )

    @property
    def quantitative_percent(self) -> Decimal:
        return self.total_percent * self.quantitative_share

    @property
    def qualitative_percent(self) -> Decimal:
        return self.total_percent - self.quantitative_percent

    @property
    def working(self) -> str:
        return (
            f"social value {self.total_percent}% × {self.quantitative_share} quantitative = "
            f"{self.quantitative_percent}% quantitative + {self.qualitative_percent}% qualitative"
        )


@dataclass(frozen=True)
class WeightedComponent:
    """A component score (price, quality, social value …) and its weight in the total, in %."""

    name: str
    score: Score
    weight_percent: Decimal


@dataclass(frozen=True)
class WeightedScore:
    name: str
    weighted_marks: Decimal
    weight_percent: Decimal
    working: str


@dataclass(frozen=True)
class OverallScore:
    """The overall score out of 100 and each component's contribution to it."""

    total: Decimal
    components: tuple[WeightedScore, ...]
    working: str


def overall_score(components: Sequence[WeightedComponent]) -> OverallScore:
    """Each component's marks ÷ its marks available × its weight, rounded, then added up.

    The weights must add up to 100, so that the total is out of 100.
    """
    names = [component.name for component in components]
    if len(set(names)) != len(names):
        raise ValueError(f"Component names must be distinct, got {names}")
    weights = sum((component.weight_percent for component in components), ZERO)
    if weights != HUNDRED:
        raise ValueError(
            f"Component weights must add up to 100%, got {weights}% "
            f"({', '.join(f'{c.name} {c.weight_percent}%' for c in components)})"
        )
    weighted = []
    for component in components:
        score = component.score
        _require_positive(f"{component.name} marks available", score.out_of)
        marks = round_marks(score.marks / score.out_of * component.weight_percent)
        weighted.append(
            WeightedScore(
                component.name,
                marks,
                component.weight_percent,
                f"{component.name}: {score.marks} ÷ {score.out_of} × {component.weight_percent}% "
                f"= {marks}",
            )
        )
    total = sum((item.weighted_marks for item in weighted), ZERO)
    working = (
        "; ".join(item.working for item in weighted)
        + f"; total {' + '.join(str(item.weighted_marks) for item in weighted)} = {total} of 100"
    )
    return OverallScore(total, tuple(weighted), working)


TIE_RULE = (
    "Bidders are ranked by overall score (to 2 decimal places), highest first. Bidders level on "
    "overall score are ordered by monetised social value total, highest first, then by "
    "submission time, earliest first. Bidders level on all three share a rank, and the next "
    "rank is skipped (1, 1, 3)."
)


@dataclass(frozen=True)
class RankingEntry:
    bidder: str
    overall: Decimal
    social_value_total: Decimal
    submitted_at: datetime


@dataclass(frozen=True)
class RankedBidder:
    rank: int
    entry: RankingEntry
    shares_rank: bool
    tie_note: str
    """Empty unless the bidder was level on overall score with another; then how it was settled."""


def rank_bidders(entries: Sequence[RankingEntry]) -> list[RankedBidder]:
    """Rank bidders by the rule in TIE_RULE."""
    bidders = [entry.bidder for entry in entries]
    if len(set(bidders)) != len(bidders):
        raise ValueError(f"Each bidder may appear once in a ranking, got {bidders}")

    def key(entry: RankingEntry) -> tuple[Decimal, Decimal, datetime]:
        return (-round_marks(entry.overall), -entry.social_value_total, entry.submitted_at)

    ordered = sorted(entries, key=key)
    ranked: list[RankedBidder] = []
    for position, entry in enumerate(ordered):
        previous = ordered[position - 1] if position else None
        following = ordered[position + 1] if position + 1 < len(ordered) else None
        shares_previous = previous is not None and key(previous) == key(entry)
        shares_following = following is not None and key(following) == key(entry)
        rank = ranked[-1].rank if shares_previous else position + 1
        ranked.append(
            RankedBidder(
                rank,
                entry,
                shares_previous or shares_following,
                _tie_note(entry, ordered),
            )
        )
    return ranked


def _tie_note(entry: RankingEntry, ordered: Sequence[RankingEntry]) -> str:
    level = [
        other
        for other in ordered
        if other is not entry and round_marks(other.overall) == round_marks(entry.overall)
    ]
    if not level:
        return ""
    notes = []
    for other in level:
        if other.social_value_total != entry.social_value_total:
            relation = "above" if entry.social_value_total > other.social_value_total else "below"
            notes.append(
                f"{relation} {other.bidder} on social value total ({format_pounds(entry.social_value_total)} "
                f"against {format_pounds(other.social_value_total)})"
            )
        elif other.submitted_at != entry.submitted_at:
            relation = "above" if entry.submitted_at < other.submitted_at else "below"
            notes.append(
                f"{relation} {other.bidder} on submission time ({entry.submitted_at.isoformat()} "
                f"against {other.submitted_at.isoformat()})"
            )
        else:
            notes.append(f"shares its rank with {other.bidder}")
    return (
        f"Level on overall score {round_marks(entry.overall)} with "
        f"{', '.join(other.bidder for other in level)}: " + "; ".join(notes) + "."
    )
