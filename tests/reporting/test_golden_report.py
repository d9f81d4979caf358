"""Golden report: year 2 of a small programme, compared with year 1, every figure worked out
by hand from what `builders.build_programme` builds."""

from __future__ import annotations

import pytest

from commonweal.reporting.document import all_figures, build_document
from tests.reporting.builders import REPORT_DAY

pytestmark = pytest.mark.django_db


def figures(document):
    return {key: item for key, item in all_figures(document)}


def table(document, section, key):
    found = next(s for s in document["sections"] if s["key"] == section)
    return next(t for t in found["tables"] if t["key"] == key)


def test_the_year_two_report_matches_the_hand_working(programme):
    document = build_document(programme.council, "2025-26", today=REPORT_DAY)
    found = figures(document)
    assert document["year"] == {
        "label": "2025-26",
        "number": 2,
        "starts_on": "2025-04-01",
        "ends_on": "2026-03-31",
    }
    assert document["previous_year"]["label"] == "2024-25"

    # Procurement. Issued in 2025-26: T3 (1 May 2025), T4 (1 Jul 2025), T5 (10 Jan 2026) = 3;
    # in 2024-25: T1, T2 = 2. Change +1, +50.0%.
    exercises = found["procurement/exercises"]
    assert (exercises["value"], exercises["previous"]) == (3, 2)
    assert (exercises["difference"], exercises["change_percent"]) == (1, "50")
    # Awarded: T3 in year 2, T1 in year 1. Contracts starting: B in year 2, A in year 1.
    assert (found["procurement/awards"]["value"], found["procurement/awards"]["previous"]) == (1, 1)
    started = found["procurement/contracts-started"]
    assert (started["value"], started["previous"]) == (1, 1)
    assert found["procurement/contract-value"]["value"] == 50_000_000
    # Weighting: every year-2 tender is at or above the £100,000 threshold, 10% + 10% = 20%.
    # Year 1: T1 20%, T2 (£50,000, below the threshold) 10% + 0% = 10%; mean 15.0%.
    weighting = found["procurement/weighting"]
    assert (weighting["value"], weighting["previous"], weighting["difference"]) == ("20", "15", "5")
    # One submitted offer on each awarded tender.
    assert (found["procurement/offers"]["value"], found["procurement/offers"]["previous"]) == (1, 1)
    # By route, year 2: open T3 £150,000 + T5 £300,000; competitive flexible T4 £6,000,000.
    by_route = {
        r["cells"]["group"]: r["cells"]
        for r in table(document, "procurement", "exercises-by-route")["rows"]
    }
    assert by_route["Open procedure"] == {
        "group": "Open procedure",
        "count": 2,
        "value": 45_000_000,
        "previous": 1,
    }
    assert by_route["Competitive flexible procedure"]["count"] == 1
    assert by_route["Below-threshold quotation"] == {
        "group": "Below-threshold quotation",
        "count": 0,
        "value": 0,
        "previous": 1,
    }
    # By band (services: policy threshold £100,000, Procurement Act £207,720): year 2 T3
    # £150,000 in between; T4 and T5 at or above the Act's threshold. Year 1: T2 below, T1 above.
    bands = {
        r["cells"]["group"]: (r["cells"]["count"], r["cells"]["previous"])
        for r in table(document, "procurement", "exercises-by-band")["rows"]
    }
    assert bands == {
        "Below the policy's social value threshold": (0, 1),
        "From the social value threshold to the Procurement Act threshold": (1, 0),
        "At or above the Procurement Act threshold": (2, 1),
    }

    # Commitments as at 31 March 2026: contracts A and B.
    # Committed: each has RM1 4 FTE × £10,000 = £40,000 and RM2 800 h × £16.93 = £13,544;
    # RM3 is record only. 2 × £53,544 = £107,088. As at 31 March 2025 only A: £53,544.
    committed = found["commitments/committed"]
    assert (committed["value"], committed["previous"]) == (10_708_800, 5_354_400)
    assert committed["change_percent"] == "100"
    # Due to date. 2026: A all 8 quarters: RM1 4 (£40,000), RM2 800 (£13,544); B 4 quarters:
    # RM1 2 (£20,000), RM2 400 (£6,772) → £80,316. 2025: A 4 quarters: £20,000 + £6,772.
    target = found["commitments/target"]
    assert (target["value"], target["previous"]) == (8_031_600, 2_677_200)
    # Claimed. 2026: A RM1 0.5 + 0.5 + 0.5 = 1.5 (£15,000), RM2 120 + 100 + 100 = 320
    # (£5,417.60); B RM1 0.5 + 0.5 = 1 (£10,000), RM2 50 + 100 = 150 (£2,539.50): £32,957.10.
    # 2025: A RM1 1.0 (£10,000), RM2 220 (£3,724.60): £13,724.60.
    claimed = found["commitments/claimed"]
    assert (claimed["value"], claimed["previous"]) == (3_295_710, 1_372_460)
    # Verified. 2026: A RM1 1.5 (£15,000), RM2 110 + 100 + 100 = 310 (£5,248.30); B RM1 0
    # (rejected), RM2 50 (£846.50); B's Q2 is not decided yet: £21,094.80.
    # 2025: A RM1 1.0 (£10,000), RM2 210 (£3,555.30): £13,555.30.
    verified = found["commitments/verified"]
    assert (verified["value"], verified["previous"]) == (2_109_480, 1_355_530)
    # Change: £21,094.80 − £13,555.30 = £7,539.50; ÷ £13,555.30 = 55.62% → 55.6%.
    assert (verified["difference"], verified["change_percent"]) == (753_950, "55.6")
    assert found["commitments/verified-in-year"]["value"] == 753_950
    # Verification rate: £21,094.80 ÷ £32,957.10 = 64.007% → 64.0%; year 1 £13,555.30 ÷
    # £13,724.60 = 98.77% → 98.8%; change −34.8 points.
    rate = found["commitments/verification-rate"]
    assert (rate["value"], rate["previous"], rate["difference"]) == ("64", "98.8", "-34.8")
    # Forecast: committed × verified ÷ due to date. A RM1 £40,000 × 1.5/4 = £15,000; A RM2
    # £13,544 × 310/800 = £5,248.30; B RM1 £40,000 × 0/2 = £0; B RM2 £13,544 × 50/400 =
    # £1,693: £21,941.30.
    assert found["commitments/forecast"]["value"] == 2_194_130
    assert (
        found["commitments/contracts"]["value"],
        found["commitments/contracts"]["previous"],
    ) == (2, 1)
    # A has 2 commitments, B 3: 5 (year 1: 2).
    assert (
        found["commitments/commitments"]["value"],
        found["commitments/commitments"]["previous"],
    ) == (5, 2)

    # By theme: RM1 and RM2 are Jobs, RM3 Environment (no pounds). Committed, claimed and
    # verified stay in their own columns.
    themes = {
        r["cells"]["group"]: r["cells"] for r in table(document, "commitments", "by-theme")["rows"]
    }
    assert themes["Jobs"] == {
        "group": "Jobs",
        "committed": 10_708_800,
        "claimed": 3_295_710,
        "verified": 2_109_480,
        "verified_previous": 1_355_530,
    }
    assert themes["Environment"]["committed"] == 0
    # Units, RM3 carbon: committed 10 + 12 = 22 t, claimed 2.5, verified 2.5.
    units = {
        r["cells"]["measure"]: r["cells"] for r in table(document, "commitments", "units")["rows"]
    }
    assert (units["RM3"]["committed"], units["RM3"]["claimed"], units["RM3"]["verified"]) == (
        "22",
        "2.5",
        "2.5",
    )

    # Case studies: A's 2025-26 Q1 story had consent; B's did not. Year 1: A's 2024-25 Q1.
    stories = found["case-studies/case-studies"]
    assert (stories["value"], stories["previous"]) == (1, 1)
    section = next(s for s in document["sections"] if s["key"] == "case-studies")
    assert [item["title"] for item in section["items"]] == ["Volunteers at Maltby library"]

    # No spend has been imported: no local markets section.
    assert "local-markets" not in [s["key"] for s in document["sections"]]

    # Actions: the workshop (done, due 31 Jul 2025) and the terms of reference (due 1 Mar
    # 2026, not started, overdue on 1 Jun 2026) are due in the year; the accreditation (at
    # risk, due 30 Sep 2026) is proposed for next year.
    assert found["actions/actions"]["value"] == 2
    assert found["actions/actions-done"]["value"] == 1
    assert found["actions/actions-overdue"]["value"] == 1
    next_year = table(document, "actions", "next-year")["rows"]
    assert [r["cells"]["action"] for r in next_year] == ["Real Living Wage accreditation"]


def test_every_figure_has_a_definition_and_its_records(programme):
    document = build_document(programme.council, "2025-26", today=REPORT_DAY)
    for key, item in all_figures(document):
        assert item["definition"], key
        assert item["link"], key
