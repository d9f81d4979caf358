from datetime import UTC, datetime
from decimal import Decimal

import pytest

from commonweal.valuation import (
    DescriptorScale,
    RankingEntry,
    Score,
    SocialValueWeighting,
    WeightedComponent,
    overall_score,
    rank_bidders,
    score_against_target,
    score_as_percent_of_contract_value,
    score_relative_to_best,
)

TEN = Decimal("10")


class TestRelativeToBestOffer:
    def test_the_best_offer_gets_full_marks_and_others_their_share(self) -> None:
        scores = score_relative_to_best(
            {"A": Decimal("250000"), "B": Decimal("100000")}, available_marks=TEN
        )
        # A: 250,000 ÷ 250,000 × 10 = 10.00; B: 100,000 ÷ 250,000 = 0.4 × 10 = 4.00
        assert scores["A"].marks == Decimal("10.00")
        assert scores["B"].marks == Decimal("4.00")
        assert scores["B"].working == (
            "£100,000.00 ÷ best offer £250,000.00 = 0.4000; × 10 marks = 4.00 marks "
            "(rounded half up to 2 places)"
        )

    def test_marks_are_rounded_half_up_to_two_places_at_the_end(self) -> None:
        scores = score_relative_to_best(
            {"A": Decimal("300000"), "B": Decimal("100000"), "C": Decimal("200000")},
            available_marks=TEN,
        )
        # B: 1/3 × 10 = 3.333… → 3.33; C: 2/3 × 10 = 6.666… → 6.67
        assert scores["B"].marks == Decimal("3.33")
        assert scores["C"].marks == Decimal("6.67")

    def test_an_offer_of_nothing_or_less_scores_zero(self) -> None:
        scores = score_relative_to_best(
            {"A": Decimal("1000"), "B": Decimal("0"), "C": Decimal("-500")}, available_marks=TEN
        )
        assert scores["B"].marks == Decimal("0.00")
        assert scores["C"].marks == Decimal("0.00")
        assert "below 0 counts as 0" in scores["C"].working

    def test_when_the_best_offer_is_zero_every_offer_scores_zero(self) -> None:
        scores = score_relative_to_best({"A": Decimal("0"), "B": Decimal("0")}, available_marks=TEN)
        assert {bidder: score.marks for bidder, score in scores.items()} == {
            "A": Decimal("0.00"),
            "B": Decimal("0.00"),
        }
        assert scores["A"].working.startswith("no offer is above £0")


class TestAgainstTarget:
    def test_essex_fifty_pence_target_scores_the_share_of_the_target_met(self) -> None:
        # Essex scores against 50p of social value per £1 of contract value.
        # £30,000 ÷ £100,000 = 30p per £1; 30 ÷ 50 = 0.6; 0.6 × 10 = 6.00 marks
        score = score_against_target(
            social_value=Decimal("30000"),
            contract_value=Decimal("100000"),
            target_pence_per_pound=Decimal("50"),
            available_marks=TEN,
        )
        assert score.marks == Decimal("6.00")
        assert "30.0000p per £1; ÷ 50p target = 0.6000" in score.working

    def test_beating_the_target_earns_full_marks_and_no_more(self) -> None:
        # £60,000 ÷ £100,000 = 60p; 60 ÷ 50 = 1.2; min(1, 1.2) × 10 = 10.00
        score = score_against_target(
            social_value=Decimal("60000"),
            contract_value=Decimal("100000"),
            target_pence_per_pound=Decimal("50"),
            available_marks=TEN,
        )
        assert score.marks == Decimal("10.00")

    def test_a_later_twenty_five_pence_target(self) -> None:
        # £10,000 ÷ £80,000 = 12.5p; 12.5 ÷ 25 = 0.5; 0.5 × 10 = 5.00
        score = score_against_target(
            social_value=Decimal("10000"),
            contract_value=Decimal("80000"),
            target_pence_per_pound=Decimal("25"),
            available_marks=TEN,
        )
        assert score.marks == Decimal("5.00")

    def test_a_target_of_zero_is_refused(self) -> None:
        with pytest.raises(ValueError, match="target_pence_per_pound must be above 0"):
            score_against_target(
                social_value=Decimal("1"),
                contract_value=Decimal("1"),
                target_pence_per_pound=Decimal("0"),
                available_marks=TEN,
            )


class TestPercentOfContractValue:
    def test_it_scales_the_percentage_to_the_full_marks_point(self) -> None:
        # £15,000 ÷ £100,000 = 15%; full marks at 20%: 15 ÷ 20 = 0.75; × 10 = 7.50
        score = score_as_percent_of_contract_value(
            social_value=Decimal("15000"),
            contract_value=Decimal("100000"),
            full_marks_at_percent=Decimal("20"),
            available_marks=TEN,
        )
        assert score.marks == Decimal("7.50")
        assert "15.0000% of contract value; ÷ 20% for full marks = 0.7500" in score.working

    def test_it_caps_at_full_marks(self) -> None:
        # 25% ÷ 20% = 1.25 → capped at 1 → 10.00
        score = score_as_percent_of_contract_value(
            social_value=Decimal("25000"),
            contract_value=Decimal("100000"),
            full_marks_at_percent=Decimal("20"),
            available_marks=TEN,
        )
        assert score.marks == Decimal("10.00")


class TestDescriptorScales:
    def test_a_level_on_the_percentage_scale_earns_that_share_of_the_marks(self) -> None:
        # "75" (Good) = 75% of 10 marks = 7.50
        score = DescriptorScale.percentages().score("75", available_marks=TEN)
        assert score.marks == Decimal("7.50")
        assert score.working.startswith("level 75 (Good) on the 0/25/50/75/100 scale")

    def test_a_level_on_the_zero_to_five_scale_earns_fifths(self) -> None:
        # 3 of 5 = 0.6 × 10 marks = 6.00
        assert DescriptorScale.zero_to_five().score("3", available_marks=TEN).marks == Decimal(
            "6.00"
        )

    def test_an_unknown_level_is_refused_with_the_levels_listed(self) -> None:
        with pytest.raises(ValueError, match="'60' is not a level of the 0/25/50/75/100 scale"):
            DescriptorScale.percentages().score("60", available_marks=TEN)


class TestWeighting:
    def test_rotherham_twenty_percent_splits_into_ten_and_ten(self) -> None:
        # Rotherham: social value 20% on contracts of £100k and over, half quantitative and
        # half qualitative: 20% × 0.5 = 10% quantitative; 20% − 10% = 10% qualitative.
        weighting = SocialValueWeighting(Decimal("20"), Decimal("0.5"))
        assert weighting.quantitative_percent == Decimal("10.0")
        assert weighting.qualitative_percent == Decimal("10.0")
        assert weighting.working == (
            "social value 20% × 0.5 quantitative = 10.0% quantitative + 10.0% qualitative"
        )

    def test_the_overall_score_adds_the_weighted_components(self) -> None:
        weighting = SocialValueWeighting(Decimal("20"), Decimal("0.5"))
        components = [
            WeightedComponent(
                "price", Score(Decimal("85"), Decimal("100"), "price", ""), Decimal("60")
            ),
            WeightedComponent(
                "quality", Score(Decimal("14"), Decimal("20"), "quality", ""), Decimal("20")
            ),
            WeightedComponent(
                "social value (quantitative)",
                score_against_target(
                    social_value=Decimal("30000"),
                    contract_value=Decimal("100000"),
                    target_pence_per_pound=Decimal("50"),
                    available_marks=TEN,
                ),
                weighting.quantitative_percent,
            ),
            WeightedComponent(
                "social value (qualitative)",
                DescriptorScale.percentages().score("75", available_marks=TEN),
                weighting.qualitative_percent,
            ),
        ]
        overall = overall_score(components)
        # price 85 ÷ 100 × 60 = 51.00; quality 14 ÷ 20 × 20 = 14.00;
        # social value quantitative 6.00 ÷ 10 × 10 = 6.00; qualitative 7.50 ÷ 10 × 10 = 7.50;
        # total 51.00 + 14.00 + 6.00 + 7.50 = 78.50
        assert [c.weighted_marks for c in overall.components] == [
            Decimal("51.00"),
            Decimal("14.00"),
            Decimal("6.00"),
            Decimal("7.50"),
        ]
        assert overall.total == Decimal("78.50")
        assert overall.working.endswith("total 51.00 + 14.00 + 6.00 + 7.50 = 78.50 of 100")

    def test_weights_that_do_not_add_up_to_one_hundred_are_refused(self) -> None:
        score = Score(Decimal("1"), Decimal("1"), "price", "")
        with pytest.raises(ValueError, match="must add up to 100%, got 90%"):
            overall_score(
                [
                    WeightedComponent("price", score, Decimal("70")),
                    WeightedComponent("quality", score, Decimal("20")),
                ]
            )


def at(hour: int) -> datetime:
    return datetime(2025, 6, 30, hour, 0, tzinfo=UTC)


class TestRanking:
    def test_ties_are_broken_by_social_value_then_submission_then_shared(self) -> None:
        entries = [
            RankingEntry("A", Decimal("78.50"), Decimal("200000"), at(11)),
            RankingEntry("B", Decimal("78.50"), Decimal("250000"), at(12)),
            RankingEntry("C", Decimal("70.00"), Decimal("900000"), at(9)),
            RankingEntry("D", Decimal("78.50"), Decimal("200000"), at(10)),
            RankingEntry("E", Decimal("78.50"), Decimal("200000"), at(11)),
        ]
        ranked = rank_bidders(entries)
        # B has the most social value of those on 78.50; D beats A and E by submitting earlier;
        # A and E are level on everything and share rank 3; C is fifth, as rank 4 is skipped.
        assert [(r.entry.bidder, r.rank, r.shares_rank) for r in ranked] == [
            ("B", 1, False),
            ("D", 2, False),
            ("A", 3, True),
            ("E", 3, True),
            ("C", 5, False),
        ]
        assert ranked[-1].tie_note == ""
        d_note = ranked[1].tie_note
        assert d_note.startswith("Level on overall score 78.50 with B, A, E:")
        assert "below B on social value total (£200,000.00 against £250,000.00)" in d_note
        assert "above A on submission time" in d_note
        assert "shares its rank with E" in ranked[2].tie_note

    def test_scores_that_round_to_the_same_two_places_are_level(self) -> None:
        entries = [
            RankingEntry("A", Decimal("80.001"), Decimal("100"), at(9)),
            RankingEntry("B", Decimal("79.999"), Decimal("200"), at(10)),
        ]
        # Both publish as 80.00, so B's larger social value total puts it first.
        assert [r.entry.bidder for r in rank_bidders(entries)] == ["B", "A"]

    def test_a_bidder_may_appear_only_once(self) -> None:
        entry = RankingEntry("A", Decimal("1"), Decimal("1"), at(9))
        with pytest.raises(ValueError, match="Each bidder may appear once"):
            rank_bidders([entry, entry])
