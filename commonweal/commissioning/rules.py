"""Rules a procurement's measure selection must meet under the council's policy.

Each rule is a small class named by what it enforces, with a docstring an auditor can read. A
rule returns the problems it finds, in plain words; an empty list means the selection passes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from commonweal.valuation import tags


@dataclass(frozen=True)
class SelectedMeasure:
    code: str
    title: str
    tags: frozenset[str]
    in_light_set: bool


@dataclass(frozen=True)
class SelectionContext:
    above_threshold: bool
    max_measures: int
    max_measures_below_threshold: int
    single_offer_below_threshold: bool
    require_employment_and_skills: bool


class SelectionRule(ABC):
    code: ClassVar[str]

    @abstractmethod
    def problems(self, measures: Sequence[SelectedMeasure], context: SelectionContext) -> list[str]:
        """Every reason the selection breaks this rule."""

    @property
    def summary(self) -> str:
        return " ".join((type(self).__doc__ or "").split("\n\n")[0].split())


class AtLeastOneMeasureChosen(SelectionRule):
    """A tender that asks for social value names at least one measure for bidders to offer."""

    code = "at-least-one-measure"

    def problems(self, measures: Sequence[SelectedMeasure], context: SelectionContext) -> list[str]:
        return [] if measures else ["Select at least one measure"]


class NoMoreMeasuresThanThePolicyAllows(SelectionRule):
    """A tender names no more measures than the council's policy allows for its size.

    Contracts at or above the social value threshold may name up to the policy's maximum
    (Bradford: 6). Below it, a light set is smaller still, and a single-offer policy allows one.
    """

    code = "max-measures"

    def problems(self, measures: Sequence[SelectedMeasure], context: SelectionContext) -> list[str]:
        if context.above_threshold:
            limit, why = context.max_measures, "a contract of this value"
        elif context.single_offer_below_threshold:
            limit, why = 1, "a single social value offer below the threshold"
        else:
            limit, why = context.max_measures_below_threshold, "a light set below the threshold"
        if len(measures) > limit:
            return [
                f"You chose {len(measures)} measures; the council's policy allows at most "
                f"{limit} for {why}. Remove {len(measures) - limit}."
            ]
        return []


class AtLeastOneEmploymentAndSkillsMeasure(SelectionRule):
    """When the policy asks for it, at least one measure is from employment and skills.

    A measure counts when it carries the employment-and-skills tag (jobs, apprenticeships,
    training, work placements). Bradford's policy asks for one in every tender.
    """

    code = "employment-and-skills"

    def problems(self, measures: Sequence[SelectedMeasure], context: SelectionContext) -> list[str]:
        if not context.require_employment_and_skills or not measures:
            return []
        if any(tags.EMPLOYMENT_AND_SKILLS in measure.tags for measure in measures):
            return []
        return ["Select at least one employment and skills measure, as the council's policy asks"]


SELECTION_RULES: tuple[SelectionRule, ...] = (
    AtLeastOneMeasureChosen(),
    NoMoreMeasuresThanThePolicyAllows(),
    AtLeastOneEmploymentAndSkillsMeasure(),
)


def selection_problems(measures: Sequence[SelectedMeasure], context: SelectionContext) -> list[str]:
    return [problem for rule in SELECTION_RULES for problem in rule.problems(measures, context)]
