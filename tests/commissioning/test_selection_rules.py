"""Policy rules on the measures a procurement chooses, and the recommendations."""

from __future__ import annotations

import pytest

from commonweal.commissioning.rules import (
    AtLeastOneEmploymentAndSkillsMeasure,
    AtLeastOneMeasureChosen,
    NoMoreMeasuresThanThePolicyAllows,
    SelectedMeasure,
    SelectionContext,
)
from commonweal.commissioning.selectors import recommendations
from tests.commissioning.builders import measure, published_measure_set

ABOVE = SelectionContext(
    above_threshold=True,
    max_measures=6,
    max_measures_below_threshold=3,
    single_offer_below_threshold=False,
    require_employment_and_skills=True,
)


def selected(n: int, tag: str = "volunteering-hours") -> list[SelectedMeasure]:
    return [SelectedMeasure(f"M{i}", f"Measure {i}", frozenset({tag}), False) for i in range(n)]


def test_it_allows_up_to_six_measures_above_the_threshold():
    rule = NoMoreMeasuresThanThePolicyAllows()
    assert rule.problems(selected(6), ABOVE) == []
    assert rule.problems(selected(7), ABOVE) == [
        "You chose 7 measures; the council's policy allows at most 6 for a contract of this "
        "value. Remove 1."
    ]


def test_a_light_set_below_the_threshold_is_smaller():
    below = SelectionContext(False, 6, 3, False, True)
    assert (
        NoMoreMeasuresThanThePolicyAllows()
        .problems(selected(4), below)[0]
        .startswith("You chose 4 measures; the council's policy allows at most 3 for a light set")
    )


def test_a_single_offer_policy_allows_one_measure_below_the_threshold():
    single = SelectionContext(False, 6, 3, True, True)
    assert NoMoreMeasuresThanThePolicyAllows().problems(selected(1), single) == []
    assert NoMoreMeasuresThanThePolicyAllows().problems(selected(2), single)


def test_it_requires_an_employment_and_skills_measure_when_the_policy_does():
    rule = AtLeastOneEmploymentAndSkillsMeasure()
    assert rule.problems(selected(2), ABOVE) == [
        "Select at least one employment and skills measure, as the council's policy asks"
    ]
    assert rule.problems(selected(1, "employment-and-skills"), ABOVE) == []
    relaxed = SelectionContext(True, 6, 3, False, False)
    assert rule.problems(selected(2), relaxed) == []


def test_an_empty_selection_is_refused():
    assert AtLeastOneMeasureChosen().problems([], ABOVE) == ["Select at least one measure"]


@pytest.mark.django_db
def test_recommendations_rank_measures_that_fit_the_category_and_priorities_first(
    world, council_officer
):
    from tests.commissioning.builders import planned_procurement

    set_version = published_measure_set(world.council)
    procurement = planned_procurement(world.council, council_officer, set_version=set_version)
    procurement.local_priorities = "More apprenticeships for care leavers"
    measures = [measure(code) for code in ("GR1", "SC1", "AP1", "LE1")]
    ranked = recommendations(procurement, measures)
    codes = [r.measure.code for r in ranked]
    # Apprenticeships match the priority word and the services category: first.
    assert codes[0] == "AP1"
    # Measures with no tag that suits services and no priority match come last.
    assert set(codes[2:]) == {"GR1", "SC1"}
    assert any("matches local priorities: apprenticeship" in reason for reason in ranked[0].reasons)
