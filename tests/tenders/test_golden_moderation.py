"""Golden tender, worked by hand: four bidders, one implausible, marks before and after the
evaluators moderate it. Scoring uses the evaluated values, never the offered ones.

The tender: a £2,000,000 contract over 2 years. Social value offer 20% (relative to the best
offer), written answers 0%, price 40%, quality 40%. Local jobs (LE1) at £30,000 per FTE in a
contract year; apprenticeship weeks (AP1) at £250 a week.

Offers (value = quantity × proxy):
    Ashgrove    LE1 4 FTE in years 1 and 2      8 × £30,000            = £240,000
    Brinsworth  LE1 3 FTE in year 1 + AP1 104   £90,000 + £26,000      = £116,000
    Canklow     AP1 520 weeks in years 1 and 2  1,040 × £250           = £260,000
    Dalton      LE1 140 FTE in years 1 and 2    280 × £30,000          = £8,400,000
Dalton's £8,400,000 is 420.00% of the contract value: above 100%, so implausible.

Price and quality marks (out of 40 each), entered from the council's tender system:
    Ashgrove 35 + 30, Brinsworth 40 + 28, Canklow 30 + 36, Dalton 30 + 30.

Before moderation, Dalton's £8,400,000 is the best offer (20.00 marks):
    Ashgrove    240,000 ÷ 8,400,000 × 20 = 0.571… → 0.57;  overall 0.57 + 35 + 30 = 65.57
    Brinsworth  116,000 ÷ 8,400,000 × 20 = 0.276… → 0.28;  overall 0.28 + 40 + 28 = 68.28
    Canklow     260,000 ÷ 8,400,000 × 20 = 0.619… → 0.62;  overall 0.62 + 30 + 36 = 66.62
    Dalton      20.00;                                     overall 20 + 30 + 30  = 80.00
    Rank: Dalton, Brinsworth, Canklow, Ashgrove.

Asked to clarify, Dalton says 6 FTE would work on this contract, in each year. The evaluators
evaluate each LE1 line at 6 FTE: 12 × £30,000 = £360,000 (18.00%), now the best offer:
    Ashgrove    240,000 ÷ 360,000 × 20 = 13.333… → 13.33; overall 13.33 + 35 + 30 = 78.33
    Brinsworth  116,000 ÷ 360,000 × 20 =  6.444… →  6.44; overall  6.44 + 40 + 28 = 74.44
    Canklow     260,000 ÷ 360,000 × 20 = 14.444… → 14.44; overall 14.44 + 30 + 36 = 80.44
    Dalton      20.00;                                    overall 20 + 30 + 30    = 80.00
    Rank: Canklow, Dalton, Ashgrove, Brinsworth.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from commonweal.tenders.evaluation import Moderation, evaluate, report_csv
from commonweal.valuation import Severity
from tests.tenders.test_scoring_oracles import MEASURES, bidder, settings

D = Decimal
GOLDEN = settings(
    contract_value=D(2_000_000),
    quantitative_percent=D(20),
    qualitative_percent=D(0),
    price_percent=D(40),
    quality_percent=D(40),
    questions=(),
)
OFFERS = [
    bidder("Ashgrove", [("LE1", 1, 4), ("LE1", 2, 4)], None, "35", "30", minute=1),
    bidder("Brinsworth", [("LE1", 1, 3), ("AP1", 1, 104)], None, "40", "28", minute=2),
    bidder("Canklow", [("AP1", 1, 520), ("AP1", 2, 520)], None, "30", "36", minute=3),
    bidder("Dalton", [("LE1", 1, 140), ("LE1", 2, 140)], None, "30", "30", minute=4),
]
CLARIFIED = "Dalton's answer to our clarification: 6 FTE work on this contract in each year"


def moderated(offers):
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    dalton = offers[3]
    lines = {
        ref: Moderation(ref, D(6), False, CLARIFIED, "Ben Carter", at)
        for ref in ("LE1-Y1", "LE1-Y2")
    }
    return [*offers[:3], type(dalton)(**{**dalton.__dict__, "moderations": lines})]


def marks(results):
    return {r.bidder.name: (r.quantitative.marks, r.overall.total, r.rank) for r in results}


def test_before_moderation_the_implausible_offer_collapses_everyone_elses_marks():
    results = evaluate(OFFERS, MEASURES, GOLDEN)
    assert marks(results) == {
        "Dalton": (D("20.00"), D("80.00"), 1),
        "Brinsworth": (D("0.28"), D("68.28"), 2),
        "Canklow": (D("0.62"), D("66.62"), 3),
        "Ashgrove": (D("0.57"), D("65.57"), 4),
    }
    dalton = next(r for r in results if r.bidder.name == "Dalton")
    assert [f.severity for f in dalton.offered_implausible] == [Severity.IMPLAUSIBLE]
    assert "£8,400,000.00 is 420.00% of the contract value of £2,000,000.00" in (
        dalton.offered_implausible[0].message
    )
    assert dalton.plausibility_unresolved


def test_after_moderation_the_evaluated_values_are_scored_and_the_rank_changes():
    results = evaluate(moderated(OFFERS), MEASURES, GOLDEN)
    assert marks(results) == {
        "Canklow": (D("14.44"), D("80.44"), 1),
        "Dalton": (D("20.00"), D("80.00"), 2),
        "Ashgrove": (D("13.33"), D("78.33"), 3),
        "Brinsworth": (D("6.44"), D("74.44"), 4),
    }
    dalton = next(r for r in results if r.bidder.name == "Dalton")
    # The offered figures stay beside the evaluated ones, with the reason.
    assert dalton.offered.total_value == D("8400000.00")
    assert dalton.evaluated.total_value == D("360000.00")
    assert dalton.evaluated.percent_of_contract_value == D("18.00")
    assert dalton.offered_implausible and not dalton.implausible
    assert not dalton.plausibility_unresolved
    [first, _] = dalton.comparisons
    assert (first.offered.quantity, first.evaluated.quantity) == (D(140), D(6))
    assert first.moderation.reason == CLARIFIED
    rows = report_csv(results)
    assert "offered line,LE1 year 1,140,FTE,4200000.00" in rows
    assert 'evaluated line,LE1 year 1,6,FTE,180000.00,"reduced by Ben Carter on 20 November' in rows
    assert "evaluated total,social value,,£,360000.00" in rows
    assert "offered total,social value,,£,8400000.00" in rows
