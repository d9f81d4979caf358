"""NetworkFigureDisclosure: which network figures may be shown, by name and combined."""

from commonweal.valuation.disclosure import Contribution, NetworkFigureDisclosure

RULE = NetworkFigureDisclosure(minimum_members=3)


def named(*members: int) -> list[Contribution]:
    return [Contribution(m, named=True) for m in members]


def pooled(*members: int) -> list[Contribution]:
    return [Contribution(m, named=False) for m in members]


def test_a_combined_figure_from_fewer_than_three_members_is_withheld():
    found = RULE.decide(named(1, 2))
    assert not found.total_shown
    assert found.total_reason == "Fewer than 3 members share this (2 do)"
    # Each chose to be named and nothing is left to subtract them from.
    assert found.named_shown


def test_one_member_alone_is_withheld_from_the_combined_figure():
    found = RULE.decide(pooled(1))
    assert not found.total_shown
    assert found.total_reason == "Fewer than 3 members share this (1 does)"


def test_three_members_sharing_by_name_show_each_figure_and_the_total():
    found = RULE.decide(named(1, 2, 3))
    assert found.total_shown and found.named_shown
    assert found.contributors == 3


def test_three_members_pooling_show_only_the_total():
    found = RULE.decide(pooled(1, 2, 3))
    assert found.total_shown
    assert found.named_shown  # nobody is named, so nothing is shown by name anyway


def test_names_are_withheld_when_one_pooled_member_could_be_worked_out():
    found = RULE.decide([*named(1, 2), *pooled(3)])
    assert found.total_shown
    assert not found.named_shown
    assert "1 member shares this only in the combined figure" in found.named_reason


def test_names_are_withheld_when_two_pooled_members_could_read_each_other():
    found = RULE.decide([*named(1, 2), *pooled(3, 4)])
    assert found.total_shown and not found.named_shown
    assert "2 members share this only in the combined figure" in found.named_reason


def test_names_are_shown_beside_three_or_more_pooled_members():
    found = RULE.decide([*named(1, 2), *pooled(3, 4, 5)])
    assert found.total_shown and found.named_shown


def test_nothing_is_shown_when_nobody_contributes():
    found = RULE.decide([])
    assert not found.total_shown
    assert found.contributors == 0


def test_the_threshold_is_the_rules_own():
    assert NetworkFigureDisclosure(minimum_members=5).decide(named(1, 2, 3, 4)).total_shown is False
