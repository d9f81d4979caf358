"""Scoring oracles worked by hand, for each method, through the tender evaluation."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from commonweal.tenders.evaluation import (
    BidderInput,
    Consensus,
    EvaluationSettings,
    QuestionInfo,
    evaluate,
    report_csv,
)
from commonweal.valuation import (
    CommitmentLine,
    DescriptorScale,
    MeasureSpec,
    ProxyValue,
    SocialValueWeighting,
    ValueType,
)

D = Decimal
PROXY = dict(price_year=2026, source_title="Test proxy values", source_url="", licence="OGL v3.0")
MEASURES = {
    "LE1": MeasureSpec(
        "LE1",
        "Local jobs",
        "FTE",
        ValueType.MONETISED,
        "Jobs",
        "Work",
        ProxyValue(D(30000), **PROXY),
        frozenset({"local-employment"}),
    ),
    "AP1": MeasureSpec(
        "AP1",
        "Apprenticeship weeks",
        "weeks",
        ValueType.MONETISED,
        "Jobs",
        "Skills",
        ProxyValue(D(250), **PROXY),
    ),
}
QUESTION = QuestionInfo(1, 1, "How will you deliver?")


def settings(method="relative_to_best", scale=None, **overrides) -> EvaluationSettings:
    values = dict(
        price_year=2026,
        deflator=None,
        contract_value=D(500000),
        contract_years=2,
        quantitative_percent=D(10),
        qualitative_percent=D(10),
        price_percent=D(40),
        quality_percent=D(40),
        scoring_method=method,
        target_pence_per_pound=D(25),
        full_marks_at_percent=D(20),
        scale=scale or DescriptorScale.percentages(),
        questions=(QUESTION,),
    )
    values.update(overrides)
    return EvaluationSettings(**values)  # type: ignore[arg-type]


def bidder(name, lines, level, price, quality, minute=0) -> BidderInput:
    return BidderInput(
        name=name,
        reference=f"REF-{name}",
        submitted_at=datetime(2026, 11, 1, 12, minute, tzinfo=UTC),
        lines=tuple(
            CommitmentLine(f"{code}-Y{year}", code, year, D(qty)) for code, year, qty in lines
        ),
        consensus={1: Consensus(level, "Agreed at moderation")},
        price_marks=D(price),
        quality_marks=D(quality),
    )


# A offers 2 FTE in year 1: 2 × £30,000 = £60,000. B offers 120 weeks: 120 × £250 = £30,000.
A = bidder("Alpha", [("LE1", 1, 2)], "75", "30", "32")
B = bidder("Beta", [("AP1", 1, 120)], "50", "40", "28")


def by_name(results):
    return {r.bidder.name: r for r in results}


def test_relative_to_best_and_the_overall_rank():
    results = by_name(evaluate([A, B], MEASURES, settings()))
    assert results["Alpha"].evaluated.total_value == D("60000.00")
    # Alpha is the best offer: 60,000 ÷ 60,000 × 10 = 10.00; Beta: 30,000 ÷ 60,000 × 10 = 5.00
    assert results["Alpha"].quantitative.marks == D("10.00")
    assert results["Beta"].quantitative.marks == D("5.00")
    # Written answer: one question carries all 10 marks; level 75 → 0.75 × 10 = 7.50; 50 → 5.00
    assert results["Alpha"].qualitative.marks == D("7.50")
    assert results["Beta"].qualitative.marks == D("5.00")
    # Overall: Alpha 10.00 + 7.50 + 30.00 + 32.00 = 79.50; Beta 5.00 + 5.00 + 40.00 + 28.00 = 78.00
    assert results["Alpha"].overall.total == D("79.50")
    assert results["Beta"].overall.total == D("78.00")
    assert (results["Alpha"].rank, results["Beta"].rank) == (1, 2)


def test_target_based_scoring_in_pence_per_pound():
    results = by_name(evaluate([A, B], MEASURES, settings("target")))
    # Alpha: £60,000 ÷ £500,000 = 12p per £1; ÷ 25p target = 0.48; × 10 = 4.80
    assert results["Alpha"].quantitative.marks == D("4.80")
    # Beta: £30,000 ÷ £500,000 = 6p per £1; ÷ 25p = 0.24; × 10 = 2.40
    assert results["Beta"].quantitative.marks == D("2.40")


def test_a_target_met_or_beaten_earns_full_marks():
    rich = bidder("Rich", [("LE1", 1, 5)], "75", "30", "30")
    # £150,000 ÷ £500,000 = 30p per £1, above the 25p target: min(1, 1.2) × 10 = 10.00
    assert evaluate([rich], MEASURES, settings("target"))[0].quantitative.marks == D("10.00")


def test_percent_of_contract_value_scoring():
    results = by_name(evaluate([A, B], MEASURES, settings("percent_of_contract")))
    # Alpha: £60,000 is 12% of £500,000; ÷ 20% for full marks = 0.6; × 10 = 6.00
    assert results["Alpha"].quantitative.marks == D("6.00")
    # Beta: 6% ÷ 20% = 0.3; × 10 = 3.00
    assert results["Beta"].quantitative.marks == D("3.00")


def test_the_qualitative_scale_zero_to_five():
    four = bidder("Four", [("LE1", 1, 1)], "4", "20", "20")
    result = evaluate([four], MEASURES, settings(scale=DescriptorScale.zero_to_five()))[0]
    # Level 4 of 5 earns 4 ÷ 5 = 0.8 of the 10 marks = 8.00
    assert result.qualitative.marks == D("8.00")


def test_two_questions_share_the_qualitative_marks_equally():
    second = QuestionInfo(2, 2, "How will you report?")
    both = BidderInput(
        name="Both",
        reference="REF-Both",
        submitted_at=datetime(2026, 11, 1, tzinfo=UTC),
        lines=(CommitmentLine("LE1-Y1", "LE1", 1, D(1)),),
        consensus={1: Consensus("100", "n"), 2: Consensus("25", "n")},
        price_marks=D(20),
        quality_marks=D(20),
    )
    result = evaluate([both], MEASURES, settings(questions=(QUESTION, second)))[0]
    # Each question is worth 10 ÷ 2 = 5 marks: 1.00 × 5 = 5.00 and 0.25 × 5 = 1.25; total 6.25
    assert [q.score.marks for q in result.questions] == [D("5.00"), D("1.25")]
    assert result.qualitative.marks == D("6.25")


def test_twenty_percent_is_ten_quantitative_and_ten_qualitative():
    weighting = SocialValueWeighting(total_percent=D(20), quantitative_share=D("0.5"))
    # 20% × 0.5 = 10% quantitative; 20% − 10% = 10% qualitative
    assert (weighting.quantitative_percent, weighting.qualitative_percent) == (D(10), D(10))
    full = bidder("Full", [("LE1", 1, 1)], "100", "0", "0")
    result = evaluate([full], MEASURES, settings())[0]
    # Full marks on both halves of social value: 10 + 10 = 20 of the 100 overall
    assert result.overall.total == D("20.00")


def test_ties_on_overall_score_go_to_the_higher_social_value():
    # Tie: Gamma £30,000 → 5.00 + answer 50 → 5.00 + 40 + 30 = 80.00
    #      Delta £60,000 → 10.00 + answer 0 → 0.00 + 40 + 30 = 80.00
    gamma = bidder("Gamma", [("AP1", 1, 120)], "50", "40", "30")
    delta = bidder("Delta", [("LE1", 1, 2)], "0", "40", "30", minute=5)
    results = evaluate([gamma, delta], MEASURES, settings())
    assert [r.bidder.name for r in results] == ["Delta", "Gamma"]
    assert results[0].overall.total == results[1].overall.total == D("80.00")
    assert "above Gamma on social value total" in results[0].tie_note


def test_nothing_is_ranked_until_every_score_is_in():
    unmoderated = BidderInput(
        name="Pending",
        reference="REF-P",
        submitted_at=datetime(2026, 11, 1, tzinfo=UTC),
        lines=(CommitmentLine("LE1-Y1", "LE1", 1, D(1)),),
    )
    results = evaluate([A, unmoderated], MEASURES, settings())
    pending = by_name(results)["Pending"]
    assert pending.overall is None
    assert pending.missing == ("an agreed score for question 1", "a price score", "a quality score")
    assert all(r.rank is None for r in results)


def test_the_csv_report_carries_lines_scores_and_workings():
    text = report_csv(evaluate([A, B], MEASURES, settings()))
    assert "Alpha,REF-Alpha" in text
    assert "offered line,LE1 year 1,2,FTE,60000.00" in text
    assert "overall,overall score,,of 100,79.50" in text
    assert "moderated score,question 1,75,,7.50,Agreed at moderation" in text


@pytest.mark.parametrize("method", ["relative_to_best", "target", "percent_of_contract"])
def test_every_method_leaves_an_arithmetic_trail(method):
    result = evaluate([A], MEASURES, settings(method))[0]
    assert "marks" in result.quantitative.working


def test_the_word_report_lists_findings_and_independent_scores():
    from io import BytesIO

    from docx import Document

    from commonweal.tenders.evaluation import IndependentScore, method_summary, report_docx

    # Employment in contract year 3 of a 2-year contract breaks the FTE-per-year counting rule.
    late = BidderInput(
        name="Late",
        reference="REF-L",
        submitted_at=datetime(2026, 11, 1, tzinfo=UTC),
        lines=(CommitmentLine("LE1-Y3", "LE1", 3, D(1)),),
        consensus={
            1: Consensus("50", "Agreed", (IndependentScore("Chloe Evans", "50", "Thin plan"),))
        },
        price_marks=D(20),
        quality_marks=D(20),
    )
    results = evaluate([late], MEASURES, settings())
    content = report_docx(
        title="T", council="C", reference="R", results=results, method=method_summary(settings())
    )
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "• error: Line LE1-Y3 counts employment in contract year 3" in text
    assert "• Chloe Evans: 50. Thin plan" in text
