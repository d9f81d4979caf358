"""Reads about policies and procurements shared by the pages, the tender pack and the tenders app."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.commissioning.models import (
    BelowThresholdApproach,
    Category,
    PolicyVersion,
    Procurement,
    Section,
)
from commonweal.commissioning.rules import SelectedMeasure, SelectionContext, selection_problems
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure, VersionStatus
from commonweal.valuation import tags

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not started", "In progress", "Completed"


def procurements_for_council(council: Organisation) -> QuerySet[Procurement]:
    return Procurement.objects.filter(council=council).select_related(
        "commissioner", "policy_version"
    )


def policy_history(council: Organisation) -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(council=council).select_related("created_by")


def published_set_versions(council: Organisation) -> list[LocalMeasureSetVersion]:
    """The version in force of each of the council's published measure sets."""
    today = timezone.localdate()
    in_force: dict[int, LocalMeasureSetVersion] = {}
    versions = (
        LocalMeasureSetVersion.objects.filter(
            measure_set__owner=council, status=VersionStatus.PUBLISHED
        )
        .select_related("measure_set")
        .order_by("measure_set_id", "-number")
    )
    for version in versions:
        if version.in_force_from and version.in_force_from > today:
            continue
        in_force.setdefault(version.measure_set_id, version)
    return list(in_force.values())


def chosen_measures(procurement: Procurement) -> list[Measure]:
    return [
        chosen.measure
        for chosen in procurement.chosen_measures.select_related(
            "measure__outcome__theme", "measure__proxy"
        )
    ]


def _selection_context(procurement: Procurement) -> SelectionContext:
    policy = procurement.policy_version
    return SelectionContext(
        above_threshold=procurement.is_above_social_value_threshold,
        max_measures=policy.max_measures,
        max_measures_below_threshold=policy.max_measures_below_threshold,
        single_offer_below_threshold=(
            policy.below_threshold_approach == BelowThresholdApproach.SINGLE_OFFER
        ),
        require_employment_and_skills=policy.require_employment_and_skills,
    )


def selection_problems_for(procurement: Procurement, measures: Sequence[Measure]) -> list[str]:
    selected = [SelectedMeasure(m.code, m.title, frozenset(m.tags), m.light_set) for m in measures]
    return selection_problems(selected, _selection_context(procurement))


def measure_limit(procurement: Procurement) -> int:
    context = _selection_context(procurement)
    if context.above_threshold:
        return context.max_measures
    return 1 if context.single_offer_below_threshold else context.max_measures_below_threshold


@dataclass(frozen=True)
class TaskListItem:
    section: str
    label: str
    status: str
    url_name: str


def _has_data(procurement: Procurement, section: str) -> bool:
    if section == Section.DETAILS:
        return True
    if section == Section.CONSIDERATION:
        return any(
            [
                procurement.wellbeing_improvements,
                procurement.local_priorities,
                procurement.decision,
                procurement.consulted is not None,
            ]
        )
    if section == Section.MEASURES:
        return procurement.chosen_measures.exists()
    if section == Section.WEIGHTING:
        return procurement.scoring_method != ""
    return procurement.questions.exists()


SECTION_URLS = {
    Section.DETAILS: "commissioning:details",
    Section.CONSIDERATION: "commissioning:consideration",
    Section.MEASURES: "commissioning:measures",
    Section.WEIGHTING: "commissioning:weighting",
    Section.QUESTIONS: "commissioning:questions",
}


def task_list(procurement: Procurement) -> list[TaskListItem]:
    items = []
    for section in Section:
        if section.value in procurement.completed_sections:
            status = COMPLETED
        elif _has_data(procurement, section):
            status = IN_PROGRESS
        else:
            status = NOT_STARTED
        items.append(TaskListItem(section.value, section.label, status, SECTION_URLS[section]))
    return items


def issue_problems(procurement: Procurement) -> list[str]:
    """Why the tender cannot be issued yet; empty when it can."""
    problems = [
        f"Complete “{item.label}”" for item in task_list(procurement) if item.status != COMPLETED
    ]
    if procurement.measure_set_version is None:
        problems.append("Select measures from a published measure set")
    else:
        problems.extend(selection_problems_for(procurement, chosen_measures(procurement)))
    return problems


@dataclass(frozen=True)
class ThresholdFacts:
    procurement_act_threshold_pence: int
    above_procurement_act_threshold: bool
    social_value_act_applies: bool
    kpis_required: bool
    thresholds_in_force_from: object


def threshold_facts(procurement: Procurement) -> ThresholdFacts:
    policy = procurement.policy_version
    threshold = {
        Category.WORKS: policy.threshold_works_pence,
        Category.LIGHT_TOUCH: policy.threshold_light_touch_pence,
    }.get(procurement.category, policy.threshold_supplies_services_pence)  # type: ignore[call-overload]
    above = procurement.estimated_value_pence >= threshold
    return ThresholdFacts(
        procurement_act_threshold_pence=threshold,
        above_procurement_act_threshold=above,
        social_value_act_applies=above
        and procurement.category in (Category.SERVICES, Category.LIGHT_TOUCH),
        kpis_required=procurement.estimated_value_pence > policy.kpi_rule_from_pence,
        thresholds_in_force_from=policy.thresholds_in_force_from,
    )


# Which kinds of measure usually fit a category of contract.
CATEGORY_TAGS: dict[str, frozenset[str]] = {
    Category.WORKS: frozenset(
        {
            tags.APPRENTICESHIPS,
            tags.LOCAL_EMPLOYMENT,
            tags.LOCAL_SUPPLY_CHAIN_SPEND,
            tags.ENVIRONMENT,
        }
    ),
    Category.SERVICES: frozenset(
        {
            tags.LOCAL_EMPLOYMENT,
            tags.EMPLOYMENT_AND_SKILLS,
            tags.VOLUNTEERING_HOURS,
            tags.TRAINING_HOURS,
        }
    ),
    Category.SUPPLIES: frozenset({tags.LOCAL_SUPPLY_CHAIN_SPEND, tags.ENVIRONMENT}),
    Category.LIGHT_TOUCH: frozenset(
        {tags.LOCAL_EMPLOYMENT, tags.DISADVANTAGED, tags.VOLUNTEERING_HOURS}
    ),
}
WORD = re.compile(r"[a-z]{4,}")
STOP_WORDS = frozenset({"with", "that", "this", "from", "their", "more", "local", "people", "area"})


@dataclass(frozen=True)
class Recommendation:
    measure: Measure
    fit: int
    reasons: tuple[str, ...]


def recommendations(procurement: Procurement, measures: Sequence[Measure]) -> list[Recommendation]:
    """Measures ranked by fit to the category, the contract's size and the local priorities."""
    category_tags = CATEGORY_TAGS.get(procurement.category, frozenset())
    # A crude stem (drop a plural "s") so "apprenticeships" matches "apprenticeship".
    priority_words = {
        word.removesuffix("s") for word in WORD.findall(procurement.local_priorities.lower())
    } - STOP_WORDS
    above = procurement.is_above_social_value_threshold
    ranked = []
    for measure in measures:
        fit, reasons = 0, []
        matched = sorted(category_tags & set(measure.tags))
        if matched:
            fit += 2 * len(matched)
            reasons.append(
                f"suits {procurement.get_category_display().lower()} contracts "
                f"({', '.join(matched)})"
            )
        if not above and measure.light_set:
            fit += 2
            reasons.append("in the light set for smaller contracts")
        if above and measure.value_type == "monetised":
            fit += 1
            reasons.append("valued in pounds")
        text = " ".join(
            [measure.title, measure.description, measure.outcome.name, measure.outcome.theme.name]
        ).lower()
        words = sorted(w for w in priority_words if w in text)
        if words:
            fit += 4 * len(words)
            reasons.append(f"matches local priorities: {', '.join(words)}")
        ranked.append(Recommendation(measure, fit, tuple(reasons)))
    ranked.sort(key=lambda r: (-r.fit, r.measure.code))
    return ranked


def policy_in_force(council: Organisation) -> PolicyVersion | None:
    """The council's latest social value policy version, if it has one."""
    return PolicyVersion.objects.filter(council=council).order_by("-number").first()
